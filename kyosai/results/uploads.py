"""Pending uploads: a file validated on /imports/ waits under KYOSAI_HOME/uploads until applied.

A pending file is named by a random token kept in the uploader's session. Applying it removes it;
one never applied is removed after a day (PENDING_TTL) by the next upload or by
`kyosai uploads purge`, so files with members' figures do not pile up on the server.
"""

import datetime
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

__all__ = ["PENDING_TTL", "discard", "pending_dir", "purge_stale", "read", "save"]

PENDING_TTL = datetime.timedelta(days=1)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def pending_dir() -> Path:
    path = Path(settings.KYOSAI_HOME) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(data: bytes) -> str:
    """Keep `data` until applied; returns its token. Removes stale pending files first."""
    purge_stale()
    token = secrets.token_hex(16)
    (pending_dir() / token).write_bytes(data)
    return token


def _path(token: str) -> Path | None:
    return pending_dir() / token if _TOKEN.match(token or "") else None


def read(token: str) -> bytes | None:
    """The pending file of `token`, or None when it is gone (applied, purged) or not a token."""
    path = _path(token)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def discard(token: str) -> None:
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def purge_stale(max_age: datetime.timedelta = PENDING_TTL, now: float | None = None) -> int:
    """Remove pending files older than `max_age` (by modification time); returns how many."""
    cutoff = (time.time() if now is None else now) - max_age.total_seconds()
    removed = 0
    for path in pending_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed by another worker meanwhile
            continue
    return removed
