"""Imported files kept by content: $KYOSAI_HOME/imports/<sha256[:2]>/<sha256>.

An import keeps the exact bytes it read, so it can be reproduced (and a backup carries them).
Writing is atomic (a temporary file renamed into place) and idempotent: the same content is
stored once, however often it is imported.
"""

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

__all__ = ["imports_dir", "path_for", "store"]


def imports_dir() -> Path:
    return Path(settings.KYOSAI_HOME) / "imports"


def path_for(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return imports_dir() / sha256[:2] / sha256


def store(data: bytes, sha256: str | None = None) -> Path:
    """Keep `data` under its SHA-256 (computed unless given) and return where it lies."""
    sha256 = sha256 or hashlib.sha256(data).hexdigest()
    path = path_for(sha256)
    if path.is_file() and path.stat().st_size == len(data):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
