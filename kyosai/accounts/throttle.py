"""Login throttling: after LIMIT failures within WINDOW for one username and address, lock it.

Counted in the database (not a per-process cache) so every gunicorn worker sees the same count.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kyosai.accounts.models import LoginFailure

__all__ = ["ThrottlePolicy", "clear_failures", "client_address", "locked_until", "policy",
           "record_failure"]


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    limit: int = 5
    window: timedelta = timedelta(minutes=15)
    lock: timedelta = timedelta(minutes=15)


def policy() -> ThrottlePolicy:
    return ThrottlePolicy(
        limit=getattr(settings, "LOGIN_THROTTLE_LIMIT", 5),
        window=timedelta(seconds=getattr(settings, "LOGIN_THROTTLE_WINDOW_SECONDS", 900)),
        lock=timedelta(seconds=getattr(settings, "LOGIN_THROTTLE_LOCK_SECONDS", 900)),
    )


def client_address(request) -> str:
    """The peer address (REMOTE_ADDR: a forwarded header can be forged by the client)."""
    return (request.META.get("REMOTE_ADDR") or "unknown")[:64]


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def locked_until(username: str, address: str, now: datetime | None = None) -> datetime | None:
    """When the lock on this username and address ends, or None if it is not locked."""
    now = now or timezone.now()
    row = LoginFailure.objects.filter(username=_key(username), address=address).first()
    if row is None or row.locked_until is None or row.locked_until <= now:
        return None
    return row.locked_until


@transaction.atomic
def record_failure(username: str, address: str, now: datetime | None = None) -> LoginFailure:
    """Count one failure; the LIMIT-th failure within the window locks for the lock period."""
    now = now or timezone.now()
    rules = policy()
    row, _ = LoginFailure.objects.select_for_update().get_or_create(
        username=_key(username), address=address, defaults={"first_failure": now},
    )
    expired_lock = row.locked_until is not None and row.locked_until <= now
    if expired_lock or now - row.first_failure > rules.window:
        row.failures, row.first_failure, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= rules.limit:
        row.locked_until = now + rules.lock
    row.save()
    return row


def clear_failures(username: str, address: str) -> None:
    LoginFailure.objects.filter(username=_key(username), address=address).delete()
