"""The audit trail page: HQ administrators only; anybody else gets a 404, as for any hidden page."""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kyosai.accounts.access import Access, access_for
from kyosai.core.models import AuditEntry
from kyosai.core.selectors import InvalidAuditFilter, audit_entries, audit_filter, entry_row
from kyosai.domain.formatting import format_date

__all__ = ["audit_list"]

PER_PAGE = 100
FILTERS = ("since", "until", "user", "action")


def audit_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not access.is_hq_admin:
        raise Http404("ページが見つかりません")
    return _audit_list(request, access)


@require_GET
def _audit_list(request: HttpRequest, access: Access) -> HttpResponse:
    values = {name: request.GET.get(name, "")[:150] for name in FILTERS}
    try:
        filters = audit_filter(**values)
    except InvalidAuditFilter as exc:  # the form again, with the message, as a 400
        return render(request, "core/audit_list.html", {
            "error": str(exc), "values": values, "actions": AuditEntry.Action.choices,
            "nav_section": "audit"}, status=400)
    page = Paginator(audit_entries(access=access, filters=filters), PER_PAGE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_list.html", {
        "page": page, "rows": [_display(entry) for entry in page.object_list],
        "values": values, "actions": AuditEntry.Action.choices, "query": query.urlencode(),
        "nav_section": "audit",
    })


def _display(entry: AuditEntry) -> dict[str, Any]:
    row = entry_row(entry)
    when = timezone.localtime(entry.timestamp)
    row["when"] = f"{format_date(when.date())} {when:%H:%M:%S}"
    row["source_label"] = entry.get_source_display()
    return row
