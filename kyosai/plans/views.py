"""Plan pages: thin views over the plans selectors and services, scoped by access_for().

Reading: HQ every plan; a branch HQ's plan and its own. Editing: HQ staff HQ's and every branch's
plan, branch staff their own branch's only. Anything else is a 404, never a 403.
"""

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kyosai.accounts.access import Access, access_for
from kyosai.catalog.selectors import fiscal_years
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry
from kyosai.core.tables import EXPORT_FORMATS, Cell, Column, Row, Table, export_response
from kyosai.domain.periods import InvalidMonth, YearMonth
from kyosai.domain.plans import TALLY_RATINGS, HalfYear, InvalidPeriod
from kyosai.plans import selectors, services
from kyosai.plans.export import write_plan_workbook
from kyosai.plans.forms import CarryOverForm, NextActionsForm, RatingForm, StatusEntryForm
from kyosai.plans.models import Plan, PlanItem, StatusEntry

__all__ = [
    "branch_matrix",
    "carry_over",
    "item_detail",
    "item_next_actions",
    "item_rating",
    "plan_detail",
    "plan_export",
    "plan_list",
    "plan_summary",
    "status_add",
    "status_delete",
    "status_edit",
]

SUMMARY_TOTAL = "合計"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _this_month() -> YearMonth:
    today = timezone.localdate()
    return YearMonth.of(today)


def _visible_plan(access: Access, pk: int) -> Plan:
    return get_object_or_404(selectors.visible_plans(access=access), pk=pk)


def _visible_item(access: Access, pk: int) -> PlanItem:
    return get_object_or_404(selectors.visible_items(access=access), pk=pk)


def _editable_item(access: Access, pk: int) -> PlanItem:
    item = _visible_item(access, pk)
    if not access.can_edit_plan(item.plan.owner_id):
        raise Http404("この計画は編集できません。")
    return item


def _status_form(item: PlanItem, data: Any = None) -> StatusEntryForm:
    initial = {"confirmed_month": str(_this_month())}
    return StatusEntryForm(data, initial=initial, fiscal_year=item.plan.fiscal_year,
                           calendar=fiscal_years().calendar(item.plan.fiscal_year))


# --- plans ----------------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    plans = selectors.visible_plans(access=access).order_by("-period", "owner__display_order")
    periods = sorted({p.period for p in plans}, reverse=True)
    period = request.GET.get("period") or (periods[0] if periods else "")
    shown = [p for p in plans if p.period == period]
    rows = [(p, selectors.tally_of_plan(p, access=access).total) for p in shown]
    return render(request, "plans/plan_list.html", {
        "periods": periods, "period": period, "rows": rows, "marks": TALLY_RATINGS,
        "show_matrix": access.can_view_branch_matrix and any(not p.is_hq for p in shown),
    })


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    plan = _visible_plan(access, pk)
    attention = request.GET.get("attention") == "1"
    unconfirmed = request.GET.get("unconfirmed") == "1"
    try:
        month = YearMonth.parse(request.GET["month"]) if request.GET.get("month") else _this_month()
    except InvalidMonth:
        month = _this_month()
    filtered = attention or unconfirmed
    items = selectors.filter_items(
        selectors.visible_items(access=access).filter(plan=plan), access=access,
        attention=attention,
        unconfirmed_in=month if unconfirmed else None,
    ) if filtered else None
    next_plan = Plan.objects.filter(carried_from=plan).first()
    can_edit = access.can_edit_plan(plan.owner_id)
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "tree": selectors.tree_of(plan, items, access=access),
        "tally": selectors.tally_of_plan(plan, access=access),
        "marks": TALLY_RATINGS, "attention": attention, "unconfirmed": unconfirmed,
        "month": month, "filtered": filtered, "can_edit": can_edit, "next_plan": next_plan,
        "carry_form": CarryOverForm() if can_edit and next_plan is None else None,
        "next_period": plan.plan_period.next(),
        "show_matrix": access.can_view_branch_matrix and plan.is_hq,
    })


@login_required
@require_GET
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    plan = _visible_plan(access, pk)
    # Other branches' ratings only for HQ: a branch reading HQ's plan gets no matrix sheet.
    matrix = (selectors.branch_matrix(plan.period, access=access)
              if plan.is_hq and access.can_view_branch_matrix else None)
    buffer = io.BytesIO()
    write_plan_workbook(selectors.tree_of(plan, access=access),
                        selectors.tally_of_plan(plan, access=access), buffer,
                        matrix=matrix)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"plan-{plan.period}-{plan.owner.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    record_event(AuditEntry.Action.EXPORT, user=request.user, object_type="plans.plan",
                 object_id=str(plan.pk), object_repr=str(plan)[:255],
                 detail={"page": request.path, "format": "xlsx", "period": str(plan.period),
                         "owner": plan.owner.code, "rows": plan.items.count(),
                         "branch_matrix": matrix is not None})
    return response


@login_required
@require_POST
def carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    plan = _visible_plan(access, pk)
    if not access.can_edit_plan(plan.owner_id):
        raise Http404("この計画は編集できません。")
    form = CarryOverForm(request.POST)
    include_done = form.cleaned_data["include_done"] if form.is_valid() else True
    try:
        new_plan = services.carry_over_plan(plan, user=request.user, include_done=include_done)
    except services.PlanAlreadyExists as exc:
        messages.error(request, str(exc))
        return redirect("plans:plan", pk=plan.pk)
    messages.success(request, f"{new_plan}の計画を作成しました。")
    return redirect("plans:plan", pk=new_plan.pk)


@login_required
@require_GET
def branch_matrix(request: HttpRequest, period: str) -> HttpResponse:
    access = access_for(request.user)
    if not access.can_view_branch_matrix:
        raise Http404("本部のみ閲覧できます。")
    try:
        plan_period = HalfYear.parse(period)
    except InvalidPeriod:
        raise Http404("期間が正しくありません。") from None
    matrix = selectors.branch_matrix(plan_period, access=access)
    if not matrix.columns:
        raise Http404("県支部別の実行計画がありません。")
    return render(request, "plans/matrix.html", {
        "period": plan_period, "matrix": matrix, "marks": TALLY_RATINGS,
    })


def _summary_table(tally: selectors.TallyTable, period: HalfYear) -> Table:
    marks = [rating.value for rating in TALLY_RATINGS]
    columns = [Column("節", numeric=False), Column("表題", numeric=False),
               *(Column(mark) for mark in marks), Column("計")]
    rows = [Row([Cell(row.chapter), Cell(row.title),
                 *(Cell(str(n), n) for n in row.tally.row())]) for row in tally.rows]
    rows.append(Row([Cell(SUMMARY_TOTAL), Cell(""),
                     *(Cell(str(n), n) for n in tally.total.row())], css="total"))
    return Table(key="summary", title=f"{tally.owner} {period.label()} 実行計画の評価",
                 columns=columns, rows=rows, header_cells=2,
                 filters=[("期間", str(period)), ("所管", tally.owner)])


@login_required
@require_GET
def plan_summary(request: HttpRequest, period: str, owner: str) -> HttpResponse:
    """The rating tally (◎○△×－) per chapter of a plan the viewer may read, or its xlsx/CSV."""
    access = access_for(request.user)
    try:
        plan_period = HalfYear.parse(period)
        tally = selectors.rating_tally(plan_period, owner, access=access)
    except (InvalidPeriod, selectors.UnknownOwner):
        raise Http404("計画が見つかりません。") from None
    if not tally.rows:
        raise Http404("計画が見つかりません。")
    table = _summary_table(tally, plan_period)
    fmt = request.GET.get("export")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise BadRequest("export は csv か xlsx を指定してください。")
        response = export_response(table, fmt, f"実行計画の評価_{plan_period}_{owner}",
                                   request.user.get_username())
        record_event(AuditEntry.Action.EXPORT, user=request.user, object_type="plans.summary",
                     object_id=f"{plan_period}:{owner}", object_repr=table.title[:255],
                     detail={"page": request.path, "format": fmt, "period": str(plan_period),
                             "owner": owner, "rows": len(tally.rows)})
        return response
    table.links = table.export_links(request)
    return render(request, "plans/summary.html", {"table": table, "period": plan_period})


# --- items ----------------------------------------------------------------------------------


def _render_item(request: HttpRequest, access: Access, item: PlanItem, status: int = 200,
                 **forms: Any) -> HttpResponse:
    can_edit = access.can_edit_plan(item.plan.owner_id)
    node = next(i for i in selectors.tree_of(item.plan, PlanItem.objects.filter(pk=item.pk),
                                             access=access).items)
    context: dict[str, Any] = {
        "item": item, "node": node, "plan": item.plan, "can_edit": can_edit,
        "history": selectors.item_history(item, access=access),
        "policy": item.policy, "chapter": item.policy.chapter,
        "source_item": item.source_item,  # HQ's item: every reader of a branch plan sees HQ's
        "carried_from": item.carried_from,
        "branch_items": [], "marks": TALLY_RATINGS,
    }
    if access.can_view_branch_matrix and item.plan.is_hq:
        context["branch_items"] = list(
            item.branch_items.select_related("plan__owner").annotate(status_count=Count("statuses"))
            .order_by("plan__owner__display_order")
        )
    if can_edit:
        context["status_form"] = forms.get("status_form") or _status_form(item)
        context["rating_form"] = forms.get("rating_form") or RatingForm(
            initial={"rating": item.rating})
        context["actions_form"] = forms.get("actions_form") or NextActionsForm(
            initial={"text": "\n".join(a.text for a in item.next_actions.all())})
    return render(request, "plans/item_detail.html", context, status=status)


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    return _render_item(request, access, _visible_item(access, pk))


@login_required
@require_POST
def status_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    item = _editable_item(access, pk)
    form = _status_form(item, request.POST)
    if not form.is_valid():
        return _render_item(request, access, item, status=400, status_form=form)
    services.add_status(item, text=form.cleaned_data["text"],
                        confirmed=form.cleaned_data["confirmed"], user=request.user)
    messages.success(request, "実行状況を追加しました。")
    return redirect("plans:item", pk=item.pk)


@login_required
@require_POST
def item_rating(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    item = _editable_item(access, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render_item(request, access, item, status=400, rating_form=form)
    services.set_rating(item, form.cleaned_data["rating"], user=request.user)
    messages.success(request, "評価を保存しました。")
    return redirect("plans:item", pk=item.pk)


@login_required
@require_POST
def item_next_actions(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    item = _editable_item(access, pk)
    form = NextActionsForm(request.POST)
    if not form.is_valid():
        return _render_item(request, access, item, status=400, actions_form=form)
    services.set_next_actions(item, form.cleaned_data["text"], user=request.user)
    messages.success(request, "今後の取り組みを保存しました。")
    return redirect("plans:item", pk=item.pk)


def _editable_status(access: Access, pk: int) -> StatusEntry:
    entry = get_object_or_404(StatusEntry.objects.select_related("item"), pk=pk)
    _editable_item(access, entry.item_id)
    return entry


@login_required
@require_http_methods(["GET", "POST"])
def status_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    entry = _editable_status(access, pk)
    item = entry.item
    confirmed = entry.confirmed
    initial = {"text": entry.text, "confirmed_month": str(confirmed) if confirmed else ""}
    form = StatusEntryForm(request.POST or None, initial=initial,
                           fiscal_year=item.plan.fiscal_year,
                           calendar=fiscal_years().calendar(item.plan.fiscal_year))
    if request.method == "POST" and form.is_valid():
        services.update_status(entry, text=form.cleaned_data["text"],
                               confirmed=form.cleaned_data["confirmed"], user=request.user)
        messages.success(request, "実行状況を修正しました。")
        return redirect("plans:item", pk=item.pk)
    return render(request, "plans/status_form.html", {
        "form": form, "entry": entry, "item": item,
        "cancel": reverse("plans:item", args=[item.pk]),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def status_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    entry = _editable_status(access, pk)
    item_pk = entry.item_id
    services.delete_status(entry, user=request.user)
    messages.success(request, "実行状況を削除しました。")
    return redirect("plans:item", pk=item_pk)
