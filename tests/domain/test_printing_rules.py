"""The printing rules kept once (issue 12): numbering, months and dates, units, section Ⅲ's words,
located problems and the scorecard row's measure."""

from datetime import date
from decimal import Decimal

import pytest

from kyosai.domain.evaluation import Mark
from kyosai.domain.formatting import (
    action_marker,
    chapter_label,
    circled_number,
    format_date,
    format_dates,
    format_signed,
    format_year_month,
    fullwidth_digits,
    item_label,
    paren_number,
    policy_label,
)
from kyosai.domain.measures import MEASURES, MeasureKind
from kyosai.domain.periods import FiscalCalendar, YearMonth
from kyosai.domain.problems import CellProblem
from kyosai.domain.reporting import CellKind, Column, display
from kyosai.domain.rollup import scorecard_row


def test_full_width_numbering_for_headings():
    assert fullwidth_digits(0) == "０"
    assert fullwidth_digits(1) == "１"
    assert fullwidth_digits(10) == "１０"
    assert chapter_label(12) == "１２．"
    assert paren_number(3) == "（３）"
    assert policy_label(10) == "＜事業推進方針１０＞"
    assert item_label(5) == "(5)"


@pytest.mark.parametrize(("number", "printed"), [
    (1, "①"), (20, "⑳"), (21, "㉑"), (35, "㉟"), (36, "㊱"), (50, "㊿"), (51, "(51)"), (0, "(0)"),
])
def test_circled_numbers_run_to_fifty_then_fall_back_to_parentheses(number, printed):
    assert circled_number(number) == printed


@pytest.mark.parametrize(("number", "printed"), [(1, "ａ"), (26, "ｚ"), (27, "(27)"), (0, "(0)")])
def test_next_actions_are_lettered_a_to_z(number, printed):
    assert action_marker(number) == printed


def test_months_and_dates_are_printed_without_leading_zeros():
    assert format_year_month(YearMonth(2024, 1)) == "2024年1月"
    assert format_year_month(YearMonth(2024, 12)) == "2024年12月"
    assert format_date(date(2024, 11, 30)) == "2024年11月30日"
    assert format_date(None) == ""


def test_several_days_print_the_year_and_month_only_where_they_change():
    assert format_dates([date(2024, 12, 31), date(2025, 1, 1)]) == "2024年12月31日・2025年1月1日"
    assert format_dates([date(2024, 11, 21), date(2024, 11, 20)]) == "2024年11月20日・21日"
    assert format_dates([date(2024, 7, 31), date(2024, 8, 1), date(2024, 8, 2)]) == (
        "2024年7月31日～8月2日")
    assert format_dates([]) == ""


def test_the_reports_signed_cells_print_as_format_signed():
    signed = Column("前年同期比", CellKind.SIGNED)
    for value in (1039, 0, -525, 1):
        assert display(value, signed) == format_signed(value)
    assert (format_signed(1), format_signed(0), format_signed(-1)) == ("+1", "±0", "△1")


def test_the_display_unit_and_section_3s_words_live_on_the_measure():
    assert [MEASURES[c].display_unit for c in ("premiums", "loading", "holdings", "units",
                                                "attachment_rate")] == ["千円", "千円", "件", "口", "%"]
    assert MEASURES["holdings"].section3_name == "保有契約"  # as the original report's Ⅲ prints it
    assert MEASURES["new_contracts"].section3_name == "新契約"
    assert MEASURES["attachment_rate"].section3_name == "付帯率"
    assert MEASURES["migrations"].section3_name == "移行契約"


def test_a_problem_is_located_by_line_and_column_or_by_place_and_key():
    assert CellProblem(3, "actual", "数値ではありません").describe("in.csv") == (
        "in.csv 3行目「actual」列: 数値ではありません")
    assert CellProblem.at("Ⅳ-1-1-(5)", "rating", "評価が不正です").describe("plan.yaml") == (
        "plan.yaml Ⅳ-1-1-(5)「rating」: 評価が不正です")
    assert CellProblem.at("", "period", "期間がありません").describe("plan.yaml") == (
        "plan.yaml「period」: 期間がありません")
    assert CellProblem.at("", "", "読めません").describe("") == "読めません"


def test_a_scorecard_row_carries_its_measure():
    row = scorecard_row(label="合計", code="total", measure=MEASURES["attachment_rate"],
                        as_of=YearMonth(2024, 11), calendar=FiscalCalendar(6),
                        actual=Decimal("58.95"), target=Decimal("58.92"),
                        previous=Decimal("56.71"), is_total=True)
    assert row.spec is MEASURES["attachment_rate"]
    assert (row.measure, row.measure_name, row.unit, row.kind, row.is_rate, row.is_total) == (
        "attachment_rate", "付帯率", "%", MeasureKind.RATE, True, True)
    assert (row.mark, row.mark_text) == (Mark.GOOD, "○")
    empty = scorecard_row(label="合計", code="total", measure=MEASURES["holdings"],
                          as_of=YearMonth(2024, 11), calendar=FiscalCalendar(6),
                          actual=None, target=100, previous=None, measure_name="保有契約")
    assert (empty.mark_text, empty.measure_name, empty.is_total) == ("", "保有契約", False)
