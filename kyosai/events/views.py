"""Pages for HQ's events: every member reads; HQ staff and admins create and edit.

Forbidden and unknown look the same (404), as everywhere in kyosai.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from kyosai.accounts.access import Access, access_for
from kyosai.core.models import AuditEntry
from kyosai.domain.events import HalfYear, InvalidEvent, InvalidPeriod
from kyosai.events.forms import (
    AgendaItemFormSet,
    EventDateFormSet,
    EventForm,
    EventSearchForm,
    EventVenueFormSet,
    draft_from_forms,
    initial_from_draft,
)
from kyosai.events.models import Event
from kyosai.events.selectors import event_periods, get_event, group_by_section, list_events
from kyosai.events.services import save_event


def _reader(request: HttpRequest) -> Access:
    access = access_for(request.user)
    if not access.can_view_events:
        raise Http404
    return access


def _editor(request: HttpRequest) -> Access:
    access = _reader(request)
    if not access.can_edit_events:
        raise Http404
    return access


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    access = _reader(request)
    search = EventSearchForm(request.GET)
    search.is_valid()
    periods = event_periods(access=access)
    period = _chosen_period(search.cleaned_data.get("period", ""), periods)
    query = search.cleaned_data.get("q", "")
    events = list(list_events(access=access, period=period, query=query))
    return render(request, "events/event_list.html", {
        "search": search, "periods": periods, "period": period, "query": query,
        "sections": group_by_section(events), "count": len(events),
        "can_edit": access.can_edit_events,
    })


def _chosen_period(text: str, periods: list[HalfYear]) -> HalfYear | None:
    """?period=2024H1 chooses a report; `all` or an empty database lists every period."""
    if text == "all":
        return None
    try:
        return HalfYear.parse(text)
    except InvalidPeriod:
        return periods[0] if periods else None


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _reader(request)
    event = _event_or_404(access, pk)
    history = (
        AuditEntry.objects.filter(object_type=Event._meta.label_lower, object_id=str(event.pk))
        .select_related("user") if access.is_hq else AuditEntry.objects.none()
    )
    return render(request, "events/event_detail.html", {
        "event": event, "agenda": event.labelled_agenda(), "history": history,
        "can_edit": access.can_edit_events, "show_history": access.is_hq,
    })


def _event_or_404(access: Access, pk: int) -> Event:
    try:
        return get_event(pk, access=access)
    except Event.DoesNotExist as error:
        raise Http404 from error


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    _editor(request)
    return _edit(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = _editor(request)
    return _edit(request, _event_or_404(access, pk))


def _edit(request: HttpRequest, event: Event | None) -> HttpResponse:
    initial: dict[str, Any] = initial_from_draft(event.to_draft()) if event else {}
    data = request.POST if request.method == "POST" else None
    form = EventForm(data, prefix="event", initial=initial.get("event"))
    dates = EventDateFormSet(data, prefix="dates", initial=initial.get("dates"))
    venues = EventVenueFormSet(data, prefix="venues", initial=initial.get("venues"))
    agenda = AgendaItemFormSet(data, prefix="agenda", initial=initial.get("agenda"))
    errors: list[str] = []
    if data is not None and all([f.is_valid() for f in (form, dates, venues, agenda)]):
        draft = draft_from_forms(form, dates, venues, agenda,
                                 source=event.source if event else "",
                                 key=event.import_key if event else None)
        try:
            saved = save_event(draft, event=event, user=request.user)
        except InvalidEvent as error:
            errors = error.errors
        else:
            return redirect("events:detail", pk=saved.pk)
    return render(request, "events/event_form.html", {
        "event": event, "form": form, "dates": dates, "venues": venues, "agenda": agenda,
        "errors": errors,
    })
