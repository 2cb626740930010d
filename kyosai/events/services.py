"""Writes for HQ's events: save one event from a draft, import the transcription; all audited."""

import uuid
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from kyosai.catalog.selectors import fiscal_years
from kyosai.core.models import AuditEntry, record_change
from kyosai.domain.events import (
    EventDraft,
    InvalidEvent,
    half_year_of,
    validate_draft,
)
from kyosai.domain.periods import FiscalCalendar, YearMonth
from kyosai.events.models import AgendaItem, Event, EventDate, EventVenue
from kyosai.results.models import ImportLog
from kyosai.results.snapshots import Scope, begin_import

__all__ = [
    "DEFAULT_DATA",
    "ImportSummary",
    "event_scopes",
    "import_events",
    "save_event",
]

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "events-2024H1.yaml"


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did: counts of created, updated and unchanged events, and its batch."""

    created: int
    updated: int
    unchanged: int
    batch_id: str
    log_id: int | None = None

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def message(self) -> str:
        return (
            f"本部の会議・行事 {self.total}件（新規 {self.created}、更新 {self.updated}、"
            f"変更なし {self.unchanged}）"
        )


def _calendar_on(day: date) -> FiscalCalendar:
    """The fiscal calendar in force on `day` (June start outside every registered year)."""
    return fiscal_years().containing(YearMonth.of(day))[1]


@transaction.atomic
def save_event(draft: EventDraft, *, event: Event | None = None, user: Any = None,
               source: str = AuditEntry.Source.WEB, batch_id: str = "") -> Event:
    """Create (event=None) or replace an event from a draft, with one audit entry for the change.

    The period held and the first day are derived from the days with the fiscal calendar; the
    report period defaults to the period held. Raises InvalidEvent and writes nothing when a rule
    is broken.
    """
    held = half_year_of(draft.first_day, _calendar_on(draft.first_day)) if draft.dates else None
    if draft.dates and draft.report_period is None:
        draft = replace(draft, report_period=held)
    errors = validate_draft(draft, _calendar_on(draft.first_day) if draft.dates else FiscalCalendar())
    if errors:
        raise InvalidEvent(errors)
    before = event.snapshot() if event is not None else None
    event = event or Event()
    event.kind, event.title, event.is_web = draft.kind, draft.title.strip(), draft.is_web
    event.minutes, event.source = draft.minutes, draft.source
    event.report_period, event.held_period = str(draft.report_period), str(held)
    event.starts_on = draft.first_day
    event.search_text = draft.search_text()
    if draft.key:
        event.import_key = draft.key
    event.save()
    _replace_children(event, draft)
    record_change(event, action="update" if before else "create", before=before, user=user,
                  source=source, batch_id=batch_id)
    return event


def _replace_children(event: Event, draft: EventDraft) -> None:
    event.dates.all().delete()
    event.venues.all().delete()
    event.agenda_items.all().delete()
    EventDate.objects.bulk_create(
        EventDate(event=event, position=n, day=line.day, label=line.label)
        for n, line in enumerate(sorted(draft.dates, key=lambda line: line.day), start=1)
    )
    EventVenue.objects.bulk_create(
        EventVenue(event=event, position=n, name=venue.name.strip(), attendance=venue.attendance)
        for n, venue in enumerate(draft.venues, start=1)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(event=event, position=n, level=item.level, text=item.text.strip())
        for n, item in enumerate(draft.agenda, start=1)
    )


@transaction.atomic
def import_events(drafts: list[EventDraft], *, user: Any = None,
                  source: str = AuditEntry.Source.CLI, progress: Any = None,
                  file_name: str = "", data: bytes = b"", demo: bool = False) -> ImportSummary:
    """Upsert events by their key, all or nothing; unchanged events are neither saved nor audited.

    `progress` (optional) is called once per event, e.g. a tqdm bar's update. The import is
    logged (ImportLog, dataset events, the file `data` kept by content) with the events of the
    file's keys as they were, so `kyosai imports revert ID` can undo it; `demo` logs a demo load,
    which keeps nothing and cannot be undone.
    """
    missing = [f"{n}件目: key がありません" for n, draft in enumerate(drafts, 1) if not draft.key]
    if missing:
        raise InvalidEvent(missing)
    batch_id = f"events-{uuid.uuid4().hex[:12]}"
    recorder = begin_import(ImportLog.Dataset.EVENTS, file_name or DEFAULT_DATA.name, data,
                            event_scopes([d.key for d in drafts if d.key]), user=user,
                            source=source, demo=demo)
    existing = {
        event.import_key: event
        for event in Event.objects.filter(import_key__in=[d.key for d in drafts])
        .prefetch_related("dates", "venues", "agenda_items")
    }
    created = updated = unchanged = 0
    for draft in drafts:
        event = existing.get(draft.key)
        if event is not None and _same(event, draft):
            unchanged += 1
        else:
            save_event(draft, event=event, user=user, source=source, batch_id=batch_id)
            created, updated = (created + 1, updated) if event is None else (created, updated + 1)
        if progress is not None:
            progress(1)
    log = recorder.finish(rows_total=len(drafts), rows_added=created, rows_replaced=updated)
    return ImportSummary(created, updated, unchanged, batch_id, log.pk)


def event_scopes(keys: list[str]) -> list[Scope]:
    """What an import of these keys may change: those events, their days, venues and agenda."""
    return [Scope(Event, {"import_key": keys}),
            *(Scope(model, {"event__import_key": keys})
              for model in (EventDate, EventVenue, AgendaItem))]


def _same(event: Event, draft: EventDraft) -> bool:
    stored = event.to_draft()
    ordered = replace(draft, dates=tuple(sorted(draft.dates, key=lambda line: line.day)),
                      title=draft.title.strip())
    return stored == ordered
