"""Undoing a `kyosai import members|contracts`, for `kyosai imports revert ID` (registered with
`kyosai.results.revert` by MembersConfig.ready).

The import marks every row it writes with its number (`last_import`) and, before writing, copies
the stored rows it replaces into ReplacedMember / ReplacedContract (members.services). To revert
it: put the copied rows back as they were (one UPDATE … FROM), delete the rows it added (marked
with it and not copied) — a roster import's added members with their contracts — and delete the
copies, which are personal data no longer needed. Refused, with the reason, when that would not
give back the state before the import: a later import (not itself reverted) replaced some of its
rows, its rows were changed another way since (a purge, a union merge), the purge removed some
copies, or an added member or contract has other rows hanging on it (follow-up marks, a later
import's contracts …). Demo data since, or an import already reverted: kyosai.results.revert.
"""

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.fields.reverse_related import ForeignObjectRel

from kyosai.members.models import Contract, Member, ReplacedContract, ReplacedMember
from kyosai.results.models import ImportLog
from kyosai.results.revert import RevertOutcome, RevertRefused

__all__ = ["revert_contracts_import", "revert_members_import"]

#: The columns an import overwrites and a revert puts back (with `last_import`).
MEMBER_COLUMNS = ("name", "kana", "birth_date", "gender", "hired_on", "joined_on", "employment",
                  "reemployment_ends_on", "officer", "left_on")
CONTRACT_COLUMNS = ("member_id", "product_id", "insured", "started_on", "ended_on", "units",
                    "premium", "vehicle_registered", "vehicle_inspected_on")


def revert_members_import(log: ImportLog, dry_run: bool) -> RevertOutcome:
    """The roster import `log`: its members back as they were, the members it added deleted
    (their contracts too, unless a later import wrote them)."""
    _check(log, Member, ReplacedMember)
    added = _added(log, Member, ReplacedMember)
    later = _later(log, ImportLog.Dataset.CONTRACTS)
    # the later contracts imports that wrote contracts of its new members, or whose copies would
    # give a contract back to one of them
    writers = {pk for pk in Contract.objects.filter(member__in=added, last_import__in=later)
               .values_list("last_import", flat=True).distinct().order_by() if pk is not None}
    writers |= set(
        ReplacedContract.objects.filter(member_id__in=added.values("pk"), import_log__in=later)
        .values_list("import_log_id", flat=True).distinct().order_by())
    if writers:
        numbers = "、".join(str(pk) for pk in sorted(writers))
        raise RevertRefused(f"取込番号 {log.pk} で追加した組合員の契約を後の取込（取込番号 {numbers}）が"
                            "登録しているため取り消せません。先に後の取込を取り消してください。")
    contracts = Contract.objects.filter(member__in=added)
    used = _hanging(Member, added, skip=Contract) + _hanging(Contract, contracts)
    if used:
        raise RevertRefused(f"取込番号 {log.pk} で追加した組合員に{'・'.join(sorted(set(used)))}が"
                            "登録されているため取り消せません。")
    members, dropped = added.count(), contracts.count()
    restored = log.rows_replaced
    if dry_run:
        return RevertOutcome(log, members + dropped, restored, applied=False,
                             detail={"contracts_deleted": dropped})
    contracts._raw_delete(contracts.db)  # before their members; checked: nothing hangs on them
    added._raw_delete(added.db)
    _restore(log, Member, ReplacedMember, MEMBER_COLUMNS)
    return RevertOutcome(log, members + dropped, restored, applied=True,
                         detail={"contracts_deleted": dropped})


def revert_contracts_import(log: ImportLog, dry_run: bool) -> RevertOutcome:
    """The contracts import `log`: its contracts back as they were, those it added deleted."""
    _check(log, Contract, ReplacedContract)
    added = _added(log, Contract, ReplacedContract)
    used = _hanging(Contract, added)
    if used:
        raise RevertRefused(f"取込番号 {log.pk} で追加した契約に{'・'.join(sorted(set(used)))}が"
                            "登録されているため取り消せません。")
    gone = (ReplacedContract.objects.filter(import_log=log)
            .exclude(member_id__in=Member.objects.values("pk")).exists())
    if gone:
        raise RevertRefused(f"取込番号 {log.pk} の前の契約者の組合員が削除されているため取り消せません。")
    deleted = added.count()
    if dry_run:
        return RevertOutcome(log, deleted, log.rows_replaced, applied=False)
    added._raw_delete(added.db)
    _restore(log, Contract, ReplacedContract, CONTRACT_COLUMNS)
    return RevertOutcome(log, deleted, log.rows_replaced, applied=True)


def _later(log: ImportLog, dataset: str) -> QuerySet[ImportLog]:
    return ImportLog.objects.filter(pk__gt=log.pk, reverted_at__isnull=True, dataset=dataset)


def _check(log: ImportLog, model: type[Member] | type[Contract],
           replaced: type[ReplacedMember] | type[ReplacedContract]) -> None:
    """Refuse when the rows are no longer as the import left them (nothing written)."""
    blocking = sorted(set(
        replaced.objects.filter(import_log__in=_later(log, log.dataset), last_import=log.pk)
        .values_list("import_log_id", flat=True).distinct().order_by()))
    if blocking:
        numbers = "、".join(str(pk) for pk in blocking)
        raise RevertRefused(f"取込番号 {log.pk} のキーを後の取込（取込番号 {numbers}）が変更しているため取り消せません。"
                            "先に後の取込を取り消してください。")
    copies = replaced.objects.filter(import_log=log).count()
    if copies != log.rows_replaced:
        raise RevertRefused(f"取込番号 {log.pk} が置き換えた行の元の値の一部が組合員の削除（kyosai members purge）で"
                            "消去されているため取り消せません。")
    marked = model.objects.filter(last_import=log.pk).count()
    if marked != log.rows_added + log.rows_replaced:
        raise RevertRefused(
            f"取込番号 {log.pk} の後に、取込以外の方法でデータが変更されているため取り消せません。")


def _added(log: ImportLog, model: type[Member] | type[Contract],
           replaced: type[ReplacedMember] | type[ReplacedContract]) -> QuerySet[Model]:
    """The rows the import added: marked with it, not among those it replaced."""
    rows: QuerySet[Model] = model._default_manager.filter(last_import=log.pk).exclude(
        pk__in=replaced.objects.filter(import_log=log).values("row_id"))
    return rows


def _hanging(model: type[Model], rows: QuerySet[Model], skip: type[Model] | None = None
             ) -> list[str]:
    """The kinds of rows (verbose names) that refer to any of `rows` (follow-up marks …)."""
    used = []
    for related in model._meta.get_fields(include_hidden=True):
        if not isinstance(related, ForeignObjectRel):
            continue
        other = related.related_model
        if (isinstance(other, type) and issubclass(other, Model) and other is not skip
                and other._default_manager.filter(
                    **{f"{related.field.name}__in": rows.values("pk")}).exists()):
            used.append(str(other._meta.verbose_name))
    return used


def _restore(log: ImportLog, model: type[Member] | type[Contract],
             replaced: type[ReplacedMember] | type[ReplacedContract],
             columns: tuple[str, ...]) -> None:
    """Put back every column the import overwrote and its import mark, from its copies (one
    UPDATE … FROM; SQLite ≥ 3.33 and PostgreSQL), then delete the copies."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    sets = ", ".join(f"{quote(c)} = r.{quote(c)}" for c in (*columns, "last_import"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sets} FROM {quote(replaced._meta.db_table)} r "
            f"WHERE r.{quote('import_log_id')} = %s AND r.{quote('row_id')} = {table}.{quote('id')}",
            (log.pk,))
    copies = replaced.objects.filter(import_log=log)
    copies._raw_delete(copies.db)
