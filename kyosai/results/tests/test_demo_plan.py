"""The demo plan's calibration of composites, printed changes and a year's 合計 (no database)."""

import copy
from decimal import Decimal
from typing import Any

import pytest

from kyosai.domain.money import money_figures
from kyosai.results.demo_plan import OTHER_PRODUCTS, build_national_plan, load_figures

PARTS = ["long_term_savings", "qualified_pension", "post_retirement"]
COMPOSITES = {"new_group_pension": PARTS, "long_term_family": PARTS}
IN_TOTALS = ["general", "group_life", "mycar", "compulsory_auto", *OTHER_PRODUCTS]


def _sum(plan: Any, products: list[str], measure: str, i: int) -> int:
    return sum(int(plan.series[(p, measure)][i]) for p in products)


def _money(plan: Any, products: list[str], measure: str, i: int) -> Any:
    target = sum(int(plan.targets[(p, measure, 2024)]) for p in products)
    return money_figures(_sum(plan, products, measure, i), target,
                         _sum(plan, products, measure, i - 12))


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    return load_figures()


def _with(figures: dict[str, Any], **changes: Any) -> dict[str, Any]:
    other = copy.deepcopy(figures)
    other.update(changes)
    return other


def test_a_composite_prints_the_change_and_achievement_it_is_given(figures):
    # other figures than the report's: a rise in 掛金 at 2024-10, a fall in 付加, a fall in 口数
    given = _with(figures, composites=[
        ["new_group_pension", "premiums", "2024-10", 250_000, "30.00"],
        ["new_group_pension", "loading", "2024-11", -7_777, "49.99"],
        ["long_term_family", "units", "2024-11", -123_456, None]])
    plan = build_national_plan(given, 0, composites=COMPOSITES)
    premiums = _money(plan, PARTS, "premiums", 28)  # 2024-10
    assert (premiums.change, premiums.achievement_pct) == (250_000, Decimal("30.00"))
    loading = _money(plan, PARTS, "loading", 29)  # 2024-11
    assert (loading.change, loading.achievement_pct) == (-7_777, Decimal("49.99"))
    assert _sum(plan, PARTS, "units", 29) - _sum(plan, PARTS, "units", 17) == -123_456
    # その他 as a whole is what the report prints, whatever its products share
    other = list(OTHER_PRODUCTS)
    baseline = build_national_plan(_with(figures, composites=[]), 0, composites=COMPOSITES)
    for measure, i in (("premiums", 28), ("loading", 29), ("units", 29)):
        for month in (i, i - 12):
            assert _sum(plan, other, measure, month) == _sum(baseline, other, measure, month)


def test_the_report_figures_of_its_composites_and_prior_year_come_out(figures):
    plan = build_national_plan(figures, 0, composites=COMPOSITES)
    premiums = _money(plan, PARTS, "premiums", 28)
    assert (premiums.change, premiums.achievement_pct) == (-1_700_926, Decimal("33.83"))
    loading = _money(plan, PARTS, "loading", 29)
    assert (loading.change, loading.achievement_pct) == (-18_919, Decimal("47.27"))
    assert _sum(plan, PARTS, "units", 29) - _sum(plan, PARTS, "units", 17) == -393_738
    holdings = plan.series[("long_term_savings", "holdings")]
    assert holdings[29] - holdings[17] == -4_661
    # 前年度の予定付加掛金実績: the 合計 at 2024-05, and 5,135,260 against it is exactly the pace
    year = money_figures(_sum(plan, IN_TOTALS, "loading", 29), _sum(plan, IN_TOTALS, "loading", 23),
                         None)
    assert (year.target, year.achievement_pct) == (10_269_401, Decimal("50.00"))


def test_a_printed_change_moves_one_month_of_one_product_and_nothing_else(figures):
    plan = build_national_plan(figures, 0, composites=COMPOSITES)
    unmoved = build_national_plan(_with(figures, changes=[]), 0, composites=COMPOSITES)
    mine, before = (p.series[("long_term_savings", "holdings")] for p in (plan, unmoved))
    assert [i for i in range(36) if mine[i] != before[i]] == [29]
    other = list(OTHER_PRODUCTS)
    assert [_sum(plan, other, "holdings", i) for i in range(36)] == [
        _sum(unmoved, other, "holdings", i) for i in range(36)]


def test_a_composite_that_cannot_fit_in_its_group_is_refused(figures):
    too_big = _with(figures, composites=[
        ["new_group_pension", "premiums", "2024-10", -20_000_000, "33.83"]])
    with pytest.raises(ValueError, match="その他の範囲に収まりません"):
        build_national_plan(too_big, 0, composites=COMPOSITES)


def test_only_composites_of_the_other_group_are_calibrated(figures):
    wrong = _with(figures, composites=[["group_life_total", "units", "2024-11", -1, None]])
    with pytest.raises(ValueError, match="合算行ではありません"):
        build_national_plan(wrong, 0, composites={"group_life_total": ["group_life"]})


def test_a_printed_change_never_moves_a_printed_level(figures):
    at_an_anchor = _with(figures, changes=[["long_term_savings", "holdings", "2024-12", -1]])
    with pytest.raises(ValueError, match="増減だけを合わせられる月ではありません"):
        build_national_plan(at_an_anchor, 0, composites=COMPOSITES)
