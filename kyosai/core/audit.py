"""Audit entries for what is not a change of one object: exports, downloads, logins, prints, views.

`record_change` (core.models) writes the before/after of a write; `record_event` writes everything
else an auditor must be able to trace: who, what (action + object_type/object_id), and a `detail`
dict (page or table, scope, filters, row count…). Never put personal data (names, kana, birth
dates) into `object_repr` or `detail`: the audit trail records *that* a person's data was seen,
by whom and for which union, not the data itself.
"""

import getpass
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kyosai.core.models import AuditEntry

if TYPE_CHECKING:
    from django.core.management.base import BaseCommand

__all__ = ["record_cli_export", "record_event"]

#: Keys a scope may never carry: the audit trail says whose data left, never the data itself.
PERSONAL_KEYS = frozenset({"name", "kana", "birth_date", "member_name", "address", "phone"})


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


def record_cli_export(
    command: "BaseCommand",
    *,
    object_type: str,
    fmt: str,
    rows: int,
    object_id: str = "",
    object_repr: str = "",
    scope: Mapping[str, object] | None = None,
    output: Path | str | None = None,
) -> AuditEntry:
    """A command handed out a table or file of the organisation's data: its one `export` entry.

    The one way every command audits an export (the test in tests/permissions/test_cli_exports.py
    walks every command with a `--format`). `detail` says who (`os_user`, added by record_event),
    which command as typed (`command`: "members unenrolled"), what was asked for (`scope`: the
    period, filters and codes — never a name, kana or birth date), the `format`, how many `rows`
    (data rows, the header not counted) and where they went (`output`: the file, or "stdout").
    Call it once the rows are known and, when they are, before writing them, so that a reader
    that stops early (`| head`) still leaves the entry.
    """
    scope = dict(scope or {})
    personal = PERSONAL_KEYS & set(scope)
    if personal:
        raise ValueError(f"personal data in an audit scope: {sorted(personal)}")
    from kyosai.cli import typed_words

    name = type(command).__module__.rsplit(".", 1)[-1]
    detail = {"command": typed_words(name), **scope, "format": fmt, "rows": rows,
              "output": str(output) if output else "stdout"}
    return record_event(AuditEntry.Action.EXPORT, source=AuditEntry.Source.CLI,
                        object_type=object_type, object_id=object_id, object_repr=object_repr,
                        detail=detail)


def _os_user() -> str:
    try:
        return getpass.getuser()[:150]
    except (KeyError, OSError):  # no passwd entry for the uid (some containers)
        return ""
