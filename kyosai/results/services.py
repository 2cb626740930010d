"""Writes of targets and results: importing files (validate → apply in one transaction).

`import_file` parses with `kyosai.domain.files.results`; nothing is written when any row has an
error or on a dry run. Re-importing replaces the values of the keys in the file (idempotent).
Every applied import leaves an ImportLog row and an audit entry; the branch rollups of the
touched keys are recomputed (`kyosai.domain.rollup.branch_figure`).

Speed (issue 3, item 7; `benchmarks/import_bench.py`): a national month is ~200,000 rows. The file
is streamed (`core.tabular.iter_records`), each distinct cell validated once, rows grouped by
month with keys of codes; master data is read once (`_Ids`); the rows are written with
INSERT … ON CONFLICT DO UPDATE on the table's partial unique keys (SQLite: statements of
ROWS_PER_STATEMENT rows each, by executemany — half the time of a statement per row;
PostgreSQL: COPY into a temporary table, then one INSERT … SELECT per kind of row); added vs
replaced come from counting the file's scope before and after (a dry run reads the stored keys);
queries name branches, products and measures so the (branch, product, measure, month) index
serves them on a table of many months.

Undo (issue 11, item 8; `kyosai.results.revert`): the file is kept by content
(`core.filestore`), every row written carries the import's number (`last_import`, set by the
same INSERT … ON CONFLICT), and the stored rows in the file's scope are copied into ReplacedValue
by one INSERT … SELECT per group before the upsert (then trimmed to those really replaced).
"""

import datetime
import hashlib
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from django.db import connection, models, transaction
from django.db.models import F, Q, Sum
from django.db.models.sql import Query
from tqdm import tqdm

from kyosai.catalog.models import FiscalYear, Measure, Product, ProductMeasure
from kyosai.core import filestore
from kyosai.core.models import AuditEntry, record_change
from kyosai.core.tabular import TableReadError, iter_records
from kyosai.domain.files.results import parse_results, parse_targets
from kyosai.domain.importing import (
    ParsedFile,
    Reference,
    RowKey,
    TargetGroup,
    Value,
    earlier_months,
    flow_warnings,
)
from kyosai.domain.measures import MEASURE_WORDS, MeasureKind
from kyosai.domain.periods import YearMonth
from kyosai.domain.problems import CellProblem
from kyosai.domain.rollup import branch_figure
from kyosai.org.models import Branch, Union
from kyosai.results.models import (
    BranchResult,
    BranchTarget,
    ImportLog,
    MonthlyResult,
    ReplacedValue,
    Target,
)
from kyosai.results.revisions import record_revisions
from kyosai.results.signals import results_imported

#: A row as the database cursor takes or returns it (ids, codes, dates, values).
SQLRow = tuple[Any, ...]

__all__ = ["DATASETS", "ImportOutcome", "import_file", "reference", "refresh_branch_rollups"]

DATASETS = ("targets", "results")
INSERT_BATCH = 10_000


@dataclass(slots=True)
class ImportOutcome:
    """What an import found and did: errors block it, warnings are only shown."""

    dataset: str
    file_name: str
    sha256: str
    rows_total: int = 0
    rows_added: int = 0
    rows_replaced: int = 0
    applied: bool = False
    errors: list[CellProblem] = field(default_factory=list)
    warnings: list[CellProblem] = field(default_factory=list)
    log: ImportLog | None = None
    revisions: list[tuple[int, str, int]] = field(default_factory=list)  # (year, kind, revision)

    @property
    def ok(self) -> bool:
        return not self.errors


def reference() -> Reference:
    """The master data files are checked against."""
    branches: dict[str, str] = {}
    for code, name in Branch.objects.values_list("code", "name"):
        branches[code] = branches[name] = code
        if len(code) == 2 and code.startswith("0"):
            branches[code[1:]] = code  # "1" as Excel writes 01
    products: dict[str, str] = {}
    for code, name, label in Product.objects.values_list("code", "name", "report_label"):
        products.update({name: code, code: code})
        if label:
            products[label] = code
    product_measures: dict[str, set[str]] = defaultdict(set)
    for product, measure in ProductMeasure.objects.values_list("product__code", "measure__code"):
        product_measures[product].add(measure)
    measures = {m.code: m.to_domain() for m in Measure.objects.all()}
    words = {**{w: c for w, c in MEASURE_WORDS.items() if c in measures}, **{c: c for c in measures}}
    for spec in measures.values():
        words.setdefault(spec.name, spec.code)
        words.setdefault(spec.short_name, spec.code)
    return Reference(
        branches=_normalized(branches),
        unions=dict(Union.objects.values_list("code", "branch__code")),
        products=_normalized(products),
        product_measures={p: frozenset(m) for p, m in product_measures.items()},
        measures=measures, measure_words=_normalized(words),
        fiscal_years=dict(FiscalYear.objects.values_list("year", "start_month")),
    )


def _normalized(names: dict[str, str]) -> dict[str, str]:
    """Keys as a cell is read (NFKC: full-width brackets and digits become half-width)."""
    return {unicodedata.normalize("NFKC", key).strip(): value for key, value in names.items()}


def import_file(dataset: str, file_name: str, data: bytes, *, user: Any = None,
                source: str = ImportLog.Source.CLI, dry_run: bool = False,
                allowed_branches: set[str] | None = None, progress: bool = False) -> ImportOutcome:
    """Validate a targets or results file and, unless dry_run or any error, apply it.

    `allowed_branches` (branch codes) limits which rows may be imported (branch staff: their own).
    The file is read as a stream and each distinct cell validated once against master data read
    once; the rows are then upserted (INSERT … ON CONFLICT DO UPDATE on the table's unique keys;
    on PostgreSQL through COPY) and the touched rollups recomputed with one aggregate query.
    """
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {DATASETS}")
    outcome = ImportOutcome(dataset, file_name, hashlib.sha256(data).hexdigest())
    ref = reference()
    try:
        header, records = iter_records(Path(file_name), data)
        text = data[:2] != b"PK" and not file_name.lower().endswith(".xlsx")
        bar = (tqdm(records, desc="検証", unit="行", total=data.count(b"\n") if text else None)
               if progress else nullcontext(records))
        with bar as rows:
            parsed = (parse_results if dataset == "results" else parse_targets)(header, rows, ref)
    except TableReadError as exc:  # refused by the file guards, or not a table
        outcome.errors.append(exc.problem())
        return outcome
    outcome.rows_total = parsed.rows_read
    outcome.errors += parsed.errors
    outcome.warnings += parsed.warnings
    if parsed.ok and allowed_branches is not None:
        outcome.errors += _outside(parsed, allowed_branches)
    if not outcome.ok:
        return outcome
    ids = _Ids.load(ref)
    table = _Table.results(parsed, ids) if dataset == "results" else _Table.targets(parsed, ids)
    if dataset == "results":
        outcome.warnings += flow_warnings(parsed, ref, _stored_before(table, parsed, ids, ref))
    if dry_run:
        outcome.rows_replaced = _count_stored_keys(table, parsed, ids)
        outcome.rows_added = len(parsed) - outcome.rows_replaced
        return outcome
    filestore.store(data, outcome.sha256)
    with transaction.atomic():
        lock_imports()
        log = outcome.log = ImportLog.objects.create(
            user=user if getattr(user, "is_authenticated", False) else None,
            username=getattr(user, "username", "") or "", source=source, dataset=dataset,
            file_name=file_name[:255], sha256=outcome.sha256, rows_total=outcome.rows_total,
            warnings=len(outcome.warnings))
        moves = _moved_rows(table, parsed, ids)
        captured = _capture_replaced(table, log.pk, moves)
        moved_from = _move_unions(table, moves)
        before = _count_in_scope(table)
        _upsert(table, parsed, ids, progress, log.pk)
        outcome.rows_added = _count_in_scope(table) - before
        outcome.rows_replaced = len(parsed) - outcome.rows_added
        if captured != outcome.rows_replaced:
            _forget_untouched(table, log.pk)
        table.refresh_rollups(parsed, ids, moved_from)
        if dataset == "targets":
            # the month each applies from (a target file's groups are TargetGroups)
            outcome.revisions = record_revisions(cast("Iterable[TargetGroup]", parsed.groups))
        log.rows_added, log.rows_replaced = outcome.rows_added, outcome.rows_replaced
        log.save(update_fields=["rows_added", "rows_replaced"])
        record_change(outcome.log, action=AuditEntry.Action.IMPORT, before=None, user=user,
                      source=_AUDIT_SOURCE.get(source, AuditEntry.Source.WEB),
                      batch_id=f"import-{outcome.log.pk}")
    outcome.applied = True
    results_imported.send(sender=ImportLog, dataset=dataset, log=outcome.log, user=user)
    return outcome


#: The audit trail's source of an import's source (the demo's imports count as the web's).
_AUDIT_SOURCE: dict[str, str] = {ImportLog.Source.CLI: AuditEntry.Source.CLI,
                 ImportLog.Source.API: AuditEntry.Source.API}


#: PostgreSQL advisory lock key held by every import and revert until its transaction ends.
IMPORT_LOCK = 0x6B796F73  # "kyos"


def lock_imports() -> None:
    """One import or revert at a time: each reads the rows it will replace before writing, which
    another one still uncommitted would make stale. SQLite's IMMEDIATE transactions already
    serialise writers; PostgreSQL takes a transaction-level advisory lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (IMPORT_LOCK,))


def _outside(parsed: ParsedFile, allowed: set[str]) -> list[CellProblem]:
    problems = []
    for group, values in parsed.groups.items():
        lines = parsed.group_lines[group]
        problems += [CellProblem(lines[key], parsed.columns.get("branch"),
                                   f"県支部 {key[0] or '（全国）'} の行は取り込めません（権限がありません）")
                     for key in values if key[0] not in allowed]
    return sorted(problems, key=lambda problem: problem.line or 0)


@dataclass(slots=True)
class _Ids:
    """Master data as the database spells it: code → id, and each id → its part of a file key."""

    branches: dict[str | None, int | None]
    unions: dict[str | None, int | None]
    products: dict[str, int]
    measures: dict[str, int]
    fiscal_years: dict[int, int]
    branch_key: dict[int | None, tuple[str | None, None]]  # branch id → (code, no union)
    union_key: dict[int, tuple[str, str]]  # union id → (its branch's code, its code)
    product_code: dict[int, str]
    measure_code: dict[int, str]

    @classmethod
    def load(cls, ref: Reference) -> "_Ids":
        branches: dict[str | None, int | None] = {
            None: None, **dict(Branch.objects.values_list("code", "pk"))}
        unions: dict[str | None, int | None] = {
            None: None, **dict(Union.objects.values_list("code", "pk"))}
        products = dict(Product.objects.values_list("code", "pk"))
        measures = dict(Measure.objects.values_list("code", "pk"))
        return cls(branches, unions, products, measures,
                   dict(FiscalYear.objects.values_list("year", "pk")),
                   {pk: (code, None) for code, pk in branches.items()},
                   {pk: (ref.unions[code], code) for code, pk in unions.items()
                    if code is not None and pk is not None and code in ref.unions},
                   {pk: code for code, pk in products.items()},
                   {pk: code for code, pk in measures.items()})

    def file_keys(self, rows: Iterable[SQLRow]) -> Iterator[tuple[RowKey, list[Any]]]:
        """(key as a file spells it, rest) of stored (branch_id, union_id, product_id,
        measure_id, *rest) rows; a union row carries its union's current branch."""
        branch_key, union_key = self.branch_key, self.union_key
        product_code, measure_code = self.product_code, self.measure_code
        for branch_id, union_id, product_id, measure_id, *rest in rows:
            head = union_key[union_id] if union_id is not None else branch_key[branch_id]
            yield (*head, product_code[product_id], measure_code[measure_id]), rest


@dataclass(slots=True)
class _Group:
    """One group of the file (a month; a fiscal year and kind) as stored: its columns' values and
    the rows of the branches, products and measures it touches."""

    values: tuple[object, ...]  # of the table's group columns, as the ORM takes them
    branches: set[int | None]
    products: set[int]
    measures: set[int]

    def scope(self, model: Any, fields: tuple[str, ...], measures: set[int] | None = None,
              values: tuple[object, ...] | None = None) -> Any:
        chosen = self.measures if measures is None else self.measures & measures
        return model.objects.filter(
            _branches(self.branches), product_id__in=self.products, measure_id__in=chosen,
            **dict(zip(fields, self.values if values is None else values, strict=True)))


@dataclass(slots=True)
class _Table:
    """Where a dataset is stored: the detail table, the columns a group fills, its rollups."""

    model: Any
    group_fields: tuple[str, ...]
    groups: dict[Any, _Group]

    @classmethod
    def results(cls, parsed: ParsedFile, ids: _Ids) -> "_Table":
        return cls(MonthlyResult, ("month",), _groups(parsed, ids, lambda m: (m.first_day(),)))

    @classmethod
    def targets(cls, parsed: ParsedFile, ids: _Ids) -> "_Table":
        return cls(Target, ("fiscal_year_id", "kind", "revision"),
                   _groups(parsed, ids, lambda group: (ids.fiscal_years[group[0]], group[1],
                                                       group[2])))

    @property
    def group_columns(self) -> list[str]:
        return [self.model._meta.get_field(name).column for name in self.group_fields]

    @property
    def columns(self) -> list[str]:
        return [*self.group_columns, "branch_id", "union_id", "product_id", "measure_id", "value"]

    def scope(self, group: Any, measures: set[int] | None = None,
              values: tuple[object, ...] | None = None) -> Any:
        """The stored rows of a group's branches, products and measures (a QuerySet); `values`
        puts other values in the group's columns (the month before)."""
        return self.groups[group].scope(self.model, self.group_fields, measures, values)

    def refresh_rollups(self, parsed: ParsedFile, ids: _Ids, extra_branches: set[int]) -> None:
        branches: set[int | None] = set(extra_branches)
        products: set[int] = set()
        measures: set[int] = set()
        for group in self.groups.values():
            branches |= group.branches
            products |= group.products
            measures |= group.measures
        if self.model is MonthlyResult:
            months = cast("Iterable[YearMonth]", parsed.groups)  # a results file's groups
            _refresh_result_rollups({month.first_day() for month in months}, branches,
                                    products, measures)
        else:
            groups = cast("Iterable[TargetGroup]", parsed.groups)  # a target file's groups
            _refresh_target_rollups({ids.fiscal_years[group[0]]: group[0] for group in groups},
                                    {group[1] for group in groups},
                                    {group[2] for group in groups}, branches, products,
                                    measures)


def _groups(parsed: ParsedFile, ids: _Ids, values: Any) -> dict[Any, _Group]:
    out = {}
    for group, rows in parsed.groups.items():
        branches, products, measures = set(), set(), set()
        for branch, _, product, measure in rows:
            branches.add(branch)
            products.add(product)
            measures.add(measure)
        out[group] = _Group(values(group), {ids.branches[b] for b in branches},
                            {ids.products[p] for p in products},
                            {ids.measures[m] for m in measures})
    return out


def _count_stored_keys(table: _Table, parsed: ParsedFile, ids: _Ids) -> int:
    """How many keys of the file are stored already (read only: what a dry run reports)."""
    count = sum(len(pks) for moves in _moved_rows(table, parsed, ids).values()
                for pks, _ in moves.values())
    home_of = {union: ids.branches[branch] for union, (branch, _) in ids.union_key.items()}
    branch_key, union_key = ids.branch_key, ids.union_key
    product_code, measure_code = ids.product_code, ids.measure_code
    head: tuple[str | None, str | None]
    for group, values in parsed.groups.items():
        rows = table.scope(group).values_list("branch_id", "union_id", "product_id", "measure_id")
        for branch_id, union_id, product_id, measure_id in rows.iterator(chunk_size=10_000):
            if union_id is None:
                head = branch_key[branch_id]
            elif home_of[union_id] == branch_id:
                head = union_key[union_id]
            else:
                continue  # under a branch its union has left: counted above
            if (*head, product_code[product_id], measure_code[measure_id]) in values:
                count += 1
    return count


def _count_in_scope(table: _Table) -> int:
    """Stored rows in the scope of the file's groups: upserting adds exactly the new keys to it."""
    return sum(table.scope(group).count() for group in table.groups)


def _moved_rows(table: _Table, parsed: ParsedFile,
                ids: _Ids) -> dict[Any, dict[int, tuple[list[int], set[int]]]]:
    """Rows of the file's keys stored under another branch than their union's (the union has
    moved), by group and by the union's branch now: (row ids, the branches they are under)."""
    out: dict[Any, dict[int, tuple[list[int], set[int]]]] = {}
    every_branch: set[int | None] = {pk for pk in ids.branches.values() if pk is not None}
    for group, values in parsed.groups.items():
        if not any(key[1] is not None for key in values):
            continue  # no union rows
        # Every branch, not only the file's: the row may be under any. Listing them lets the
        # (branch, product, measure, month) index read the group's rows instead of the table.
        scope = replace(table.groups[group], branches=every_branch)
        stored = (scope.scope(table.model, table.group_fields)
                  .filter(union__isnull=False)
                  .exclude(branch_id=F("union__branch_id"))
                  .values_list("branch_id", "union_id", "product_id", "measure_id", "id",
                               "union__branch_id", "branch_id"))
        moves: dict[int, tuple[list[int], set[int]]] = {}
        for key, (pk, home, old) in ids.file_keys(stored):
            if key in values:
                pks, left = moves.setdefault(home, ([], set()))
                pks.append(pk)
                left.add(old)
        if moves:
            out[group] = moves
    return out


def _move_unions(table: _Table,
                 moved: dict[Any, dict[int, tuple[list[int], set[int]]]]) -> set[int]:
    """The file's keys stored under a branch their union has left take the union's branch now;
    returns the branches they leave, whose rollups change too."""
    left: set[int] = set()
    for moves in moved.values():
        for home, (pks, old) in moves.items():
            table.model.objects.filter(pk__in=pks).update(branch_id=home)
            left |= old
    return left


_REPLACED_COLUMNS = ("import_log_id", "row_id", "branch_id", "value", "last_import")


def _capture_replaced(table: _Table, log_id: int,
                      moved: dict[Any, dict[int, tuple[list[int], set[int]]]]) -> int:
    """Before the upsert, copy the stored rows the file may replace into ReplacedValue — the rows
    in the scope of each of the file's groups and the rows of unions that moved — with one
    INSERT … SELECT per group (no statement per row). Returns how many rows were copied: a
    superset of the keys the file replaces, trimmed by `_forget_untouched` when it differs."""
    quote = connection.ops.quote_name
    target = (f"INSERT INTO {quote(ReplacedValue._meta.db_table)} "
              f"({', '.join(quote(c) for c in _REPLACED_COLUMNS)}) ")
    copied = 0
    with connection.cursor() as cursor:
        for group in table.groups:
            query = table.scope(group).values_list("id", "branch_id", "value", "last_import")
            sql, params = query.query.sql_with_params()
            cursor.execute(target + f"SELECT %s, s.{quote('id')}, s.{quote('branch_id')}, "
                           f"s.{quote('value')}, s.{quote('last_import')} FROM ({sql}) s",
                           (log_id, *params))
            copied += cursor.rowcount
        pks = [pk for moves in moved.values() for ids, _ in moves.values() for pk in ids]
        for start in range(0, len(pks), 900):
            chunk = pks[start:start + 900]
            cursor.execute(
                target + f"SELECT %s, m.{quote('id')}, m.{quote('branch_id')}, m.{quote('value')}, "
                f"m.{quote('last_import')} FROM {quote(table.model._meta.db_table)} m "
                f"WHERE m.{quote('id')} IN ({', '.join(['%s'] * len(chunk))}) AND NOT EXISTS "
                f"(SELECT 1 FROM {quote(ReplacedValue._meta.db_table)} r "
                f"WHERE r.{quote('import_log_id')} = %s AND r.{quote('row_id')} = m.{quote('id')})",
                (log_id, *chunk, log_id))
            copied += cursor.rowcount
    return copied


def _forget_untouched(table: _Table, log_id: int) -> None:
    """Keep only the copied rows the upsert really replaced (now marked with this import)."""
    quote = connection.ops.quote_name
    replaced = quote(ReplacedValue._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {replaced} WHERE {quote('import_log_id')} = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {quote(table.model._meta.db_table)} m "
            f"WHERE m.{quote('id')} = {replaced}.{quote('row_id')} "
            f"AND m.{quote('last_import')} = %s)", (log_id, log_id))


def _stored_before(table: _Table, parsed: ParsedFile, ids: _Ids,
                   ref: Reference) -> dict[YearMonth, dict[RowKey, Value]]:
    """Stored flows of the month before each month of the file (same fiscal year), by file key."""
    flows = {ids.measures[code] for code, spec in ref.measures.items()
             if spec.kind is MeasureKind.FLOW and code in ids.measures}
    branch_key, union_key = ids.branch_key, ids.union_key
    product_code, measure_code = ids.product_code, ids.measure_code
    out: dict[YearMonth, dict[RowKey, Value]] = {}
    for month, prior in earlier_months(parsed, ref).items():
        query = (table.scope(month, flows, (prior.first_day(),))
                 .values_list("branch_id", "union_id", "product_id", "measure_id", "value"))
        stored = out[prior] = {}
        # Raw rows: flows are whole numbers (件, 円), so int() replaces the Decimal converter.
        with connection.cursor() as cursor:
            cursor.execute(*query.query.sql_with_params())
            while chunk := cursor.fetchmany(10_000):
                for branch_id, union_id, product_id, measure_id, value in chunk:
                    head = union_key[union_id] if union_id is not None else branch_key[branch_id]
                    stored[(*head, product_code[product_id], measure_code[measure_id])] = int(
                        value)
    return out


#: the kinds of row, each with its own partial unique constraint, in the order they are written
SCOPES = ("union", "branch", "national")


@dataclass(frozen=True, slots=True)
class _Conflict:
    """A partial unique constraint of the model as ON CONFLICT needs it: columns and condition."""

    columns: tuple[str, ...]
    condition: str


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name}: not a column")
    return field.column


def _conflicts(model: type[models.Model]) -> dict[str, _Conflict]:
    """scope → the model's UniqueConstraint for that kind of row (the one naming `union`, the one
    naming `branch`, the one naming neither), read from `Model._meta.constraints`, its condition
    compiled to SQL as the migration created the index."""
    found: dict[str, _Conflict] = {}
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint) or constraint.condition is None:
            continue
        fields = set(constraint.fields)
        scope = "union" if "union" in fields else "branch" if "branch" in fields else "national"
        query = Query(model=model, alias_cols=False)
        sql, params = query.build_where(constraint.condition).as_sql(
            query.get_compiler(connection=connection), connection)
        if params:  # only IS [NOT] NULL: nothing to quote into the statement
            raise ValueError(f"{constraint.name}: a condition with parameters")
        found[scope] = _Conflict(tuple(_column(model, name) for name in constraint.fields), sql)
    if set(found) != set(SCOPES):
        raise ValueError(f"{model.__name__}: one partial unique constraint per {SCOPES}")
    return {scope: found[scope] for scope in SCOPES}


def _upsert_sql(table: _Table, scope: str, log_id: int, source: str | None = None,
                rows: int = 1) -> str:
    """INSERT (`rows` rows of parameters, or the rows of `source` in its scope) that replaces the
    value of a key already stored; every row written is marked with the import (`last_import`,
    an integer of ours written into the statement)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in table.columns)
    conflict = _conflicts(table.model)[scope]
    condition = conflict.condition
    values = f"({', '.join(['%s'] * len(table.columns))}, {int(log_id)})"
    source_rows = (f"VALUES {', '.join([values] * rows)}" if source is None
                   else f"SELECT {columns}, {int(log_id)} FROM {quote(source)} WHERE {condition}")
    return (f"INSERT INTO {quote(table.model._meta.db_table)} ({columns}, {quote('last_import')})"
            f" {source_rows} "
            f"ON CONFLICT ({', '.join(quote(c) for c in conflict.columns)}) "
            f"WHERE {condition} DO UPDATE SET {quote('value')} = EXCLUDED.{quote('value')}, "
            f"{quote('last_import')} = EXCLUDED.{quote('last_import')}")


def _rows(table: _Table, parsed: ParsedFile, ids: _Ids,
          adapt: Any = None) -> Iterator[tuple[str, SQLRow]]:
    """(scope, row as the table's columns) for every row of the file; `adapt` adapts a month."""
    branches, unions, products, measures = ids.branches, ids.unions, ids.products, ids.measures
    for group, values in parsed.groups.items():
        head = table.groups[group].values
        if adapt is not None and table.model is MonthlyResult:
            head = (adapt(head[0]),)
        for (branch, union, product, measure), value in values.items():
            scope = "union" if union is not None else "branch" if branch is not None else (
                "national")
            yield scope, (*head, branches[branch], unions[union], products[product],
                          measures[measure], value)


#: Rows per INSERT statement on SQLite (fewer when the database allows fewer parameters).
ROWS_PER_STATEMENT = 1000


def _max_parameters() -> int | None:
    """How many parameters one statement may bind: on SQLite the connection's own limit
    (32,766 since SQLite 3.32; Django's features assume the old 999), else Django's figure."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        getlimit = getattr(connection.connection, "getlimit", None)  # Python 3.11+
        if getlimit is not None:
            return int(getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return connection.features.max_query_params


def _upsert(table: _Table, parsed: ParsedFile, ids: _Ids, progress: bool, log_id: int) -> None:
    """Insert the file's rows, replacing the value of every key already stored."""
    with connection.cursor() as cursor, tqdm(total=len(parsed), desc="取込", unit="行",
                                             disable=not progress) as bar:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy"):
            _upsert_by_copy(cursor, table, parsed, ids, bar, log_id)
            return
        _upsert_by_values(cursor, table, parsed, ids, bar, log_id)


def _upsert_by_values(cursor: Any, table: _Table, parsed: ParsedFile, ids: _Ids, bar: Any,
                      log_id: int) -> None:
    """SQLite (and any backend without COPY): INSERT … VALUES of many rows at once, one
    executemany per INSERT_BATCH rows of a kind — a statement per row costs the sqlite3 module
    about as much again as writing the row."""
    width = len(table.columns)
    limit = _max_parameters()
    per = ROWS_PER_STATEMENT if limit is None else max(1, min(ROWS_PER_STATEMENT, limit // width))
    statements = {scope: _upsert_sql(table, scope, log_id, rows=per) for scope in SCOPES}
    full = per * width
    flat: dict[str, list[Any]] = {scope: [] for scope in SCOPES}  # the next statement's values
    pending: dict[str, list[list[Any]]] = {scope: [] for scope in SCOPES}  # whole statements
    batch = max(1, INSERT_BATCH // per)
    for scope, row in _rows(table, parsed, ids, connection.ops.adapt_datefield_value):
        values = flat[scope]
        values += row
        if len(values) == full:
            statements_due = pending[scope]
            statements_due.append(values)
            flat[scope] = []
            if len(statements_due) == batch:
                cursor.executemany(statements[scope], statements_due)
                bar.update(per * len(statements_due))
                statements_due.clear()
    for scope in SCOPES:
        if pending[scope]:
            cursor.executemany(statements[scope], pending[scope])
            bar.update(per * len(pending[scope]))
        if flat[scope]:  # the last rows of this kind: one statement of their number
            cursor.execute(_upsert_sql(table, scope, log_id, rows=len(flat[scope]) // width),
                           flat[scope])
            bar.update(len(flat[scope]) // width)


_STAGING = "kyosai_import_rows"


def _upsert_by_copy(cursor: Any, table: _Table, parsed: ParsedFile, ids: _Ids, bar: Any,
                    log_id: int) -> None:
    """PostgreSQL (psycopg 3): COPY the rows into a temporary table, then one INSERT … SELECT …
    ON CONFLICT per kind of row — no statement per row."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in table.columns)
    cursor.execute(f"DROP TABLE IF EXISTS {quote(_STAGING)}")
    cursor.execute(f"CREATE TEMPORARY TABLE {quote(_STAGING)} ON COMMIT DROP AS SELECT {columns} "
                   f"FROM {quote(table.model._meta.db_table)} WITH NO DATA")
    scopes = set()
    with cursor.cursor.copy(f"COPY {quote(_STAGING)} ({columns}) FROM STDIN") as copy:
        for count, (scope, row) in enumerate(_rows(table, parsed, ids), start=1):
            copy.write_row(row)
            scopes.add(scope)
            if count % INSERT_BATCH == 0:
                bar.update(INSERT_BATCH)
    for scope in SCOPES:
        if scope in scopes:
            cursor.execute(_upsert_sql(table, scope, log_id, _STAGING))
    cursor.execute(f"DROP TABLE {quote(_STAGING)}")
    bar.update(len(parsed) - bar.n)


def _refresh_result_rollups(months: set[datetime.date], branches: set[int | None],
                            products: set[int], measures: set[int]) -> None:
    """Recompute BranchResult over the months × branches × products × measures touched."""
    scope = Q(month__in=months, product_id__in=products, measure_id__in=measures) & _branches(
        branches)
    rows = (MonthlyResult.objects.filter(scope)
            .values_list("month", "branch_id", "product_id", "measure_id")
            .annotate(own=Sum("value", filter=Q(union__isnull=True)),
                      unions=Sum("value", filter=Q(union__isnull=False))).order_by())
    fields = ("month", "branch_id", "product_id", "measure_id")
    _replace_rollups(BranchResult, scope, fields, rows)


def _refresh_target_rollups(years: dict[int, int], kinds: set[str], revisions: set[int],
                            branches: set[int | None], products: set[int],
                            measures: set[int]) -> None:
    """Recompute BranchTarget over the years (fiscal year id → year) × kinds × revisions ×
    branches × products × measures touched."""
    common = {"kind__in": kinds, "revision__in": revisions,
              "product_id__in": products, "measure_id__in": measures}
    rows = [(years[fy], *rest) for fy, *rest in
            Target.objects.filter(_branches(branches), fiscal_year_id__in=years, **common)
            .values_list("fiscal_year_id", "kind", "revision", "branch_id", "product_id",
                         "measure_id")
            .annotate(own=Sum("value", filter=Q(union__isnull=True)),
                      unions=Sum("value", filter=Q(union__isnull=False))).order_by()]
    scope = Q(fiscal_year__in=set(years.values()), **common) & _branches(branches)
    fields = ("fiscal_year", "kind", "revision", "branch_id", "product_id", "measure_id")
    _replace_rollups(BranchTarget, scope, fields, rows)


def _branches(ids: set[int | None]) -> Q:
    condition = Q(branch_id__in={i for i in ids if i is not None})
    return condition | Q(branch__isnull=True) if None in ids else condition


def _replace_rollups(model: Any, scope: Q, fields: tuple[str, ...],
                     rows: Iterable[SQLRow]) -> None:
    """Delete the rollups in scope and write them again from the aggregated detail rows."""
    model.objects.filter(scope).delete()
    columns = [model._meta.get_field(name) for name in (*fields, "value")]
    dated = [i for i, column in enumerate(columns) if column.get_internal_type() == "DateField"]
    adapt = connection.ops.adapt_datefield_value
    out = []
    for *key, own, unions in rows:
        value = branch_figure(own, [unions] if unions is not None else [])
        if value is not None:
            for i in dated:
                key[i] = adapt(key[i])
            out.append((*key, value))
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for start in range(0, len(out), INSERT_BATCH):
            cursor.executemany(
                f"INSERT INTO {quote(model._meta.db_table)} "
                f"({', '.join(quote(column.column) for column in columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))})", out[start:start + INSERT_BATCH])


def refresh_branch_rollups(branch_ids: set[int]) -> None:
    """Recompute every month's and year's rollups of these branches from their detail rows
    (after unions moved between branches or merged: `org.imports`, `members.services`)."""
    if not branch_ids:
        return
    scope = Q(branch_id__in=branch_ids)
    rows = (MonthlyResult.objects.filter(scope)
            .values_list("month", "branch_id", "product_id", "measure_id")
            .annotate(own=Sum("value", filter=Q(union__isnull=True)),
                      unions=Sum("value", filter=Q(union__isnull=False))).order_by())
    _replace_rollups(BranchResult, scope, ("month", "branch_id", "product_id", "measure_id"), rows)
    targets = [(year, *rest) for year, *rest in
               Target.objects.filter(scope)
               .values_list("fiscal_year__year", "kind", "branch_id", "product_id", "measure_id")
               .annotate(own=Sum("value", filter=Q(union__isnull=True)),
                         unions=Sum("value", filter=Q(union__isnull=False))).order_by()]
    _replace_rollups(BranchTarget, scope,
                     ("fiscal_year", "kind", "branch_id", "product_id", "measure_id"), targets)
