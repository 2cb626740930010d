"""Reads of targets and results: scorecards, trend series and breakdowns for pages and reports.

Every function evaluates with the domain core (`kyosai.domain.rollup.scorecard_row`), so the web
pages, the CLI and the PDF report print the same figures. Nation, region and branch scopes read
the branch rollups (`BranchResult`, `BranchTarget`); a union scope reads the union's own rows.

Every public reader takes the viewer's `Access` as a required keyword and restricts by id: a
scope the viewer may not see gives nothing (an empty list; a trend raises UnknownScope, as for a
code that does not exist), a breakdown only the rows of branches, regions or unions the viewer may
see. Commands an operator runs on the server pass `SYSTEM`.
Money comes back as DISPLAYED (千円, rounded from the yen amounts, see `kyosai.domain.money`).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, Max, Model, Q, QuerySet, Sum

from kyosai.accounts.access import Access
from kyosai.catalog.models import Measure, Product, ProductGroup, ProductMeasure
from kyosai.catalog.selectors import fiscal_years
from kyosai.core.models import AuditEntry
from kyosai.domain.measures import MeasureKind, MeasureSpec
from kyosai.domain.periods import FiscalYears, YearMonth
from kyosai.domain.rollup import ScorecardRow, scorecard_row
from kyosai.org.models import Branch, Region, Union
from kyosai.results.models import (
    BranchResult,
    BranchTarget,
    ImportLog,
    MonthlyResult,
    ReplacedValue,
    Target,
    TargetKind,
)
from kyosai.results.revisions import eligible_revisions, latest_by_key

__all__ = [
    "GROUP_MEASURES",
    "OFFICIAL_LATEST",
    "OWN_TARGETS",
    "TOTAL_CODE",
    "BranchRanks",
    "MonthlySeries",
    "ScorecardRow",
    "TargetChoice",
    "UnknownScope",
    "branch_breakdown",
    "branch_ranks",
    "latest_month",
    "may_revert_import",
    "monthly_series",
    "product_scores",
    "region_breakdown",
    "revertible_imports",
    "scorecard",
    "union_breakdown",
]

#: The measures of the national table (section Ⅱ), in its order.
GROUP_MEASURES = ("holdings", "units", "premiums", "loading", "new_contracts")
#: The code of the 合計 row.
TOTAL_CODE = "total"
TOTAL_LABEL = "合計"
CENT = Decimal("0.01")

Key = tuple[int, int, datetime.date]  # product id, measure id, month (or FY as a date's year)


class UnknownScope(LookupError):
    """A branch, region, union, product, group or measure code that does not exist."""


@dataclass(frozen=True, slots=True)
class _Item:
    """What one row adds up: one product, a composite's components, a group or the total."""

    code: str
    label: str
    product_ids: tuple[int, ...]
    measure_codes: tuple[str, ...]


@dataclass(slots=True)
class _Catalog:
    measures: dict[str, tuple[int, MeasureSpec]]
    products: dict[str, Product]
    product_measures: dict[int, list[str]]
    section3: dict[int, list[str]]
    groups: list[ProductGroup]
    fiscal_years: FiscalYears = field(default_factory=FiscalYears)

    def measure(self, code: str) -> tuple[int, MeasureSpec]:
        try:
            return self.measures[code]
        except KeyError:
            raise UnknownScope(f"指標が見つかりません: {code}") from None

    def product_item(self, code: str) -> _Item:
        product = self.products.get(code)
        if product is None:
            raise UnknownScope(f"共済制度が見つかりません: {code}")
        if product.kind == Product.Kind.COMPOSITE:
            ids = tuple(c.pk for c in product.components.all())
        else:
            ids = (product.pk,)
        return _Item(code, product.label, ids, tuple(self.product_measures[product.pk]))

    def group_item(self, code: str) -> _Item:
        if code == TOTAL_CODE:
            members = [p for p in self.products.values() if p.group_id and _in_totals(p)]
            return _Item(TOTAL_CODE, TOTAL_LABEL, tuple(p.pk for p in members), GROUP_MEASURES)
        group = next((g for g in self.groups if g.code == code), None)
        if group is None:
            raise UnknownScope(f"制度グループが見つかりません: {code}")
        members = [p for p in self.products.values() if p.group_id == group.pk and _in_totals(p)]
        return _Item(code, group.name, tuple(p.pk for p in members), GROUP_MEASURES)

    def item(self, code: str, by: str) -> _Item:
        return self.group_item(code) if by == "group" else self.product_item(code)


def _in_totals(product: Product) -> bool:
    return product.in_group_totals and product.kind != Product.Kind.COMPOSITE


def _named_among_movers(product: Product) -> bool:
    """Riders, composites and reference rows are printed in section Ⅲ but never named among the
    products that rose or fell (their rows are marked `is_total`)."""
    return (product.kind == Product.Kind.PLAIN and not product.is_reference
            and product.in_group_totals)


def _catalog() -> _Catalog:
    measures = {m.code: (m.pk, m.to_domain()) for m in Measure.objects.all()}
    products = {p.code: p for p in
                Product.objects.prefetch_related("components").order_by("display_order", "code")}
    product_measures: dict[int, list[str]] = defaultdict(list)
    section3: dict[int, list[str]] = defaultdict(list)
    for pm in ProductMeasure.objects.select_related("measure").order_by(
            "measure__display_order", "measure__code"):
        product_measures[pm.product_id].append(pm.measure.code)
        if pm.in_section3:
            section3[pm.product_id].append(pm.measure.code)
    return _Catalog(measures, products, product_measures, section3,
                    list(ProductGroup.objects.all()), fiscal_years())


def latest_month(*, access: Access) -> YearMonth | None:
    """The latest month with any result in the rollup, or None on an empty database (or for a
    viewer who sees no figures at all)."""
    if not access.is_authenticated:
        return None
    last = BranchResult.objects.aggregate(last=Max("month"))["last"]
    return None if last is None else YearMonth.of(last)


# --- scopes ----------------------------------------------------------------------------------

#: A summed row from the database: (by-key, product id, measure id, period, total).
_Sum = tuple[Any, ...]
#: (owner, product id, measure id, period): owner and period vary with the query.
_Key = tuple[object, ...]
M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class _Scope:
    """Which rows a figure adds up: the whole nation, a region's or a branch's, or a union's."""

    level: str  # nation | region | branch | union
    branch_id: int | None = None
    region_id: int | None = None
    union_id: int | None = None


def _scope(branch: str | None, region: str | None, union: str | None) -> _Scope:
    if sum(x is not None for x in (branch, region, union)) > 1:
        raise ValueError("branch / region / union はどれか一つだけ指定してください")
    if union is not None:
        found = Union.objects.filter(code=union).values_list("pk", "branch_id").first()
        if found is None:
            raise UnknownScope(f"単組が見つかりません: {union}")
        return _Scope("union", branch_id=found[1], union_id=found[0])
    if branch is not None:
        pk = Branch.objects.filter(code=branch).values_list("pk", flat=True).first()
        if pk is None:
            raise UnknownScope(f"県支部が見つかりません: {branch}")
        return _Scope("branch", branch_id=pk)
    if region is not None:
        pk = Region.objects.filter(code=region).values_list("pk", flat=True).first()
        if pk is None:
            raise UnknownScope(f"地連が見つかりません: {region}")
        return _Scope("region", region_id=pk)
    return _Scope("nation")


def _visible(scope: _Scope, access: Access) -> bool:
    """May `access` see this scope's figures (Access's rules, by id)?"""
    if scope.level == "union":
        if scope.union_id is None or scope.branch_id is None:
            return False
        return access.can_view_union(scope.union_id, scope.branch_id)
    if scope.level == "branch":
        return access.can_view_branch(scope.branch_id)
    if scope.level == "region":
        if scope.region_id is None:
            return False
        branch_ids = Branch.objects.filter(region_id=scope.region_id).values_list("pk", flat=True)
        return access.sees_aggregates and access.can_view_region(list(branch_ids))
    return access.sees_aggregates


def _result_rows(scope: _Scope, months: set[datetime.date], product_ids: set[int],
                 measure_ids: set[int], rate_ids: set[int], by: str | None = None) -> list[_Sum]:
    """(by-key, product id, measure id, month, value) summed over the scope."""
    base = {"month__in": months, "product_id__in": product_ids, "measure_id__in": measure_ids}
    if scope.level == "union":
        return _grouped(MonthlyResult.objects.filter(union_id=_union(scope), **base), "month", by)
    query = BranchResult.objects.filter(**base)
    return _grouped(_restrict_rollup(query, scope, rate_ids, by), "month", by)


def _union(scope: _Scope) -> int:
    assert scope.union_id is not None  # a union's scope names it (_scope)
    return scope.union_id


@dataclass(frozen=True, slots=True)
class TargetChoice:
    """Which targets a scorecard compares with: official (機関目標) or own (自主目標), and the
    revision — None: the latest in effect in the scorecard's month."""

    kind: str = TargetKind.OFFICIAL
    revision: int | None = None


OFFICIAL_LATEST = TargetChoice()
OWN_TARGETS = TargetChoice(kind=TargetKind.OWN)


def _target_rows(scope: _Scope, years: set[int], product_ids: set[int], measure_ids: set[int],
                 rate_ids: set[int], by: str | None = None,
                 choice: TargetChoice = OFFICIAL_LATEST,
                 as_of: YearMonth | None = None) -> list[_Sum]:
    base = {"product_id__in": product_ids, "measure_id__in": measure_ids, "kind": choice.kind}
    allowed = _allowed_revisions(years, choice, as_of)
    if scope.level == "union":
        query = Target.objects.filter(union_id=_union(scope), fiscal_year__year__in=years, **base)
        return _latest_summed(query, ("union_id",), "fiscal_year__year", by, allowed)
    rollups = BranchTarget.objects.filter(fiscal_year__in=years, **base)
    rollups = _restrict_rollup(rollups, scope, rate_ids, by)
    return _latest_summed(rollups, ("branch_id",), "fiscal_year", by, allowed)


def _allowed_revisions(years: set[int], choice: TargetChoice,
                       as_of: YearMonth | None) -> dict[int, set[int]]:
    if as_of is None and choice.revision is None:  # a whole year's trend: the latest revision
        return {year: set(range(1, 100)) for year in years}
    return eligible_revisions(years, choice.kind, as_of or YearMonth(9999, 12), choice.revision)


def _latest_summed(query: QuerySet[Model], owner: tuple[str, ...], period: str, by: str | None,
                   allowed: dict[int, set[int]]) -> list[_Sum]:
    """Like _grouped, each target taking its latest allowed revision before being summed."""
    heads = [k for k in (by, "product_id", "measure_id") if k]
    fields = [*heads, *(name for name in owner if name not in heads)]
    rows = query.values_list(*fields, period, "revision", "value").order_by()
    summed: dict[_Key, Decimal] = {}
    for *key, year, value in latest_by_key(rows, allowed):
        head = (*key[:len(heads)], year)
        summed[head] = summed.get(head, Decimal(0)) + Decimal(str(value))
    return [(*head, value) for head, value in summed.items()]


def _restrict_rollup(query: QuerySet[M], scope: _Scope, rate_ids: set[int],
                     by: str | None) -> QuerySet[M]:
    if scope.level == "branch":
        return query.filter(branch_id=scope.branch_id)
    summable = Q(branch__isnull=False) & ~Q(measure_id__in=rate_ids)
    if scope.level == "region":
        return query.filter(summable, branch__region_id=scope.region_id)
    if by is not None:  # a breakdown by branch or region: rates are each branch's own
        rates = Q(branch__isnull=False, measure_id__in=rate_ids) if by == "branch_id" else Q(
            pk__in=[])
        return query.filter(summable | rates)
    # the nation: summable figures over every branch, rates as given for the nation
    return query.filter(summable | Q(branch__isnull=True, measure_id__in=rate_ids))


def _grouped(query: QuerySet[Model], period: str, by: str | None) -> list[_Sum]:
    keys = [k for k in (by, "product_id", "measure_id", period) if k]
    return [tuple(row) for row in query.values_list(*keys).annotate(total=Sum("value"))
            .order_by()]


def _index(rows: list[_Sum], by: str | None) -> dict[_Key, Decimal]:
    """{(by, product, measure, period): value}; period is a date (results) or an int (targets).

    Values are cut back to the stored 2 places (SQLite's SUM may return a float's digits).
    """
    if by is None:
        return {(None, *row[:-1]): _stored(row[-1]) for row in rows}
    return {tuple(row[:-1]): _stored(row[-1]) for row in rows}


def _stored(value: Decimal | int | float) -> Decimal:
    return Decimal(str(value)).quantize(CENT) if not isinstance(value, Decimal) else \
        value.quantize(CENT)


# --- evaluation ------------------------------------------------------------------------------

@dataclass(slots=True)
class _Figures:
    results: dict[_Key, Decimal]
    targets: dict[_Key, Decimal]


def _add(values: dict[_Key, Decimal], owner: object, product_ids: Iterable[int], measure_id: int,
         period: object, spec: MeasureSpec) -> int | Decimal | None:
    found = [values[(owner, p, measure_id, period)] for p in product_ids
             if (owner, p, measure_id, period) in values]
    if not found:
        return None
    if spec.kind is MeasureKind.RATE:
        return found[0] if len(found) == 1 else None
    return int(sum(found))


def _row(catalog: _Catalog, figures: _Figures, item: _Item, measure_code: str, as_of: YearMonth,
         owner: object = None, label: str | None = None, code: str | None = None,
         section3: bool = False, is_total: bool = False) -> ScorecardRow:
    """One row; `section3` names the measure as section Ⅲ does (保有契約)."""
    measure_id, spec = catalog.measure(measure_code)
    month = as_of.shift(-spec.reporting_lag_months)
    fiscal_year, calendar = catalog.fiscal_years.containing(month)
    actual = _add(figures.results, owner, item.product_ids, measure_id, month.first_day(), spec)
    previous = _add(figures.results, owner, item.product_ids, measure_id,
                    month.previous_year().first_day(), spec)
    target = _add(figures.targets, owner, item.product_ids, measure_id, fiscal_year, spec)
    return scorecard_row(label=label or item.label, code=code or item.code, measure=spec,
                         as_of=month, calendar=calendar, actual=actual, target=target,
                         previous=previous, measure_name=spec.section3_name if section3 else None,
                         is_total=is_total)


def _periods(catalog: _Catalog, as_of: YearMonth, measure_codes: Iterable[str]) -> (
    tuple[set[datetime.date], set[int]]
):
    months: set[datetime.date] = set()
    years: set[int] = set()
    for code in measure_codes:
        month = as_of.shift(-catalog.measure(code)[1].reporting_lag_months)
        months.update({month.first_day(), month.previous_year().first_day()})
        years.add(catalog.fiscal_years.containing(month)[0])
    return months, years


def _figures(catalog: _Catalog, scope: _Scope, items: list[_Item], measure_codes: set[str],
             as_of: YearMonth, by: str | None = None,
             choice: TargetChoice = OFFICIAL_LATEST) -> _Figures:
    months, years = _periods(catalog, as_of, measure_codes)
    product_ids = {p for item in items for p in item.product_ids}
    measure_ids = {catalog.measure(code)[0] for code in measure_codes}
    rate_ids = {pk for pk, spec in catalog.measures.values() if spec.kind is MeasureKind.RATE}
    results = _result_rows(scope, months, product_ids, measure_ids, rate_ids, by)
    targets = _target_rows(scope, years, product_ids, measure_ids, rate_ids, by, choice, as_of)
    return _Figures(_index(results, by), _index(targets, by))


def scorecard(as_of: YearMonth, *, access: Access, branch: str | None = None,
              region: str | None = None, union: str | None = None, by: str = "group",
              targets: TargetChoice = OFFICIAL_LATEST) -> list[ScorecardRow]:
    """The scorecard as of `as_of` for the nation (default) or one branch, region or union.

    by="group": section Ⅱ's national table — 5 groups + 合計 × 件数/口数/掛金/付加/新契約, 30 rows
    in the report's order. by="product": section Ⅲ — every product (composites, riders and the
    reference row included) × each measure section Ⅲ prints for it (保有契約, 新契約, 付帯率 …),
    labelled as the report labels them. 掛金 rows are for the month before `as_of` (its lag).
    A group row adds the group's products that count in group totals (riders, composites and
    reference products do not); a composite adds its components. Empty for a scope `access` may
    not see.
    """
    if by not in ("group", "product"):
        raise ValueError("by は group か product を指定してください")
    scope = _scope(branch, region, union)
    if not _visible(scope, access):
        return []
    catalog = _catalog()
    if by == "group":
        items = [catalog.group_item(g.code) for g in catalog.groups]
        items.append(catalog.group_item(TOTAL_CODE))
        wanted = [(item, code) for item in items for code in GROUP_MEASURES]
    else:
        wanted = []
        for product in catalog.products.values():
            item = catalog.product_item(product.code)
            wanted += [(item, code) for code in catalog.section3.get(product.pk, [])]
        items = [item for item, _ in wanted]
    figures = _figures(catalog, scope, items, {code for _, code in wanted}, as_of,
                       choice=targets)
    if by == "group":
        return [_row(catalog, figures, item, code, as_of, is_total=item.code == TOTAL_CODE)
                for item, code in wanted]
    return [_row(catalog, figures, item, code, as_of, section3=True,
                 is_total=not _named_among_movers(catalog.products[item.code]))
            for item, code in wanted]


def product_scores(as_of: YearMonth, wanted: Iterable[tuple[str, str]], *,
                   access: Access) -> list[ScorecardRow]:
    """National rows for (product code, measure code) pairs, in the given order.

    Any product the catalog counts (composites such as 新団体年金共済 included) and any measure
    it is counted by, whether section Ⅲ prints it or not. Empty for a viewer who sees no
    national aggregates.
    """
    if not access.sees_aggregates:
        return []
    catalog = _catalog()
    pairs = [(catalog.product_item(product), measure) for product, measure in wanted]
    for _, measure in pairs:
        catalog.measure(measure)
    if not pairs:
        return []
    figures = _figures(catalog, _Scope("nation"), [item for item, _ in pairs],
                       {measure for _, measure in pairs}, as_of)
    return [_row(catalog, figures, item, measure, as_of) for item, measure in pairs]


# --- breakdowns ------------------------------------------------------------------------------

def branch_breakdown(as_of: YearMonth, product: str, measure: str, *, access: Access,
                     by: str = "product", region: str | None = None) -> list[ScorecardRow]:
    """One row per branch (HQ row 本部 included, report order): label = branch name, code = its
    two-digit code; actual, target, previous, change, achievement, yoy, mark as in `scorecard`.

    `product` is a product code (by="product") or a group code / "total" (by="group"). Rank
    with `branch_ranks` (ranks among every branch). `region` limits it to one region. Only the
    branches `access` may see (Access.restrict_branches).
    """
    branches = access.restrict_branches(Branch.objects.order_by("display_order", "code"))
    if region is not None:
        branches = branches.filter(region__code=region)
    return _branch_rows(as_of, product, measure, by, list(branches))


def _branch_rows(as_of: YearMonth, product: str, measure: str, by: str,
                 branches: list[Branch]) -> list[ScorecardRow]:
    catalog = _catalog()
    item = catalog.item(product, by)
    if not branches:
        catalog.measure(measure)
        return []
    figures = _figures(catalog, _Scope("nation"), [item], {measure}, as_of, by="branch_id")
    return [_row(catalog, figures, item, measure, as_of, owner=b.pk, label=b.name, code=b.code)
            for b in branches]


@dataclass(frozen=True, slots=True)
class BranchRanks:
    """Each visible branch's rank among every branch (HQ included), by code; absent: no figure."""

    change: dict[str, int]
    achievement: dict[str, int]


def branch_ranks(as_of: YearMonth, product: str, measure: str, *, access: Access,
                 by: str = "product") -> BranchRanks:
    """The ranks (by change and by achievement, largest first, ties sharing a rank) of the
    branches `access` may see, among every branch: a branch's staff learn where their branch
    stands, never another branch's figure. Nothing for a viewer without national aggregates."""
    from kyosai.domain.ranking import ranked

    if not access.sees_aggregates:
        return BranchRanks({}, {})
    every = list(Branch.objects.order_by("display_order", "code"))
    rows = _branch_rows(as_of, product, measure, by, every)
    shown = set(access.restrict_branches(Branch.objects.all()).values_list("code", flat=True))
    change = {row.code: rank for rank, row in ranked(rows, lambda r: r.change)
              if row.code in shown}
    achievement = {row.code: rank for rank, row in ranked(rows, lambda r: r.achievement_pct)
                   if row.code in shown}
    return BranchRanks(change, achievement)


def region_breakdown(as_of: YearMonth, product: str, measure: str, *, access: Access,
                     by: str = "product") -> list[ScorecardRow]:
    """One row per region (地連) in display order: label = region name, code = region code.

    Rates (付帯率) have no regional figure: their rows carry None. Only the regions `access` may
    see (Access.can_view_region: none that would reveal one other branch's figures).
    """
    catalog = _catalog()
    item = catalog.item(product, by)
    catalog.measure(measure)
    regions = _visible_regions(access)
    if not regions:
        return []
    figures = _figures(catalog, _Scope("nation"), [item], {measure}, as_of,
                       by="branch__region_id")
    return [_row(catalog, figures, item, measure, as_of, owner=r.pk, label=r.name, code=r.code)
            for r in regions]


def _visible_regions(access: Access) -> list[Region]:
    if not access.sees_aggregates:
        return []
    branch_ids: dict[int, list[int]] = defaultdict(list)
    for region_id, pk in Branch.objects.filter(region__isnull=False).values_list("region_id", "pk"):
        branch_ids[region_id].append(pk)
    return [r for r in Region.objects.order_by("display_order", "code")
            if access.can_view_region(branch_ids.get(r.pk, []))]


def union_breakdown(as_of: YearMonth, branch_code: str, product: str, measure: str, *,
                    access: Access, by: str = "product") -> list[ScorecardRow]:
    """One row per active union of a branch (by code): label = union name, code = union code.

    Unions without any figure for the product are left out, and so are the unions `access` may
    not see (Access.restrict_unions): nothing of another branch.
    """
    catalog = _catalog()
    item = catalog.item(product, by)
    branch_id = Branch.objects.filter(code=branch_code).values_list("pk", flat=True).first()
    if branch_id is None:
        raise UnknownScope(f"県支部が見つかりません: {branch_code}")
    if not access.restrict_unions(Union.objects.filter(branch_id=branch_id)).exists():
        catalog.measure(measure)
        return []
    measure_id = catalog.measure(measure)[0]
    months, years = _periods(catalog, as_of, {measure})
    base = {"branch_id": branch_id, "union__isnull": False, "measure_id": measure_id,
            "product_id__in": item.product_ids}
    results = _grouped(MonthlyResult.objects.filter(month__in=months, **base), "month",
                       "union_id")
    targets = _latest_summed(Target.objects.filter(fiscal_year__year__in=years,
                                                   kind=TargetKind.OFFICIAL, **base),
                             ("union_id",), "fiscal_year__year", "union_id",
                             _allowed_revisions(years, OFFICIAL_LATEST, as_of))
    figures = _Figures(_index(results, "union_id"), _index(targets, "union_id"))
    present = {key[0] for key in figures.results} | {key[0] for key in figures.targets}
    unions = access.restrict_unions(Union.objects.filter(branch_id=branch_id, pk__in=present))
    unions = unions.order_by("code")
    return [_row(catalog, figures, item, measure, as_of, owner=u.pk, label=u.name, code=u.code)
            for u in unions]


# --- trend -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class MonthlySeries:
    """A fiscal year's trend for one item and measure, as displayed (money in 千円).

    `actual[i]` and `previous[i]` belong to `months[i]` and the same month a year earlier
    (None where no figure exists); `pace[i]` is the target × elapsed/12 for a cumulative flow and
    the target itself for a stock or rate (None without a target).
    """

    label: str
    measure: str
    measure_name: str
    unit: str
    fiscal_year: int
    months: list[YearMonth]
    actual: list[int | Decimal | None]
    previous: list[int | Decimal | None]
    target: int | Decimal | None
    pace: list[int | Decimal | None]


def monthly_series(code: str, measure: str, fiscal_year: int, *, access: Access,
                   by: str = "product", branch: str | None = None, region: str | None = None,
                   union: str | None = None) -> MonthlySeries:
    """Actual per month of `fiscal_year`, the previous year's same months, and the pace line.

    `code` is a product code (by="product") or a group code / "total" (by="group"). A scope
    `access` may not see raises UnknownScope, exactly as one that does not exist.
    """
    from kyosai.domain.money import thousand_or_none
    from kyosai.domain.rounding import TRUNCATE_2

    scope = _scope(branch, region, union)
    if not _visible(scope, access):
        raise UnknownScope("指定の範囲は見つかりません")
    catalog = _catalog()
    item = catalog.item(code, by)
    measure_id, spec = catalog.measure(measure)
    calendar = catalog.fiscal_years.calendar(fiscal_year)
    months = calendar.months(fiscal_year)
    dates = {m.first_day() for m in months} | {m.previous_year().first_day() for m in months}
    rate_ids = {pk for pk, s in catalog.measures.values() if s.kind is MeasureKind.RATE}
    results = _index(_result_rows(scope, dates, set(item.product_ids), {measure_id}, rate_ids),
                     None)
    targets = _index(_target_rows(scope, {fiscal_year}, set(item.product_ids), {measure_id},
                                  rate_ids), None)

    def shown(value: int | Decimal | None) -> int | Decimal | None:
        return thousand_or_none(value) if spec.is_money and value is not None else value

    def at(month: YearMonth) -> int | Decimal | None:
        return shown(_add(results, None, item.product_ids, measure_id, month.first_day(), spec))

    target_raw = _add(targets, None, item.product_ids, measure_id, fiscal_year, spec)
    pace: list[int | Decimal | None] = []
    for month in months:
        if target_raw is None:
            pace.append(None)
        elif spec.kind is MeasureKind.FLOW:
            share = TRUNCATE_2.apply(calendar.pace(month) * int(target_raw))
            pace.append(shown(int(share)))
        else:
            pace.append(shown(target_raw))
    return MonthlySeries(
        label=item.label, measure=measure, measure_name=spec.short_name, unit=spec.display_unit,
        fiscal_year=fiscal_year, months=months, actual=[at(m) for m in months],
        previous=[at(m.previous_year()) for m in months], target=shown(target_raw), pace=pace,
    )


# --- imports the viewer may undo (/imports/, kyosai.results.views) -----------------------------

def _import_branches(logs: Iterable[ImportLog],
                     own: int | None = None) -> dict[int, set[int | None]]:
    """The branches of the rows each results or targets import wrote (still marked with it) or
    replaced (ReplacedValue), by import; for one reverted already, those its revert's audit entry
    kept. Other imports are left out (their rows have no branch to decide by).

    `last_import` has no index (imports stay fast), so finding an import's rows reads the whole
    table. Given the viewer's branch (`own`), an import all of whose rows are still under it is
    told by that branch's rows alone (its index); only the others read the table."""
    by_table: dict[str, list[ImportLog]] = {}
    reverted: list[int] = []
    for log in logs:
        if log.dataset in (ImportLog.Dataset.RESULTS, ImportLog.Dataset.TARGETS):
            if log.reverted_at is not None:
                reverted.append(log.pk)
            else:
                by_table.setdefault(log.dataset, []).append(log)
    out: dict[int, set[int | None]] = {}
    for dataset, group in by_table.items():
        model = MonthlyResult if dataset == ImportLog.Dataset.RESULTS else Target
        ids = [log.pk for log in group]
        scan = ids
        if own is not None:
            written = {log.pk: log.rows_added + log.rows_replaced for log in group}
            under_own = (model.objects.filter(branch_id=own, last_import__in=ids)
                         .values("last_import").annotate(rows=Count("id"))
                         .values_list("last_import", "rows").order_by())
            for pk, rows in under_own:
                if pk is not None and rows == written[pk]:
                    out[pk] = {own}
            scan = [pk for pk in ids if pk not in out]
        rows_of: list[tuple[int | None, int | None]] = list(
            model.objects.filter(last_import__in=scan).values_list("last_import", "branch_id")
            .distinct().order_by()) if scan else []
        replaced = (ReplacedValue.objects.filter(import_log_id__in=ids)
                    .values_list("import_log_id", "branch_id").distinct().order_by())
        for pk, branch in (*rows_of, *replaced):
            if pk is not None:
                out.setdefault(pk, set()).add(branch)
    if reverted:
        entries = AuditEntry.objects.filter(
            action=AuditEntry.Action.IMPORT_REVERT, object_type="results.importlog",
            object_id__in=[str(pk) for pk in reverted]).values_list("object_id", "detail")
        for object_id, detail in entries:
            branch_ids = detail.get("branch_ids") if isinstance(detail, dict) else None
            if isinstance(branch_ids, list):
                out[int(object_id)] = set(branch_ids)
    return out


def revertible_imports(logs: Iterable[ImportLog], *, access: Access) -> set[int]:
    """The ids of `logs` the viewer may undo now (「取り消す」 on /imports/): allowed by
    Access.can_revert_import, not reverted already and not the demo data's. Whether the revert
    would be refused (a later import, an edit since…) the confirmation page says."""
    open_logs = [log for log in logs
                 if log.reverted_at is None and log.source != ImportLog.Source.DEMO]
    if access.is_hq:
        return {log.pk for log in open_logs if access.can_revert_import(log.dataset, None)}
    # branch staff: the datasets they may undo at all, then by the branches of the rows
    candidates = [log for log in open_logs
                  if access.can_revert_import(log.dataset, {access.branch_id})]
    if not candidates:
        return set()
    branches = _import_branches(candidates, own=access.branch_id)
    return {log.pk for log in candidates
            if access.can_revert_import(log.dataset, branches.get(log.pk))}


def may_revert_import(log: ImportLog, *, access: Access) -> bool:
    """May the viewer undo this import, or see that it was undone (its confirmation page)?"""
    if access.is_hq:
        return access.can_revert_import(log.dataset, None)
    return access.can_revert_import(log.dataset,
                                    _import_branches([log], own=access.branch_id).get(log.pk))
