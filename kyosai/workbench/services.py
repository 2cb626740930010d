"""Writes to the activity log and the support ledger: file imports and web entries, audited.

An import is one transaction: every problem of the file is reported with its line and column and
nothing is written when there is any. A file whose SHA-256 was imported before is refused unless
`again`; a row with a `ref` replaces the branch's entry with that ref, every other row is new.
Each import is also logged in `kyosai imports` with the entries it replaced as they were and the
ids of those it added (kyosai.results.snapshots), so `kyosai imports revert ID` undoes it.
"""

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from kyosai.catalog.selectors import fiscal_years
from kyosai.core.models import AuditEntry, record_change
from kyosai.core.tabular import TableReadError, iter_records
from kyosai.domain.codes import branch_code
from kyosai.domain.files.activity_log import (
    ActivityRow,
    SupportRow,
    parse_activity_rows,
    parse_support_rows,
)
from kyosai.domain.periods import YearMonth
from kyosai.domain.problems import CellProblem, FileProblems
from kyosai.org.models import Branch, Union
from kyosai.results.models import ImportLog
from kyosai.results.services import lock_imports
from kyosai.results.snapshots import Scope, begin_import
from kyosai.workbench.models import ActivityEntry, LedgerImport, SupportEntry

__all__ = [
    "AlreadyImported",
    "LedgerOutcome",
    "fiscal_year_resolver",
    "import_activity_log",
    "import_support",
    "save_activity",
    "save_support",
]

_FIELDS = ("participants", "organisers_pref", "organisers_branch", "organisers_zenrosai", "note")


class AlreadyImported(ValueError):
    """The same file (SHA-256) was imported before; `--again` imports it once more."""


@dataclass(slots=True)
class LedgerOutcome:
    rows_total: int = 0
    added: int = 0
    replaced: int = 0
    log: LedgerImport | None = None
    import_log: ImportLog | None = None  # `kyosai imports`' entry (revertible)
    warnings: list[CellProblem] = field(default_factory=list)


def fiscal_year_resolver() -> Callable[[date], int | None]:
    """The registered fiscal year of a day (None outside every registered year)."""
    years = fiscal_years()

    def fiscal_year_of(day: date) -> int | None:
        return years.registered_year_of(YearMonth.of(day))

    return fiscal_year_of


def _registered(fiscal_year_of: Callable[[date], int | None], day: date) -> int:
    """The fiscal year of a day the parser accepted (it refuses days outside every year)."""
    year = fiscal_year_of(day)
    assert year is not None
    return year


def _branch_lookup() -> Callable[[str], Branch | None]:
    branches = list(Branch.objects.all())
    by_code = {b.code: b for b in branches}
    by_name = {b.name: b for b in branches}

    def find(text: str) -> Branch | None:
        code = branch_code(text)
        if code is not None:
            return by_code.get(code)
        return by_name.get(text) or by_name.get(text.removesuffix("県支部"))

    return find


def _records(file_name: str, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    header, records = iter_records(Path(file_name), data)
    return header, [(line, dict(zip(header, cells, strict=True))) for line, cells in records]


def _refuse_twice(dataset: str, sha256: str, again: bool) -> None:
    if again:
        return
    previous = LedgerImport.objects.filter(dataset=dataset, sha256=sha256).first()
    if previous is not None:
        raise AlreadyImported(
            f"このファイルは {previous.timestamp:%Y年%m月%d日 %H:%M} に取り込み済みです"
            f"（SHA-256 が同じ）。もう一度取り込むときは --again を付けてください。")


def _log(dataset: str, file_name: str, sha256: str, outcome: LedgerOutcome,
         user: Any) -> LedgerImport:
    """The ledger's own record of the file (for --again). Not audited: the import's one audit
    entry is its ImportLog's, written by the recorder (the one `kyosai imports revert` undoes)."""
    return LedgerImport.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None, dataset=dataset,
        file_name=file_name[:255], sha256=sha256, rows_total=outcome.rows_total,
        rows_added=outcome.added, rows_replaced=outcome.replaced)


def _resolve_activity(rows: Iterable[ActivityRow]) -> tuple[list[tuple[ActivityRow, Branch, Union | None]], list[CellProblem]]:
    find_branch = _branch_lookup()
    unions: dict[str, Union] = {}
    wanted = {row.union for row in rows if row.union}
    for found in Union.objects.filter(code__in=wanted).select_related("branch"):
        unions[found.code] = found
    resolved, errors = [], []
    refs: dict[tuple[int, str], int] = {}
    for row in rows:
        branch = find_branch(row.branch)
        if branch is None:
            errors.append(CellProblem(row.line, "branch", f"県支部が見つかりません: {row.branch!r}"))
            continue
        union = None
        if row.union:
            union = unions.get(row.union)
            if union is None:
                errors.append(CellProblem(row.line, "union", f"単組が見つかりません: {row.union!r}"))
                continue
            if union.branch_id != branch.pk:
                errors.append(CellProblem(row.line, "union",
                                          f"単組 {union.code} は {union.branch.name} の単組です（{branch.name} ではありません）"))
                continue
        if row.ref:
            first = refs.setdefault((branch.pk, row.ref), row.line)
            if first != row.line:
                errors.append(CellProblem(row.line, "ref", f"整理番号 {row.ref!r} が {first}行目と重複しています"))
                continue
        resolved.append((row, branch, union))
    return resolved, errors


def import_activity_log(file_name: str, data: bytes, *, user: Any = None,
                        source: str = AuditEntry.Source.CLI, again: bool = False,
                        progress: Any = None) -> LedgerOutcome:
    """Import an activity-log file; FileProblems (nothing written) on any error."""
    sha256 = hashlib.sha256(data).hexdigest()
    _refuse_twice(LedgerImport.Dataset.ACTIVITY_LOG, sha256, again)
    try:
        header, records = _records(file_name, data)
    except TableReadError as exc:
        raise FileProblems([CellProblem(None, None, str(exc))]) from None
    fiscal_year_of = fiscal_year_resolver()
    parsed = parse_activity_rows(header, records, fiscal_year_of)
    resolved, errors = _resolve_activity(parsed.rows)
    if parsed.errors or errors:
        raise FileProblems(sorted(parsed.errors + errors, key=lambda p: (p.line or 0)))
    outcome = LedgerOutcome(rows_total=len(records))
    with transaction.atomic():
        lock_imports()
        existing = {(e.branch_id, e.ref): e for e in ActivityEntry.objects.filter(
            ref__in={row.ref for row, _, _ in resolved if row.ref})}
        replaced = [existing[(branch.pk, row.ref)].pk for row, branch, _ in resolved
                    if row.ref and (branch.pk, row.ref) in existing]
        recorder = begin_import(ImportLog.Dataset.ACTIVITY_LOG, file_name, data,
                                [Scope(ActivityEntry, {"pk": replaced})], user=user,
                                source=source)
        new = []
        batch = uuid.uuid4().hex
        for row, branch, union in resolved:
            values = {"union": union, "date": row.day, "fiscal_year": fiscal_year_of(row.day),
                      "kind": row.kind, **{name: getattr(row, name) for name in _FIELDS}}
            entry = existing.get((branch.pk, row.ref)) if row.ref else None
            if entry is None:
                new.append(ActivityEntry(branch=branch, ref=row.ref, **values))
            else:
                before = entry.snapshot()
                for name, value in values.items():
                    setattr(entry, name, value)
                entry.save()
                record_change(entry, action=AuditEntry.Action.UPDATE, before=before, user=user,
                              source=source, batch_id=batch)
                outcome.replaced += 1
            if progress is not None:
                progress.update(1)
        ActivityEntry.objects.bulk_create(new, batch_size=2000)
        outcome.added = len(new)
        recorder.add_rows(ActivityEntry, [entry.pk for entry in new])
        outcome.import_log = recorder.finish(rows_total=outcome.rows_total,
                                             rows_added=outcome.added,
                                             rows_replaced=outcome.replaced)
        outcome.log = _log(LedgerImport.Dataset.ACTIVITY_LOG, file_name, sha256, outcome, user)
    return outcome


def import_support(file_name: str, data: bytes, *, user: Any = None,
                   source: str = AuditEntry.Source.CLI, again: bool = False) -> LedgerOutcome:
    """Import a support-ledger file (every row a new entry); FileProblems on any error."""
    sha256 = hashlib.sha256(data).hexdigest()
    _refuse_twice(LedgerImport.Dataset.SUPPORT, sha256, again)
    try:
        header, records = _records(file_name, data)
    except TableReadError as exc:
        raise FileProblems([CellProblem(None, None, str(exc))]) from None
    fiscal_year_of = fiscal_year_resolver()
    rows, errors = parse_support_rows(header, records, fiscal_year_of)
    find_branch = _branch_lookup()
    resolved: list[tuple[SupportRow, Branch]] = []
    for row in rows:
        branch = find_branch(row.branch)
        if branch is None or branch.is_hq:
            errors.append(CellProblem(row.line, "branch", f"県支部が見つかりません: {row.branch!r}"))
        else:
            resolved.append((row, branch))
    if errors:
        raise FileProblems(sorted(errors, key=lambda p: (p.line or 0)))
    outcome = LedgerOutcome(rows_total=len(records))
    with transaction.atomic():
        recorder = begin_import(ImportLog.Dataset.SUPPORT, file_name, data,
                                [Scope(SupportEntry, {"pk": []})], user=user, source=source)
        added = SupportEntry.objects.bulk_create([
            SupportEntry(branch=branch, date=row.day, fiscal_year=_registered(fiscal_year_of, row.day),
                         kind=row.kind, work=row.work, amount=row.amount, note=row.note)
            for row, branch in resolved])
        outcome.added = len(resolved)
        recorder.add_rows(SupportEntry, [entry.pk for entry in added])
        outcome.import_log = recorder.finish(rows_total=outcome.rows_total,
                                             rows_added=outcome.added, rows_replaced=0)
        outcome.log = _log(LedgerImport.Dataset.SUPPORT, file_name, sha256, outcome, user)
    return outcome


@transaction.atomic
def save_activity(entry: ActivityEntry, *, user: Any, source: str = AuditEntry.Source.WEB) -> ActivityEntry:
    """Create or update one entry from the web form (its fiscal year follows its date), audited."""
    before = None
    if entry.pk is not None:
        stored = ActivityEntry.objects.get(pk=entry.pk)
        before = stored.snapshot()
    year = fiscal_year_resolver()(entry.date)
    if year is None:
        raise ValueError(f"{entry.date:%Y-%m-%d} はどの事業年度にも含まれません")
    entry.fiscal_year = year
    entry.save()
    record_change(entry, action=AuditEntry.Action.CREATE if before is None
                  else AuditEntry.Action.UPDATE, before=before, user=user, source=source)
    return entry


@transaction.atomic
def save_support(entry: SupportEntry, *, user: Any, source: str = AuditEntry.Source.WEB) -> SupportEntry:
    """Create one ledger entry from the web form, audited."""
    year = fiscal_year_resolver()(entry.date)
    if year is None:
        raise ValueError(f"{entry.date:%Y-%m-%d} はどの事業年度にも含まれません")
    entry.fiscal_year = year
    entry.save()
    record_change(entry, action=AuditEntry.Action.CREATE, before=None, user=user, source=source)
    return entry
