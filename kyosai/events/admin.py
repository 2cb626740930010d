from django.contrib import admin
from django.http import HttpRequest

from kyosai.events.models import AgendaItem, Event, EventDate, EventVenue


class EventDateInline(admin.TabularInline[EventDate, Event]):
    model = EventDate
    extra = 0


class EventVenueInline(admin.TabularInline[EventVenue, Event]):
    model = EventVenue
    extra = 0


class AgendaItemInline(admin.TabularInline[AgendaItem, Event]):
    model = AgendaItem
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    """Read-mostly: edits belong to the events pages, whose services derive periods and audit."""

    list_display = ["title", "kind", "starts_on", "held_period", "report_period", "is_web"]
    list_filter = ["kind", "report_period", "is_web"]
    search_fields = ["title", "search_text"]
    readonly_fields = ["held_period", "starts_on", "search_text", "import_key"]
    inlines = [EventDateInline, EventVenueInline, AgendaItemInline]

    def has_change_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False
