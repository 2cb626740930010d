"""The rules of members and contracts at their boundaries (issue 14, Definitions)."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyosai.domain.members import (
    ContractTerms,
    Insured,
    age_on,
    coverable,
    enrolment_rate,
    is_active,
    is_enrolled,
    is_in_force,
    is_organised,
    is_past_retention,
    remaining,
    retention_cutoff,
)

D = date(2024, 11, 30)


def test_a_member_is_active_until_the_day_before_left_on():
    assert is_active(None, D)
    assert is_active(date(2024, 12, 1), D)
    assert not is_active(D, D)  # left_on = D: the first day no longer a member
    assert not is_active(date(2024, 11, 29), D)


def test_a_contract_is_in_force_from_its_start_and_not_on_its_end_day():
    assert is_in_force(D, None, D)  # starts on D
    assert not is_in_force(date(2024, 12, 1), None, D)  # starts the day after
    assert not is_in_force(date(2020, 4, 1), D, D)  # ends on D
    assert is_in_force(date(2020, 4, 1), date(2024, 12, 1), D)  # ends the day after


def test_only_a_self_contract_of_the_product_in_force_makes_a_member_enrolled():
    self_general = ContractTerms("general", Insured.SELF, date(2020, 4, 1))
    assert is_enrolled([self_general], "general", D)
    assert not is_enrolled([self_general], "mycar", D)
    assert not is_enrolled([ContractTerms("general", Insured.SPOUSE, date(2020, 4, 1)),
                            ContractTerms("general", Insured.CHILD, date(2020, 4, 1))],
                           "general", D)
    assert not is_enrolled([ContractTerms("general", Insured.SELF, date(2020, 4, 1), D)],
                           "general", D)
    assert not is_enrolled([], "general", D)


def test_a_birthday_counts_as_reached_on_its_date():
    born = date(1990, 11, 30)
    assert age_on(born, date(2024, 11, 29)) == 33
    assert age_on(born, date(2024, 11, 30)) == 34
    assert age_on(born, date(2024, 12, 1)) == 34
    assert age_on(date(2024, 11, 30), D) == 0


def test_a_29_february_birthday_is_reached_on_1_march_in_common_years():
    born = date(2000, 2, 29)
    assert age_on(born, date(2023, 2, 28)) == 22
    assert age_on(born, date(2023, 3, 1)) == 23
    assert age_on(born, date(2024, 2, 28)) == 23
    assert age_on(born, date(2024, 2, 29)) == 24  # a leap year: on the day itself


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_age_is_the_number_of_birthdays_reached(born, day):
    if day < born:
        return
    reached = 0
    for year in range(born.year + 1, day.year + 1):
        try:
            birthday = born.replace(year=year)
        except ValueError:  # 29 February in a common year
            birthday = date(year, 3, 1)
        reached += birthday <= day
    assert age_on(born, day) == reached


def test_the_rate_is_rounded_half_up_to_one_decimal():
    assert enrolment_rate(1, 3) == Decimal("33.3")
    assert enrolment_rate(2, 3) == Decimal("66.7")
    assert enrolment_rate(1, 8) == Decimal("12.5")  # exactly 12.5
    assert enrolment_rate(1, 16) == Decimal("6.3")  # 6.25 → 6.3 (half-up, not to even)
    assert enrolment_rate(0, 5) == Decimal("0.0")
    assert enrolment_rate(5, 5) == Decimal("100.0")
    assert enrolment_rate(0, 0) is None


def test_organised_is_80_percent_exactly_not_the_rounded_rate():
    assert is_organised(80, 100)
    assert is_organised(4, 5)
    assert not is_organised(79, 100)
    # 3,998 of 5,000 = 79.96 % prints as 80.0 but is not 組織加入
    assert enrolment_rate(3998, 5000) == Decimal("80.0")
    assert not is_organised(3998, 5000)
    assert is_organised(4000, 5000)
    assert not is_organised(0, 0)


def test_remaining_and_coverable():
    assert remaining(100, 60) == 40
    assert remaining(100, 100) == 0
    assert remaining(100, 130) == 0  # over target: nothing left, never negative
    assert remaining(None, 10) is None
    assert remaining(10, None) is None
    assert coverable(40, 25) == 25
    assert coverable(40, 40) == 40
    assert coverable(0, 25) == 0
    assert coverable(None, 25) is None


@pytest.mark.parametrize("active", [1, 2, 3, 7, 10, 99, 1000])
def test_organised_agrees_with_the_exact_fraction(active):
    for enrolled in range(active + 1):
        assert is_organised(enrolled, active) == (Fraction(enrolled, active) >= Fraction(4, 5))


def test_the_retention_cut_off_is_today_minus_the_days():
    assert retention_cutoff(date(2025, 3, 10), 100) == date(2024, 11, 30)
    assert retention_cutoff(date(2024, 3, 1), 1) == date(2024, 2, 29)  # a leap day
    assert retention_cutoff(date(2025, 1, 1), 365) == date(2024, 1, 2)  # 2024 had 366 days


def test_past_retention_means_left_before_the_cut_off():
    today = date(2025, 3, 10)  # 100 days: cut-off 2024-11-30
    assert is_past_retention(date(2024, 11, 29), today, 100)  # 101 days ago
    assert not is_past_retention(date(2024, 11, 30), today, 100)  # exactly 100 days ago
    assert not is_past_retention(date(2024, 12, 1), today, 100)
    assert not is_past_retention(date(2025, 4, 1), today, 100)  # leaves in the future
    assert not is_past_retention(None, today, 100)  # never left
    assert not is_past_retention(today, today, 1)  # left today
    assert is_past_retention(date(2025, 3, 8), today, 1)
