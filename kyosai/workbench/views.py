"""The activity log on the web: HQ's compliance table, a branch's log and calendar, entry forms.

Access is asked on every request; anything a user may not see is a 404 (never a hint that it
exists). Branch staff enter their own branch's activities, union officers their own union's
union-level ones, HQ staff anyone's; the support ledger is entered by HQ staff only.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from kyosai.accounts.access import Access, access_for
from kyosai.accounts.models import Role
from kyosai.activities.models import DEFAULT_FISCAL_YEAR
from kyosai.core.models import AuditEntry
from kyosai.domain.activity_log import KINDS, LogPeriod
from kyosai.domain.periods import InvalidMonth, YearMonth
from kyosai.org.models import Branch, Union
from kyosai.workbench.forms import ActivityForm, SupportForm, unions_of
from kyosai.workbench.models import ActivityEntry, SupportEntry
from kyosai.workbench.selectors import (
    branch_log,
    citation,
    compliance,
    fiscal_calendar,
    latest_log_month,
    period_for,
    visible_entries,
)
from kyosai.workbench.services import save_activity, save_support

__all__ = ["branch_page", "entry_create", "entry_edit", "index", "support_create", "support_list"]


def _access(request: HttpRequest) -> Access:
    access = access_for(request.user)
    if not access.is_authenticated:
        raise Http404
    return access


def _period(request: HttpRequest, access: Access) -> LogPeriod:
    """?year=2024&as_of=2024-11; by default the newest year of the log and its latest month."""
    raw_year = request.GET.get("year", "")
    if raw_year.isascii() and raw_year.isdigit() and len(raw_year) <= 4:
        year = int(raw_year)
    else:
        year = ActivityEntry.objects.aggregate(y=Max("fiscal_year"))["y"] or DEFAULT_FISCAL_YEAR
    try:
        as_of = YearMonth.parse(request.GET["as_of"]) if request.GET.get("as_of") else None
    except InvalidMonth:
        raise Http404 from None
    as_of = as_of or latest_log_month(year, access=access) or fiscal_calendar(year).first_month(year)
    try:
        return period_for(year, as_of)
    except ValueError:
        raise Http404 from None


def _months(period: LogPeriod) -> list[YearMonth]:
    return fiscal_calendar(period.fiscal_year).months(period.fiscal_year)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    if not access.is_hq:
        if access.union_id is None and access.branch_id is not None:
            branch = Branch.objects.get(pk=access.branch_id)
            return redirect("workbench:branch", code=branch.code)
        entries = visible_entries(access=access).order_by("-date", "-pk")[:500]
        return render(request, "workbench/union.html", {
            "entries": entries, "can_enter": access.can_write and access.union_id is not None})
    period = _period(request, access)
    rows = compliance(period, access=access)
    lagging_study = sum(1 for _, row in rows if not row.study_ok)
    lagging_regular = sum(1 for _, row in rows if not row.regular_ok)
    return render(request, "workbench/compliance.html", {
        "period": period, "rows": rows, "months": _months(period),
        "lagging_study": lagging_study, "lagging_regular": lagging_regular,
        "citations": [citation(kind, period, access=access) for kind in ("committee", "regular_meeting",
                                                          "study_session")],
        "can_enter": access.can_write, "can_support": access.can_write,
    })


@login_required
@require_GET
def branch_page(request: HttpRequest, code: str) -> HttpResponse:
    access = _access(request)
    branch = get_object_or_404(Branch.objects.prefectural(), code=code)
    if not access.can_view_branch(branch.pk):
        raise Http404
    period = _period(request, access)
    log = branch_log(branch, period, access=access)
    return render(request, "workbench/branch.html", {
        "log": log, "period": period, "months": _months(period), "kinds": KINDS,
        "can_enter": access.can_edit_branch(branch.pk),
    })


def _entry_scope(access: Access) -> tuple[QuerySet[Branch], QuerySet[Union], bool] | None:
    """(branches, unions, union_only) a user may enter activities for; None if none."""
    if not access.can_write:
        return None
    if access.role == Role.UNION_OFFICER:
        union = (Union.objects.filter(pk=access.union_id).first()
                 if access.union_id is not None else None)
        if union is None:
            return None
        return (Branch.objects.filter(pk=union.branch_id), Union.objects.filter(pk=union.pk),
                True)
    if access.is_hq:
        branches = Branch.objects.prefectural()
    elif access.branch_id is not None and access.can_edit_branch(access.branch_id):
        branches = Branch.objects.filter(pk=access.branch_id)
    else:
        return None
    return branches, unions_of(branches), False


@login_required
def entry_create(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    scope = _entry_scope(access)
    if scope is None:
        raise Http404
    branches, unions, union_only = scope
    form = ActivityForm(request.POST or None, branches=branches, unions=unions,
                        union_only=union_only)
    if request.method == "POST" and form.is_valid():
        try:
            entry = save_activity(form.save(commit=False), user=request.user,
                                  source=AuditEntry.Source.WEB)
        except ValueError as exc:
            form.add_error("date", str(exc))
        else:
            if union_only:
                return redirect("workbench:index")
            return redirect("workbench:branch", code=entry.branch.code)
    return render(request, "workbench/form.html", {"form": form, "title": "活動記録の入力"})


@login_required
def support_create(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    if not (access.is_hq and access.can_write):
        raise Http404
    form = SupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save_support(form.save(commit=False), user=request.user, source=AuditEntry.Source.WEB)
        except ValueError as exc:
            form.add_error("date", str(exc))
        else:
            return redirect("activities:designations")
    return render(request, "workbench/form.html", {"form": form, "title": "支援台帳の入力"})


@login_required
@require_GET
def support_list(request: HttpRequest) -> HttpResponse:
    """支援台帳 (HQ): every entry of a fiscal year, newest first."""
    access = _access(request)
    if not access.is_hq:
        raise Http404
    years = sorted(set(SupportEntry.objects.values_list("fiscal_year", flat=True)), reverse=True)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 4 else (years[0] if years else DEFAULT_FISCAL_YEAR)
    entries = (SupportEntry.objects.filter(fiscal_year=year).select_related("branch")
               .order_by("-date", "-pk"))
    return render(request, "workbench/support.html", {
        "entries": entries, "year": year, "years": years,
        "can_enter": access.can_write})


def _editable(access: Access, entry: ActivityEntry) -> bool:
    """HQ staff any entry, branch staff their branch's, a union officer their union's."""
    if not access.can_write:
        return False
    if access.role == Role.UNION_OFFICER:
        return entry.union_id is not None and entry.union_id == access.union_id
    return access.can_edit_branch(entry.branch_id)


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    entry = ActivityEntry.objects.filter(pk=pk).first()
    scope = _entry_scope(access)
    if entry is None or scope is None or not _editable(access, entry):
        raise Http404
    branches, unions, union_only = scope
    form = ActivityForm(request.POST or None, instance=entry, branches=branches, unions=unions,
                        union_only=union_only)
    if request.method == "POST" and form.is_valid():
        try:
            entry = save_activity(form.save(commit=False), user=request.user,
                                  source=AuditEntry.Source.WEB)
        except ValueError as exc:
            form.add_error("date", str(exc))
        else:
            if union_only:
                return redirect("workbench:index")
            return redirect("workbench:branch", code=entry.branch.code)
    return render(request, "workbench/form.html", {"form": form, "title": "活動記録の修正"})
