"""The report pages: HQ starts a build, watches it, downloads the files, edits the overview.

Everything here is HQ's (Access.can_view_reports): any other user (or an anonymous one) gets 404,
as for any page they may not see. Writing (a build, a topic) asks Access.can_build_reports and
Access.can_edit_overview: an HQ viewer reads but gets 403 on a POST and sees no write controls.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kyosai.accounts.access import Access, access_for
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry
from kyosai.domain.reporting import HalfYear
from kyosai.reports import selectors, services
from kyosai.reports.forms import (
    BuildForm,
    EditionForm,
    EditionMonthsForm,
    NarrativeForm,
    OverviewTopicForm,
)
from kyosai.reports.models import OverviewTopic, ReportBuild

R = TypeVar("R", bound=HttpResponseBase)

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


def hq_only(view: Callable[..., R]) -> Callable[..., R]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> R:
        access = access_for(request.user)
        if not access.can_view_reports:
            raise Http404("ページが見つかりません")
        request.access = access  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)
    return wrapped


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _require(allowed: bool) -> None:
    """A write this user may not make: 403, nothing changed."""
    if not allowed:
        raise PermissionDenied("この操作を行う権限がありません。")


def _build_or_404(request: HttpRequest, pk: int) -> ReportBuild:
    try:
        return selectors.get_build(pk, access=_access(request))
    except ReportBuild.DoesNotExist:
        raise Http404("報告書が見つかりません") from None


def _topic_or_404(request: HttpRequest, pk: int) -> OverviewTopic:
    try:
        return selectors.get_topic(pk, access=_access(request))
    except OverviewTopic.DoesNotExist:
        raise Http404("項目が見つかりません") from None


def _period(text: str) -> HalfYear:
    try:
        return HalfYear.parse(text)
    except ValueError:
        raise Http404("期の指定が正しくありません") from None


@hq_only
@require_http_methods(["GET", "POST"])
def build_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    if request.method == "POST":
        _require(access.can_build_reports)
    form = BuildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        build = services.start_build(user=request.user, as_of=data["as_of"],
                                     period=data["period"], formats=data["formats"])
        return redirect("reports:build", pk=build.pk)
    return render(request, "reports/build_list.html", {
        "form": form if access.can_build_reports else None,
        "builds": selectors.recent_builds(access=access),
        "periods": selectors.overview_periods(access=access), "nav_section": "reports",
        "can_edit_overview": access.can_edit_overview,
    })


@hq_only
@require_GET
def build_detail(request: HttpRequest, pk: int) -> HttpResponse:
    build = _build_or_404(request, pk)
    return render(request, "reports/build_detail.html", {"build": build, "files": build.files()})


@hq_only
@require_GET
def build_status(request: HttpRequest, pk: int) -> JsonResponse:
    build = _build_or_404(request, pk)
    return JsonResponse({
        "status": build.status, "status_label": build.get_status_display(),
        "progress": build.progress, "step": build.step, "error": build.error,
        "files": [fmt for fmt, _ in build.files()],
    })


@hq_only
@require_GET
def build_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    build = _build_or_404(request, pk)
    path = dict(build.files()).get(fmt)
    if path is None:
        raise Http404("ファイルがありません")
    filename = f"report-{build.period}-{build.as_of}.{fmt}"
    record_event(AuditEntry.Action.DOWNLOAD, user=request.user, object_type="reports.reportbuild",
                 object_id=str(build.pk), object_repr=filename,
                 detail={"page": request.path, "format": fmt, "period": build.period,
                         "as_of": build.as_of, "bytes": path.stat().st_size})
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename,
                        content_type=CONTENT_TYPES[fmt])


@hq_only
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest, period: str) -> HttpResponse:
    access = _access(request)
    report_period = _period(period)
    if request.method == "POST":
        _require(access.can_edit_overview)
    form = OverviewTopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.save_overview_topic(
            user=request.user, period=report_period, heading=data["heading"], body=data["body"],
            achievements=data["achievements"], challenges=data["challenges"],
            notes=data["notes"], position=data["position"])
        return redirect("reports:overview", period=str(report_period))
    return render(request, "reports/overview.html", {
        "period": report_period,
        "topics": selectors.overview_topics(str(report_period), access=access),
        "form": form if access.can_edit_overview else None,
        "can_edit": access.can_edit_overview,
    })


@hq_only
@require_http_methods(["GET", "POST"])
def overview_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(_access(request).can_edit_overview)
    topic = _topic_or_404(request, pk)
    form = OverviewTopicForm(request.POST or None, instance=_topic_or_404(request, pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.save_overview_topic(
            user=request.user, period=HalfYear.parse(topic.period), heading=data["heading"],
            body=data["body"], achievements=data["achievements"],
            challenges=data["challenges"], notes=data["notes"], position=data["position"],
            topic=topic)
        return redirect("reports:overview", period=topic.period)
    return render(request, "reports/overview_edit.html", {"topic": topic, "form": form})


@hq_only
@require_POST
def overview_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(_access(request).can_edit_overview)
    topic = _topic_or_404(request, pk)
    period = topic.period
    services.delete_overview_topic(user=request.user, topic=topic)
    return redirect("reports:overview", period=period)


# --- editions and their narratives -------------------------------------------------------------
# Reading asks Access.can_view_reports (hq_only); writing an edition's months or text asks
# Access.can_edit_overview, as Ⅰ's text does: an HQ viewer reads but gets 403 on a POST.

@hq_only
@require_http_methods(["GET", "POST"])
def edition_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    if request.method == "POST":
        _require(access.can_edit_overview)
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edition = services.start_edition(user=request.user, period=data["period"],
                                             as_of=data["as_of"])
        except ValueError as exc:
            form.add_error("period", str(exc))
        else:
            return redirect("reports:edition", period=edition.period)
    return render(request, "reports/edition_list.html", {
        "editions": selectors.editions(access=access),
        "form": form if access.can_edit_overview else None, "nav_section": "reports"})


def _edition(request: HttpRequest, period: str) -> Any:
    edition = selectors.edition_for(str(_period(period)), access=_access(request))
    if edition is None:
        raise Http404("版が見つかりません")
    return edition


@hq_only
@require_GET
def edition_detail(request: HttpRequest, period: str) -> HttpResponse:
    edition = _edition(request, period)
    texts = {n.key: n for n in edition.narratives.all()}
    rows = [(slot, texts.get(slot.key))
            for slot in selectors.edition_slots(edition, access=_access(request))]
    return render(request, "reports/edition_detail.html", {
        "edition": edition, "rows": rows, "builds": edition.builds.order_by("-created", "-pk"),
        "can_edit": _access(request).can_edit_overview, "nav_section": "reports"})


@hq_only
@require_http_methods(["GET", "POST"])
def edition_months(request: HttpRequest, period: str) -> HttpResponse:
    access = _access(request)
    edition = _edition(request, period)
    if request.method == "POST":
        _require(access.can_edit_overview)
    products = selectors.section3_products(access=access)
    initial = {"as_of": edition.as_of, **{f"month_{code}": month for code, month
                                           in (edition.product_months or {}).items()}}
    form = EditionMonthsForm(request.POST or None, initial=initial, products=products)
    if request.method == "POST" and form.is_valid():
        services.save_edition(user=request.user, period=HalfYear.parse(edition.period),
                              as_of=form.cleaned_data["as_of"],
                              product_months=form.cleaned_data["product_months"])
        return redirect("reports:edition", period=edition.period)
    return render(request, "reports/edition_months.html", {
        "edition": edition, "form": form, "can_edit": access.can_edit_overview,
        "nav_section": "reports"})


@hq_only
@require_http_methods(["GET", "POST"])
def narrative_edit(request: HttpRequest, period: str, key: str) -> HttpResponse:
    access = _access(request)
    edition = _edition(request, period)
    slot = next((s for s in selectors.edition_slots(edition, access=access)
                 if s.key == key), None)
    if slot is None:
        raise Http404("その位置はありません")
    if request.method == "POST":
        _require(access.can_edit_overview)
    current = edition.narratives.filter(key=key).first()
    form = NarrativeForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        services.save_narrative(user=request.user, edition=edition, key=key,
                                text=form.cleaned_data["text"])
        return redirect("reports:edition", period=edition.period)
    return render(request, "reports/narrative_edit.html", {
        "edition": edition, "slot": slot, "form": form, "current": current,
        "can_edit": access.can_edit_overview,
        "history": selectors.narrative_history(edition, key, access=access),
        "nav_section": "reports"})
