"""What the events and plan readers accept is what their tables store (issue 11, items 4 and 12)."""

import copy
from datetime import date

import pytest

from kyosai.domain.events import (
    ATTENDANCE_MAX,
    DAYS_MAX,
    TITLE_MAX,
    DateLine,
    EventDraft,
    validate_draft,
)
from kyosai.domain.periods import FiscalCalendar
from kyosai.domain.problems import FileProblems
from kyosai.events.files import read_event_entries
from kyosai.plans.files import NUMBER_MAX, read_plan_document
from kyosai.plans.files import TITLE_MAX as PLAN_TITLE_MAX

ENTRY = {"key": "k", "kind": "hq_committee", "title": "委員会", "dates": ["2024-06-17"]}


def events(**changes):
    return {"report_period": "2024H1", "events": [{**ENTRY, **changes}]}


def messages(**changes) -> str:
    with pytest.raises(FileProblems) as caught:
        read_event_entries(events(**changes))
    return "\n".join(problem.describe() for problem in caught.value.errors)


def test_agenda_sub_items_must_be_a_list():
    assert "「agenda.items」: 一覧で指定してください" in messages(
        agenda=[{"text": "議題", "items": True}])


def test_a_period_of_more_than_a_year_is_refused_before_it_is_expanded():
    assert "開催期間が長すぎます" in messages(dates=[{"from": "2024-06-01", "to": "9999-12-31"}])
    last = date(2024, 6, 1).toordinal() + DAYS_MAX - 1
    drafts = read_event_entries(events(dates=[{"from": "2024-06-01",
                                                "to": date.fromordinal(last).isoformat()}]))
    assert len(drafts[0].dates) == DAYS_MAX


def test_attendance_and_lengths_are_bounded():
    venue = [{"name": "千葉", "attendance": ATTENDANCE_MAX + 1}]
    draft = EventDraft(kind="hq_committee", title="x" * (TITLE_MAX + 1),
                       dates=(DateLine(date(2024, 6, 17)),))
    errors = validate_draft(draft, FiscalCalendar())
    assert any("名称が長すぎます" in e for e in errors)
    ok = EventDraft(kind="hq_committee", title="x" * TITLE_MAX, dates=(DateLine(date(2024, 6, 17)),))
    assert validate_draft(ok, FiscalCalendar()) == []
    drafts = read_event_entries(events(venues=venue))
    assert any("参加者数が大きすぎます" in e for e in validate_draft(drafts[0], FiscalCalendar()))


def test_a_key_longer_than_stored_is_refused():
    assert "key が長すぎます" in messages(key="k" * 101)


PLAN = {"fiscal_year": 2024, "period": "2024H1", "sections": [
    {"number": "Ⅳ", "title": "体制", "chapters": [
        {"number": 1, "title": "本部", "policies": [{"number": 1, "text": "方針", "items": [
            {"number": 1, "plan": "開催します。", "status": [], "rating": "○",
             "next_actions": []}]}]}]}]}


def plan_problems(edit) -> str:
    document = copy.deepcopy(PLAN)
    edit(document)
    with pytest.raises(FileProblems) as caught:
        read_plan_document(document)
    return "\n".join(problem.describe("plan.yaml") for problem in caught.value.errors)


def test_plan_numbers_and_titles_are_bounded():
    read_plan_document(PLAN)  # the seed is valid
    chapter = lambda d: d["sections"][0]["chapters"][0]  # noqa: E731
    assert f"1以上 {NUMBER_MAX} 以下" in plan_problems(
        lambda d: chapter(d).update(number=10 ** 30))
    assert "表題が長すぎます" in plan_problems(
        lambda d: chapter(d).update(title="x" * (PLAN_TITLE_MAX + 1)))
