"""Forms for HQ's events: the event itself and inline days, venues and agenda items."""

from typing import Any

from django import forms
from django.forms import formset_factory

from kyosai.core.forms import TEXT_MAX_LENGTH, column_limits
from kyosai.domain.events import (
    AgendaLine,
    DateLine,
    EventDraft,
    HalfYear,
    InvalidPeriod,
    VenueLine,
)
from kyosai.events.models import EventKind, EventVenue

__all__ = [
    "AgendaItemForm",
    "AgendaItemFormSet",
    "EventDateForm",
    "EventDateFormSet",
    "EventForm",
    "EventSearchForm",
    "EventVenueForm",
    "EventVenueFormSet",
    "draft_from_forms",
    "initial_from_draft",
]


class EventSearchForm(forms.Form):
    period = forms.CharField(label="掲載期", required=False, max_length=7)
    q = forms.CharField(label="検索", required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "名称・議題・議事要録・会場"}))


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="種類", choices=EventKind.choices)
    title = forms.CharField(label="名称", max_length=255)
    is_web = forms.BooleanField(label="WEB会議", required=False)
    report_period = forms.CharField(
        label="掲載期", required=False, max_length=7,
        help_text="例 2024H1。空欄なら開催日の半期です（次の半期の初めに開いたものは前の期の報告に載せられます）。",
    )
    minutes = forms.CharField(label="議事要録・備考", required=False, widget=forms.Textarea,
                              max_length=TEXT_MAX_LENGTH)

    def clean_report_period(self) -> HalfYear | None:
        text = self.cleaned_data["report_period"].strip()
        if not text:
            return None
        try:
            return HalfYear.parse(text)
        except InvalidPeriod as error:
            raise forms.ValidationError(str(error)) from error


class EventDateForm(forms.Form):
    day = forms.DateField(label="開催日", widget=forms.DateInput(attrs={"type": "date"}))
    label = forms.CharField(label="区分（地連・ブロック等）", required=False, max_length=100)


class EventVenueForm(forms.Form):
    name = forms.CharField(label="会場", max_length=255)
    attendance = forms.IntegerField(label="参加者数", required=False, min_value=0,
                                    max_value=column_limits(EventVenue, "attendance")["max_value"])


class AgendaItemForm(forms.Form):
    text = forms.CharField(label="議題", widget=forms.Textarea(attrs={"rows": 1}),
                           max_length=TEXT_MAX_LENGTH)
    is_sub = forms.BooleanField(label="小項目（a, b, …）", required=False)


EventDateFormSet = formset_factory(EventDateForm, extra=2, can_delete=True)
EventVenueFormSet = formset_factory(EventVenueForm, extra=2, can_delete=True)
AgendaItemFormSet = formset_factory(AgendaItemForm, extra=3, can_delete=True)


def _kept(formset: Any) -> list[dict[str, Any]]:
    """Cleaned rows in order, without deleted and untouched extra forms."""
    return [
        form.cleaned_data for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def draft_from_forms(form: EventForm, dates: Any, venues: Any, agenda: Any,
                     *, source: str = "", key: str | None = None) -> EventDraft:
    """The EventDraft the valid forms describe (the service checks the rules)."""
    data = form.cleaned_data
    return EventDraft(
        kind=data["kind"], title=data["title"], is_web=data["is_web"], minutes=data["minutes"],
        report_period=data["report_period"], source=source, key=key,
        dates=tuple(DateLine(row["day"], row["label"]) for row in _kept(dates)),
        venues=tuple(VenueLine(row["name"], row["attendance"]) for row in _kept(venues)),
        agenda=tuple(AgendaLine(row["text"], 1 if row["is_sub"] else 0) for row in _kept(agenda)),
    )


def initial_from_draft(draft: EventDraft) -> dict[str, Any]:
    """Initial data for EventForm and the three formsets, keyed by form prefix."""
    return {
        "event": {"kind": draft.kind, "title": draft.title, "is_web": draft.is_web,
                  "minutes": draft.minutes,
                  "report_period": str(draft.report_period) if draft.report_period else ""},
        "dates": [{"day": line.day, "label": line.label} for line in draft.dates],
        "venues": [{"name": v.name, "attendance": v.attendance} for v in draft.venues],
        "agenda": [{"text": item.text, "is_sub": item.level == 1} for item in draft.agenda],
    }
