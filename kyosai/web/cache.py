"""Caching computed figures between requests, keyed by the data's version.

Every figure's key carries `data_version()` (changes with each import or rollup), so a new import
is seen at once; entries also expire after KYOSAI_WEB_CACHE_SECONDS (default 300) so edits to
master data in the admin show up within minutes. The cache is Django's (per process unless CACHES
says otherwise). Off in tests unless KYOSAI_WEB_CACHE is set: test databases reuse primary keys.

Rendered dashboard pages are kept differently (stale-while-revalidate): the last body computed
for a page (per URL, query and access scope) is kept with the data version and time it was
computed from (`PageEntry`). A current entry is served as it is. An entry of an older version (or
older than KYOSAI_WEB_CACHE_SECONDS) is still served at once, marked with its time by the view,
while `revalidate()` computes the page again in this process's background thread; a page nobody
has computed yet is computed in the request. Either computation runs once at a time per page
across threads and processes (`claim()`: a non-blocking `flock` on a file per page under
KYOSAI_LOCK_DIR), so fifty users opening a stale page start one computation, not fifty.
"""

import fcntl
import hashlib
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache
from django.db import connections
from django.db.models import Count, Max
from django.utils import timezone

from kyosai.results.models import BranchResult, BranchTarget, ImportLog

__all__ = ["Claim", "PageEntry", "Snapshot", "cached", "claim", "clear", "data_version", "drop_page",
           "enabled", "forget_version", "get_page", "put_page", "revalidate", "run_in_background",
           "snapshot", "wait_for_page"]

T = TypeVar("T")
PREFIX = "kyosai-web"
VERSION_SECONDS = 2.0  # how long one process trusts the version it read
PAGE_KEEP_SECONDS = 24 * 60 * 60  # how long a page's last body is kept to be served while stale
WAIT_POLL_SECONDS = 0.05
_memo = threading.local()
logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "KYOSAI_WEB_CACHE", settings.KYOSAI_ENV != "test"))


def data_version() -> str:
    """A fingerprint of the results, targets and imports: the newest row of each (index reads).

    Imports log themselves and write new rollup rows, so either number moves with every change.
    """
    logs = ImportLog.objects.aggregate(last=Max("pk"), reverted=Count("reverted_at"))
    imports = f"{logs['last'] or 0}-{logs['reverted']}"  # a revert writes no new log
    rollup = BranchResult.objects.aggregate(last=Max("pk"))["last"] or 0
    targets = BranchTarget.objects.aggregate(last=Max("pk"))["last"] or 0
    return f"{imports}.{rollup}.{targets}"


def clear() -> None:
    """Forget every cached figure and page (tests and benchmarks start empty)."""
    cache.clear()
    _pages().clear()
    forget_version()


def forget_version() -> None:
    """Read the data version afresh on the next call (after a write in this thread, in tests)."""
    _memo.until = 0.0


def _current_version() -> str:
    now = time.monotonic()
    if getattr(_memo, "until", 0.0) < now:
        _memo.version, _memo.until = data_version(), now + VERSION_SECONDS
    version: str = _memo.version  # (a thread-local's attributes are untyped)
    return version


def cached(key: str, compute: Callable[[], T]) -> T:
    """compute() once per data version (and at most every KYOSAI_WEB_CACHE_SECONDS)."""
    if not enabled():
        return compute()
    full = _hashed(key)
    value: T | None = cache.get(full)  # what compute() returned for this key
    if value is None:
        value = compute()
        cache.set(full, value, getattr(settings, "KYOSAI_WEB_CACHE_SECONDS", 300))
    return value


def _hashed(key: str) -> str:
    return f"{PREFIX}:{_current_version()}:{_digest(key)}"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _fresh_seconds() -> float:
    return float(getattr(settings, "KYOSAI_WEB_CACHE_SECONDS", 300))


# --- rendered pages: stale-while-revalidate ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class Snapshot:
    """The data a computation starts from: the data version, and when it was read."""

    version: str
    taken_at: datetime


def snapshot() -> Snapshot:
    """The data as of now (read before computing, so a write during the computation makes the
    result stale rather than newer than it says)."""
    return Snapshot(_current_version(), timezone.now())


@dataclass(frozen=True, slots=True)
class PageEntry:
    """A page's title, head and body as last computed, and the data they were computed from."""

    title: str
    head: str
    body: str
    snapshot: Snapshot

    def is_current(self) -> bool:
        """Computed from the data as it is now, and recently enough (master data edited in the
        admin does not change the version)."""
        age = (timezone.now() - self.snapshot.taken_at).total_seconds()
        return self.snapshot.version == _current_version() and age < _fresh_seconds()


def _pages() -> BaseCache:
    """The cache of the pages: CACHES["pages"] where configured, else the figures' own."""
    return caches["pages"] if "pages" in settings.CACHES else cache


def _page_key(key: str) -> str:
    return f"{PREFIX}:page:{_digest(key)}"


def get_page(key: str) -> PageEntry | None:
    """The body last stored for `key` whatever its version (None also when caching is off)."""
    if not enabled():
        return None
    entry = _pages().get(_page_key(key))
    return entry if isinstance(entry, PageEntry) else None


def put_page(key: str, title: str, head: str, body: str, taken: Snapshot) -> None:
    """Keep the page `key` computed from `taken`, unless a newer one is kept already."""
    if not enabled():
        return
    kept = get_page(key)
    if kept is not None and kept.snapshot.taken_at > taken.taken_at:
        return  # a computation that started later finished first
    _pages().set(_page_key(key), PageEntry(title, head, body, taken), PAGE_KEEP_SECONDS)


def drop_page(key: str) -> None:
    """Forget the page (its computation now refuses it: gone, or no longer allowed)."""
    if enabled():
        _pages().delete(_page_key(key))


class Claim:
    """The right to compute one page, held by one thread of one process until release()."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file drops the flock
            self._fd = None


def _lock_dir() -> Path:
    directory = Path(settings.KYOSAI_LOCK_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def claim(key: str) -> Claim | None:
    """The claim to compute the page `key`, or None while another thread or process holds it.

    A `flock` on a file of its own per page (each open file takes its own lock, so threads of one
    process exclude each other too); the kernel drops it if the process dies."""
    fd = os.open(_lock_dir() / f"{_digest(key)}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return Claim(fd)


def wait_for_page(key: str, seconds: float) -> PageEntry | None:
    """While another computes the page `key` (it holds the claim): its result, once stored.

    None when it gave up without storing one (the page failed, or is refused to this scope) or
    after `seconds`, so that the caller computes the page itself."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        entry = get_page(key)
        if entry is not None:
            return entry
        held = claim(key)
        if held is not None:  # the other computation is over and stored nothing
            held.release()
            return get_page(key)
        time.sleep(WAIT_POLL_SECONDS)
    return None


def revalidate(key: str, refresh: Callable[[], None]) -> None:
    """Have refresh() compute the page `key` again in the background, unless a computation of it
    runs already (in any thread or process): the caller serves the stale entry meanwhile."""
    held = claim(key)
    if held is None:
        return

    def task() -> None:
        try:
            forget_version()
            entry = get_page(key)
            if entry is None or not entry.is_current():  # not done meanwhile by another
                refresh()
        finally:
            held.release()

    try:
        run_in_background(task)
    except BaseException:
        held.release()
        raise


_tasks: "queue.SimpleQueue[Callable[[], None]]" = queue.SimpleQueue()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def run_in_background(task: Callable[[], None]) -> None:
    """task() in this process's one background thread, after the tasks queued before it: page
    computations run one at a time per process, beside the requests, never many at once."""
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="kyosai-revalidate", daemon=True)
            _worker.start()
    _tasks.put(task)


def _work() -> None:
    while True:
        task = _tasks.get()
        try:
            task()
        except Exception:  # a stale page stays served and marked; the next request retries
            logger.exception("ダッシュボードを再計算できませんでした")
        finally:
            connections.close_all()  # this thread's own connections
