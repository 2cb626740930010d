"""Undoing an import: `kyosai imports revert ID [--dry-run]`.

An import marks every row it writes with its number (`last_import`) and, before writing, copies
the rows it replaces into ReplacedValue (value, branch, the import that had written them). To
revert it: put the replaced rows back as they were, delete the rows it added (still marked with
it), and recompute the rollups of everything touched. Refused, with the reason, when that would
not give back the state before the import: a later import (not itself reverted) replaced some of
its keys, demo data replaced everything since, or its rows were changed another way.

A targets import also records the month each revision (第 2 次 …) applies from (TargetRevision);
a revision row that no target holds any more once the import is undone is removed with it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from kyosai.catalog.models import FiscalYear
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry
from kyosai.results.models import ImportLog, MonthlyResult, ReplacedValue, Target, TargetRevision
from kyosai.results.services import (
    _refresh_result_rollups,
    _refresh_target_rollups,
    lock_imports,
)

__all__ = ["RevertHandler", "RevertOutcome", "RevertRefused", "register_revert", "revert_import"]

_Detail = type[MonthlyResult] | type[Target]  # the table an import wrote


class RevertRefused(Exception):
    """The import cannot be reverted; the message (Japanese, one line) says why."""


@dataclass(frozen=True, slots=True)
class RevertOutcome:
    log: ImportLog
    rows_deleted: int
    rows_restored: int
    applied: bool
    detail: dict[str, int] = field(default_factory=dict)  # more counts for the audit entry


def revert_import(log_id: int, *, user: Any = None, dry_run: bool = False,
                  source: str = AuditEntry.Source.CLI,
                  authorize: Callable[[ImportLog], None] | None = None) -> RevertOutcome:
    """Restore the state before import `log_id`, or raise RevertRefused (nothing written).

    `authorize` (the web: may this user revert it?) is called with the import under the imports'
    lock, before anything is read or written; whatever it raises leaves everything as it was."""
    with transaction.atomic():
        lock_imports()
        log = ImportLog.objects.select_for_update().filter(pk=log_id).first()
        if log is None:
            raise RevertRefused(f"取込番号 {log_id} の取込はありません。")
        if authorize is not None:
            authorize(log)
        handler = _HANDLERS.get(log.dataset)
        if handler is not None:
            _check_common(log)
            return handler(log, user=user, dry_run=dry_run, source=source)
        model = _check(log)
        replaced = ReplacedValue.objects.filter(import_log=log)
        restored = replaced.count()
        marked = model.objects.filter(last_import=log.pk)
        deleted = marked.count() - restored
        if deleted != log.rows_added or restored != log.rows_replaced:
            raise RevertRefused(
                f"取込番号 {log.pk} の後に、取込以外の方法でデータが変更されているため取り消せません。")
        if dry_run:
            return RevertOutcome(log, deleted, restored, applied=False)
        scope = _scope(model, log)
        _restore(model, log.pk)
        marked.delete()
        revisions_removed = 0
        if model is MonthlyResult:
            _refresh_result_rollups(*scope)
        else:
            _refresh_target_rollups(*scope)
            revisions_removed = _remove_orphan_revisions(scope[0], scope[1], scope[2])
        _mark_reverted(log, user, source, deleted, restored,
                       revisions_removed=revisions_removed, branch_ids=_branch_ids(scope))
    return RevertOutcome(log, deleted, restored, applied=True)


def _branch_ids(scope: tuple[Any, ...]) -> list[int | None]:
    """The branches of the rows a results or targets import wrote or replaced (None: national),
    kept in the revert's audit entry: who could revert it once its rows are gone
    (kyosai.results.selectors.may_revert_import)."""
    branches: set[int | None] = scope[1] if len(scope) == 4 else scope[3]
    return sorted(branches, key=lambda pk: -1 if pk is None else pk)


def _check_common(log: ImportLog) -> None:
    """Refuse an import reverted already or written by the demo data."""
    if log.reverted_at is not None:
        when = timezone.localtime(log.reverted_at).strftime("%Y年%m月%d日 %H:%M")
        raise RevertRefused(f"取込番号 {log.pk} は {when} に取り消し済みです。")
    if log.source == ImportLog.Source.DEMO:
        raise RevertRefused(f"取込番号 {log.pk} はデモデータの読み込みのため取り消せません。")


def _check(log: ImportLog) -> "_Detail":
    """The table the import wrote, once sure nothing since stands in the way of reverting it."""
    _check_common(log)
    if log.dataset not in (ImportLog.Dataset.RESULTS, ImportLog.Dataset.TARGETS):
        raise RevertRefused(f"取込番号 {log.pk} の種類（{log.dataset}）は取り消せません。")
    later = ImportLog.objects.filter(pk__gt=log.pk, reverted_at__isnull=True)
    _check_no_later_demo(log)
    blocking = sorted(set(
        ReplacedValue.objects.filter(import_log__in=later.filter(dataset=log.dataset),
                                     last_import=log.pk)
        .values_list("import_log_id", flat=True).distinct()))
    if blocking:
        numbers = "、".join(str(pk) for pk in blocking)
        raise RevertRefused(f"取込番号 {log.pk} のキーを後の取込（取込番号 {numbers}）が変更しているため取り消せません。"
                            "先に後の取込を取り消してください。")
    return MonthlyResult if log.dataset == ImportLog.Dataset.RESULTS else Target


def _check_no_later_demo(log: ImportLog) -> None:
    demo = (ImportLog.objects.filter(pk__gt=log.pk, reverted_at__isnull=True,
                                     source=ImportLog.Source.DEMO).order_by("pk").first())
    if demo is not None:
        raise RevertRefused(f"取込番号 {log.pk} の後にデモデータ（取込番号 {demo.pk}）で全体が置き換えられているため取り消せません。")


def _revert_snapshot(log: ImportLog, *, user: Any, dry_run: bool, source: str) -> RevertOutcome:
    """Appendix tables, plans, events, activity log, support ledger: their scopes' rows as
    they were before the import (kyosai.results.snapshots)."""
    from kyosai.results.snapshots import SnapshotRefused, revert_snapshot

    _check_no_later_demo(log)
    try:
        done = revert_snapshot(log, dry_run=dry_run)
    except SnapshotRefused as exc:
        raise RevertRefused(str(exc)) from None
    if not dry_run:
        _mark_reverted(log, user, source, done.deleted, done.restored)
    return RevertOutcome(log, done.deleted, done.restored, applied=not dry_run)


def _revert_unions(log: ImportLog, *, user: Any, dry_run: bool, source: str) -> RevertOutcome:
    """The union master's import: its audit entries hold what it replaced (kyosai.org.revert)."""
    from kyosai.org.revert import UnionRevertRefused, apply_union_revert, plan_union_revert
    from kyosai.results.services import refresh_branch_rollups

    try:
        changes = plan_union_revert(log)
    except UnionRevertRefused as exc:
        raise RevertRefused(str(exc)) from None
    deleted, restored = len(changes.created), len(changes.changed)
    if dry_run:
        return RevertOutcome(log, deleted, restored, applied=False)
    batch = f"revert-{log.pk}"
    moved = apply_union_revert(changes, user=user, source=source, batch_id=batch)
    refresh_branch_rollups(moved)
    _mark_reverted(log, user, source, deleted, restored)
    return RevertOutcome(log, deleted, restored, applied=True)


_Handler = Callable[..., RevertOutcome]  # (log, *, user, dry_run, source)

#: The datasets reverted otherwise than results and targets (through ReplacedValue).
_HANDLERS: dict[str, _Handler] = {
    ImportLog.Dataset.UNIONS: _revert_unions,
    **dict.fromkeys((ImportLog.Dataset.APPENDIX, ImportLog.Dataset.PLAN, ImportLog.Dataset.EVENTS,
                     ImportLog.Dataset.ACTIVITY_LOG, ImportLog.Dataset.SUPPORT), _revert_snapshot),
}

#: Another app's revert of its own imports: (the import, dry run) → what it did or would do, or
#: RevertRefused (nothing written). Called in the revert's transaction once the import is known
#: revertible here (not reverted, not demo data, no demo data since); marked and audited here.
RevertHandler = Callable[[ImportLog, bool], RevertOutcome]


def register_revert(dataset: str, handler: RevertHandler) -> None:
    """Called by the app's AppConfig.ready(), so that this module imports none of the apps
    (no import cycle; members: kyosai.members.revert)."""
    def revert(log: ImportLog, *, user: Any, dry_run: bool, source: str) -> RevertOutcome:
        _check_no_later_demo(log)
        outcome = handler(log, dry_run)
        if outcome.applied:
            _mark_reverted(log, user, source, outcome.rows_deleted, outcome.rows_restored,
                           **outcome.detail)
        return outcome

    _HANDLERS[dataset] = revert


def _mark_reverted(log: ImportLog, user: Any, source: str, deleted: int, restored: int,
                   **detail: int | list[int | None]) -> None:
    log.reverted_at = timezone.now()
    log.reverted_by = getattr(user, "username", "") or ""
    log.save(update_fields=["reverted_at", "reverted_by"])
    record_event(AuditEntry.Action.IMPORT_REVERT, user=user,
                 object_type="results.importlog", object_id=str(log.pk),
                 object_repr=str(log)[:255], source=source, batch_id=f"revert-{log.pk}",
                 detail={"dataset": log.dataset, "sha256": log.sha256,
                         "rows_deleted": deleted, "rows_restored": restored, **detail})


def _scope(model: "_Detail", log: ImportLog) -> tuple[Any, ...]:  # _refresh_*_rollups' arguments
    """What the rollups must be recomputed over: the groups, branches (now and before), products
    and measures of the rows the import wrote."""
    group = ("month",) if model is MonthlyResult else ("fiscal_year_id", "kind", "revision")
    rows = (model.objects.filter(last_import=log.pk)
            .values_list(*group, "branch_id", "product_id", "measure_id").distinct().order_by())
    groups, branches, products, measures = set(), set(), set(), set()
    for *head, branch, product, measure in rows.iterator(chunk_size=10_000):
        groups.add(tuple(head))
        branches.add(branch)
        products.add(product)
        measures.add(measure)
    branches |= set(ReplacedValue.objects.filter(import_log=log)
                    .values_list("branch_id", flat=True).distinct().order_by())
    if model is MonthlyResult:
        return {month for (month,) in groups}, branches, products, measures
    years = dict(FiscalYear.objects.filter(pk__in={fy for fy, _, _ in groups})
                 .values_list("pk", "year"))
    return (years, {kind for _, kind, _ in groups}, {revision for _, _, revision in groups},
            branches, products, measures)


def _remove_orphan_revisions(years: dict[int, int], kinds: set[str], revisions: set[int]) -> int:
    """Delete the TargetRevision rows (revision > 1) of the touched years and kinds that no stored
    target holds any more: those the reverted import brought. Returns how many."""
    removed = 0
    for year in set(years.values()):
        for kind in kinds:
            for revision in revisions - {1}:
                if not Target.objects.filter(fiscal_year__year=year, kind=kind,
                                             revision=revision).exists():
                    removed += TargetRevision.objects.filter(
                        fiscal_year=year, kind=kind, revision=revision).delete()[0]
    return removed


def _restore(model: "_Detail", log_id: int) -> None:
    """Put back the value, branch and import mark of every row the import replaced (one UPDATE …
    FROM; SQLite ≥ 3.33 and PostgreSQL)."""
    quote = connection.ops.quote_name
    replaced = quote(ReplacedValue._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {quote('value')} = r.{quote('value')}, "
            f"{quote('branch_id')} = r.{quote('branch_id')}, "
            f"{quote('last_import')} = r.{quote('last_import')} FROM {replaced} r "
            f"WHERE r.{quote('import_log_id')} = %s "
            f"AND r.{quote('row_id')} = {quote(model._meta.db_table)}.{quote('id')}", (log_id,))
