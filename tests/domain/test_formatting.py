from decimal import Decimal

import pytest

from kyosai.domain.cells import NotANumber, parse_decimal, parse_integer
from kyosai.domain.formatting import format_change, format_number, format_pct, format_points


def test_numbers_are_printed_as_the_report_prints_them():
    assert format_number(1234) == "1,234"
    assert format_number(-1234) == "△1,234"
    assert format_change(0) == "±0"
    assert format_change(-8121) == "△8,121"
    assert format_pct(Decimal("103.75")) == "103.75%"
    assert format_points(Decimal("2.24")) == "+2.24P"
    assert format_points(Decimal("-0.5"), 1) == "△0.5P"
    assert format_number(None) == ""


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,234", 1234), ("１２３", 123), ("△1,234", -1234), ("▲1,234", -1234), ("－５", -5),
     ("  42 ", 42), ("", None), ("3.0", 3)],
)
def test_cells_are_read_as_japanese_spreadsheets_write_them(text, value):
    assert parse_integer(text) == value


@pytest.mark.parametrize("text", ["abc", "1.5", "--3", "1,2x"])
def test_it_rejects_cells_that_are_not_whole_numbers(text):
    with pytest.raises(NotANumber):
        parse_integer(text)


def test_rates_keep_their_decimals():
    assert parse_decimal("58.95") == Decimal("58.95")
