"""The activity log's rules: the period, ⌈6 × elapsed ÷ 12⌉, the ok flags, the file's rows."""

from datetime import date
from decimal import Decimal

import pytest

from kyosai.domain.activity_log import (
    KINDS,
    UNION_LEVEL,
    compliance_row,
    log_period,
    meeting_cell,
    regular_required,
    summarize,
)
from kyosai.domain.files.activity_log import (
    parse_activity_rows,
    parse_date,
    parse_support_rows,
)
from kyosai.domain.periods import FiscalCalendar, YearMonth

JUNE = FiscalCalendar(6)


def fiscal_year_of(day: date) -> int | None:
    month = YearMonth(day.year, day.month)
    year = JUNE.fiscal_year_of(month)
    return year if 2023 <= year <= 2024 else None


@pytest.mark.parametrize(("elapsed", "required"), [
    (1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (8, 4), (9, 5), (10, 5), (11, 6),
    (12, 6)])
def test_the_requirement_is_six_times_the_elapsed_share_rounded_up(elapsed, required):
    assert regular_required(elapsed) == required


@pytest.mark.parametrize("elapsed", [0, 13, -1])
def test_an_impossible_elapsed_count_is_refused(elapsed):
    with pytest.raises(ValueError):
        regular_required(elapsed)


def test_the_period_runs_from_the_fiscal_years_first_day_to_the_as_of_months_last_day():
    period = log_period(JUNE, 2024, YearMonth(2024, 11))
    assert (period.first_day, period.last_day, period.elapsed_months) == (
        date(2024, 6, 1), date(2024, 11, 30), 6)
    assert period.contains(date(2024, 6, 1))
    assert period.contains(date(2024, 11, 30))
    assert not period.contains(date(2024, 5, 31))
    assert not period.contains(date(2024, 12, 1))


def test_the_first_month_alone_and_the_last_month_of_the_year():
    june = log_period(JUNE, 2024, YearMonth(2024, 6))
    assert (june.first_day, june.last_day, june.elapsed_months) == (
        date(2024, 6, 1), date(2024, 6, 30), 1)
    may = log_period(JUNE, 2024, YearMonth(2025, 5))
    assert (may.last_day, may.elapsed_months) == (date(2025, 5, 31), 12)


def test_february_ends_on_the_29th_in_a_leap_year_and_the_previous_year_on_the_28th():
    period = log_period(JUNE, 2023, YearMonth(2024, 2))
    assert period.last_day == date(2024, 2, 29)
    previous = period.previous_year()
    assert (previous.fiscal_year, previous.first_day, previous.last_day) == (
        2022, date(2022, 6, 1), date(2023, 2, 28))


@pytest.mark.parametrize("month", [YearMonth(2024, 5), YearMonth(2025, 6)])
def test_a_month_outside_the_fiscal_year_is_refused(month):
    with pytest.raises(ValueError, match="2024 年度"):
        log_period(JUNE, 2024, month)


def test_a_fiscal_year_starting_in_april_has_its_own_period():
    period = log_period(FiscalCalendar(4), 2024, YearMonth(2024, 4))
    assert (period.first_day, period.elapsed_months) == (date(2024, 4, 1), 1)


def test_the_ok_flags_hold_at_exactly_the_requirement_and_one_study_session():
    period = log_period(JUNE, 2024, YearMonth(2024, 11))  # requirement 3
    exactly = compliance_row("14", {"regular_meeting": 3, "study_session": 1}, period)
    assert (exactly.regular_ok, exactly.study_ok) == (True, True)
    short = compliance_row("14", {"regular_meeting": 2}, period)
    assert (short.regular_ok, short.study_ok) == (False, False)
    assert short.as_row() == ["14", 0, 2, 3, 0, 0, 0]


def test_a_summary_lists_every_kind_and_counts_a_blank_as_zero():
    totals = summarize([{"kind": "union_visit"}, {"kind": "union_visit", "participants": None},
                        {"kind": "officer_study", "participants": 12, "organisers_pref": 2}])
    assert list(totals) == [kind.code for kind in KINDS]
    assert totals["union_visit"].events == 2
    assert totals["officer_study"].participants == 12
    assert totals["committee"].as_row() == ["committee", 0, 0, 0, 0, 0]


def test_the_union_level_kinds_are_the_last_four():
    assert [k.code for k in KINDS if k.code in UNION_LEVEL] == [
        "union_visit", "officer_study", "workplace_org", "consultation"]


@pytest.mark.parametrize(("cell", "expected"), [
    (("（２）定例推進会議", "", "全国計"), ("regular_meeting", "events")),
    (("（２）単組巡回オルグの実行状況", "", "全国計"), ("union_visit", "events")),
    (("（３）単組執行部学習会の実行状況", "参加役員数", "全国計"), ("officer_study", "participants")),
    (("（５）個別保障相談の実行状況", "オルグ者数", "県支部職員数"), ("consultation", "organisers_branch")),
    (("（３）推進本部・県支部推進担当者共済制度学習会", "", "全労済職員"), ("study_session", "organisers_zenrosai")),
    (("（２）定例推進会議", "", "県平均"), None),
])
def test_every_entered_cell_of_the_meetings_table_has_its_log_figure(cell, expected):
    assert meeting_cell(*cell) == expected


def test_dates_are_read_in_the_usual_spellings_and_impossible_ones_refused():
    assert parse_date("2024/6/1") == parse_date("2024年6月1日") == date(2024, 6, 1)
    with pytest.raises(ValueError, match="存在しない"):
        parse_date("2023-02-29")


def rows(*lines):
    header = ["branch", "date", "kind", "union", "participants"]
    return parse_activity_rows(header, [(n, dict(zip(header, cells, strict=True)))
                                        for n, cells in enumerate(lines, start=2)], fiscal_year_of)


def test_the_files_rules_name_the_line_and_column():
    parsed = rows(["14", "2024-06-01", "union_visit", "", ""],
                  ["14", "2024-06-01", "committee", "14001", ""],
                  ["14", "2022-05-31", "committee", "", ""],
                  ["14", "2024-06-01", "会議", "", ""],
                  ["14", "2024-06-01", "consultation", "14001", "-3"],
                  ["14", "2024-11-30", "単組巡回オルグ", "14001", ""])
    found = {(p.line, p.column) for p in parsed.errors}
    assert found == {(2, "union"), (3, "union"), (4, "date"), (5, "kind"), (6, "participants")}
    assert [(r.line, r.kind) for r in parsed.rows] == [(7, "union_visit")]


def test_a_missing_required_column_is_an_error_on_the_header():
    parsed = parse_activity_rows(["branch", "kind"], [], fiscal_year_of)
    assert [(p.line, p.column) for p in parsed.errors] == [(1, "date")]


def test_support_amounts_are_whole_yen_and_counts_and_half_person_days():
    header = ["branch", "date", "kind", "work", "amount"]
    lines = [["14", "2024-07-01", "special_fund", "", "300,000"],
             ["14", "2024-07-01", "staff_dispatch", "", "2.5"],
             ["14", "2024-07-01", "staff_dispatch", "", "2.3"],
             ["14", "2024-07-01", "hq_work", "", "3"],
             ["14", "2024-07-01", "本部代行", "マイカー見積", "3"],
             ["14", "2024-07-01", "special_fund", "mycar_estimate", "1"]]
    parsed, errors = parse_support_rows(
        header, [(n, dict(zip(header, c, strict=True))) for n, c in enumerate(lines, start=2)],
        fiscal_year_of)
    assert [(r.kind, r.work, r.amount) for r in parsed] == [
        ("special_fund", "", Decimal(300000)), ("staff_dispatch", "", Decimal("2.5")),
        ("hq_work", "mycar_estimate", Decimal(3))]
    assert {(p.line, p.column) for p in errors} == {(4, "amount"), (5, "work"), (7, "work")}
