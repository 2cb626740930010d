"""Logged, reversible imports of the small datasets: appendix tables, plans, events, the activity
log and the support ledger (hundreds to a few thousand rows each).

Such an import runs in one transaction and, before writing anything, calls

    recorder = begin_import(dataset, file_name, data, scopes, user=..., source=...)

which takes the import lock, keeps the file by content (core.filestore), creates the ImportLog
and copies every row of each scope as it is (ImportSnapshot: Django's serialized form). A scope is
the rows of one model an import may change (appendix: the table's model and fiscal year; plan:
the period and owner, with its sections, items, 実行状況 …; events: the file's keys and each
event's dates, venues and agenda). After writing, `recorder.finish(...)` stores the counts, the
fingerprint (SHA-256) of each scope as the import left it, and the import's audit entry. A
failed import rolls all of it back (the kept file, named by its content, may stay).

`revert_snapshot(log)` (through `kyosai imports revert ID`) gives each scope back its rows:
rows the import added are deleted, rows it changed or removed are saved again as they were
(same ids, timestamps included). It refuses when a later import (not reverted) has a scope over
the same rows, when a scope's rows are no longer as the import left them (fingerprint), or when
a row to delete is referenced from outside the scopes.

Demo data logs its loads with source demo and keeps neither file nor snapshot (like the results
demo): they cannot be reverted.
"""

import datetime
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.apps import apps
from django.core import serializers
from django.db import models
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from kyosai.core import filestore
from kyosai.core.models import AuditEntry, record_change
from kyosai.results.models import ImportLog, ImportSnapshot
from kyosai.results.services import lock_imports

__all__ = [
    "SNAPSHOT_DATASETS",
    "ImportRecorder",
    "Scope",
    "SnapshotRefused",
    "begin_import",
    "revert_snapshot",
]

#: The datasets logged and reverted through snapshots.
SNAPSHOT_DATASETS = frozenset({
    ImportLog.Dataset.APPENDIX, ImportLog.Dataset.PLAN, ImportLog.Dataset.EVENTS,
    ImportLog.Dataset.ACTIVITY_LOG, ImportLog.Dataset.SUPPORT,
})

Row = dict[str, Any]  # one row in Django's "python" serialization, JSON-safe


class SnapshotRefused(Exception):
    """The import cannot be reverted; the message (Japanese, one line) says why."""


@dataclass(frozen=True, slots=True)
class Scope:
    """The rows of `model` matching every lookup (`field__in=values`); none: every row."""

    model: type[models.Model]
    lookups: Mapping[str, Sequence[Any]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def queryset(self) -> "models.QuerySet[Any]":
        return (self.model._default_manager
                .filter(**{f"{name}__in": list(values) for name, values in self.lookups.items()})
                .order_by("pk"))

    def overlaps(self, other: "Scope") -> bool:
        """Whether two scopes may hold a common row: same model, and every lookup both have
        shares a value."""
        if self.label != other.label:
            return False
        return all(set(map(str, values)) & set(map(str, other.lookups[name]))
                   for name, values in self.lookups.items() if name in other.lookups)

    @classmethod
    def of(cls, snapshot: ImportSnapshot) -> "Scope":
        return cls(apps.get_model(snapshot.model), dict(snapshot.lookups))


def _json_value(value: object) -> object:
    """Values as JSON keeps them exactly (datetimes to the microsecond, decimals as text)."""
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID | datetime.timedelta):
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _rows(scope: Scope) -> list[Row]:
    data = serializers.serialize("python", scope.queryset().iterator())
    rows: list[Row] = json.loads(json.dumps(data, default=_json_value))
    return rows


def _fingerprint(rows: Iterable[Row]) -> str:
    text = json.dumps(list(rows), sort_keys=True, ensure_ascii=False, default=_json_value)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(slots=True)
class ImportRecorder:
    """One logged import between begin_import() and finish()."""

    log: ImportLog
    scopes: list[Scope]
    user: Any
    source: str
    demo: bool

    def add_rows(self, model: type[models.Model], pks: Iterable[Any]) -> None:
        """Widen the `pk` scope of `model` by rows the import created (their ids are known only
        once written)."""
        for index, scope in enumerate(self.scopes):
            if scope.model is model and set(scope.lookups) == {"pk"}:
                self.scopes[index] = Scope(model, {"pk": [*scope.lookups["pk"], *pks]})
                return
        raise ValueError(f"no pk scope of {model._meta.label}")

    def finish(self, *, rows_total: int, rows_added: int, rows_replaced: int,
               warnings: int = 0) -> ImportLog:
        """Store the counts, each scope as the import left it, and the audit entry."""
        log = self.log
        log.rows_total, log.rows_added, log.rows_replaced = rows_total, rows_added, rows_replaced
        log.warnings = warnings
        log.save(update_fields=["rows_total", "rows_added", "rows_replaced", "warnings"])
        if not self.demo:
            for position, scope in enumerate(self.scopes):
                ImportSnapshot.objects.filter(import_log=log, position=position).update(
                    lookups=_jsonable_lookups(scope), fingerprint=_fingerprint(_rows(scope)))
        record_change(log, action=AuditEntry.Action.IMPORT, before=None, user=self.user,
                      source=self.source, batch_id=f"import-{log.pk}")
        return log


def _jsonable_lookups(scope: Scope) -> dict[str, list[Any]]:
    lookups: dict[str, list[Any]] = json.loads(json.dumps(
        {name: list(values) for name, values in scope.lookups.items()}, default=_json_value))
    return lookups


def begin_import(dataset: str, file_name: str, data: bytes, scopes: Sequence[Scope], *,
                 user: Any = None, source: str = AuditEntry.Source.CLI,
                 demo: bool = False) -> ImportRecorder:
    """Log an import about to write `scopes` (parents before children): call inside the
    import's transaction, before its first write. `source` is the audit trail's (web, cli, api);
    `demo` logs a demo load (no file, no snapshot: it cannot be reverted)."""
    if dataset not in SNAPSHOT_DATASETS:
        raise ValueError(f"dataset must be one of {sorted(SNAPSHOT_DATASETS)}")
    lock_imports()
    sha256 = hashlib.sha256(data).hexdigest()
    if not demo:
        filestore.store(data, sha256)
    log = ImportLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or ("demo-data" if demo else ""),
        source=ImportLog.Source.DEMO if demo else source, dataset=dataset,
        file_name=file_name[:255], sha256=sha256)
    if not demo:
        ImportSnapshot.objects.bulk_create(
            ImportSnapshot(import_log=log, position=position, model=scope.label,
                           lookups=_jsonable_lookups(scope), rows=_rows(scope))
            for position, scope in enumerate(scopes))
    return ImportRecorder(log, list(scopes), user, source, demo)


# --- revert -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SnapshotRevert:
    """What reverting would do: rows deleted and rows saved back."""

    deleted: int
    restored: int


def revert_snapshot(log: ImportLog, *, dry_run: bool = False) -> SnapshotRevert:
    """Put every scope of `log` back as it was before the import (inside the caller's
    transaction, import lock held), or raise SnapshotRefused having written nothing."""
    snapshots = list(ImportSnapshot.objects.filter(import_log=log).order_by("position"))
    if not snapshots:
        raise SnapshotRefused(f"取込番号 {log.pk} には取込前の行の記録がないため取り消せません。")
    scopes = [Scope.of(snapshot) for snapshot in snapshots]
    _refuse_later_imports(log, scopes)
    current = [_rows(scope) for scope in scopes]
    for snapshot, rows in zip(snapshots, current, strict=True):
        if _fingerprint(rows) != snapshot.fingerprint:
            raise SnapshotRefused(
                f"取込番号 {log.pk} の後に、取込以外の方法でデータが変更されているため取り消せません。")
    kept = {(snapshot.model, row["pk"]) for snapshot in snapshots for row in snapshot.rows}
    doomed = [[row["pk"] for row in rows if (scope.label, row["pk"]) not in kept]
              for scope, rows in zip(scopes, current, strict=True)]
    now = {(scope.label, row["pk"]): row for scope, rows in zip(scopes, current, strict=True)
           for row in rows}
    changed = [[row for row in snapshot.rows if now.get((snapshot.model, row["pk"])) != row]
               for snapshot in snapshots]
    deleted, restored = sum(map(len, doomed)), sum(map(len, changed))
    doomed_keys = {(scope.label, pk) for scope, pks in zip(scopes, doomed, strict=True)
                   for pk in pks}
    for scope, pks in reversed(list(zip(scopes, doomed, strict=True))):  # children first
        if pks:
            _delete(log, scope.model, pks, doomed_keys, dry_run=dry_run)
    if not dry_run:
        for rows in changed:  # parents first
            for restored_row in serializers.deserialize("python", rows):
                restored_row.save()
    return SnapshotRevert(deleted, restored)


def _refuse_later_imports(log: ImportLog, scopes: list[Scope]) -> None:
    later = (ImportSnapshot.objects
             .filter(import_log__pk__gt=log.pk, import_log__reverted_at__isnull=True,
                     model__in={scope.label for scope in scopes})
             .order_by("import_log_id"))
    blocking = sorted({snapshot.import_log_id for snapshot in later
                       if any(Scope.of(snapshot).overlaps(scope) for scope in scopes)})
    if blocking:
        numbers = "、".join(str(pk) for pk in blocking)
        raise SnapshotRefused(f"取込番号 {log.pk} の範囲を後の取込（取込番号 {numbers}）が変更しているため"
                              "取り消せません。先に後の取込を取り消してください。")


def _delete(log: ImportLog, model: type[models.Model], pks: list[Any],
            doomed: set[tuple[str, Any]], *, dry_run: bool) -> None:
    """Delete rows the import added, refusing when that would delete or change any row outside
    the scopes (a later row referring to them)."""
    collector = Collector(using=model._default_manager.db)
    try:
        collector.collect(list(model._default_manager.filter(pk__in=pks)))
    except (ProtectedError, RestrictedError):
        raise _referenced(log) from None
    touched: list[tuple[str, Any]] = [
        (instance._meta.label_lower, instance.pk)
        for instances in collector.data.values() for instance in instances]
    groups: list[Iterable[models.Model]] = [*collector.fast_deletes]
    for updated in collector.field_updates.values():  # on_delete SET_NULL and the like
        # each entry is a collection of instances (a QuerySet or a list); the stubs say Model
        groups += cast("list[Iterable[models.Model]]", updated)
    touched += [(obj._meta.label_lower, obj.pk) for objs in groups for obj in objs]
    if any(key not in doomed for key in touched):
        raise _referenced(log)
    if not dry_run:
        collector.delete()


def _referenced(log: ImportLog) -> SnapshotRefused:
    return SnapshotRefused(f"取込番号 {log.pk} で追加した行を後から他のデータが参照しているため取り消せません。")
