"""Reading the audit trail: only an HQ administrator reads it (the page and `kyosai audit`)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from kyosai.core.models import AuditEntry

__all__ = ["AuditFilter", "InvalidAuditFilter", "audit_entries", "audit_filter", "entry_row"]

ACTIONS = {value: label for value, label in AuditEntry.Action.choices}


class InvalidAuditFilter(ValueError):
    """A filter value that cannot be used (the message is Japanese, for the person asking)."""


@dataclass(frozen=True, slots=True)
class AuditFilter:
    since: date | None = None
    until: date | None = None
    user: str = ""
    action: str = ""


def _date(name: str, text: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidAuditFilter(f"{name} は YYYY-MM-DD 形式の日付で指定してください（{text[:20]!r}）。") from None


def audit_filter(*, since: str = "", until: str = "", user: str = "", action: str = "") -> AuditFilter:
    """The filter from text (command options or query parameters), checked."""
    action = (action or "").strip()
    if action and action not in ACTIONS:
        raise InvalidAuditFilter(f"操作 {action[:32]!r} はありません（{', '.join(ACTIONS)}）。")
    start, end = _date("開始日", since), _date("終了日", until)
    if start and end and end < start:
        raise InvalidAuditFilter("終了日が開始日より前です。")
    return AuditFilter(since=start, until=end, user=(user or "").strip()[:150], action=action)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(*, access: Any, filters: AuditFilter = AuditFilter()) -> QuerySet[AuditEntry]:
    """Entries newest first; nothing at all for anyone but an HQ administrator (or SYSTEM, the
    operator running a command on the server).

    `since`/`until` are days in the site's time zone, both included. `user` matches the logged-in
    user, for failed logins (which have none) the login ID that was tried, and for commands the
    operating-system user who ran them.
    """
    if access is None or not (access.is_hq_admin or access.is_system):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("user")
    if filters.since:
        entries = entries.filter(timestamp__gte=_local_midnight(filters.since))
    if filters.until:
        entries = entries.filter(timestamp__lt=_local_midnight(filters.until + timedelta(days=1)))
    if filters.user:
        entries = entries.filter(
            Q(user__username=filters.user)
            | Q(user__isnull=True, action=AuditEntry.Action.LOGIN_FAILED,
                object_repr=filters.user)
            | Q(user__isnull=True, source=AuditEntry.Source.CLI, detail__os_user=filters.user))
    if filters.action:
        entries = entries.filter(action=filters.action)
    return entries


def entry_row(entry: AuditEntry) -> dict[str, Any]:
    """One entry as plain data (the command's csv/json and the page)."""
    return {
        "id": entry.pk,
        "timestamp": timezone.localtime(entry.timestamp).isoformat(timespec="seconds"),
        "user": entry.user.get_username() if entry.user is not None else "",
        "source": entry.source,
        "action": entry.action,
        "action_label": ACTIONS.get(entry.action, entry.action),
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "detail": entry.detail,
        "before": entry.before,
        "after": entry.after,
    }
