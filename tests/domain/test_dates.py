"""Dates as offices write them, 和暦 included (issue 14)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from kyosai.domain.dates import InvalidDate, parse_date, parse_year_month_date
from kyosai.domain.formatting import format_date, format_datetime


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-04-01", date(2024, 4, 1)),
    ("2024/4/1", date(2024, 4, 1)),
    ("2024年4月1日", date(2024, 4, 1)),
    ("２０２４／４／１", date(2024, 4, 1)),
    ("20240401", date(2024, 4, 1)),
    ("2024-04-01 00:00:00", date(2024, 4, 1)),
    ("昭和55年4月1日", date(1980, 4, 1)),
    ("S55.4.1", date(1980, 4, 1)),
    ("s55.4.1", date(1980, 4, 1)),
    ("Ｓ５５．４．１", date(1980, 4, 1)),
    ("R6.4.1", date(2024, 4, 1)),
    ("令和6年4月1日", date(2024, 4, 1)),
    ("令和元年5月1日", date(2019, 5, 1)),
    ("H31.4.30", date(2019, 4, 30)),
    ("平成元年1月8日", date(1989, 1, 8)),
    ("昭和64年1月7日", date(1989, 1, 7)),
    ("T15.12.24", date(1926, 12, 24)),
    ("大正元年7月30日", date(1912, 7, 30)),
    ("2000-02-29", date(2000, 2, 29)),
])
def test_accepted_spellings(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "  ", None])
def test_blank_is_none(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("text", [
    "2023-02-29",  # not a leap year
    "2024-13-01", "2024-04-31", "昭和64年1月8日",  # 昭和 ended on 7 January 1989
    "平成元年1月7日",  # before 平成 began
    "令和元年4月30日", "H31.5.1", "R0.4.1", "X5.4.1", "April 1", "2024-4", "明日",
])
def test_impossible_or_unreadable_dates_are_errors(text):
    with pytest.raises(InvalidDate):
        parse_date(text)


def test_year_month_is_the_first_of_the_month():
    assert parse_year_month_date("2015-04") == date(2015, 4, 1)
    assert parse_year_month_date("2015/4") == date(2015, 4, 1)
    assert parse_year_month_date("2015年4月") == date(2015, 4, 1)
    assert parse_year_month_date("") is None
    with pytest.raises(InvalidDate):
        parse_year_month_date("2015-13")


def test_format_date_as_the_report_prints_it():
    assert format_date(date(2024, 11, 30)) == "2024年11月30日"
    assert format_date(date(2024, 4, 1)) == "2024年4月1日"
    assert format_date(None) == ""


def test_format_datetime_prints_the_minute_zero_padded_after_the_report_date():
    tokyo = timezone(timedelta(hours=9))
    assert format_datetime(datetime(2024, 11, 30, 9, 5, 59, tzinfo=tokyo)) == "2024年11月30日 09:05"
    assert format_datetime(datetime(2025, 1, 1, 0, 0, tzinfo=tokyo)) == "2025年1月1日 00:00"
    assert format_datetime(datetime(2024, 12, 31, 23, 59, tzinfo=tokyo)) == "2024年12月31日 23:59"
