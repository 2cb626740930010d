"""save_event: periods derived with the fiscal calendar in the master data, rules, audit."""

from datetime import date
from typing import Any

import pytest

from kyosai.catalog.models import FiscalYear
from kyosai.core.models import AuditEntry
from kyosai.domain.events import AgendaLine, DateLine, EventDraft, HalfYear, InvalidEvent
from kyosai.events.models import Event
from kyosai.events.services import calendar_for, save_event

pytestmark = pytest.mark.django_db


def _draft(day: date, **changes) -> EventDraft:
    values: dict[str, Any] = {"kind": "secretaries", "title": "県支部事務局長会議", "dates": (DateLine(day),),
              "agenda": (AgendaLine("実績報告"),), "is_web": True}
    values.update(changes)
    return EventDraft(**values)


def test_the_period_held_follows_the_fiscal_year_in_the_master_data():
    FiscalYear.objects.create(year=2024, start_month=4)
    assert calendar_for(date(2024, 10, 1)).start_month == 4
    event = save_event(_draft(date(2024, 10, 1)))
    assert (event.held_period, event.report_period) == ("2024H2", "2024H2")


def test_without_master_data_the_year_starts_in_june():
    event = save_event(_draft(date(2024, 10, 1)))
    assert (event.held_period, event.starts_on) == ("2024H1", date(2024, 10, 1))


def test_a_report_period_given_is_kept_when_the_rule_allows_it():
    event = save_event(_draft(date(2025, 1, 17), report_period=HalfYear(2024, 1)))
    assert (event.held_period, event.report_period) == ("2024H2", "2024H1")
    assert event.printed_late


def test_a_broken_rule_writes_nothing():
    with pytest.raises(InvalidEvent) as caught:
        save_event(_draft(date(2024, 6, 25), report_period=HalfYear(2024, 2)))
    assert "開催は2024年度上半期" in caught.value.errors[0]
    assert not Event.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_search_text_covers_every_part_folded():
    event = save_event(_draft(date(2024, 6, 25), minutes="ＷＥＢで開催",
                              agenda=(AgendaLine("第１回"), AgendaLine("資料", 1))))
    for word in ("県支部事務局長会議", "web会議", "webで開催", "第1回", "資料"):
        assert word in event.search_text


def test_an_update_is_audited_with_the_rows_before_and_after():
    event = save_event(_draft(date(2024, 6, 25)), batch_id="b1")
    save_event(_draft(date(2024, 6, 25), agenda=(AgendaLine("実績報告"), AgendaLine("交付金"))),
               event=event, source="cli", batch_id="b2")
    create, update = AuditEntry.objects.filter(object_id=str(event.pk)).order_by("id")
    assert update.before is not None
    assert update.after is not None
    assert (create.action, create.batch_id, update.action, update.batch_id) == ("create", "b1", "update", "b2")
    assert update.before["agenda"] == [[0, "実績報告"]]
    assert update.after["agenda"] == [[0, "実績報告"], [0, "交付金"]]
    assert update.source == "cli"
