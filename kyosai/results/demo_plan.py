"""The demo federation's numbers, in plain Python: national series calibrated to the report.

No Django here: `kyosai.results.demo` turns this plan into rows. Everything is deterministic for
a seed. Figures the report prints (national table, section Ⅲ, appendix table 9) are anchors the
series pass through exactly; everything else is interpolated between anchors with small noise.

Money anchors are printed in 千円; the yen amounts behind them are chosen by `solve_money` so that
every printed figure of the money rows — each group's and the 合計's actual, previous, change,
到達率 and 前年同期比 — comes out of the yen by the rule in `kyosai.domain.money`.

Composites Ⅱ.2 names (新団体年金共済, 長期系共済: products of その他) are calibrated inside その他:
their components share exactly what makes the composite print the report's change and 到達率, the
other products of その他 the rest — so その他 and every figure printed before stay as they were.
The 合計 of 付加 at the previous fiscal year's end is calibrated too (前年度の予定付加掛金実績).
"""

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import yaml

from kyosai.domain.achievement import achievement_pct
from kyosai.domain.money import money_figures
from kyosai.domain.periods import YearMonth
from kyosai.domain.rollup import apportion

__all__ = [
    "FIRST_MONTH",
    "FISCAL_YEARS",
    "MONTHS",
    "CompositeFigure",
    "NationalPlan",
    "build_national_plan",
    "load_figures",
    "month_index",
    "solve_money",
]

FIGURES_FILE = Path(__file__).parent / "data" / "demo_figures.yaml"
FIRST_MONTH = YearMonth(2022, 6)
FISCAL_YEARS = (2022, 2023, 2024)
MONTHS = [FIRST_MONTH.shift(i) for i in range(36)]
MONEY = ("premiums", "loading")
FLOWS = ("premiums", "loading", "new_contracts", "migrations")

#: Products of the その他 group (in group totals) and their share weights for money and units.
OTHER_PRODUCTS = {
    "retiree_group_life": 9, "long_term_savings": 22, "qualified_pension": 8, "fire": 12,
    "natural_disaster": 9, "child_maturity": 1, "traffic_accident": 3, "nursing_care": 1,
    "post_retirement": 5, "misc": 30,
}
SINGLE_GROUPS = ("general", "group_life", "mycar", "compulsory_auto")
#: Typical size of a contract, used where the report gives no anchor: 口 per 件, yen a year per 件.
UNITS_PER_CONTRACT = {"parent_child": 2}
PREMIUM_PER_CONTRACT = {"parent_child": 18_000}
#: Holdings of 退職後共済 (the report only prints its 移行契約): a plausible level.
POST_RETIREMENT_HOLDINGS = 5_200
#: Monthly weights (June … May) of cumulative flows: new contracts peak in April (new hires).
SEASON = {
    "new_contracts": (9, 8, 8, 8, 9, 9, 8, 6, 7, 8, 12, 8),
    "migrations": (6, 6, 7, 8, 9, 9, 9, 8, 8, 9, 11, 10),
    "premiums": (10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10),
    "loading": (10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10),
}


def month_index(month: YearMonth) -> int:
    """0 for 2022-06 … 35 for 2025-05."""
    return (month.year - FIRST_MONTH.year) * 12 + month.month - FIRST_MONTH.month


def load_figures(path: Path = FIGURES_FILE) -> dict[str, Any]:
    figures: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))  # (YAML)
    return figures


# --- money: yen amounts behind the printed 千円 ---------------------------------------------

@dataclass(frozen=True, slots=True)
class MoneyRow:
    """A printed money row: actual, target, previous, change in 千円; 到達率, 前年同期比 in %."""

    actual: int
    target: int
    previous: int
    change: int
    achievement: Decimal
    yoy: Decimal

    def holds(self, actual_yen: int, previous_yen: int) -> bool:
        shown = money_figures(actual_yen, self.target * 1000, previous_yen)
        return (shown.actual, shown.previous, shown.change, shown.achievement_pct,
                shown.yoy_pct) == (self.actual, self.previous, self.change, self.achievement,
                                   self.yoy)


def solve_money(groups: dict[str, MoneyRow], total: MoneyRow, seed: int = 0) -> (
    dict[str, tuple[int, int]]
):
    """Yen (actual, previous) per group such that every group row and the 合計 row print as given.

    Targets are whole 千円. Each group's yen lie within ±500 of its printed 千円; the search
    first lists each group's feasible offsets, then looks for a combination whose sums also
    print the 合計 row. Raises ValueError when none exists.
    """
    steps = range(-500, 500, 50)
    feasible: dict[str, list[tuple[int, int]]] = {}
    for code, row in groups.items():
        options = [(row.actual * 1000 + a, row.previous * 1000 + p) for a in steps for p in steps
                   if row.holds(row.actual * 1000 + a, row.previous * 1000 + p)]
        if not options:
            raise ValueError(f"{code}: 印字どおりになる円単位の金額がありません")
        feasible[code] = options
    rng = random.Random(seed)
    codes = list(groups)
    for _ in range(200_000):
        pick = {code: rng.choice(feasible[code]) for code in codes}
        if total.holds(sum(a for a, _ in pick.values()), sum(p for _, p in pick.values())):
            return pick
    raise ValueError("合計行が印字どおりになる組合せが見つかりません")


# --- composites within その他 ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CompositeFigure:
    """What the report prints for a composite: its change (千円 for money) and maybe its 到達率."""

    composite: str
    measure: str
    month: YearMonth
    change: int
    achievement: Decimal | None
    components: tuple[str, ...]


def _composite_figures(figures: dict[str, Any],
                       composites: Mapping[str, Sequence[str]]) -> list[CompositeFigure]:
    rows = []
    for code, measure, month, change, achievement in figures.get("composites", []):
        components = tuple(composites.get(code, ()))
        if not components or not set(components) <= set(OTHER_PRODUCTS):
            raise ValueError(f"{code}: その他の制度を合算する合算行ではありません")
        rows.append(CompositeFigure(code, measure, YearMonth.parse(month), int(change),
                                    None if achievement is None else Decimal(achievement),
                                    components))
    return rows


def _other_shares(total: int, components: Sequence[str] = (),
                  composite: int | None = None) -> dict[str, int]:
    """その他's figure over its products by weight; with `composite` given, the `components`
    share exactly that (by weight) and the other products the rest."""
    if composite is None:
        return dict(zip(OTHER_PRODUCTS, apportion(total, list(OTHER_PRODUCTS.values())),
                        strict=True))
    inside = [p for p in OTHER_PRODUCTS if p in components]
    outside = [p for p in OTHER_PRODUCTS if p not in components]
    shares = dict(zip(inside, apportion(composite, [OTHER_PRODUCTS[p] for p in inside]),
                      strict=True))
    shares.update(zip(outside, apportion(total - composite, [OTHER_PRODUCTS[p] for p in outside]),
                      strict=True))
    return shares


def _composite_actual(target: int, printed: Decimal) -> int:
    """An actual whose 到達率 against `target` prints `printed` (mid-way in its 0.01 band)."""
    actual = int(target * (printed + Decimal("0.005")) / 100)
    if achievement_pct(actual, target) != printed:
        raise ValueError(f"到達率 {printed}% になる実績がありません")
    return actual


def _calibrated_shares(total_now: int, total_prev: int, target: int | None,
                       figure: CompositeFigure | None, scale: int) -> tuple[dict[str, int],
                                                                              dict[str, int]]:
    """その他's (now, previous year) per product; a composite's components calibrated to print
    `figure`: its 到達率 against its components' targets (else their share by weight), and its
    change (in 千円 for money: `scale` 1000)."""
    if figure is None:
        return _other_shares(total_now), _other_shares(total_prev)
    components = figure.components
    if figure.achievement is not None:
        if target is None:
            raise ValueError(f"{figure.composite}: 目標がないため到達率を合わせられません")
        own_target = sum(v for p, v in _other_shares(target).items() if p in components)
        now = _composite_actual(own_target, figure.achievement)
    else:
        now = sum(v for p, v in _other_shares(total_now).items() if p in components)
    before = now - figure.change * scale
    if not (0 <= now <= total_now and 0 <= before <= total_prev):
        raise ValueError(f"{figure.composite}: その他の範囲に収まりません")
    return (_other_shares(total_now, components, now),
            _other_shares(total_prev, components, before))


# --- national series -------------------------------------------------------------------------

@dataclass(slots=True)
class NationalPlan:
    """National figures: `series[(product, measure)]` has 36 monthly values (yen for money,
    Decimal for rates); `targets[(product, measure, fiscal_year)]` the national targets."""

    series: dict[tuple[str, str], Sequence[int | Decimal]] = field(default_factory=dict)
    targets: dict[tuple[str, str, int], int | Decimal] = field(default_factory=dict)


def _stock_series(anchors: dict[int, int], rng: random.Random, drift: Fraction) -> list[int]:
    """A month-end level through the anchors, linear between them, trending outside them."""
    points = sorted(anchors.items())
    if len(points) >= 2:
        (i0, v0), (i1, v1) = points[0], points[-1]
        slope = Fraction(v1 - v0, i1 - i0) if i1 != i0 else Fraction(0)
    else:
        slope = drift * points[0][1]
    values: list[int] = []
    for i in range(36):
        if i in anchors:
            values.append(anchors[i])
            continue
        before = [p for p in points if p[0] < i]
        after = [p for p in points if p[0] > i]
        if before and after:
            (ia, va), (ib, vb) = before[-1], after[0]
            level = va + Fraction(vb - va, ib - ia) * (i - ia)
        elif before:
            level = before[-1][1] + slope * (i - before[-1][0])
        else:
            level = after[0][1] - slope * (after[0][0] - i)
        noise = Fraction(rng.randint(-15, 15), 10_000)
        values.append(max(0, int(level * (1 + noise))))
    return values


def _flow_series(anchors: dict[int, int], season: tuple[int, ...], growth: Fraction) -> list[int]:
    """Cumulative from each June: through the anchors, shaped by the season elsewhere."""
    shares = [Fraction(sum(season[: k + 1]), sum(season)) for k in range(12)]
    annual: dict[int, Fraction] = {}
    for fy in range(3):
        known = {i - fy * 12: v for i, v in anchors.items() if fy * 12 <= i < fy * 12 + 12}
        if known:
            k, v = max(known.items())
            annual[fy] = Fraction(v) / shares[k] if k < 11 else Fraction(v)
    for fy in range(3):  # years without an anchor follow their neighbour
        if fy not in annual:
            near = min(annual, key=lambda f: abs(f - fy))
            annual[fy] = annual[near] * (1 + growth) ** (fy - near)
    values: list[int] = []
    for fy in range(3):
        points = sorted((i - fy * 12, v) for i, v in anchors.items() if fy * 12 <= i < fy * 12 + 12)
        for k in range(12):
            values.append(_cumulative(k, points, shares, annual[fy]))
    return values


def _cumulative(k: int, known: list[tuple[int, int]], shares: list[Fraction],
                annual: Fraction) -> int:
    for kk, v in known:
        if kk == k:
            return v
    before = [(kk, v) for kk, v in known if kk < k]
    after = [(kk, v) for kk, v in known if kk > k]
    if before and after:
        (ka, va), (kb, vb) = before[-1], after[0]
        return int(va + (vb - va) * (shares[k] - shares[ka]) / (shares[kb] - shares[ka]))
    if after:
        kb, vb = after[0]
        return int(vb * shares[k] / shares[kb])
    if before:
        ka, va = before[-1]
        rest = max(Fraction(0), annual - va)
        return int(va + rest * (shares[k] - shares[ka]) / (1 - shares[ka]))
    return int(annual * shares[k])


def _build(anchors: dict[int, int], measure: str, rng: random.Random) -> list[int]:
    if measure in FLOWS:
        return _flow_series(anchors, SEASON[measure], Fraction(rng.randint(-20, 20), 1000))
    return _stock_series(anchors, rng, Fraction(rng.randint(-6, 2), 10_000))


def build_national_plan(figures: dict[str, Any], seed: int = 0, *,
                        composites: Mapping[str, Sequence[str]]) -> NationalPlan:
    """Every product's national monthly series and targets, calibrated to the report.

    `composites`: each composite product's components (the catalog's), for the composites the
    figures calibrate."""
    rng = random.Random(seed)
    plan = NationalPlan()
    national = _national_rows(figures)
    anchors = _product_anchors(figures)
    calibrated = {(c.measure, c.month): c for c in _composite_figures(figures, composites)}
    _money_anchors(national, anchors, seed, calibrated)
    # products of the single-product groups take the group's printed non-money figures
    for (group, measure, month), row in national.items():
        if group in SINGLE_GROUPS and measure not in MONEY:
            anchors.setdefault((group, measure), {})[month_index(month)] = row["actual"]
            anchors[(group, measure)][month_index(month.previous_year())] = row["previous"]
    anchors[("post_retirement", "holdings")] = {29: POST_RETIREMENT_HOLDINGS,
                                                17: POST_RETIREMENT_HOLDINGS - 160}
    # その他: itemised products first, then units and money shared out, then misc fills the rest
    for product in OTHER_PRODUCTS:
        for measure in ("holdings", "new_contracts", "migrations"):
            if (product, measure) in anchors and product != "misc":
                plan.series[(product, measure)] = _build(anchors[(product, measure)], measure, rng)
    for (group, measure, month), row in national.items():
        if group != "other":
            continue
        for when, value in ((month, row["actual"]), (month.previous_year(), row["previous"])):
            i = month_index(when)
            if measure in ("holdings", "new_contracts"):
                others = sum(plan.series[(p, measure)][i] for p in OTHER_PRODUCTS
                             if (p, measure) in plan.series and p != "misc")
                anchors.setdefault(("misc", measure), {})[i] = value - others
        if measure == "units":
            now, before = _calibrated_shares(row["actual"], row["previous"], None,
                                             calibrated.get((measure, month)), 1)
            for product in OTHER_PRODUCTS:  # in this order: the same random draws as ever
                anchors.setdefault((product, measure), {})[month_index(month)] = now[product]
                anchors[(product, measure)][month_index(month.previous_year())] = before[product]
    moved = _printed_changes(plan, figures, anchors)
    _year_end_anchors(figures, anchors)
    for (product, measure), points in anchors.items():
        if (product, measure) not in plan.series and measure != "attachment_rate":
            plan.series[(product, measure)] = _build(points, measure, rng)
    for (measure, i), delta in moved.items():  # misc gives back what the change moved
        misc = list(plan.series[("misc", measure)])
        misc[i] -= delta
        plan.series[("misc", measure)] = misc
    _derived_series(plan, rng)
    _rates(plan, figures)
    _targets(plan, national, figures, rng)
    return plan


def _printed_changes(plan: NationalPlan, figures: dict[str, Any],
                     anchors: dict[tuple[str, str], dict[int, int]]) -> dict[tuple[str, int], int]:
    """An itemised product of その他 whose stock change the report prints at a month it prints no
    level for: that month moves to last year's level plus the change. Returns what moved per
    (measure, month index), for misc to give back at that month alone (その他 unchanged)."""
    moved: dict[tuple[str, int], int] = {}
    for product, measure, month, change in figures.get("changes", []):
        i = month_index(YearMonth.parse(month))
        points = anchors.get((product, measure), {})
        if product not in OTHER_PRODUCTS or product == "misc" or measure in FLOWS \
                or (product, measure) not in plan.series or i in points or i - 12 in points \
                or i < 12:
            raise ValueError(f"{product} {measure} {month}: 増減だけを合わせられる月ではありません")
        series = list(plan.series[(product, measure)])
        level = int(series[i - 12]) + int(change)
        moved[(measure, i)] = moved.get((measure, i), 0) + level - int(series[i])
        series[i] = level
        plan.series[(product, measure)] = series
    return moved


def _national_rows(figures: dict[str, Any]) -> dict[tuple[str, str, YearMonth], dict[str, Any]]:
    rows = {}
    for group, measure, month, actual, target, previous, change, ach, yoy in figures["national"]:
        rows[(group, measure, YearMonth.parse(month))] = {
            "actual": actual, "target": target, "previous": previous, "change": change,
            "achievement": Decimal(ach), "yoy": Decimal(yoy)}
    return rows


def _product_anchors(figures: dict[str, Any]) -> dict[tuple[str, str], dict[int, int]]:
    anchors: dict[tuple[str, str], dict[int, int]] = {}
    for product, measure, month, actual, _target, previous in figures["products"]:
        if measure == "attachment_rate":
            continue
        when = YearMonth.parse(month)
        points = anchors.setdefault((product, measure), {})
        points[month_index(when)] = actual
        points[month_index(when.previous_year())] = previous
    # appendix table 9: マイカー新契約 for FY2023 to its end (2024-05) is national 23,373
    anchors.setdefault(("mycar", "new_contracts"), {})[23] = sum(b[2] for b in figures["branches"])
    return anchors


def _money_anchors(national: dict[tuple[str, str, YearMonth], dict[str, Any]],
                   anchors: dict[tuple[str, str], dict[int, int]], seed: int,
                   calibrated: Mapping[tuple[str, YearMonth], CompositeFigure]) -> None:
    """Yen anchors for money: solved per measure, then その他 shared out over its products."""
    for measure in MONEY:
        rows = {g: r for (g, m, _), r in national.items() if m == measure}
        month = next(mo for (g, m, mo) in national if m == measure)

        def money_row(r: dict[str, Any]) -> MoneyRow:
            return MoneyRow(r["actual"], r["target"], r["previous"], r["change"],
                            r["achievement"], r["yoy"])

        groups = {g: money_row(r) for g, r in rows.items() if g != "total"}
        solved = solve_money(groups, money_row(rows["total"]), seed)
        i_now, i_prev = month_index(month), month_index(month.previous_year())
        for group, (actual_yen, previous_yen) in solved.items():
            if group in SINGLE_GROUPS:
                anchors[(group, measure)] = {i_now: actual_yen, i_prev: previous_yen}
                continue
            now, before = _calibrated_shares(actual_yen, previous_yen,
                                             rows[group]["target"] * 1000,
                                             calibrated.get((measure, month)), 1000)
            for product in OTHER_PRODUCTS:
                anchors.setdefault((product, measure), {})[i_now] = now[product]
                anchors[(product, measure)][i_prev] = before[product]


def _year_end_anchors(figures: dict[str, Any],
                      anchors: dict[tuple[str, str], dict[int, int]]) -> None:
    """A fiscal year's last month where the report prints its 合計 (前年度の予定付加掛金実績, 千円):
    each product in the 合計 keeps its own path to the year's end, the difference shared over
    them in proportion, so the 合計 is the printed figure in whole 千円 (yen for money)."""
    for measure, month, printed in figures.get("year_end", []):
        i = month_index(YearMonth.parse(month))
        if i % 12 != 11:
            raise ValueError(f"{month}: 年度の最終月ではありません")
        scale = 1000 if measure in MONEY else 1
        products = [p for p in (*SINGLE_GROUPS, *OTHER_PRODUCTS) if (p, measure) in anchors]
        ends = [_flow_series(anchors[(p, measure)], SEASON[measure], Fraction(0))[i]
                for p in products]
        extra = apportion(int(printed) * scale - sum(ends), ends)
        for product, end, more in zip(products, ends, extra, strict=True):
            anchors[(product, measure)][i] = end + more


def _derived_series(plan: NationalPlan, rng: random.Random) -> None:
    """Measures the report gives nothing for (親子共済's, 車両損害補償's outside anchors)."""
    holdings = cast(Sequence[int], plan.series[("parent_child", "holdings")])  # counts
    plan.series[("parent_child", "units")] = [h * UNITS_PER_CONTRACT["parent_child"]
                                              for h in holdings]
    yearly = [holdings[fy * 12] * PREMIUM_PER_CONTRACT["parent_child"] for fy in range(3)]
    anchors = {fy * 12 + 11: yearly[fy] for fy in range(3)}
    plan.series[("parent_child", "premiums")] = _flow_series(anchors, SEASON["premiums"],
                                                             Fraction(0))
    plan.series[("parent_child", "loading")] = [
        v * 9 // 100 for v in cast(Sequence[int], plan.series[("parent_child", "premiums")])]
    plan.series[("parent_child", "new_contracts")] = _flow_series(
        {fy * 12 + 11: holdings[fy * 12] * 6 // 100 for fy in range(3)}, SEASON["new_contracts"],
        Fraction(0))
    del rng


def _rates(plan: NationalPlan, figures: dict[str, Any]) -> None:
    """付帯率 as given for 2024-11 and 2023-11; elsewhere a straight line between them."""
    row = next(r for r in figures["products"] if r[1] == "attachment_rate")
    now, before = Decimal(row[3]), Decimal(row[5])
    step = (now - before) / 12
    plan.series[("vehicle_damage", "attachment_rate")] = [
        (before + step * (i - 17)).quantize(Decimal("0.01")) for i in range(36)]
    plan.targets[("vehicle_damage", "attachment_rate", 2024)] = Decimal(row[4])
    plan.targets[("vehicle_damage", "attachment_rate", 2023)] = Decimal(row[4]) - 2
    plan.targets[("vehicle_damage", "attachment_rate", 2022)] = Decimal(row[4]) - 4


def _targets(plan: NationalPlan, national: dict[tuple[str, str, YearMonth], dict[str, Any]],
             figures: dict[str, Any],
             rng: random.Random) -> None:
    """FY2024 targets as printed; FY2022–2023 targets a little below the year's outcome."""
    fy24: dict[tuple[str, str], int] = {}
    for product, measure, _month, _actual, target, _previous in figures["products"]:
        if target is not None and measure != "attachment_rate":
            fy24[(product, measure)] = target
    for (group, measure, _month), row in national.items():
        scale = 1000 if measure in MONEY else 1
        if group in SINGLE_GROUPS:
            fy24[(group, measure)] = row["target"] * scale
        elif group == "other":
            _other_targets(fy24, measure, row["target"] * scale)
    fy24[("post_retirement", "holdings")] = POST_RETIREMENT_HOLDINGS + 300
    for (product, measure), value in fy24.items():
        plan.targets[(product, measure, 2024)] = value
        for fy in (2022, 2023):
            series = cast(Sequence[int], plan.series.get((product, measure), [0] * 36))  # no rate
            end = series[(fy - 2022) * 12 + 11]
            factor = Fraction(rng.randint(97, 104), 100)
            plan.targets[(product, measure, fy)] = max(1, int(end * factor)) if end else value


def _other_targets(fy24: dict[tuple[str, str], int], measure: str, total: int) -> None:
    """その他's target: itemised products as printed, the rest to misc (or shared by weight)."""
    if measure in ("holdings", "new_contracts"):
        known = sum(fy24.get((p, measure), 0) for p in OTHER_PRODUCTS if p != "misc")
        if measure == "holdings":
            known += POST_RETIREMENT_HOLDINGS + 300
        fy24[("misc", measure)] = total - known
        return
    for product, part in _other_shares(total).items():
        fy24[(product, measure)] = part
