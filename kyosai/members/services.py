"""Writes of the roster and contracts: imports, the purge of leavers, union merges, follow-up marks.

Imports (`import_members`, `import_contracts`) stream the file (core.tabular.iter_records), check
each row in the domain (domain.files.members), and load the valid rows into a temporary staging
table in batches (executemany). The checks that need the whole file or the database — the same
key twice, a contract for an unknown member — are then single SQL queries on the staging table,
and the upsert is one INSERT … SELECT … ON CONFLICT DO UPDATE. Memory stays bounded (no list of
rows in Python); everything happens in one transaction, rolled back on any error or a dry run.
No message, log or audit entry carries a name, kana or birth date.

Undo (issue 11, item 8; `kyosai.members.revert`): just before the upsert, one INSERT … SELECT
joined to the staging table copies the stored rows whose keys the file holds (every column the
upsert overwrites, the row id and the import that had written it) into ReplacedMember or
ReplacedContract; every row the upsert writes carries the import's number (`last_import`). Those
copies are personal data: the purge removes them with their members.
"""

import hashlib
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from tqdm import tqdm

from kyosai.catalog.models import Product
from kyosai.core import filestore
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry, record_change
from kyosai.core.tabular import TableReadError, iter_records
from kyosai.domain.files.members import (
    CONTRACT_COLUMNS,
    CONTRACT_REQUIRED,
    MEMBER_COLUMNS,
    MEMBER_REQUIRED,
    ContractRow,
    MemberRow,
    Problems,
    RowReader,
    contract_row,
    member_row,
)
from kyosai.domain.members import retention_cutoff
from kyosai.domain.problems import CellProblem
from kyosai.members.models import (
    Contract,
    FollowUp,
    InspectionCall,
    Member,
    NewHireStatus,
    ReplacedContract,
    ReplacedMember,
    RetentionRun,
    TransitionStatus,
)
from kyosai.org.models import Union
from kyosai.results.models import ImportLog, MonthlyResult, Target
from kyosai.results.services import ImportOutcome, lock_imports, refresh_branch_rollups

__all__ = [
    "MAX_ERRORS",
    "MergeRefused",
    "PurgeOutcome",
    "apply_retention_policy",
    "import_contracts",
    "import_members",
    "mark_member",
    "merge_unions",
    "product_words",
    "purge_leavers",
    "purge_past_retention",
]

BATCH = 10_000
#: Errors kept per file (the count goes on); enough to fix a file, bounded in memory.
MAX_ERRORS = 1_000
_STAGING = "kyosai_member_import"


class _Rollback(Exception):
    """Leave the import's transaction without writing anything."""


def product_words() -> Callable[[str], str | None]:
    """Product code, name or report label (as a cell is read) → code."""
    import unicodedata

    words: dict[str, str] = {}
    for code, name, label in Product.objects.values_list("code", "name", "report_label"):
        for word in (code, name, label):
            if word:
                words[unicodedata.normalize("NFKC", word).strip()] = code
    return words.get


#: what the staging and demo inserts pass to the database (dates adapted to text)
SQLValue = str | int | bool | None
#: a file row as staged for SQL
Staged = tuple[SQLValue, ...]
_Row = TypeVar("_Row")


@dataclass(frozen=True, slots=True)
class _Spec:
    """How one kind of file is staged and upserted."""

    dataset: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    staging: tuple[tuple[str, str], ...]  # (column, SQL type) after `line`
    key: tuple[str, ...]  # staging columns of the file's key (the stored rows' unique key)
    key_label: str  # the column named in a duplicate-key message
    model: type[Member] | type[Contract]
    replaced: type[ReplacedMember] | type[ReplacedContract]  # where the rows it replaces go
    written: tuple[str, ...]  # the stored columns the upsert overwrites (its key stays)


_MEMBERS = _Spec(
    "members", MEMBER_COLUMNS, MEMBER_REQUIRED,
    (("union_id", "bigint"), ("member_no", "varchar(32)"), ("name", "varchar(100)"),
     ("kana", "varchar(100)"), ("birth_date", "date"), ("gender", "varchar(8)"),
     ("hired_on", "date"), ("joined_on", "date"), ("employment", "varchar(12)"),
     ("reemployment_ends_on", "date"), ("officer", "boolean"), ("left_on", "date")),
    ("union_id", "member_no"), "member_no", Member, ReplacedMember,
    ("name", "kana", "birth_date", "gender", "hired_on", "joined_on", "employment",
     "reemployment_ends_on", "officer", "left_on"))
_CONTRACTS = _Spec(
    "contracts", CONTRACT_COLUMNS, CONTRACT_REQUIRED,
    (("contract_no", "varchar(32)"), ("union_id", "bigint"), ("member_no", "varchar(32)"),
     ("product_id", "bigint"), ("insured", "varchar(8)"), ("started_on", "date"),
     ("ended_on", "date"), ("units", "integer"), ("premium", "integer"),
     ("vehicle_registered", "date"), ("vehicle_inspected_on", "date")),
    ("contract_no",), "contract_no", Contract, ReplacedContract,
    ("member_id", "product_id", "insured", "started_on", "ended_on", "units", "premium",
     "vehicle_registered", "vehicle_inspected_on"))


def import_members(file_name: str, data: bytes, **options: Any) -> ImportOutcome:
    """The roster: upsert by union + member_no (see docs/data-formats.md)."""
    unions = dict(Union.objects.values_list("code", "pk"))
    adapt = connection.ops.adapt_datefield_value

    def staged(row: MemberRow) -> Staged:
        (union, member_no, name, kana, birth, gender, hired, joined, employment, ends, officer,
         left) = row
        return (unions[union], member_no, name, kana, adapt(birth), gender, adapt(hired),
                adapt(joined), employment, adapt(ends), officer, adapt(left))

    def read(reader: RowReader, cells: list[str]) -> tuple[MemberRow | None, Problems]:
        return member_row(reader, cells, unions)

    return _import(_MEMBERS, file_name, data, read, staged, **options)


def import_contracts(file_name: str, data: bytes, **options: Any) -> ImportOutcome:
    """Contracts: upsert by contract_no; the member must be on the roster already."""
    unions = dict(Union.objects.values_list("code", "pk"))
    products = dict(Product.objects.values_list("code", "pk"))
    words = product_words()
    adapt = connection.ops.adapt_datefield_value

    def staged(row: ContractRow) -> Staged:
        (contract_no, union, member_no, product, insured, started, ended, units, premium,
         registered, inspected) = row
        return (contract_no, unions[union], member_no, products[product], insured, adapt(started),
                adapt(ended), units, premium, adapt(registered), adapt(inspected))

    def read(reader: RowReader, cells: list[str]) -> tuple[ContractRow | None, Problems]:
        return contract_row(reader, cells, unions, words)

    return _import(_CONTRACTS, file_name, data, read, staged, **options)


def _import(spec: _Spec, file_name: str, data: bytes,
            read: Callable[[RowReader, list[str]], tuple[_Row | None, Problems]],
            staged: Callable[[_Row], Staged], *,
            user: Any = None, source: str = ImportLog.Source.CLI, dry_run: bool = False,
            progress: bool = False) -> ImportOutcome:
    outcome = ImportOutcome(spec.dataset, file_name, hashlib.sha256(data).hexdigest())
    error_count = 0

    def add_errors(problems: list[CellProblem]) -> None:
        nonlocal error_count
        error_count += len(problems)
        room = MAX_ERRORS - len(outcome.errors)
        if room > 0:
            outcome.errors.extend(problems[:room])

    try:
        with transaction.atomic():
            header, records = iter_records(Path(file_name), data)
            reader = RowReader.for_header(header, spec.columns, spec.required)
            if reader.errors:
                add_errors(reader.errors)
                raise _Rollback
            _create_staging(spec)
            text = data[:2] != b"PK" and not file_name.lower().endswith(".xlsx")
            bar = (tqdm(records, desc="検証", unit="行", total=data.count(b"\n") if text else None)
                   if progress else nullcontext(records))
            insert = _insert_sql(_STAGING, ["line", *(c for c, _ in spec.staging)])
            batch: list[Staged] = []
            with bar as rows, connection.cursor() as cursor:
                for line, cells in rows:
                    outcome.rows_total += 1
                    row, problems = read(reader, cells)
                    if problems:
                        add_errors(reader.located(line, problems))
                    else:  # staged even after an error: the file's every problem is reported
                        assert row is not None  # read() gives a row when it finds no problem
                        batch.append((line, *staged(row)))
                        if len(batch) >= BATCH:
                            cursor.executemany(insert, batch)
                            batch.clear()
                if batch:
                    cursor.executemany(insert, batch)
            if not _unique_keys(spec):  # an index build: the listing query only when it fails
                add_errors(_duplicates(spec, reader))
            if error_count or dry_run:
                if spec is _CONTRACTS:
                    add_errors(_unknown_members(reader))
                if error_count:
                    raise _Rollback
                outcome.rows_replaced = _stored_keys(spec)
                outcome.rows_added = outcome.rows_total - outcome.rows_replaced
                raise _Rollback
            lock_imports()
            log = ImportLog.objects.create(
                user=user if getattr(user, "is_authenticated", False) else None,
                username=getattr(user, "username", "") or "", source=source,
                dataset=outcome.dataset, file_name=outcome.file_name[:255],
                sha256=outcome.sha256, rows_total=outcome.rows_total)
            # every stored key of the file is replaced: the copies count the rows replaced
            outcome.rows_replaced = _capture_replaced(spec, log.pk)
            written = _upsert(spec, log.pk)
            if written != outcome.rows_total:  # some contract's member is not on the roster
                add_errors(_unknown_members(reader))
                raise _Rollback
            outcome.rows_added = outcome.rows_total - outcome.rows_replaced
            _drop_staging()
            outcome.log = _log(log, outcome, user, source)
            # kept by content as every import's file is, once nothing can refuse it any more (a
            # refused file must leave no copy of personal data); `kyosai members purge` removes
            # it once the retention date passes the import
            filestore.store(data, outcome.sha256)
            outcome.applied = True
    except _Rollback:
        pass
    except TableReadError as exc:
        add_errors([CellProblem(None, None, str(exc))])
    outcome.errors.sort(key=lambda problem: problem.line or 0)
    if error_count > len(outcome.errors):
        outcome.errors.append(CellProblem(
            None, None, f"ほか {error_count - len(outcome.errors):,} 件のエラーがあります"))
    return outcome


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _insert_sql(table: str, columns: list[str]) -> str:
    return (f"INSERT INTO {_quote(table)} ({', '.join(_quote(c) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})")


def _create_staging(spec: _Spec) -> None:
    columns = ", ".join(f"{_quote(name)} {kind}" for name, kind in spec.staging)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_quote(_STAGING)}")
        extra = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
        cursor.execute(f"CREATE TEMPORARY TABLE {_quote(_STAGING)} (line integer, {columns})"
                       f"{extra}")


def _drop_staging() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_quote(_STAGING)}")


def _unique_keys(spec: _Spec) -> bool:
    """Index the staging table on the file's key: it fails exactly when a key is there twice."""
    columns = ", ".join(_quote(c) for c in spec.key)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE UNIQUE INDEX {_quote(_STAGING + '_key')} "
                           f"ON {_quote(_STAGING)} ({columns})")
    except IntegrityError:
        return False
    return True


def _duplicates(spec: _Spec, reader: RowReader) -> list[CellProblem]:
    """Rows whose key an earlier row of the file already has: one query on the staging table."""
    key = ", ".join(f"s.{_quote(c)}" for c in spec.key)
    joined = " AND ".join(f"t.{_quote(c)} = s.{_quote(c)}" for c in spec.key)
    sql = (f"SELECT t.line, (SELECT MIN(s.line) FROM {_quote(_STAGING)} s WHERE {joined}) "
           f"FROM {_quote(_STAGING)} t WHERE ({', '.join('t.' + _quote(c) for c in spec.key)}) IN "
           f"(SELECT {key} FROM {_quote(_STAGING)} s GROUP BY {key} HAVING COUNT(*) > 1) "
           f"ORDER BY t.line")
    label = reader.label(spec.key_label)
    what = "組合員番号（同じ単組）" if spec is _MEMBERS else "契約番号"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [CellProblem(line, label, f"{first}行目と同じ{what}です")
                for line, first in cursor.fetchall() if line != first][:MAX_ERRORS]


def _unknown_members(reader: RowReader) -> list[CellProblem]:
    """Contracts whose union + member_no is not on the roster."""
    member = _quote(Member._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.line, s.member_no FROM {_quote(_STAGING)} s LEFT JOIN {member} m "
            f"ON m.union_id = s.union_id AND m.member_no = s.member_no "
            f"WHERE m.id IS NULL ORDER BY s.line LIMIT {MAX_ERRORS + 1}")
        return [CellProblem(line, reader.label("member_no"),
                            f"組合員番号 {member_no} の組合員が名簿にありません（先に組合員を取り込んでください）")
                for line, member_no in cursor.fetchall()]


def _stored_keys(spec: _Spec) -> int:
    """How many of the file's keys are stored already (they will be replaced)."""
    if spec is _MEMBERS:
        sql = (f"SELECT COUNT(*) FROM {_quote(_STAGING)} s JOIN {_quote(Member._meta.db_table)} m "
               f"ON m.union_id = s.union_id AND m.member_no = s.member_no")
    else:
        sql = (f"SELECT COUNT(*) FROM {_quote(_STAGING)} s JOIN "
               f"{_quote(Contract._meta.db_table)} c ON c.contract_no = s.contract_no")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        stored: int = cursor.fetchone()[0]
        return stored


#: The column every row written carries: the import's number.
_MARK = "last_import"


def _capture_replaced(spec: _Spec, log_id: int) -> int:
    """Copy the stored rows whose keys the file holds — the columns the upsert overwrites, the
    row id and the import that had written them — into the replaced rows of import `log_id`:
    one INSERT … SELECT joined to the staging table. Returns how many rows were copied."""
    columns = [*spec.written, _MARK]
    joined = " AND ".join(f"t.{_quote(c)} = s.{_quote(c)}" for c in spec.key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_quote(spec.replaced._meta.db_table)} "
            f"({_quote('import_log_id')}, {_quote('row_id')}, "
            f"{', '.join(_quote(c) for c in columns)}) "
            f"SELECT %s, t.{_quote('id')}, {', '.join(f't.{_quote(c)}' for c in columns)} "
            f"FROM {_quote(_STAGING)} s JOIN {_quote(spec.model._meta.db_table)} t ON {joined}",
            (log_id,))
        copied: int = cursor.rowcount
        return copied


def _upsert(spec: _Spec, log_id: int) -> int:
    """INSERT … SELECT … ON CONFLICT DO UPDATE, every row marked with the import (`last_import`,
    an integer of ours written into the statement); returns the rows written (inserted or
    updated)."""
    columns = [*spec.key, *spec.written]
    if spec is _MEMBERS:
        select = ", ".join(f"s.{_quote(c)}" for c in columns)
        source = f"{_quote(_STAGING)} s"
    else:
        select = ", ".join("m.id" if c == "member_id" else f"s.{_quote(c)}" for c in columns)
        source = (f"{_quote(_STAGING)} s JOIN {_quote(Member._meta.db_table)} m "
                  f"ON m.union_id = s.union_id AND m.member_no = s.member_no")
    updates = ", ".join(f"{_quote(c)} = EXCLUDED.{_quote(c)}" for c in [*spec.written, _MARK])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_quote(spec.model._meta.db_table)} "
            f"({', '.join(_quote(c) for c in [*columns, _MARK])}) "
            f"SELECT {select}, {int(log_id)} FROM {source} WHERE 1 = 1 "
            f"ON CONFLICT ({', '.join(_quote(c) for c in spec.key)}) DO UPDATE SET {updates}")
        written: int = cursor.rowcount
        return written


def _log(log: ImportLog, outcome: ImportOutcome, user: Any, source: str) -> ImportLog:
    """The import log's counts and its audit entry: counts and the file's hash, never a row's
    data."""
    log.rows_added, log.rows_replaced = outcome.rows_added, outcome.rows_replaced
    log.save(update_fields=["rows_added", "rows_replaced"])
    record_change(log, action=AuditEntry.Action.IMPORT, before=None, user=user,
                  source=AuditEntry.Source.CLI if source == ImportLog.Source.CLI
                  else AuditEntry.Source.WEB, batch_id=f"import-{log.pk}")
    return log


# --- purge ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PurgeOutcome:
    members: int
    contracts: int
    follow_ups: int
    by_union: dict[str, int]
    replaced: int = 0  # copies kept by imports for a revert (members and contracts)
    files: int = 0  # roster and contract files kept by imports (core.filestore)
    statuses: int = 0  # 移行確認・新採用者 statuses and 車検案内 calls of the purged members


def purge_leavers(left_before: date, *, user: Any = None, dry_run: bool = False,
                  source: str = AuditEntry.Source.CLI,
                  retention_days: int | None = None) -> PurgeOutcome:
    """Delete the personal data (roster row, contracts, marks) of members who left before the
    date; results (counts per union) are separate rows and stay. Audited with counts only (and
    `retention_days` when the retention policy chose the date).

    The marks are every row kept about a purged member: 声かけ記録 (follow_ups), the 移行確認 and
    新採用者 statuses and the 車検案内 calls on their contracts (statuses); their notes may name
    the person. The copies imports keep of the rows they replaced (for `kyosai imports revert`)
    go with them: the copies of the purged members and of their contracts, the copies that
    themselves record a member who left before the date, and every copy kept by an import made
    before the date (superseded since then, so as old as the retention allows). An import whose
    copies are gone can no longer be reverted. The roster and contract files those imports kept
    (core.filestore) go too, unless a later import (or one of another dataset) read the same
    bytes; they are deleted once the database's deletions are committed."""
    leavers = Member.objects.filter(left_on__lt=left_before)
    by_union = dict(leavers.values_list("union__code").annotate(n=Count("id")).order_by())
    contracts = Contract.objects.filter(member__in=leavers)
    follow_ups = FollowUp.objects.filter(member__in=leavers)
    transitions = TransitionStatus.objects.filter(member__in=leavers)
    new_hires = NewHireStatus.objects.filter(member__in=leavers)
    calls = InspectionCall.objects.filter(contract__in=contracts)
    kept_before = timezone.make_aware(datetime.combine(left_before, time.min))
    replaced_members = ReplacedMember.objects.filter(
        Q(row_id__in=leavers.values("pk")) | Q(left_on__lt=left_before)
        | Q(import_log__timestamp__lt=kept_before))
    replaced_contracts = ReplacedContract.objects.filter(
        Q(row_id__in=contracts.values("pk")) | Q(member_id__in=leavers.values("pk"))
        | Q(import_log__timestamp__lt=kept_before))
    files = _files_kept_before(kept_before)
    outcome = PurgeOutcome(sum(by_union.values()), contracts.count(), follow_ups.count(),
                           by_union, replaced_members.count() + replaced_contracts.count(),
                           len(files),
                           transitions.count() + new_hires.count() + calls.count())
    if dry_run or not (outcome.members or outcome.replaced or outcome.files):
        return outcome
    with transaction.atomic():
        # raw deletes: a cascade through the ORM would load every row first; the copies and
        # the marks first, while the leavers they are found by are still there
        replaced_contracts._raw_delete(replaced_contracts.db)
        replaced_members._raw_delete(replaced_members.db)
        calls._raw_delete(calls.db)
        contracts._raw_delete(contracts.db)
        follow_ups._raw_delete(follow_ups.db)
        transitions._raw_delete(transitions.db)
        new_hires._raw_delete(new_hires.db)
        leavers._raw_delete(leavers.db)
        detail: dict[str, object] = {
            "left_before": left_before.isoformat(), "members": outcome.members,
            "contracts": outcome.contracts, "follow_ups": outcome.follow_ups,
            "statuses": outcome.statuses, "replaced_copies": outcome.replaced,
            "files": outcome.files, "unions": by_union}
        if retention_days is not None:
            detail["retention_days"] = retention_days
        record_event(AuditEntry.Action.PURGE, user=user, object_type="members.member",
                     source=source, detail=detail)
    for sha256 in files:
        filestore.path_for(sha256).unlink(missing_ok=True)
    return outcome


def purge_past_retention(days: int, *, today: date | None = None, user: Any = None,
                         dry_run: bool = False,
                         source: str = AuditEntry.Source.CLI) -> tuple[date, PurgeOutcome]:
    """The retention policy: purge (as `purge_leavers`) the members who left more than `days`
    days before today (domain.members.retention_cutoff); returns the cut-off and the outcome."""
    cutoff = retention_cutoff(today or timezone.localdate(), days)
    return cutoff, purge_leavers(cutoff, user=user, dry_run=dry_run, source=source,
                                 retention_days=days)


def apply_retention_policy(now: datetime | None = None) -> RetentionRun | None:
    """What `kyosai worker` does once a day: with KYOSAI_PERSONAL_DATA_RETENTION_DAYS set and no
    run yet on this local day, claim the day (RetentionRun, unique per day) and purge in one
    transaction. Returns the run (with the members purged), or None when there is no policy or
    the day was already done — by this worker before a restart or by another worker. A purge
    that fails leaves no claim (the transaction rolls back), so the next sweep retries it; a
    worker stopped for days purges on its first sweep with today's cut-off, which covers the
    days it missed."""
    days: int | None = getattr(settings, "KYOSAI_PERSONAL_DATA_RETENTION_DAYS", None)
    if days is None:
        return None
    today = timezone.localdate(now)
    if RetentionRun.objects.filter(day=today).exists():
        return None
    try:
        with transaction.atomic():
            run = RetentionRun.objects.create(day=today, retention_days=days,
                                              left_before=retention_cutoff(today, days))
            _, outcome = purge_past_retention(days, today=today)
            run.members = outcome.members
            run.save(update_fields=["members"])
    except IntegrityError:
        if RetentionRun.objects.filter(day=today).exists():
            return None  # another worker claimed the day first
        raise
    return run


_PERSONAL_FILES = (ImportLog.Dataset.MEMBERS, ImportLog.Dataset.CONTRACTS)


def _files_kept_before(kept_before: datetime) -> list[str]:
    """The SHA-256 of each roster or contract file kept by an import made before `kept_before`
    that no import since (nor any import of another dataset) read, and that is still there."""
    logs = ImportLog.objects.filter(dataset__in=_PERSONAL_FILES)
    old = set(logs.filter(timestamp__lt=kept_before).values_list("sha256", flat=True))
    still_read = set(ImportLog.objects.filter(sha256__in=old).filter(
        Q(timestamp__gte=kept_before) | ~Q(dataset__in=_PERSONAL_FILES))
        .values_list("sha256", flat=True))
    return sorted(sha for sha in old - still_read if filestore.path_for(sha).is_file())


# --- merging unions -----------------------------------------------------------------------------

class MergeRefused(ValueError):
    """A merge that cannot be done as asked (the message says why, in Japanese)."""


@dataclass(frozen=True, slots=True)
class MergeOutcome:
    members: int
    results: int
    targets: int


def merge_unions(from_code: str, into_code: str, *, user: Any = None,
                 source: str = AuditEntry.Source.CLI) -> MergeOutcome:
    """産別統合・単組統合: FROM's members (with their contracts and marks), results and targets
    move to INTO; where INTO has the same key, FROM's figure is added to it. FROM stays, inactive,
    pointing at INTO (the history keeps its code). Audited."""
    unions = {u.code: u for u in Union.objects.filter(code__in=[from_code, into_code])}
    for code in (from_code, into_code):
        if code not in unions:
            raise MergeRefused(f"単組が見つかりません: {code}")
    if from_code == into_code:
        raise MergeRefused("統合元と統合先が同じ単組です")
    source_union, target_union = unions[from_code], unions[into_code]
    if source_union.merged_into_id is not None:
        raise MergeRefused(f"単組 {from_code} はすでに統合されています")
    if target_union.merged_into_id is not None or not target_union.active:
        raise MergeRefused(f"統合先の単組 {into_code} は無効です")
    clashes = list(Member.objects.filter(union=source_union, member_no__in=Member.objects.filter(
        union=target_union).values("member_no")).values_list("member_no", flat=True)[:11])
    if clashes:
        shown = "、".join(clashes[:10]) + (" ほか" if len(clashes) > 10 else "")
        raise MergeRefused(f"統合先に同じ組合員番号があります（{shown}）。番号を付け替えてから統合してください")
    with transaction.atomic():
        # no longer as an import left them: an import before cannot be reverted (last_import)
        members = Member.objects.filter(union=source_union).update(union=target_union,
                                                                   last_import=None)
        results = _move_rows(MonthlyResult, ("month", "product_id", "measure_id"),
                             source_union, target_union)
        targets = _move_rows(Target, ("fiscal_year_id", "kind", "product_id", "measure_id"),
                             source_union, target_union)
        refresh_branch_rollups({source_union.branch_id, target_union.branch_id})
        before = source_union.snapshot()
        source_union.active = False
        source_union.merged_into = target_union
        source_union.save(update_fields=["active", "merged_into", "last_updated"])
        record_change(source_union, action="update", before=before, user=user, source=source)
        record_event(AuditEntry.Action.MERGE, user=user, object_type="org.union",
                     object_id=str(source_union.pk), object_repr=from_code, source=source,
                     detail={"from": from_code, "into": into_code, "members": members,
                             "results": results, "targets": targets})
    return MergeOutcome(members, results, targets)


def _move_rows(model: Any, key: tuple[str, ...], source: Union, target: Union) -> int:
    """Move FROM's rows to INTO; a key INTO already has gets FROM's value added."""
    theirs = {tuple(row[:-2]): (row[-2], row[-1]) for row in
              model.objects.filter(union=target).values_list(*key, "pk", "value")}
    moved = 0
    for *values, pk, value in model.objects.filter(union=source).values_list(*key, "pk", "value"):
        moved += 1
        existing = theirs.get(tuple(values))
        if existing is not None:
            model.objects.filter(pk=existing[0]).update(value=F("value") + value)
            model.objects.filter(pk=pk).delete()
        else:
            model.objects.filter(pk=pk).update(union=target, branch_id=target.branch_id)
    return moved


# --- follow-up marks ----------------------------------------------------------------------------

def mark_member(member: Member, product: Product, status: str, on: date, *, user: Any) -> FollowUp:
    """A union officer's 声かけ済 / 申込済 / 辞退 on a non-member, audited (ids and status only)."""
    if status not in FollowUp.Status.values:
        raise ValueError(status)
    with transaction.atomic():
        mark = FollowUp.objects.create(member=member, product=product, status=status, on=on,
                                       user=user if getattr(user, "is_authenticated", False)
                                       else None)
        record_change(mark, action="create", before=None, user=user)
    return mark


def set_transition_status(member: Member, fiscal_year: int, status: str, on: date, note: str,
                          *, user: Any) -> TransitionStatus:
    """A follow-up on the transition list (未案内 / 案内済 / 移行済 / 辞退), audited (ids, status
    and date only: the note may name the person and stays out of the audit trail)."""
    if status not in TransitionStatus.Status.values:
        raise ValueError(status)
    with transaction.atomic():
        entry = TransitionStatus.objects.create(
            member=member, fiscal_year=fiscal_year, status=status, on=on, note=note[:200],
            user=user if getattr(user, "is_authenticated", False) else None)
        record_change(entry, action="create", before=None, user=user)
    return entry


def fill_new_hires(year: int, *, user: Any = None) -> int:
    """Write the new-hire campaign figures of `year` (from the roster) into appendix table 5's
    current-year columns of each branch that has cohort members; the previous year's columns
    stay. Audited per row. Returns the number of branches written."""
    from kyosai.activities.models import NewHireResult
    from kyosai.members.lifecycle import new_hire_rows
    from kyosai.members.management.base import CLI_ACCESS
    from kyosai.org.models import Branch

    rows = new_hire_rows(CLI_ACCESS, year, by="branch")
    branches = {b.code: b for b in Branch.objects.filter(code__in=[r.branch for r in rows])}
    with transaction.atomic():
        for row in rows:
            entry = NewHireResult.objects.filter(fiscal_year=year,
                                                 branch=branches[row.branch]).first()
            before = {"effective_months": entry.effective_months,
                      "coop_joined_cur": entry.coop_joined_cur,
                      "life_joined_cur": entry.life_joined_cur} if entry else None
            if entry is None:
                entry = NewHireResult(fiscal_year=year, branch=branches[row.branch])
            entry.effective_months = ",".join(str(m) for m in row.effective_months)
            entry.coop_joined_cur = row.coop_joined
            entry.life_joined_cur = row.life_joined
            entry.save()
            record_change(entry, action="update" if before else "create", before=before,
                          user=user, source=AuditEntry.Source.CLI)
    return len(rows)


def set_inspection_mark(contract: Contract, due_month: date, kind: str, on: date, note: str,
                        *, user: Any) -> InspectionCall:
    """A mark on the 次回車検日 call list (電話 / 案内済) for a contract at its due month (the
    month's first day), audited with ids, kind and dates only (the note stays out)."""
    if kind not in InspectionCall.Kind.values:
        raise ValueError(kind)
    with transaction.atomic():
        entry = InspectionCall.objects.create(
            contract=contract, due_month=due_month.replace(day=1), kind=kind, on=on,
            note=note[:200], user=user if getattr(user, "is_authenticated", False) else None)
        record_change(entry, action="create", before=None, user=user)
    return entry


def set_new_hire_status(member: Member, year: int, status: str, on: date, note: str,
                        *, user: Any) -> NewHireStatus:
    """A new hire's step in the campaign of `year` (説明会参加 / 申込書配布 / 回収 / 加入 / 辞退),
    audited with ids, status and date only (the note stays out)."""
    if status not in NewHireStatus.Status.values:
        raise ValueError(status)
    with transaction.atomic():
        entry = NewHireStatus.objects.create(
            member=member, year=year, status=status, on=on, note=note[:200],
            user=user if getattr(user, "is_authenticated", False) else None)
        record_change(entry, action="create", before=None, user=user)
    return entry
