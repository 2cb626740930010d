"""The demo federation: unions, 36 months of results and three years of targets, in bulk.

Layout of the generated data (docs/data-formats.md explains it to users):
- union-level rows for the counts a union can be credited with — 保有件数, 新契約件数, 移行契約件数;
- branch-level rows for 保有口数, money (掛金, 付加) and rates (付帯率), and for every measure of the
  HQ row 本部, which has no unions;
- national rows only for 付帯率, a rate given as data;
- the branch rollups (`BranchResult`, `BranchTarget`) written beside them.

National figures come from `demo_plan`; they are spread over branches and unions with exact
integer apportionment, so every total adds up to the national figure to the yen. Rows are
written with executemany (COPY on PostgreSQL) in large batches (no per-object ORM work).
"""

import contextlib
import datetime
import hashlib
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from tqdm import tqdm

from kyosai.catalog.models import FiscalYear, Measure, Product, ProductMeasure
from kyosai.domain.achievement import attachment_rate_pct
from kyosai.domain.rollup import apportion
from kyosai.org.models import Branch, Union
from kyosai.results.demo_plan import (
    FISCAL_YEARS,
    MONTHS,
    NationalPlan,
    build_national_plan,
    load_figures,
)
from kyosai.results.models import (
    BranchResult,
    BranchTarget,
    ImportLog,
    MonthlyResult,
    Target,
    TargetKind,
)

__all__ = ["DemoSummary", "generate"]

UNION_MEASURES = ("holdings", "new_contracts", "migrations")
FLOW_MEASURES = ("premiums", "loading", "new_contracts", "migrations")
UNION_COUNT = 2_550
#: How likely a union is to carry each product, in % (general: every union).
PARTICIPATION = {
    "general": 100, "group_life": 97, "retiree_group_life": 30, "long_term_savings": 45,
    "qualified_pension": 25, "mycar": 85, "vehicle_damage": 100, "compulsory_auto": 35,
    "fire": 55, "natural_disaster": 45, "child_maturity": 12, "parent_child": 25,
    "traffic_accident": 40, "nursing_care": 3, "post_retirement": 20, "misc": 60,
}
PLACE_HEADS = "大小上下中東西南北高山川田松竹桜若青白長広福本新古石森野原浜岡宮島沢"
PLACE_TAILS = "田川山島野原沢岡浜崎津井町里見谷瀬宮部江越木城戸根尾"
UNION_KINDS = ("市職員労働組合", "町職員労働組合", "村職員組合", "市職員組合", "町職員組合",
               "市水道労働組合", "市立病院労働組合", "市清掃労働組合", "市社会福祉協議会労働組合",
               "広域連合職員労働組合", "消防組合職員労働組合", "市公共サービスユニオン")
SOCIAL_INSURANCE_KINDS = ("年金事務所労働組合", "社会保険労働組合", "健康保険協会労働組合")
BATCH = 20_000


@dataclass(frozen=True, slots=True)
class DemoSummary:
    unions: int
    results: int
    targets: int
    rollup_rows: int


@dataclass(slots=True)
class _World:
    """The master data the generator works against, looked up once."""

    branches: list[Branch]
    base: dict[int, int]  # branch id → 総合共済 holdings 2024-11 (appendix table 9)
    mycar_new: dict[int, tuple[int, int]]  # branch id → FY2023 (to May), FY2024 (to Nov)
    products: dict[str, int]
    measures: dict[str, int]
    product_measures: dict[str, list[str]]
    fiscal_years: dict[int, int]
    unions: dict[int, list[tuple[int, int]]]  # branch id → [(union id, weight)]
    seed: int


def generate(seed: int = 0, unions: int = UNION_COUNT, progress: bool = True) -> DemoSummary:
    """Replace all targets and results with the demo federation's; create missing unions."""
    rng = random.Random(seed)
    figures = load_figures()
    plan = build_national_plan(figures, seed, composites=_composites())
    with _bulk_load(), transaction.atomic():
        world = _world(figures, rng, unions, seed)
        _clear()
        writer = _Writer()
        with _foreign_keys_dropped(MonthlyResult, BranchResult, Target, BranchTarget):
            with _indexes_dropped(MonthlyResult):
                _write_results(world, plan, rng, writer, progress)
                writer.flush()
            _write_targets(world, plan, rng, writer)
            writer.flush()
        _analyse()
        ImportLog.objects.create(
            source=ImportLog.Source.DEMO, dataset=ImportLog.Dataset.RESULTS,
            file_name=f"demo-data --seed {seed}", username="demo-data",
            sha256=hashlib.sha256(f"demo:{seed}:{unions}".encode()).hexdigest(),
            rows_total=writer.counts["results"], rows_added=writer.counts["results"])
    return DemoSummary(sum(len(v) for v in world.unions.values()), writer.counts["results"],
                       writer.counts["targets"], writer.counts["rollups"])


@contextlib.contextmanager
def _bulk_load() -> Iterator[None]:
    """On SQLite, skip per-row foreign-key checks while loading ids we have just looked up.

    The pragma only works outside a transaction, so it wraps the atomic block. With it off, a
    DELETE without WHERE is a truncation (seconds instead of half a minute for 1.5M rows).
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = ON")


@contextlib.contextmanager
def _indexes_dropped(model: Any) -> Iterator[None]:
    """Build a big table's indexes once after the load instead of row by row (3× faster)."""
    editor = connection.schema_editor()
    editor.deferred_sql = []  # used outside its context manager, which SQLite forbids in atomic
    items = [*model._meta.indexes, *model._meta.constraints]
    _fire_deferred_checks()
    with connection.cursor() as cursor:
        for item in items:
            cursor.execute(str(item.remove_sql(model, editor)))
    yield
    _fire_deferred_checks()
    with connection.cursor() as cursor:
        for item in items:
            cursor.execute(str(item.create_sql(model, editor)))


@contextlib.contextmanager
def _foreign_keys_dropped(*models: Any) -> Iterator[None]:
    """PostgreSQL: load without the foreign keys, then add them back (checked in one pass each).

    Row by row, the deferred checks of 1.5M rows take most of a minute at COMMIT; re-adding a
    constraint validates the whole table with one join (PostgreSQL's advice for bulk loads).
    The constraints come back exactly as they were (same names, same definitions), in the same
    transaction, so a failure leaves the schema untouched.
    """
    if connection.vendor != "postgresql":
        yield
        return
    _fire_deferred_checks()
    dropped: list[tuple[str, str, str]] = []
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                           [model._meta.db_table])
            for name, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT "
                               f"{connection.ops.quote_name(name)}")
                dropped.append((table, name, definition))
    yield
    _fire_deferred_checks()
    with connection.cursor() as cursor:
        for table, name, definition in dropped:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT "
                           f"{connection.ops.quote_name(name)} {definition}")


def _fire_deferred_checks() -> None:
    """PostgreSQL: check the deferred foreign keys now, as TRUNCATE and CREATE INDEX require.

    Django declares foreign keys DEFERRABLE INITIALLY DEFERRED, so rows inserted in this
    transaction leave trigger events pending until COMMIT; PostgreSQL refuses to truncate or
    index a table that has them ("pending trigger events"). Setting the constraints IMMEDIATE
    runs those checks at once (a violation still raises IntegrityError); DEFERRED restores
    Django's default for the rest of the transaction.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _clear() -> None:
    """Empty the four tables: TRUNCATE on PostgreSQL; on SQLite a DELETE without WHERE, which
    it truncates quickly."""
    tables = [connection.ops.quote_name(model._meta.db_table)
              for model in (MonthlyResult, BranchResult, Target, BranchTarget)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _fire_deferred_checks()
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            return
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB for the index inserts


def _analyse() -> None:
    """PostgreSQL: fresh planner statistics, so the first pages after a load use the indexes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (MonthlyResult, BranchResult, Target, BranchTarget):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# --- master data ---------------------------------------------------------------------------

def _composites() -> dict[str, list[str]]:
    """Each composite product's components (the catalog's), by code."""
    composites: dict[str, list[str]] = {}
    for code, component in Product.objects.filter(kind=Product.Kind.COMPOSITE).values_list(
            "code", "components__code").order_by("code", "components__display_order",
                                                 "components__code"):
        if component is not None:
            composites.setdefault(code, []).append(component)
    return composites


def _world(figures: dict[str, Any], rng: random.Random, count: int, seed: int) -> _World:
    branches = list(Branch.objects.order_by("display_order", "code"))
    by_name = {b.name: b for b in branches}
    base, mycar_new = {}, {}
    for name, holdings, fy23_new, fy24_new in figures["branches"]:
        base[by_name[name].pk] = holdings
        mycar_new[by_name[name].pk] = (fy23_new, fy24_new)
    product_measures: dict[str, list[str]] = {}
    for product_code, measure_code in ProductMeasure.objects.values_list(
            "product__code", "measure__code"):
        product_measures.setdefault(product_code, []).append(measure_code)
    return _World(
        branches=branches, base=base, mycar_new=mycar_new,
        products=dict(Product.objects.values_list("code", "pk")),
        measures=dict(Measure.objects.values_list("code", "pk")),
        product_measures=product_measures,
        fiscal_years=dict(FiscalYear.objects.values_list("year", "pk")),
        unions=_unions(branches, base, figures, rng, count),
        seed=seed,
    )


def _unions(branches: list[Branch], base: dict[int, int], figures: dict[str, Any],
            rng: random.Random, count: int) -> dict[int, list[tuple[int, int]]]:
    """Create the missing demo unions (codes BBNNNN); return each branch's unions with weights."""
    local = [b for b in branches if not b.is_hq]
    sizes = apportion(count, [_isqrt(base[b.pk] * 100) for b in local]) if count else []
    named: dict[str, list[str]] = {}
    for prefecture, name in figures["unions"]:
        named.setdefault(prefecture, []).append(name)
    existing = {u.code: u for u in Union.objects.all()}
    new: list[Union] = []
    plan: dict[int, list[tuple[str, int]]] = {}
    for branch, size in zip(local, sizes, strict=True):
        names = _union_names(branch, max(size, 1), named.get(branch.name, []), rng)
        weights = [rng.randint(1, 60) ** 2 + 20 for _ in names]
        weights[0] *= 6  # the prefectural government's union is the largest
        total = sum(weights)
        plan[branch.pk] = []
        for n, (name, weight) in enumerate(zip(names, weights, strict=True), start=1):
            code = f"{branch.code}{n:04d}"
            plan[branch.pk].append((code, weight))
            spread = rng.randint(115, 160)  # drawn for existing unions too: same seed, same data
            if code not in existing:
                members = base[branch.pk] * weight * spread // (total * 100)
                new.append(Union(code=code, name=name, branch=branch, members=max(members, 5),
                                 officers=max(3, members // 40)))
    Union.objects.bulk_create(new, batch_size=1000)
    ids = dict(Union.objects.values_list("code", "pk"))
    return {branch_id: [(ids[code], w) for code, w in rows] for branch_id, rows in plan.items()}


def _isqrt(value: int) -> int:
    import math

    return math.isqrt(value)


def _union_names(branch: Branch, size: int, named: list[str], rng: random.Random) -> list[str]:
    prefecture = branch.name
    kinds: tuple[str, ...]
    if branch.code == "60":
        first, kinds = "社会保険労働組合連合会", SOCIAL_INSURANCE_KINDS
    else:
        suffix = "" if prefecture.endswith(("都", "道", "府", "県")) else (
            "府" if prefecture in ("大阪", "京都") else "都" if prefecture == "東京" else "県")
        first, kinds = f"{prefecture}{suffix}職員労働組合", UNION_KINDS
    names = [first] + [n for n in named if n != first]
    seen = set(names)
    while len(names) < size:
        name = rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS) + rng.choice(kinds)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names[:size]


# --- spreading national figures ------------------------------------------------------------

def _branch_weights(world: _World, product: str, rng: random.Random) -> Callable[[int], list[int]]:
    """Weights per branch for a month index; 総合共済 follows appendix table 9 at 2024-11."""
    factors = [100 if product == "general" else rng.randint(55, 145) for _ in world.branches]
    drifts = [rng.randint(-4, 4) for _ in world.branches]
    bases = [world.base[b.pk] for b in world.branches]

    def weights(i: int) -> list[int]:
        return [max(1, base * factor * (1000 + drift * (i - 29)))
                for base, factor, drift in zip(bases, factors, drifts, strict=True)]

    return weights


def _spread_stock(series: Sequence[int | Decimal], weights: Callable[[int], list[int]]) -> list[list[int]]:
    """[month][owner] — each month's total split by that month's weights."""
    return [apportion(int(series[i]), weights(i)) for i in range(len(series))]


def _spread_flow(series: Sequence[int | Decimal], weights: Callable[[int], list[int]],
                 anchors: dict[int, list[int]] | None = None) -> list[list[int]]:
    """[month][owner] cumulative from each June, never falling within a fiscal year.

    Each year is split at an anchor month (May, or as given) and then chained backwards — each
    month split in proportion to the next, so no owner's figure falls — and forwards by increments.
    """
    out: list[list[int]] = []
    for fy in range(len(series) // 12):
        cum = [int(v) for v in series[fy * 12: fy * 12 + 12]]
        k = next((i - fy * 12 for i in (anchors or {}) if fy * 12 <= i < fy * 12 + 12), 11)
        first_weights = (anchors or {}).get(fy * 12 + k) or weights(fy * 12 + 11)
        year: list[list[int] | None] = [None] * 12
        year[k] = apportion(cum[k], first_weights)
        for j in range(k - 1, -1, -1):
            after = year[j + 1]
            assert after is not None
            year[j] = apportion(cum[j], after) if sum(after) else [0] * len(after)
        for j in range(k + 1, 12):
            before = year[j - 1]
            assert before is not None
            step = apportion(max(0, cum[j] - cum[j - 1]), weights(fy * 12 + j))
            year[j] = [a + b for a, b in zip(before, step, strict=True)]
        out.extend(y for y in year if y is not None)
    return out


def _spread(series: Sequence[int | Decimal], measure: str, weights: Callable[[int], list[int]],
            anchors: dict[int, list[int]] | None = None) -> list[list[int]]:
    if measure in FLOW_MEASURES:
        return _spread_flow(series, weights, anchors)
    return _spread_stock(series, weights)


def _union_weights(members: list[tuple[int, int]], rng: random.Random) -> (
    Callable[[int], list[int]]
):
    drifts = [rng.randint(-5, 5) for _ in members]

    def weights(i: int) -> list[int]:
        return [max(1, w * (1000 + d * (i - 29))) for (_, w), d in
                zip(members, drifts, strict=True)]

    return weights


def _carriers(world: _World, branch_id: int, product: str,
              cache: dict[tuple[int, str], list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """The unions of a branch carrying a product (a rider goes with its parent's unions).

    Drawn from a generator of its own per branch and product, so results and targets agree.
    """
    key = (branch_id, "mycar" if product == "vehicle_damage" else product)
    if key not in cache:
        rng = random.Random(f"{world.seed}:{key[0]}:{key[1]}")
        unions = world.unions.get(branch_id, [])
        chance = PARTICIPATION.get(key[1], 50)
        chosen = [(u, w * rng.randint(50, 150)) for u, w in unions
                  if rng.randint(0, 99) < chance or u == unions[0][0]]
        cache[key] = chosen
    return cache[key]


# --- writing -------------------------------------------------------------------------------

#: One row for the cursor: ids, Decimal values, the kind, the adapted month, NULL.
_Row = tuple[int | Decimal | str | datetime.date | None, ...]


class _Writer:
    """Buffered executemany (COPY on PostgreSQL) into the results tables."""

    def __init__(self) -> None:
        self.buffers: dict[str, list[_Row]] = {}
        self.sql: dict[str, str] = {}
        self.counts = {"results": 0, "targets": 0, "rollups": 0}
        self.kinds = {MonthlyResult._meta.db_table: "results", Target._meta.db_table: "targets",
                      BranchResult._meta.db_table: "rollups",
                      BranchTarget._meta.db_table: "rollups"}
        self._months = {m: connection.ops.adapt_datefield_value(m.first_day()) for m in MONTHS}
        self.copy = connection.vendor == "postgresql"

    def month(self, i: int) -> Any:
        return self._months[MONTHS[i]]

    def add(self, model: Any, columns: Iterable[str], row: _Row) -> None:
        self.extend(model, columns, [row])

    def extend(self, model: Any, columns: Iterable[str], rows: list[_Row]) -> None:
        table = model._meta.db_table
        if table not in self.sql:
            cols = list(columns)
            names = f"{connection.ops.quote_name(table)} " \
                    f"({', '.join(connection.ops.quote_name(c) for c in cols)})"
            self.sql[table] = (f"COPY {names} FROM STDIN" if self.copy else
                               f"INSERT INTO {names} VALUES ({', '.join(['%s'] * len(cols))})")
            self.buffers[table] = []
        buffer = self.buffers[table]
        buffer.extend(rows)
        if len(buffer) >= BATCH:
            self._flush(table)

    def _flush(self, table: str) -> None:
        rows = self.buffers[table]
        if rows:
            with connection.cursor() as cursor:
                if self.copy:  # PostgreSQL: COPY is several times faster than executemany
                    with cursor.cursor.copy(self.sql[table]) as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(self.sql[table], rows)
            self.counts[self.kinds[table]] += len(rows)
            self.buffers[table] = []

    def flush(self) -> None:
        for table in list(self.buffers):
            self._flush(table)


RESULT_COLUMNS = ("month", "branch_id", "union_id", "product_id", "measure_id", "value")
ROLLUP_COLUMNS = ("month", "branch_id", "product_id", "measure_id", "value")
TARGET_COLUMNS = ("fiscal_year_id", "kind", "branch_id", "union_id", "product_id", "measure_id",
                  "value")
BRANCH_TARGET_COLUMNS = ("fiscal_year", "kind", "branch_id", "product_id", "measure_id", "value")


def _write_results(world: _World, plan: NationalPlan, rng: random.Random, writer: _Writer,
                   progress: bool) -> None:
    carriers: dict[tuple[int, str], list[tuple[int, int]]] = {}
    branch_values: dict[tuple[str, str], list[list[int]]] = {}
    keys = [k for k in plan.series if k[1] != "attachment_rate"]
    for product, measure in tqdm(keys, desc="実績", unit="系列", disable=not progress):
        weights = _branch_weights(world, product, rng)
        anchors = _mycar_anchors(world) if (product, measure) == ("mycar", "new_contracts") \
            else None
        values = _spread(plan.series[(product, measure)], measure, weights, anchors)
        branch_values[(product, measure)] = values
        _write_branch_series(world, product, measure, values, rng, writer, carriers)
    _write_rates(world, plan, branch_values, writer)


def _mycar_anchors(world: _World) -> dict[int, list[int]]:
    """Appendix table 9: マイカー新契約 per branch for FY2023 (to May) and FY2024 (to Nov)."""
    fy23 = [world.mycar_new[b.pk][0] for b in world.branches]
    fy24 = [world.mycar_new[b.pk][1] for b in world.branches]
    return {23: fy23, 29: fy24}


def _write_branch_series(world: _World, product: str, measure: str, values: list[list[int]],
                         rng: random.Random, writer: _Writer,
                         carriers: dict[tuple[int, str], list[tuple[int, int]]]) -> None:
    p, m = world.products[product], world.measures[measure]
    months = [writer.month(i) for i in range(len(values))]
    for b, branch in enumerate(world.branches):
        series = [values[i][b] for i in range(len(values))]
        writer.extend(BranchResult, ROLLUP_COLUMNS,
                      [(months[i], branch.pk, p, m, v) for i, v in enumerate(series)])
        members = [] if branch.is_hq else _carriers(world, branch.pk, product, carriers)
        if measure not in UNION_MEASURES or not members:
            writer.extend(MonthlyResult, RESULT_COLUMNS,
                          [(months[i], branch.pk, None, p, m, v) for i, v in enumerate(series)])
            continue
        split = _spread(series, measure, _union_weights(members, rng))
        ids = [union_id for union_id, _ in members]
        bid = branch.pk
        for i, parts in enumerate(split):
            month = months[i]
            writer.extend(MonthlyResult, RESULT_COLUMNS,
                          [(month, bid, u, p, m, v) for u, v in zip(ids, parts, strict=True)])


def _rate(part: int, whole: int) -> Decimal:
    """付帯率 of a branch (achievement.attachment_rate_pct); 0.00 without parent holdings."""
    rate = attachment_rate_pct(part, whole) if whole > 0 else None
    return Decimal("0.00") if rate is None else rate


def _write_rates(world: _World, plan: NationalPlan, values: dict[tuple[str, str], list[list[int]]],
                 writer: _Writer) -> None:
    p, m = world.products["vehicle_damage"], world.measures["attachment_rate"]
    rider, parent = values[("vehicle_damage", "holdings")], values[("mycar", "holdings")]
    national = plan.series[("vehicle_damage", "attachment_rate")]
    for i in range(len(MONTHS)):
        month = writer.month(i)
        for b, branch in enumerate(world.branches):
            rate = _rate(rider[i][b], parent[i][b])
            writer.add(BranchResult, ROLLUP_COLUMNS, (month, branch.pk, p, m, rate))
            writer.add(MonthlyResult, RESULT_COLUMNS, (month, branch.pk, None, p, m, rate))
        writer.add(BranchResult, ROLLUP_COLUMNS, (month, None, p, m, national[i]))
        writer.add(MonthlyResult, RESULT_COLUMNS, (month, None, None, p, m, national[i]))


def _write_targets(world: _World, plan: NationalPlan, rng: random.Random, writer: _Writer) -> None:
    """National targets spread over branches (and unions for union-level measures)."""
    carriers: dict[tuple[int, str], list[tuple[int, int]]] = {}
    spread: dict[tuple[str, str, int], list[int]] = {}
    for (product, measure, fy), total in sorted(plan.targets.items()):
        if measure == "attachment_rate":
            continue
        weights = _branch_weights(world, product, rng)((fy - 2022) * 12 + 11)
        noisy = [w * rng.randint(92, 108) for w in weights]
        parts = apportion(int(total), noisy)
        spread[(product, measure, fy)] = parts
        _write_branch_targets(world, product, measure, fy, parts, rng, writer, carriers)
    for fy in FISCAL_YEARS:
        rider = spread.get(("vehicle_damage", "holdings", fy))
        parent = spread.get(("mycar", "holdings", fy))
        p, m = world.products["vehicle_damage"], world.measures["attachment_rate"]
        fy_id = world.fiscal_years[fy]
        if rider and parent:
            for b, branch in enumerate(world.branches):
                rate = _rate(rider[b], parent[b])
                writer.add(Target, TARGET_COLUMNS, (fy_id, TargetKind.OFFICIAL, branch.pk, None,
                                                    p, m, rate))
                writer.add(BranchTarget, BRANCH_TARGET_COLUMNS,
                           (fy, TargetKind.OFFICIAL, branch.pk, p, m, rate))
        national = plan.targets[("vehicle_damage", "attachment_rate", fy)]
        writer.add(Target, TARGET_COLUMNS, (fy_id, TargetKind.OFFICIAL, None, None, p, m, national))
        writer.add(BranchTarget, BRANCH_TARGET_COLUMNS, (fy, TargetKind.OFFICIAL, None, p, m,
                                                         national))


def _write_branch_targets(world: _World, product: str, measure: str, fy: int, parts: list[int],
                          rng: random.Random, writer: _Writer,
                          carriers: dict[tuple[int, str], list[tuple[int, int]]]) -> None:
    p, m, fy_id = world.products[product], world.measures[measure], world.fiscal_years[fy]
    own = fy == 2024 and measure in ("holdings", "new_contracts")
    for branch, value in zip(world.branches, parts, strict=True):
        writer.add(BranchTarget, BRANCH_TARGET_COLUMNS,
                   (fy, TargetKind.OFFICIAL, branch.pk, p, m, value))
        if own:
            mine = value * rng.randint(100, 110) // 100
            writer.add(BranchTarget, BRANCH_TARGET_COLUMNS, (fy, TargetKind.OWN, branch.pk, p, m,
                                                             mine))
            writer.add(Target, TARGET_COLUMNS, (fy_id, TargetKind.OWN, branch.pk, None, p, m,
                                                mine))
        members = [] if branch.is_hq else _carriers(world, branch.pk, product, carriers)
        if measure not in UNION_MEASURES or not members:
            writer.add(Target, TARGET_COLUMNS, (fy_id, TargetKind.OFFICIAL, branch.pk, None, p, m,
                                                value))
            continue
        for (union_id, _), share in zip(members, apportion(value, [w for _, w in members]),
                                        strict=True):
            writer.add(Target, TARGET_COLUMNS, (fy_id, TargetKind.OFFICIAL, branch.pk, union_id,
                                                p, m, share))
