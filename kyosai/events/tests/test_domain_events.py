"""The events rules in kyosai.domain.events, without Django or a database."""

from datetime import date
from typing import Any

import pytest

from kyosai.domain.events import (
    AGENDA_KANA,
    AgendaLine,
    DateLine,
    EventDraft,
    HalfYear,
    InvalidEvent,
    InvalidPeriod,
    VenueLine,
    agenda_labels,
    attendance_total,
    fold_width,
    half_year_of,
    kind_spec,
    validate_draft,
)
from kyosai.domain.formatting import format_dates, paren_number
from kyosai.domain.periods import FiscalCalendar
from kyosai.domain.problems import FileProblems
from kyosai.events.files import read_event_entries

JUNE = FiscalCalendar(6)


def test_agenda_items_are_labelled_in_the_reports_order_a_i_u_e_o():
    assert agenda_labels([0] * 13) == list("アイウエオカキクケコサシス")


def test_sub_items_are_lettered_and_restart_under_each_item():
    # 第10回じちろう全国共済集会: ウ．with a–d, エ．with a–e
    levels = [0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1]
    assert agenda_labels(levels) == [
        "ア", "イ", "ウ", "a", "b", "c", "d", "エ", "a", "b", "c", "d", "e",
    ]


def test_it_rejects_a_sub_item_before_any_item_and_an_unknown_level():
    with pytest.raises(InvalidEvent, match="前に議題がありません"):
        agenda_labels([1, 0])
    with pytest.raises(InvalidEvent, match="階層"):
        agenda_labels([0, 2])


def test_it_rejects_more_items_than_there_are_kana():
    assert len(agenda_labels([0] * len(AGENDA_KANA))) == len(AGENDA_KANA)
    with pytest.raises(InvalidEvent, match="多すぎます"):
        agenda_labels([0] * (len(AGENDA_KANA) + 1))


@pytest.mark.parametrize(("day", "period"), [
    (date(2024, 6, 1), "2024H1"),
    (date(2024, 11, 30), "2024H1"),
    (date(2024, 12, 1), "2024H2"),
    (date(2025, 1, 17), "2024H2"),
    (date(2025, 5, 31), "2024H2"),
    (date(2024, 5, 31), "2023H2"),
])
def test_the_half_year_comes_from_the_fiscal_calendar_starting_in_june(day, period):
    assert str(half_year_of(day, JUNE)) == period


def test_the_half_year_follows_a_calendar_with_another_start_month():
    april = FiscalCalendar(4)
    assert str(half_year_of(date(2024, 9, 30), april)) == "2024H1"
    assert str(half_year_of(date(2024, 10, 1), april)) == "2024H2"
    assert str(half_year_of(date(2025, 3, 31), april)) == "2024H2"


def test_a_half_year_reads_prints_and_steps():
    period = HalfYear.parse(" 2024h1 ")
    assert (str(period), period.label()) == ("2024H1", "2024年度上半期")
    assert period.next() == HalfYear(2024, 2)
    assert period.next().next() == HalfYear(2025, 1)
    assert HalfYear(2025, 1).previous() == HalfYear(2024, 2)
    assert [str(m) for m in HalfYear(2024, 2).months(JUNE)][::5] == ["2024-12", "2025-05"]
    with pytest.raises(InvalidPeriod):
        HalfYear.parse("2024H3")


@pytest.mark.parametrize(("days", "text"), [
    ([date(2024, 6, 17)], "2024年6月17日"),
    ([date(2024, 11, 21), date(2024, 11, 20)], "2024年11月20日・21日"),
    ([date(2024, 7, d) for d in (17, 18, 19, 20)], "2024年7月17日～20日"),
    ([date(2024, 11, 30), date(2024, 12, 1), date(2024, 12, 2)], "2024年11月30日～12月2日"),
    ([date(2024, 6, 5), date(2024, 6, 12), date(2024, 7, 1)], "2024年6月5日・12日・7月1日"),
    ([date(2024, 12, 31), date(2025, 1, 1)], "2024年12月31日・2025年1月1日"),
    ([], ""),
])
def test_dates_are_printed_as_the_report_prints_them(days, text):
    assert format_dates(days) == text


def test_attendance_is_the_sum_over_the_venues_that_report_one():
    assert attendance_total([503, 144]) == 647
    assert attendance_total([503, None]) == 503
    assert attendance_total([None, None]) is None
    assert attendance_total([]) is None


def test_search_folding_ignores_width_case_and_spacing():
    assert fold_width("第１回　ＷＥＢ会議（案）") == "第1回 web会議(案)"


def _draft(**changes):
    values: dict[str, Any] = {"kind": "hq_committee", "title": "第11回本部共済推進委員会",
              "dates": (DateLine(date(2024, 7, 16)),), "agenda": (AgendaLine("議事要録"),)}
    values.update(changes)
    return EventDraft(**values)


def test_a_complete_draft_is_valid():
    assert validate_draft(_draft(venues=(VenueLine("本部", 20),)), JUNE) == []


def test_a_report_may_print_events_of_the_next_half_but_not_of_the_previous_one():
    december = (DateLine(date(2024, 12, 9)),)
    assert validate_draft(_draft(dates=december, report_period=HalfYear(2024, 1)), JUNE) == []
    errors = validate_draft(_draft(report_period=HalfYear(2024, 2)), JUNE)
    assert errors
    assert "開催は2024年度上半期" in errors[0]
    next_year = (DateLine(date(2025, 6, 2)),)
    assert validate_draft(_draft(dates=next_year, report_period=HalfYear(2024, 1)), JUNE)


@pytest.mark.parametrize(("changes", "message"), [
    ({"kind": "picnic"}, "種類が不明"),
    ({"title": " "}, "名称"),
    ({"dates": ()}, "開催日"),
    ({"dates": (DateLine(date(2024, 7, 16)), DateLine(date(2024, 7, 16), "九州"))}, "重複"),
    ({"venues": (VenueLine("主会場", -1),)}, "0以上"),
    ({"agenda": (AgendaLine(""),)}, "空の議題"),
    ({"agenda": (AgendaLine("a", 1),)}, "前に議題がありません"),
])
def test_it_rejects_a_draft_that_breaks_a_rule(changes, message):
    errors = validate_draft(_draft(**changes), JUNE)
    assert any(message in error for error in errors), errors


def test_it_reads_an_entry_with_ranges_labels_venues_and_sub_items():
    [draft] = read_event_entries({
        "report_period": "2024H1", "source": "report.txt",
        "events": [{
            "key": "k1", "kind": "national_rally", "title": " 集会 ", "source_line": 12,
            "dates": [{"from": date(2024, 7, 17), "to": "2024-07-19"}, {"date": "2024-07-25", "label": "九州地連"}],
            "venues": [{"name": "主会場（千葉）", "attendance": 503}, "各県拠点"],
            "agenda": ["基調講演", {"text": "分科会", "items": ["分科会Ⅰ", "分科会Ⅱ"]}],
        }],
    })
    assert draft.title == "集会"
    assert [line.day.day for line in draft.dates] == [17, 18, 19, 25]
    assert draft.dates[-1].label == "九州地連"
    assert draft.venues == (VenueLine("主会場（千葉）", 503), VenueLine("各県拠点"))
    assert [(item.level, item.text) for item in draft.agenda] == [
        (0, "基調講演"), (0, "分科会"), (1, "分科会Ⅰ"), (1, "分科会Ⅱ"),
    ]
    assert (draft.report_period, draft.source, draft.key) == (HalfYear(2024, 1), "report.txt:12", "k1")


def test_it_names_the_entry_and_field_of_every_error():
    with pytest.raises(FileProblems) as caught:
        read_event_entries({"events": [
            {"key": "a", "dates": ["2024-13-01"]},
            {"key": "a", "dates": ["2024-06-01"], "venues": [{"name": "x", "attendance": "多数"}]},
            {"dates": []},
        ]})
    errors = [problem.describe() for problem in caught.value.errors]
    assert any(e.startswith("events の 1 件目（a）「dates」:") for e in errors)
    assert any(e.startswith("events の 2 件目（a）") and "attendance" in e for e in errors)
    assert any(e.startswith("events の 2 件目（a）") and "重複" in e for e in errors)
    assert any(e.startswith("events の 3 件目（key なし）") for e in errors)


def test_it_rejects_a_document_without_an_events_list():
    with pytest.raises(FileProblems) as caught:
        read_event_entries(["not", "a", "mapping"])
    assert caught.value.errors[0].describe() == "「events」: 最上位に events: の一覧がありません"


def test_headings_and_numbers_are_printed_with_full_width_digits():
    assert kind_spec("national_rally").heading == "２．じちろう全国共済集会"
    assert kind_spec("other_internal").heading == "その他の内部会議・研修会"
    assert (paren_number(3), paren_number(12)) == ("（３）", "（１２）")
