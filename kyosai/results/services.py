"""Writes of targets and results: importing files (validate → apply in one transaction).

`import_file` parses with `kyosai.domain.importing`; nothing is written when any row has an
error or on a dry run. Re-importing replaces the values of the keys in the file (idempotent).
Every applied import leaves an ImportLog row and an audit entry; the branch rollups of the
touched keys are recomputed (`kyosai.domain.rollup.branch_figure`).
"""

import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, Sum
from tqdm import tqdm

from kyosai.catalog.models import FiscalYear, Measure, Product, ProductMeasure
from kyosai.core.models import AuditEntry, record_change
from kyosai.core.tabular import TableReadError, iter_records
from kyosai.domain.importing import (
    ImportProblem,
    ParsedFile,
    Reference,
    RowKey,
    earlier_months,
    flow_warnings,
    parse_results,
    parse_targets,
)
from kyosai.domain.measures import MEASURE_WORDS, MeasureKind
from kyosai.domain.periods import YearMonth
from kyosai.domain.rollup import branch_figure
from kyosai.org.models import Branch, Union
from kyosai.results.models import (
    BranchResult,
    BranchTarget,
    ImportLog,
    MonthlyResult,
    Target,
    month_date,
)

__all__ = ["DATASETS", "ImportOutcome", "import_file", "reference"]

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
    errors: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    log: ImportLog | None = None

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
    The file is read as a stream and validated row by row against master data looked up once;
    valid rows are upserted (INSERT … ON CONFLICT DO UPDATE on the table's unique keys).
    """
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {DATASETS}")
    outcome = ImportOutcome(dataset, file_name, hashlib.sha256(data).hexdigest())
    ref = reference()
    try:
        header, records = iter_records(Path(file_name), data)
        with tqdm(records, desc="検証", unit="行", disable=not progress,
                  total=data.count(b"\n") or None) as rows:
            parsed = (parse_results if dataset == "results" else parse_targets)(header, rows, ref)
    except TableReadError as exc:
        outcome.errors.append(ImportProblem(None, None, str(exc)))
        return outcome
    outcome.rows_total = parsed.rows_read
    outcome.errors += parsed.errors
    outcome.warnings += parsed.warnings
    if parsed.ok and allowed_branches is not None:
        outcome.errors += _outside(parsed, allowed_branches)
    if not outcome.ok:
        return outcome
    table = _Table.results() if dataset == "results" else _Table.targets()
    ids = _Ids.load(ref)
    if dataset == "results":
        outcome.warnings += flow_warnings(parsed, ref, _stored_before(parsed, ids, ref))
    with transaction.atomic():
        stored = _count_stored(table, parsed, ids)
        outcome.rows_replaced = stored.count
        outcome.rows_added = len(parsed) - stored.count
        if dry_run:
            return outcome
        _upsert(table, parsed, ids, progress)
        table.refresh_rollups(parsed, ids, stored.other_branches)
        outcome.log = ImportLog.objects.create(
            user=user if getattr(user, "is_authenticated", False) else None,
            username=getattr(user, "username", "") or "", source=source, dataset=dataset,
            file_name=file_name[:255], sha256=outcome.sha256, rows_total=outcome.rows_total,
            rows_added=outcome.rows_added, rows_replaced=outcome.rows_replaced,
            warnings=len(outcome.warnings))
        record_change(outcome.log, action="create", before=None, user=user,
                      source=AuditEntry.Source.CLI if source == ImportLog.Source.CLI
                      else AuditEntry.Source.WEB, batch_id=f"import-{outcome.log.pk}")
    outcome.applied = True
    return outcome


def _outside(parsed: ParsedFile, allowed: set[str]) -> list[ImportProblem]:
    problems = []
    for group, values in parsed.groups.items():
        lines = parsed.group_lines[group]
        problems += [ImportProblem(lines[key], parsed.columns.get("branch"),
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
                    if code is not None and code in ref.unions},
                   {pk: code for code, pk in products.items()},
                   {pk: code for code, pk in measures.items()})

    def file_key(self, branch_id: int | None, union_id: int | None, product_id: int,
                 measure_id: int) -> RowKey:
        """A stored row's key as a file spells it (a union row carries its current branch)."""
        head = self.union_key[union_id] if union_id is not None else self.branch_key[branch_id]
        return (*head, self.product_code[product_id], self.measure_code[measure_id])


@dataclass(frozen=True, slots=True)
class _Table:
    """Where a dataset is stored: the detail table, the columns a group fills, its rollups."""

    model: Any
    group_fields: tuple[str, ...]

    @classmethod
    def results(cls) -> "_Table":
        return cls(MonthlyResult, ("month",))

    @classmethod
    def targets(cls) -> "_Table":
        return cls(Target, ("fiscal_year_id", "kind"))

    def group_values(self, group: Any, ids: _Ids) -> tuple:
        if self.model is MonthlyResult:
            return (month_date(group),)
        year, kind = group
        return (ids.fiscal_years[year], kind)

    def refresh_rollups(self, parsed: ParsedFile, ids: _Ids, extra_branches: set[int]) -> None:
        if self.model is MonthlyResult:
            _refresh_result_rollups(parsed, ids, extra_branches)
        else:
            _refresh_target_rollups(parsed, ids, extra_branches)


@dataclass(slots=True)
class _Stored:
    count: int = 0  # keys of the file already stored
    other_branches: set[int] = field(default_factory=set)  # a union's rows stored under another


def _scope_filter(values: dict[RowKey, Any], ids: _Ids, measures: set[str] | None = None) -> Q:
    """Rows of the branches, products and measures a group of the file touches (index-friendly)."""
    branches = {key[0] for key in values}
    products = {ids.products[key[2]] for key in values}
    codes = {key[3] for key in values}
    if measures is not None:
        codes &= measures
    return Q(product_id__in=products, measure_id__in={ids.measures[c] for c in codes}) & _branches(
        {ids.branches[b] for b in branches})


def _count_stored(table: _Table, parsed: ParsedFile, ids: _Ids) -> _Stored:
    """How many keys of the file are stored already (they will be replaced, the rest added)."""
    stored = _Stored()
    for group, values in parsed.groups.items():
        where = dict(zip(table.group_fields, table.group_values(group, ids), strict=True))
        rows = (table.model.objects.filter(_scope_filter(values, ids), **where)
                .values_list("branch_id", "union_id", "product_id", "measure_id"))
        file_key, union_key = ids.file_key, ids.union_key
        for branch_id, union_id, product_id, measure_id in rows.iterator(chunk_size=10_000):
            if file_key(branch_id, union_id, product_id, measure_id) in values:
                stored.count += 1
                if union_id is not None and ids.branches[union_key[union_id][0]] != branch_id:
                    stored.other_branches.add(branch_id)
    return stored


def _stored_before(parsed: ParsedFile, ids: _Ids, ref: Reference) -> dict[YearMonth, dict]:
    """Stored flows of the month before each month of the file (same fiscal year), by file key."""
    flows = {code for code, spec in ref.measures.items() if spec.kind is MeasureKind.FLOW}
    out: dict[YearMonth, dict] = {}
    for month, prior in earlier_months(parsed, ref).items():
        values = parsed.groups[month]
        rows = (MonthlyResult.objects.filter(_scope_filter(values, ids, flows),
                                             month=month_date(prior))
                .values_list("branch_id", "union_id", "product_id", "measure_id", "value"))
        out[prior] = {ids.file_key(*key): value for *key, value in rows.iterator(chunk_size=10_000)}
    return out


_CONFLICTS = {  # the unique constraints of results_monthlyresult / results_target, verbatim
    "union": (("union_id", "product_id", "measure_id"), '"union_id" IS NOT NULL'),
    "branch": (("branch_id", "product_id", "measure_id"),
               '("branch_id" IS NOT NULL AND "union_id" IS NULL)'),
    "national": (("product_id", "measure_id"), '("branch_id" IS NULL AND "union_id" IS NULL)'),
}


def _upsert_sql(table: _Table, scope: str) -> str:
    quote = connection.ops.quote_name
    group = [table.model._meta.get_field(name).column for name in table.group_fields]
    columns = [*group, "branch_id", "union_id", "product_id", "measure_id", "value"]
    target, condition = _CONFLICTS[scope]
    updates = ["value"] if scope != "union" else ["branch_id", "value"]
    return (f"INSERT INTO {quote(table.model._meta.db_table)} "
            f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
            f"ON CONFLICT ({', '.join(quote(c) for c in [*group, *target])}) WHERE {condition} "
            f"DO UPDATE SET {', '.join(f'{quote(c)} = EXCLUDED.{quote(c)}' for c in updates)}")


def _upsert(table: _Table, parsed: ParsedFile, ids: _Ids, progress: bool) -> None:
    """Insert the file's rows, replacing the value of every key already stored."""
    statements = {scope: _upsert_sql(table, scope) for scope in _CONFLICTS}
    branches, unions, products, measures = ids.branches, ids.unions, ids.products, ids.measures
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor, tqdm(total=len(parsed), desc="取込", unit="行",
                                             disable=not progress) as bar:
        for group, values in parsed.groups.items():
            head = table.group_values(group, ids)
            if table.model is MonthlyResult:
                head = (adapt(head[0]),)
            batches: dict[str, list[tuple]] = {scope: [] for scope in _CONFLICTS}
            for (branch, union, product, measure), value in values.items():
                scope = "union" if union is not None else "branch" if branch is not None else (
                    "national")
                batch = batches[scope]
                batch.append((*head, branches[branch], unions[union], products[product],
                              measures[measure], value))
                if len(batch) >= INSERT_BATCH:
                    cursor.executemany(statements[scope], batch)
                    bar.update(len(batch))
                    batch.clear()
            for scope, batch in batches.items():
                if batch:
                    cursor.executemany(statements[scope], batch)
                    bar.update(len(batch))


def _touched(parsed: ParsedFile, ids: _Ids, extra_branches: set[int]) -> tuple[set, set, set]:
    branches, products, measures = set(extra_branches), set(), set()
    for values in parsed.groups.values():
        branches |= {ids.branches[key[0]] for key in values}
        products |= {ids.products[key[2]] for key in values}
        measures |= {ids.measures[key[3]] for key in values}
    return branches, products, measures


def _refresh_result_rollups(parsed: ParsedFile, ids: _Ids, extra_branches: set[int]) -> None:
    """Recompute BranchResult over the months × branches × products × measures the file touched."""
    months = {month_date(month) for month in parsed.groups}
    branches, products, measures = _touched(parsed, ids, extra_branches)
    scope = Q(month__in=months, product_id__in=products, measure_id__in=measures) & _branches(
        branches)
    rows = (MonthlyResult.objects.filter(scope)
            .values_list("month", "branch_id", "product_id", "measure_id")
            .annotate(own=Sum("value", filter=Q(union__isnull=True)),
                      unions=Sum("value", filter=Q(union__isnull=False))).order_by())
    fields = ("month", "branch_id", "product_id", "measure_id")
    _replace_rollups(BranchResult, scope, fields, rows)


def _refresh_target_rollups(parsed: ParsedFile, ids: _Ids, extra_branches: set[int]) -> None:
    """Recompute BranchTarget over the years × kinds × branches × products × measures touched."""
    years = {ids.fiscal_years[year]: year for year, _ in parsed.groups}
    kinds = {kind for _, kind in parsed.groups}
    branches, products, measures = _touched(parsed, ids, extra_branches)
    common = {"kind__in": kinds, "product_id__in": products, "measure_id__in": measures}
    rows = [(years[fy], *rest) for fy, *rest in
            Target.objects.filter(_branches(branches), fiscal_year_id__in=years, **common)
            .values_list("fiscal_year_id", "kind", "branch_id", "product_id", "measure_id")
            .annotate(own=Sum("value", filter=Q(union__isnull=True)),
                      unions=Sum("value", filter=Q(union__isnull=False))).order_by()]
    scope = Q(fiscal_year__in=set(years.values()), **common) & _branches(branches)
    fields = ("fiscal_year", "kind", "branch_id", "product_id", "measure_id")
    _replace_rollups(BranchTarget, scope, fields, rows)


def _branches(ids: set[int | None]) -> Q:
    condition = Q(branch_id__in={i for i in ids if i is not None})
    return condition | Q(branch__isnull=True) if None in ids else condition


def _replace_rollups(model: Any, scope: Q, fields: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Delete the rollups in scope and write them again from the aggregated detail rows."""
    model.objects.filter(scope).delete()
    objects = []
    for *key, own, unions in rows:
        value = branch_figure(own, [unions] if unions is not None else [])
        if value is not None:
            objects.append(model(**dict(zip(fields, key, strict=True)), value=value))
    model.objects.bulk_create(objects, batch_size=2000)
