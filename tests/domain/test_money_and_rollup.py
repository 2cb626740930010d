"""The money rule (yen → 千円) and the rollup rules, without Django."""

from decimal import Decimal

import pytest

from kyosai.domain.measures import MEASURES, MeasureKind
from kyosai.domain.money import money_figures
from kyosai.domain.periods import FiscalCalendar, YearMonth
from kyosai.domain.rollup import apportion, branch_figure, scorecard_row, sum_figures


def test_a_money_change_is_rounded_from_the_yen_difference_not_from_the_printed_figures():
    # マイカー共済 掛金: printed 5,342,261 and 5,026,523 (difference 315,738), change printed 315,739
    shown = money_figures(5_342_261_400, 13_124_508_000, 5_026_522_600)
    assert (shown.actual, shown.previous, shown.change) == (5_342_261, 5_026_523, 315_739)


def test_money_ratios_come_from_the_yen_amounts():
    # 総合共済 付加: 46,370 / 46,895 prints 98.88 from 千円, but yen can give the report's 98.87
    shown = money_figures(46_369_500, 91_372_000, 46_895_400)
    assert (shown.actual, shown.previous) == (46_370, 46_895)
    assert shown.yoy_pct == Decimal("98.87")
    assert shown.achievement_pct == Decimal("50.74")


def test_a_money_scorecard_row_is_displayed_in_thousand_yen():
    row = scorecard_row(label="総合共済", code="general", measure=MEASURES["premiums"],
                        as_of=YearMonth(2024, 10), calendar=FiscalCalendar(6),
                        actual=968_155_040, target=2_314_044_000, previous=979_328_000)
    assert (row.unit, row.actual, row.target, row.change) == ("千円", 968_155, 2_314_044, -11_173)
    assert (row.achievement_pct, row.pace_pct, row.mark.value) == (Decimal("41.83"),
                                                                    Decimal("41.67"), "△")


def test_apportion_splits_exactly_and_deterministically():
    parts = apportion(10, [1, 1, 1])
    assert parts == [4, 3, 3]
    assert sum(apportion(783_283, [63_132, 9_661, 237])) == 783_283
    assert apportion(-5, [1, 1]) == [-3, -2]
    assert apportion(0, [0, 0]) == [0, 0]


def test_apportion_refuses_to_split_over_nothing():
    with pytest.raises(ValueError):
        apportion(5, [])


def test_a_branch_row_wins_over_the_sum_of_its_unions():
    assert branch_figure(100, [40, 50]) == 100
    assert branch_figure(None, [40, 50]) == 90
    assert branch_figure(None, []) is None


def test_rates_never_add_up():
    assert sum_figures([Decimal("58.1"), Decimal("57.2")], MeasureKind.RATE) is None
    assert sum_figures([1, None, 2], MeasureKind.STOCK) == 3
