"""Meetings and events held by HQ (資料編 Ⅱ–Ⅳ): the event, its days, venues and agenda."""

from typing import Any

from django.db import models

from kyosai.core.models import TimeStampedModel
from kyosai.domain.events import (
    EVENT_KINDS,
    AgendaLine,
    DateLine,
    EventDraft,
    EventKindSpec,
    HalfYear,
    Section,
    VenueLine,
    agenda_labels,
    attendance_total,
    kind_spec,
)
from kyosai.domain.formatting import format_dates

__all__ = ["AgendaItem", "Event", "EventDate", "EventKind", "EventVenue"]

# the functional API's (name, (value, label)) form, which django-stubs' overloads leave out
EventKind = models.TextChoices(  # type: ignore[call-overload]
    "EventKind", [(spec.code.upper(), (spec.code, spec.label)) for spec in EVENT_KINDS]
)


class Event(TimeStampedModel):
    """本部主催の会議・行事: one meeting, school, 集会 or training, as the appendix lists it.

    `held_period` and `starts_on` are derived from the days by the services (never entered);
    `report_period` is the half-year report that prints the event, which may be the half before
    the one it was held in (the 2024H1 report, compiled in early 2025, lists events up to 2025-01).
    """

    kind = models.CharField("種類", max_length=32, choices=EventKind.choices, db_index=True)
    title = models.CharField("名称", max_length=255)
    is_web = models.BooleanField("WEB会議", default=False)
    minutes = models.TextField("議事要録・備考", blank=True)
    report_period = models.CharField("掲載期", max_length=7, db_index=True)
    held_period = models.CharField("開催期", max_length=7, editable=False, db_index=True)
    starts_on = models.DateField("開催日（初日）", editable=False, db_index=True)
    source = models.CharField("出典", max_length=255, blank=True)
    import_key = models.CharField("取込キー", max_length=100, null=True, blank=True, unique=True)
    search_text = models.TextField("検索用テキスト", blank=True, editable=False)

    class Meta:
        verbose_name = "本部の会議・行事"
        verbose_name_plural = "本部の会議・行事"
        ordering = ["report_period", "starts_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_spec(self) -> EventKindSpec:
        return kind_spec(self.kind)

    @property
    def section(self) -> Section:
        return self.kind_spec.section

    @property
    def report_half(self) -> HalfYear:
        return HalfYear.parse(self.report_period)

    @property
    def held_half(self) -> HalfYear:
        return HalfYear.parse(self.held_period)

    @property
    def printed_late(self) -> bool:
        """Printed in a later report than the half-year it was held in."""
        return self.report_period != self.held_period

    def date_text(self) -> str:
        return format_dates(line.day for line in self.dates.all())

    def attendance(self) -> int | None:
        return attendance_total(venue.attendance for venue in self.venues.all())

    def labelled_agenda(self) -> list[tuple[str, "AgendaItem"]]:
        items = list(self.agenda_items.all())
        return list(zip(agenda_labels([item.level for item in items]), items, strict=True))

    def to_draft(self) -> EventDraft:
        """The event as the domain sees it (what the forms start from and the audit records)."""
        return EventDraft(
            kind=self.kind, title=self.title, is_web=self.is_web, minutes=self.minutes,
            dates=tuple(DateLine(line.day, line.label) for line in self.dates.all()),
            venues=tuple(VenueLine(v.name, v.attendance) for v in self.venues.all()),
            agenda=tuple(AgendaLine(item.text, item.level) for item in self.agenda_items.all()),
            report_period=self.report_half, source=self.source, key=self.import_key,
        )

    def snapshot(self) -> dict[str, Any]:
        """The event with its days, venues and agenda, so an audit entry shows every change."""
        data = super().snapshot()
        data["dates"] = [[str(line.day), line.label] for line in self.dates.all()]
        data["venues"] = [[venue.name, venue.attendance] for venue in self.venues.all()]
        data["agenda"] = [[item.level, item.text] for item in self.agenda_items.all()]
        return data


class EventDate(models.Model):
    """A day the event was held; a joint meeting has one per block (九州地連 2024-06-05 …)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="dates")
    position = models.PositiveSmallIntegerField("順序")
    day = models.DateField("開催日")
    label = models.CharField("区分", max_length=100, blank=True)

    class Meta:
        verbose_name = "開催日"
        verbose_name_plural = "開催日"
        ordering = ["position", "day"]
        constraints = [
            models.UniqueConstraint(fields=["event", "position"], name="unique_event_date_position"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.day}".strip()


class EventVenue(models.Model):
    """A venue and its attendance (主会場（千葉） 503人, 各県拠点 144人)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="venues")
    position = models.PositiveSmallIntegerField("順序")
    name = models.CharField("会場", max_length=255)
    attendance = models.PositiveIntegerField("参加者数", null=True, blank=True)

    class Meta:
        verbose_name = "会場"
        verbose_name_plural = "会場"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "position"], name="unique_event_venue_position"),
        ]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """主な議題, in order; its label (ア．イ．… or a b …) is derived from the order and level."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField("順序")
    level = models.PositiveSmallIntegerField("階層", default=0)
    text = models.TextField("議題")

    class Meta:
        verbose_name = "議題"
        verbose_name_plural = "議題"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "position"], name="unique_agenda_position"),
        ]

    def __str__(self) -> str:
        return self.text[:60]
