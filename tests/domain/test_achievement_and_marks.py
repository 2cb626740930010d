from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyosai.domain.achievement import achievement_pct, change, yoy_pct
from kyosai.domain.evaluation import Mark, benchmark_pct, mark_for, pace_pct
from kyosai.domain.measures import MeasureKind, UnknownMeasure, measure_for_word
from kyosai.domain.periods import FiscalCalendar, YearMonth
from kyosai.domain.scorecard import evaluate


def test_achievement_of_general_holdings_matches_the_2024_11_report():
    assert achievement_pct(783_283, 754_951) == Decimal("103.75")


def test_achievement_is_truncated_not_rounded():
    assert achievement_pct(46_370, 91_372) == Decimal("50.74")
    assert achievement_pct(40, 286) == Decimal("13.98")


def test_without_a_target_there_is_no_achievement():
    assert achievement_pct(22_460, None) is None


def test_yoy_is_truncated():
    assert yoy_pct(968_155, 979_328) == Decimal("98.85")
    assert yoy_pct(2_474_833, 2_477_330) == Decimal("99.89")
    assert yoy_pct(0, 0) is None


def test_change_of_a_rate_is_in_points():
    assert change(Decimal("58.95"), Decimal("56.71")) == Decimal("2.24")


def test_the_printed_pace_of_october_is_41_67():
    assert pace_pct(Fraction(5, 12)) == Decimal("41.67")
    assert pace_pct(Fraction(7, 12)) == Decimal("58.33")


def test_stocks_and_rates_are_benchmarked_at_100_flows_at_the_pace():
    assert benchmark_pct(MeasureKind.STOCK, Fraction(1, 2)) == 100
    assert benchmark_pct(MeasureKind.RATE, Fraction(1, 2)) == 100
    assert benchmark_pct(MeasureKind.FLOW, Fraction(1, 2)) == Decimal("50.00")


@pytest.mark.parametrize(
    ("achievement", "delta", "mark"),
    [("103", 1, Mark.GOOD), ("103", -1, Mark.PARTIAL), ("99", 1, Mark.PARTIAL),
     ("99", -1, Mark.POOR), ("99", 0, Mark.POOR), ("100", 0, Mark.PARTIAL)],
)
def test_marks_follow_reached_and_increased(achievement, delta, mark):
    assert mark_for(Decimal(achievement), Decimal(100), delta) is mark


def test_general_premiums_in_october_reach_the_pace_but_fell():
    figures = evaluate(actual=968_155, target=2_314_044, previous=979_328,
                       kind=MeasureKind.FLOW, as_of=YearMonth(2024, 10),
                       calendar=FiscalCalendar(6))
    assert figures.achievement_pct == Decimal("41.83")
    assert figures.pace_pct == Decimal("41.67")
    assert figures.mark is Mark.PARTIAL


def test_new_contracts_of_mycar_are_good_against_the_november_pace():
    figures = evaluate(actual=11_437, target=22_166, previous=10_777, kind=MeasureKind.FLOW,
                       as_of=YearMonth(2024, 11), calendar=FiscalCalendar(6))
    assert figures.mark is Mark.GOOD


def test_the_report_words_name_measures():
    assert measure_for_word("保有契約").code == "holdings"
    assert measure_for_word("掛金").reporting_lag_months == 1
    with pytest.raises(UnknownMeasure):
        measure_for_word("売上")


percent = st.decimals(min_value=0, max_value=300, places=2)


@given(percent, percent, st.integers(-10**6, 10**6))
def test_a_mark_never_improves_when_the_benchmark_rises(achievement, benchmark, delta):
    order = {Mark.POOR: 0, Mark.PARTIAL: 1, Mark.GOOD: 2}
    lower = mark_for(achievement, benchmark, delta)
    higher = mark_for(achievement, benchmark + 1, delta)
    assert order[higher] <= order[lower]


@given(percent, percent, st.integers(-10**6, 10**6))
def test_good_means_both_reached_and_up_and_poor_neither(achievement, benchmark, delta):
    mark = mark_for(achievement, benchmark, delta)
    assert (mark is Mark.GOOD) == (achievement >= benchmark and delta > 0)
    assert (mark is Mark.POOR) == (achievement < benchmark and delta <= 0)


@given(st.integers(0, 10**9), st.integers(1, 10**9))
def test_achievement_is_the_truncated_ratio_for_any_figures(actual, target):
    value = achievement_pct(actual, target)
    exact = Fraction(actual * 100, target)
    assert Fraction(value) <= exact < Fraction(value) + Fraction(1, 100)


def test_reached_means_at_or_above_the_printed_benchmark():
    from kyosai.domain.evaluation import benchmark_for_printed_pace, is_reached

    assert is_reached(Decimal("41.67"), Decimal("41.67"))
    assert not is_reached(Decimal("41.66"), Decimal("41.67"))
    assert benchmark_for_printed_pace(MeasureKind.STOCK, None) == 100
    assert benchmark_for_printed_pace(MeasureKind.FLOW, Decimal("50.00")) == Decimal("50.00")
    with pytest.raises(ValueError):
        benchmark_for_printed_pace(MeasureKind.FLOW, None)


def test_the_biggest_fallers_are_listed_largest_fall_first():
    from kyosai.domain.ranking import top_decliners, top_growers

    rows = [("a", 5), ("b", -3), ("c", -10), ("d", 0), ("e", 7), ("f", None)]
    change = lambda row: row[1]  # noqa: E731
    assert [r[0] for r in top_growers(rows, change, 5)] == ["e", "a"]
    assert [r[0] for r in top_decliners(rows, change, 1)] == ["c"]
    assert [r[0] for r in top_decliners(rows, change, 5)] == ["c", "b"]
