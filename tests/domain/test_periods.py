from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyosai.domain.periods import FiscalCalendar, InvalidMonth, YearMonth


def test_june_is_the_first_month_and_november_the_sixth_of_fy2024():
    calendar = FiscalCalendar(6)
    assert calendar.elapsed_months(YearMonth(2024, 6)) == 1
    assert calendar.elapsed_months(YearMonth(2024, 11)) == 6
    assert calendar.elapsed_months(YearMonth(2025, 5)) == 12


def test_the_pace_of_october_is_five_twelfths():
    assert FiscalCalendar(6).pace(YearMonth(2024, 10)) == Fraction(5, 12)


def test_months_before_the_start_month_belong_to_the_previous_fiscal_year():
    calendar = FiscalCalendar(6)
    assert calendar.fiscal_year_of(YearMonth(2025, 5)) == 2024
    assert calendar.fiscal_year_of(YearMonth(2024, 6)) == 2024
    assert calendar.months(2024)[0] == YearMonth(2024, 6)
    assert calendar.months(2024)[-1] == YearMonth(2025, 5)


def test_a_year_starting_in_may_counts_from_may():
    assert FiscalCalendar(5).elapsed_months(YearMonth(2025, 4)) == 12
    assert FiscalCalendar(5).elapsed_months(YearMonth(2025, 5)) == 1


@pytest.mark.parametrize("text", ["2024-13", "2024/11", "24-11", "2024-1", "", "abcd-ef"])
def test_it_rejects_months_not_written_yyyy_mm(text):
    with pytest.raises(InvalidMonth):
        YearMonth.parse(text)


@given(st.integers(1, 12), st.integers(2000, 2100), st.integers(1, 12))
def test_elapsed_months_run_from_one_to_twelve_for_any_start(start, year, month):
    calendar = FiscalCalendar(start)
    ym = YearMonth(year, month)
    elapsed = calendar.elapsed_months(ym)
    assert 1 <= elapsed <= 12
    first = calendar.first_month(calendar.fiscal_year_of(ym))
    assert first.shift(elapsed - 1) == ym


def test_shifting_crosses_years_both_ways():
    assert YearMonth(2024, 11).shift(3) == YearMonth(2025, 2)
    assert YearMonth(2024, 1).shift(-1) == YearMonth(2023, 12)
    assert YearMonth(2024, 11).previous_year() == YearMonth(2023, 11)
    assert str(YearMonth(2024, 6)) == "2024-06"


def test_a_half_year_is_six_months_of_the_fiscal_year():
    from datetime import date

    from kyosai.domain.periods import HalfYear, half_year_of

    h1 = HalfYear.parse("２０２４ｈ１")
    assert str(h1) == "2024H1"
    assert h1.label() == "2024年度上半期"
    assert h1.months(FiscalCalendar(6))[-1] == YearMonth(2024, 11)
    assert h1.last_day(FiscalCalendar(6)) == date(2024, 11, 30)
    assert h1.next().next() == HalfYear(2025, 1)
    assert h1.previous() == HalfYear(2023, 2)
    assert half_year_of(date(2024, 12, 19), FiscalCalendar(6)) == HalfYear(2024, 2)
