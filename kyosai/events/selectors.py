"""Reads for HQ's events, in the report's order (section Ⅱ → Ⅳ, kind, then first day).

HQ's events are public inside the organisation: every logged-in member may read them
(Access.can_view_events); the selectors still take the viewer's Access, and a missing one
(NO_ACCESS) reads nothing.
"""

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, QuerySet, Value, When

from kyosai.accounts.access import Access
from kyosai.domain.events import (
    EVENT_KINDS,
    EventKindSpec,
    HalfYear,
    Section,
    fold_width,
)
from kyosai.domain.formatting import paren_number
from kyosai.events.models import Event

__all__ = [
    "KindGroup",
    "SectionGroup",
    "event_periods",
    "events_for_period",
    "events_held_in",
    "get_event",
    "group_by_section",
    "list_events",
]


def _in_report_order(queryset: QuerySet[Event]) -> QuerySet[Event]:
    kind_order = Case(
        *(When(kind=spec.code, then=Value(spec.order)) for spec in EVENT_KINDS),
        default=Value(10_000), output_field=IntegerField(),
    )
    return (
        queryset.annotate(kind_order=kind_order)
        .order_by("report_period", "kind_order", "starts_on", "pk")
        .prefetch_related("dates", "venues", "agenda_items")
    )


def list_events(*, access: Access, period: HalfYear | str | None = None,
                query: str = "") -> QuerySet[Event]:
    """Events printed in `period`'s report (all periods when None) whose title, agenda, minutes,
    venues or date labels contain every word of `query` (full/half width and case ignored)."""
    queryset = Event.objects.all() if access.can_view_events else Event.objects.none()
    if period is not None:
        queryset = queryset.filter(report_period=str(period))
    for word in fold_width(query).split():
        queryset = queryset.filter(search_text__contains=word)
    return _in_report_order(queryset)


def events_for_period(period: HalfYear | str, *, access: Access) -> list[Event]:
    """The events the half-year report for `period` prints in 資料編 Ⅱ–Ⅳ, in the report's order.

    That is every event whose report_period is `period`: those held in the half and those held
    after it up to the report's compilation (the 2024H1 report lists 20 events, 6 of them held in
    December 2024 and January 2025). Each Event has, prefetched: `dates` (EventDate: day, label),
    `venues` (EventVenue: name, attendance) and `agenda_items` (AgendaItem: level, text); use
    `event.kind_spec` (section, number, label), `event.date_text()` (2024年11月20日・21日),
    `event.attendance()` (sum over venues or None), `event.labelled_agenda()` ([(label, item)]).
    """
    return list(list_events(access=access, period=HalfYear.parse(str(period))))


def events_held_in(period: HalfYear | str, *, access: Access) -> list[Event]:
    """Events held in `period` (by their first day and the fiscal calendar), whatever report prints them."""
    held = list_events(access=access).filter(held_period=str(HalfYear.parse(str(period))))
    return list(held)


def event_periods(*, access: Access) -> list[HalfYear]:
    """The report periods that have events, latest first (none for a missing access)."""
    readable = Event.objects.all() if access.can_view_events else Event.objects.none()
    periods = readable.values_list("report_period", flat=True).distinct().order_by()
    return sorted((HalfYear.parse(period) for period in periods), reverse=True)


def get_event(pk: int, *, access: Access) -> Event:
    """One event with its days, venues and agenda; raises Event.DoesNotExist (also when `access`
    may not read events)."""
    return _in_report_order(list_events(access=access).filter(pk=pk)).get()


@dataclass(slots=True)
class KindGroup:
    """The events of one kind under its heading (１．本部共済推進委員会), numbered （１）（２）…"""

    spec: EventKindSpec
    events: list[Event] = field(default_factory=list)

    @property
    def numbered(self) -> list[tuple[str, Event]]:
        """（１）… labels as the report prints them; none when the kind has a single event."""
        if len(self.events) == 1:
            return [("", self.events[0])]
        return [(paren_number(n), event) for n, event in enumerate(self.events, 1)]


@dataclass(slots=True)
class SectionGroup:
    section: Section
    kinds: list[KindGroup] = field(default_factory=list)


def group_by_section(events: list[Event]) -> list[SectionGroup]:
    """Events already in report order, grouped as the appendix prints them: section, then kind."""
    sections: list[SectionGroup] = []
    for event in events:
        spec = event.kind_spec
        if not sections or sections[-1].section is not spec.section:
            sections.append(SectionGroup(spec.section))
        kinds = sections[-1].kinds
        if not kinds or kinds[-1].spec != spec:
            kinds.append(KindGroup(spec))
        kinds[-1].events.append(event)
    return sections
