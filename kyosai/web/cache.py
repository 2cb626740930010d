"""Caching computed figures between requests, keyed by the data's version.

Every key carries `data_version()` (changes with each import or rollup), so a new import is seen
at once; entries also expire after KYOSAI_WEB_CACHE_SECONDS (default 300) so edits to master
data in the admin show up within minutes. The cache is Django's (per process unless CACHES says
otherwise). Off in tests unless KYOSAI_WEB_CACHE is set: test databases reuse primary keys.
"""

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from kyosai.results.models import BranchResult, BranchTarget, ImportLog

__all__ = ["cached", "data_version", "enabled", "forget_version", "get", "put"]

T = TypeVar("T")
PREFIX = "kyosai-web"
VERSION_SECONDS = 2.0  # how long one process trusts the version it read
_memo = threading.local()


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
    return f"{PREFIX}:{_current_version()}:{hashlib.sha256(key.encode()).hexdigest()}"


def get(key: str) -> Any:  # whatever put() stored (pickled by the cache backend)
    """A cached value of the current data version, or None (also when caching is off)."""
    if not enabled():
        return None
    return cache.get(_hashed(key))


def put(key: str, value: object) -> None:
    if enabled():
        cache.set(_hashed(key), value, getattr(settings, "KYOSAI_WEB_CACHE_SECONDS", 300))
