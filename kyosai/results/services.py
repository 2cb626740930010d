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
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, Sum
from tqdm import tqdm

from kyosai.catalog.models import FiscalYear, Measure, Product, ProductMeasure
from kyosai.core.models import AuditEntry, record_change
from kyosai.core.tabular import TableReadError, read_table
from kyosai.domain.importing import (
    ImportProblem,
    ParsedFile,
    Reference,
    flow_warnings,
    parse_results,
    parse_targets,
)
from kyosai.domain.measures import MEASURE_WORDS, MeasureKind
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
    """
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {DATASETS}")
    outcome = ImportOutcome(dataset, file_name, hashlib.sha256(data).hexdigest())
    try:
        header, rows = read_table(Path(file_name), data)
    except TableReadError as exc:
        outcome.errors.append(ImportProblem(None, None, str(exc)))
        return outcome
    ref = reference()
    parsed = (parse_results if dataset == "results" else parse_targets)(header, rows, ref)
    outcome.rows_total = len(rows)
    outcome.errors += parsed.errors
    outcome.warnings += parsed.warnings
    if parsed.ok and allowed_branches is not None:
        outcome.errors += _outside(parsed, allowed_branches, dataset)
    if not outcome.ok:
        return outcome
    ids = _Ids.load()
    if dataset == "results":
        outcome.warnings += flow_warnings(parsed.values, parsed.lines, ref,
                                          _stored_before(parsed, ids, ref))
    keys = _id_keys(dataset, parsed, ids)
    existing = _existing(dataset, keys)
    outcome.rows_replaced = sum(1 for key in parsed.values if key in existing)
    outcome.rows_added = len(parsed.values) - outcome.rows_replaced
    if dry_run:
        return outcome
    with transaction.atomic():
        _apply(dataset, parsed, ids, keys, existing, progress)
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


def _outside(parsed: ParsedFile, allowed: set[str], dataset: str) -> list[ImportProblem]:
    branch_at = 1 if dataset == "results" else 2
    return [ImportProblem(parsed.lines[key], parsed.columns.get("branch"),
                          f"県支部 {key[branch_at] or '（全国）'} の行は取り込めません（権限がありません）")
            for key in parsed.values if key[branch_at] not in allowed]


@dataclass(slots=True)
class _Ids:
    branches: dict[str, int]
    unions: dict[str, int]
    products: dict[str, int]
    measures: dict[str, int]
    fiscal_years: dict[int, int]

    @classmethod
    def load(cls) -> "_Ids":
        return cls(dict(Branch.objects.values_list("code", "pk")),
                   dict(Union.objects.values_list("code", "pk")),
                   dict(Product.objects.values_list("code", "pk")),
                   dict(Measure.objects.values_list("code", "pk")),
                   dict(FiscalYear.objects.values_list("year", "pk")))



def _id_keys(dataset: str, parsed: ParsedFile, ids: _Ids) -> dict[tuple, tuple]:
    """Each key of the file as the database spells it (ids and dates) → the file's key."""
    branch, union = ids.branches, ids.unions
    if dataset == "results":
        months = {m: month_date(m) for m in {k[0] for k in parsed.values}}
        return {(months[m], branch.get(b or ""), union.get(u or ""), ids.products[p],
                 ids.measures[me]): (m, b, u, p, me) for (m, b, u, p, me) in parsed.values}
    return {(ids.fiscal_years[fy], kind, branch.get(b or ""), union.get(u or ""),
             ids.products[p], ids.measures[me]): (fy, kind, b, u, p, me)
            for (fy, kind, b, u, p, me) in parsed.values}


def _existing(dataset: str, keys: dict[tuple, tuple]) -> dict[tuple, int]:
    """Stored rows (the file's key → row id) with the keys of the file."""
    products = {k[-2] for k in keys}
    measures = {k[-1] for k in keys}
    if dataset == "results":
        query = MonthlyResult.objects.filter(
            month__in={k[0] for k in keys}, product_id__in=products,
            measure_id__in=measures).values_list("month", "branch_id", "union_id", "product_id",
                                                 "measure_id", "id")
    else:
        query = Target.objects.filter(
            fiscal_year_id__in={k[0] for k in keys}, product_id__in=products,
            measure_id__in=measures).values_list("fiscal_year_id", "kind", "branch_id",
                                                 "union_id", "product_id", "measure_id", "id")
    found = {}
    for *key, pk in query.iterator(chunk_size=10_000):
        file_key = keys.get(tuple(key))
        if file_key is not None:
            found[file_key] = pk
    return found


def _stored_before(parsed: ParsedFile, ids: _Ids, ref: Reference) -> dict[tuple, Decimal]:
    """Stored figures of the month before each flow row whose previous month is not in the file."""
    flows = {code for code, spec in ref.measures.items() if spec.kind is MeasureKind.FLOW}
    shifted = {m: m.shift(-1) for m in {k[0] for k in parsed.values}}
    wanted = {(shifted[k[0]], *k[1:]) for k in parsed.values if k[4] in flows}
    wanted -= set(parsed.values)
    if not wanted:
        return {}
    months = {m: month_date(m) for m in {k[0] for k in wanted}}
    by_ids = {(months[m], ids.branches.get(b or ""), ids.unions.get(u or ""), ids.products[p],
               ids.measures[me]): (m, b, u, p, me) for (m, b, u, p, me) in wanted}
    query = MonthlyResult.objects.filter(
        month__in=set(months.values()), product_id__in={k[3] for k in by_ids},
        measure_id__in={k[4] for k in by_ids}).values_list(
        "month", "branch_id", "union_id", "product_id", "measure_id", "value")
    out = {}
    for *key, value in query.iterator(chunk_size=10_000):
        file_key = by_ids.get(tuple(key))
        if file_key is not None:
            out[file_key] = value
    return out


def _apply(dataset: str, parsed: ParsedFile, ids: _Ids, keys: dict[tuple, tuple],
           existing: dict[tuple, int], progress: bool) -> None:
    """Update the values of existing keys in place, insert the new ones, refresh the rollups."""
    model = MonthlyResult if dataset == "results" else Target
    quote = connection.ops.quote_name
    updates = [(parsed.values[key], pk) for key, pk in existing.items()]
    if updates:
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {quote(model._meta.db_table)} SET {quote('value')} = %s "
                               f"WHERE {quote('id')} = %s", updates)
    if dataset == "results":
        columns = ("month", "branch_id", "union_id", "product_id", "measure_id", "value")
        adapted = {k[0]: connection.ops.adapt_datefield_value(k[0]) for k in keys}
        rows = [(adapted[k[0]], *k[1:], parsed.values[key]) for k, key in keys.items()
                if key not in existing]
    else:
        columns = ("fiscal_year_id", "kind", "branch_id", "union_id", "product_id", "measure_id",
                   "value")
        rows = [(*k, parsed.values[key]) for k, key in keys.items() if key not in existing]
    _insert(model, columns, rows, progress)
    if dataset == "results":
        _refresh_result_rollups(parsed, ids)
    else:
        _refresh_target_rollups(parsed, ids)


def _insert(model: Any, columns: Iterable[str], rows: list[tuple], progress: bool) -> None:
    quote = connection.ops.quote_name
    cols = list(columns)
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in cols)}) "
           f"VALUES ({', '.join(['%s'] * len(cols))})")
    with connection.cursor() as cursor, tqdm(total=len(rows), desc="取込", unit="行",
                                             disable=not progress) as bar:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start:start + INSERT_BATCH]
            cursor.executemany(sql, batch)
            bar.update(len(batch))


def _refresh_result_rollups(parsed: ParsedFile, ids: _Ids) -> None:
    """Recompute BranchResult over the months × branches × products × measures the file touched."""
    months = {month_date(k[0]) for k in parsed.values}
    branches = {ids.branches.get(k[1] or "") for k in parsed.values}
    products = {ids.products[k[3]] for k in parsed.values}
    measures = {ids.measures[k[4]] for k in parsed.values}
    scope = Q(month__in=months, product_id__in=products, measure_id__in=measures) & _branches(
        branches)
    rows = (MonthlyResult.objects.filter(scope)
            .values_list("month", "branch_id", "product_id", "measure_id")
            .annotate(own=Sum("value", filter=Q(union__isnull=True)),
                      unions=Sum("value", filter=Q(union__isnull=False))).order_by())
    fields = ("month", "branch_id", "product_id", "measure_id")
    _replace_rollups(BranchResult, scope, fields, rows)


def _refresh_target_rollups(parsed: ParsedFile, ids: _Ids) -> None:
    """Recompute BranchTarget over the years × kinds × branches × products × measures touched."""
    years = {ids.fiscal_years[k[0]]: k[0] for k in parsed.values}
    kinds = {k[1] for k in parsed.values}
    branches = {ids.branches.get(k[2] or "") for k in parsed.values}
    products = {ids.products[k[4]] for k in parsed.values}
    measures = {ids.measures[k[5]] for k in parsed.values}
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
