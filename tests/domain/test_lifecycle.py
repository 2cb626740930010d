"""The lifecycle rules of issue #15 at their boundaries."""

from datetime import date
from decimal import Decimal

from kyosai.domain import lifecycle
from kyosai.domain.periods import YearMonth

F, L = date(2024, 6, 1), date(2025, 5, 31)  # FY2024 with the June start


def test_64th_birthday_on_the_last_day_counts_and_the_day_after_does_not():
    assert lifecycle.reasons(date(1961, 5, 31), None, None, F, L) == ["age64"]
    assert lifecycle.reasons(date(1961, 6, 1), None, None, F, L) == []


def test_29_february_birthday_reaches_64_on_1_march_in_a_common_year():
    # born 1960-02-29: on 2024-02-28 (leap year, before the birthday) 63; FY ending 2024-02-28
    assert lifecycle.reasons(date(1960, 2, 29), None, None, date(2023, 3, 1), date(2024, 2, 28)) == []
    assert lifecycle.reasons(date(1960, 2, 29), None, None, date(2023, 3, 1), date(2024, 2, 29)) == ["age64"]


def test_reemployment_ending_on_the_first_and_last_day_counts_outside_does_not():
    assert lifecycle.reasons(None, F, None, F, L) == ["reemployment_end"]
    assert lifecycle.reasons(None, L, None, F, L) == ["reemployment_end"]
    assert lifecycle.reasons(None, date(2024, 5, 31), None, F, L) == []
    assert lifecycle.reasons(None, date(2025, 6, 1), None, F, L) == []


def test_leaving_is_after_the_first_day_and_up_to_the_last():
    assert lifecycle.reasons(None, None, F, F, L) == []  # not active on F anyway
    assert lifecycle.reasons(None, None, date(2024, 6, 2), F, L) == ["leaving"]
    assert lifecycle.reasons(None, None, L, F, L) == ["leaving"]
    assert lifecycle.reasons(None, None, date(2025, 6, 1), F, L) == []


def test_reasons_keep_their_order():
    assert lifecycle.reasons(date(1950, 1, 1), L, L, F, L) == ["age64", "reemployment_end", "leaving"]


def test_offer_maps_sorts_and_dedups():
    mapping = {"group_life": "retiree_group_life", "general": "post_retirement", "mycar": "mycar",
               "fire": "fire"}
    assert lifecycle.offer(["mycar", "group_life", "general", "other"], mapping) == [
        "mycar", "post_retirement", "retiree_group_life"]
    assert lifecycle.offer(["fire", "fire"], {"fire": "fire"}) == ["fire"]
    assert lifecycle.offer([], mapping) == []


def test_inspection_from_last_inspection_plus_24_months_exactly_at_from():
    due = lifecycle.next_inspection(YearMonth(2018, 4), date(2023, 4, 10), YearMonth(2025, 4))
    assert due == YearMonth(2025, 4)


def test_inspection_steps_24_months_across_years_while_before_from():
    # registered 2015-11, no inspection: 2018-11, 2020-11, 2022-11, 2024-11, 2026-11
    assert lifecycle.next_inspection(YearMonth(2015, 11), None, YearMonth(2024, 12)) == YearMonth(2026, 11)
    assert lifecycle.next_inspection(YearMonth(2015, 11), None, YearMonth(2024, 11)) == YearMonth(2024, 11)
    assert lifecycle.next_inspection(YearMonth(2015, 11), None, YearMonth(2018, 1)) == YearMonth(2018, 11)


def test_first_inspection_of_a_new_car_is_36_months_after_registration():
    assert lifecycle.next_inspection(YearMonth(2023, 2), None, YearMonth(2024, 1)) == YearMonth(2026, 2)


def test_cohort_from_april_1_to_december_31():
    assert not lifecycle.in_cohort(date(2024, 3, 31), 2024)
    assert lifecycle.in_cohort(date(2024, 4, 1), 2024)
    assert lifecycle.in_cohort(date(2024, 12, 31), 2024)
    assert not lifecycle.in_cohort(date(2025, 1, 1), 2024)
    assert not lifecycle.in_cohort(None, 2024)


def test_campaign_from_may_1():
    assert not lifecycle.in_campaign(date(2024, 4, 30), 2024)
    assert lifecycle.in_campaign(date(2024, 5, 1), 2024)
    assert lifecycle.in_campaign(date(2024, 12, 31), 2024)
    assert not lifecycle.in_campaign(date(2025, 1, 1), 2024)


def test_rate_half_up_and_blank_without_coop():
    assert lifecycle.uptake_rate(1, 0) is None
    assert lifecycle.uptake_rate(2, 3) == Decimal("66.7")
    assert lifecycle.uptake_rate(1, 8) == Decimal("12.5")  # 12.5 exactly
    assert lifecycle.uptake_rate(1, 16) == Decimal("6.3")  # 6.25 → half-up
    assert lifecycle.uptake_rate(5, 4) == Decimal("125.0")  # life does not need coop


def test_effective_months_distinct_ascending():
    assert lifecycle.effective_months([date(2024, 7, 1), date(2024, 5, 1), date(2024, 5, 20)]) == [5, 7]


def test_suggested_plan_by_age_band_edges():
    bands = [{"min_age": 0, "max_age": 29, "plan": "A"}, {"min_age": 30, "max_age": None, "plan": "B"}]
    assert lifecycle.suggested_plan(bands, 29) == "A"
    assert lifecycle.suggested_plan(bands, 30) == "B"
    assert lifecycle.suggested_plan(bands, 99) == "B"
    assert lifecycle.suggested_plan(bands, None) == ""
    assert lifecycle.suggested_plan([{"min_age": 40, "max_age": 50, "plan": "C"}], 39) == ""


def test_japanese_dates_at_era_boundaries():
    from kyosai.domain.dates import format_japanese_date, parse_date
    assert format_japanese_date(date(1989, 1, 7)) == "昭和64年1月7日"
    assert format_japanese_date(date(1989, 1, 8)) == "平成元年1月8日"
    assert format_japanese_date(date(2019, 4, 30)) == "平成31年4月30日"
    assert format_japanese_date(date(2019, 5, 1)) == "令和元年5月1日"
    assert format_japanese_date(date(1980, 4, 1)) == "昭和55年4月1日"
    assert parse_date(format_japanese_date(date(1980, 4, 1))) == date(1980, 4, 1)
    assert format_japanese_date(None) == ""
