"""Audit entries for what is not a change of one object: exports, downloads, logins, prints, views.

`record_change` (core.models) writes the before/after of a write; `record_event` writes everything
else an auditor must be able to trace: who, what (action + object_type/object_id), and a `detail`
dict (page or table, scope, filters, row count…). Never put personal data (names, kana, birth
dates) into `object_repr` or `detail`: the audit trail records *that* a person's data was seen,
by whom and for which union, not the data itself.
"""

import getpass
from typing import Any

from kyosai.core.models import AuditEntry

__all__ = ["record_event"]


def record_event(
    action: str,
    *,
    user: Any = None,
    object_type: str,
    object_id: str = "",
    object_repr: str = "",
    detail: dict[str, Any] | None = None,
    source: str = AuditEntry.Source.WEB,
    batch_id: str = "",
) -> AuditEntry:
    """Write one audit entry for an event (export, download, login, print, view of personal data…).

    From the command line (source=cli) the operating-system account is added to the detail as
    `os_user`: a command has no logged-in user, but the trail still says who ran it.
    """
    if source == AuditEntry.Source.CLI:
        detail = {"os_user": _os_user(), **(detail or {})}
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        source=source,
        batch_id=batch_id,
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:255],
        action=action,
        detail=detail,
    )


def _os_user() -> str:
    try:
        return getpass.getuser()[:150]
    except (KeyError, OSError):  # no passwd entry for the uid (some containers)
        return ""
