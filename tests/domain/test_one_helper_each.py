"""The one helper for each small rule: branch codes, month → date, the fiscal calendar."""

from datetime import date

import pytest

from kyosai.domain.codes import branch_code
from kyosai.domain.periods import FiscalCalendar, FiscalYears, HalfYear, YearMonth


@pytest.mark.parametrize(("typed", "code"), [
    ("1", "01"), ("01", "01"), ("9", "09"), ("10", "10"), ("48", "48"), ("0", "00"), ("00", "00"),
    (" 7 ", "07"), ("１", "01"), ("４８", "48"),
])
def test_a_typed_branch_code_is_two_digits(typed, code):
    assert branch_code(typed) == code


@pytest.mark.parametrize("typed", ["", None, "123", "001", "東京", "1a", "-1", "1.0", "一"])
def test_anything_else_is_no_branch_code(typed):
    assert branch_code(typed) is None


@pytest.mark.parametrize(("month", "first", "last"), [
    (YearMonth(2024, 1), date(2024, 1, 1), date(2024, 1, 31)),
    (YearMonth(2024, 2), date(2024, 2, 1), date(2024, 2, 29)),  # leap year
    (YearMonth(2023, 2), date(2023, 2, 1), date(2023, 2, 28)),
    (YearMonth(2024, 11), date(2024, 11, 1), date(2024, 11, 30)),
    (YearMonth(2024, 12), date(2024, 12, 1), date(2024, 12, 31)),  # December → January
])
def test_a_month_has_its_first_and_last_day(month, first, last):
    assert month.first_day() == first
    assert month.last_day() == last
    assert YearMonth.of(first) == YearMonth.of(last) == month
    assert month.shift(1).first_day() == date.fromordinal(last.toordinal() + 1)


def test_a_half_year_closes_on_the_last_day_of_its_last_month():
    june = FiscalCalendar(6)
    assert HalfYear(2024, 1).last_day(june) == date(2024, 11, 30)
    assert HalfYear(2024, 2).last_day(june) == date(2025, 5, 31)
    assert HalfYear(2024, 2).last_day(FiscalCalendar(1)) == date(2024, 12, 31)  # December end
    assert HalfYear(2024, 1).last_day(FiscalCalendar(4)) == date(2024, 9, 30)


REGISTERED = FiscalYears({2023: FiscalCalendar(6), 2024: FiscalCalendar(6), 2025: FiscalCalendar(4)})


@pytest.mark.parametrize(("month", "year", "start"), [
    (YearMonth(2024, 6), 2024, 6),   # first month of FY2024
    (YearMonth(2025, 5), 2024, 6),   # last month of FY2024
    (YearMonth(2024, 5), 2023, 6),   # last month of FY2023
    (YearMonth(2024, 12), 2024, 6),  # December …
    (YearMonth(2025, 1), 2024, 6),   # … and January of the same fiscal year
])
def test_the_fiscal_year_of_a_month_is_the_registered_year_containing_it(month, year, start):
    assert REGISTERED.containing(month) == (year, FiscalCalendar(start))
    assert REGISTERED.registered_year_of(month) == year


def test_a_year_starting_in_april_after_one_starting_in_june():
    # FY2024 (June) runs to 2025-05; FY2025 (April) 2025-04 … 2026-03: April and May of 2025 are
    # FY2024's as long as FY2024 is registered, the first registered year containing them.
    assert REGISTERED.containing(YearMonth(2026, 3)) == (2025, FiscalCalendar(4))
    assert REGISTERED.calendar(2025).first_month(2025) == YearMonth(2025, 4)


def test_outside_every_registered_year_the_calendar_starts_in_june():
    assert REGISTERED.registered_year_of(YearMonth(2030, 6)) is None
    assert REGISTERED.containing(YearMonth(2030, 5)) == (2029, FiscalCalendar(6))
    assert REGISTERED.containing(YearMonth(2030, 6)) == (2030, FiscalCalendar(6))
    assert FiscalYears().calendar(2024) == FiscalCalendar(6)
    assert REGISTERED.calendar(2031) == FiscalCalendar(6)
