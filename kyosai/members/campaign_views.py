"""Campaign pages of the lifecycle tools (issue #15): the 次回車検日 call list with its 電話 /
案内済 marks, the new-hire cohort with its statuses, and プレ印字申込書 made on the web.

As on the transition pages (`lifecycle_views`): people only as `Access.can_view_personal_data`
allows (anyone else: 404), every page or PDF showing people audited (who, scope, rows or pages —
never a name), marks and statuses set by the union's officers and the branch's staff.
"""

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kyosai.accounts.access import Access, access_for
from kyosai.accounts.models import Role
from kyosai.catalog.models import Product
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry
from kyosai.domain.dates import InvalidDate, parse_date
from kyosai.domain.formatting import format_date
from kyosai.domain.lifecycle import in_cohort
from kyosai.domain.periods import YearMonth
from kyosai.members.campaigns import (
    cohort_rows,
    cohort_status_counts,
    inspection_counts,
    latest_calls,
    latest_new_hire_statuses,
    month_start,
)
from kyosai.members.lifecycle import MYCAR, InspectionRow, inspection_rows
from kyosai.members.lifecycle_tables import (
    export_format,
    exported,
    inspection_counts_table,
    inspection_table,
    month_span,
    newhire_counts_table,
    newhire_table,
)
from kyosai.members.lifecycle_views import _can_set
from kyosai.members.models import Contract, InspectionCall, Member, NewHireStatus
from kyosai.members.navigation import (
    may_open_branch_lists,
    may_open_branch_newhires,
    may_open_national_lists,
    may_open_union_lists,
    may_print_forms,
)
from kyosai.members.preprinted import form_pages, render_pdf
from kyosai.members.services import set_inspection_mark, set_new_hire_status
from kyosai.org.models import Branch, Union

__all__ = ["branch_inspections", "branch_newhires", "national_inspections",
           "preprinted_forms", "union_inspections", "union_newhires"]

DEFAULT_MONTHS = 3  # this month and the two after it
MAX_MONTHS = 12


def _id(text: str | None) -> int:
    if not text or not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise Http404("id")
    return int(text)


def _day(text: str | None) -> date:
    try:
        return parse_date(text) or timezone.localdate()
    except InvalidDate:
        raise BadRequest("日付は 2024-11-30 の形式で指定してください。") from None


def _note(request: HttpRequest) -> str:
    return request.POST.get("note", "").strip()[:200]


# --- 次回車検日 call list --------------------------------------------------------------------


def _months(request: HttpRequest) -> tuple[YearMonth, YearMonth, int]:
    """`from` (YYYY-MM, default this month) and `months` (1–12, default 3): the first and last
    month shown and how many."""
    text = request.GET.get("from") or request.POST.get("from")
    if text:
        try:
            first = YearMonth.parse(text)
        except ValueError:
            raise BadRequest("開始月は 2024-11 の形式で指定してください。") from None
    else:
        today = timezone.localdate()
        first = YearMonth(today.year, today.month)
    count_text = request.GET.get("months") or request.POST.get("months") or str(DEFAULT_MONTHS)
    if not (count_text.isascii() and count_text.isdigit()) or not 1 <= int(count_text) <= MAX_MONTHS:
        raise BadRequest(f"月数は 1～{MAX_MONTHS} で指定してください。")
    count = int(count_text)
    return first, first.shift(count - 1), count


def _post_call(request: HttpRequest, access: Access, allowed: Callable[[Union], bool]) -> None:
    contract = get_object_or_404(
        Contract.objects.select_related("member__union", "product"),
        pk=_id(request.POST.get("contract")))
    union = contract.member.union
    if contract.product.code != MYCAR or not allowed(union) or not _can_set(access, union):
        raise Http404("contract")
    kind = request.POST.get("kind", "")
    if kind not in InspectionCall.Kind.values:
        raise BadRequest("記録の区分（電話・案内済）を選んでください。")
    try:
        due = YearMonth.parse(request.POST.get("due", ""))
    except ValueError:
        raise BadRequest("車検月は 2024-11 の形式で指定してください。") from None
    set_inspection_mark(contract, month_start(due), kind, _day(request.POST.get("on")),
                        _note(request), user=request.user)
    messages.success(request, f"契約番号 {contract.contract_no} に「"
                              f"{InspectionCall.Kind(kind).label}」を記録しました。")


def _render_calls(request: HttpRequest, title: str, scope: dict[str, str], scope_label: str,
                  rows: list[InspectionRow], first: YearMonth, last: YearMonth, count: int,
                  can_set: bool) -> HttpResponse:
    """The call list, or (?export=csv|xlsx) the same table as a download; either audited."""
    fmt = export_format(request)
    table = inspection_table(rows, latest_calls(rows), [("車検月", month_span(first, last)),
                                                        ("範囲", scope_label)])
    code = scope.get("union") or scope.get("branch") or ""
    detail = {"page": "inspections", "from": str(first), "to": str(last), **scope}
    if fmt:
        return exported(request, table, fmt, f"車検案内リスト_{code}_{first}_{last}",
                        object_type="members.contract", object_id=code, detail=detail)
    record_event(AuditEntry.Action.VIEW, user=request.user, object_type="members.contract",
                 object_id=code, detail={**detail, "rows": len(rows)})
    table.links = table.export_links(request)
    return render(request, "members/inspections.html", {
        "title": title, "first": first, "last": last, "months": count,
        "month_choices": range(1, MAX_MONTHS + 1), "table": table,
        "rows": list(zip(table.rows, rows, strict=True)),
        "kinds": InspectionCall.Kind.choices, "can_set": can_set,
    })


@login_required
@require_http_methods(["GET", "POST"])
@never_cache  # people's names: no copy kept by the browser or a proxy
def union_inspections(request: HttpRequest, code: str) -> HttpResponse:
    access = access_for(request.user)
    union = get_object_or_404(Union.objects.select_related("branch"), code=code)
    if not may_open_union_lists(access, union):
        raise Http404("union")
    first, last, count = _months(request)
    if request.method == "POST":
        _post_call(request, access, lambda u: u.pk == union.pk)
        return redirect(f"{reverse('members:inspections-union', args=[union.code])}?from={first}&months={count}")
    rows = inspection_rows(access, first, last, union=union)
    return _render_calls(request, f"{union.name}　次回車検日 案内リスト", {"union": union.code},
                         f"{union.code} {union.name}", rows, first, last, count,
                         _can_set(access, union))


@login_required
@require_http_methods(["GET", "POST"])
@never_cache  # people's names: no copy kept by the browser or a proxy
def branch_inspections(request: HttpRequest, code: str) -> HttpResponse:
    access = access_for(request.user)
    branch = get_object_or_404(Branch, code=code)
    if not may_open_branch_lists(access, branch):
        raise Http404("branch")
    first, last, count = _months(request)
    if request.method == "POST":
        _post_call(request, access, lambda u: u.branch_id == branch.pk)
        return redirect(f"{reverse('members:inspections-branch', args=[branch.code])}?from={first}&months={count}")
    rows = inspection_rows(access, first, last, branch=branch)
    return _render_calls(request, f"{branch.name}　次回車検日 案内リスト", {"branch": branch.code},
                         f"{branch.code} {branch.name}", rows, first, last, count,
                         access.role == Role.BRANCH_STAFF)


@login_required
@require_GET
def national_inspections(request: HttpRequest) -> HttpResponse:
    """HQ: per branch and due month, the contracts due, called (電話) and informed (案内済)."""
    access = access_for(request.user)
    if not may_open_national_lists(access):
        raise Http404("national")
    first, last, count = _months(request)
    from kyosai.members.management.base import CLI_ACCESS  # counts of everyone, shown to HQ only

    counts = inspection_counts(CLI_ACCESS, first, last)
    table = inspection_counts_table(counts, [("車検月", month_span(first, last)),
                                             ("範囲", "全国")])
    fmt = export_format(request)
    if fmt:
        return exported(request, table, fmt, f"車検案内リスト_県支部別_{first}_{last}",
                        object_type="members.contract", object_id="national",
                        detail={"page": "inspections_national", "from": str(first),
                                "to": str(last), "scope": "national"})
    table.links = table.export_links(request)
    return render(request, "members/inspections_national.html", {
        "title": table.title, "first": first, "last": last, "months": count,
        "month_choices": range(1, MAX_MONTHS + 1), "table": table,
        "rows": list(zip(table.rows, counts, strict=True))})


# --- new hires -------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year") or request.POST.get("year")
    if not text:
        return timezone.localdate().year
    if not (text.isascii() and text.isdigit()) or not 1900 <= int(text) <= 2999:
        raise BadRequest("採用年は 2024 のように指定してください。")
    return int(text)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache  # people's names: no copy kept by the browser or a proxy
def union_newhires(request: HttpRequest, code: str) -> HttpResponse:
    """The union's new-hire cohort of a year, each with its latest status (set by the union's
    officers and the branch's staff, audited)."""
    access = access_for(request.user)
    union = get_object_or_404(Union.objects.select_related("branch"), code=code)
    if not may_open_union_lists(access, union):
        raise Http404("union")
    year = _year(request)
    can_set = _can_set(access, union)
    if request.method == "POST":
        member = get_object_or_404(Member, pk=_id(request.POST.get("member")), union=union)
        if not can_set or not in_cohort(member.hired_on, year):
            raise Http404("member")
        status = request.POST.get("status", "")
        if status not in NewHireStatus.Status.values:
            raise BadRequest("状況を選んでください。")
        set_new_hire_status(member, year, status, _day(request.POST.get("on")), _note(request),
                            user=request.user)
        messages.success(request, f"組合員番号 {member.member_no} を「"
                                  f"{NewHireStatus.Status(status).label}」にしました。")
        return redirect(f"{reverse('members:newhires-union', args=[union.code])}?year={year}")
    fmt = export_format(request)
    rows = cohort_rows(access, year, union)
    period = f"{format_date(date(year, 4, 1))}～{format_date(date(year, 12, 31))}"
    table = newhire_table(rows, latest_new_hire_statuses([r.member_id for r in rows], year),
                          [("採用年", f"{year}年（採用日 {period}）"),
                           ("範囲", f"{union.code} {union.name}")])
    detail = {"page": "newhires", "year": year, "union": union.code}
    if fmt:
        return exported(request, table, fmt, f"新規採用者_{union.code}_{year}",
                        object_type="members.member", object_id=union.code, detail=detail)
    record_event(AuditEntry.Action.VIEW, user=request.user, object_type="members.member",
                 object_id=union.code, detail={**detail, "rows": len(rows)})
    table.links = table.export_links(request)
    return render(request, "members/newhires.html", {
        "title": f"{union.name}　新規採用者の加入状況", "year": year, "period": period,
        "table": table, "rows": list(zip(table.rows, rows, strict=True)),
        "statuses": NewHireStatus.Status.choices, "can_set": can_set})


@login_required
@require_GET
def branch_newhires(request: HttpRequest, code: str) -> HttpResponse:
    """The branch's unions: the cohort's size and the count of each latest status (no names)."""
    access = access_for(request.user)
    branch = get_object_or_404(Branch, code=code)
    if not may_open_branch_newhires(access, branch):
        raise Http404("branch")
    year = _year(request)
    fmt = export_format(request)
    table = newhire_counts_table(
        cohort_status_counts(access, year, branch), year,
        [("採用年", f"{year}年"), ("範囲", f"{branch.code} {branch.name}")],
        links=access.role == Role.BRANCH_STAFF or access.is_hq_admin)
    if fmt:
        return exported(request, table, fmt, f"新規採用者_単組別_{branch.code}_{year}",
                        object_type="members.member", object_id=branch.code,
                        detail={"page": "newhires_branch", "year": year, "branch": branch.code})
    table.links = table.export_links(request)
    return render(request, "members/newhires_branch.html", {
        "title": f"{branch.name}　新規採用者の加入状況（単組別）", "year": year, "table": table})


# --- プレ印字申込書 ------------------------------------------------------------------------------


def _printable_unions(access: Access) -> list[Union]:
    """The unions whose forms the viewer makes: a union officer's own, branch staff's branch's."""
    if not may_print_forms(access):
        return []
    if access.role == Role.UNION_OFFICER and access.union_id is not None:
        return list(Union.objects.filter(pk=access.union_id))
    if access.role == Role.BRANCH_STAFF and access.branch_id is not None:
        return list(Union.objects.filter(branch_id=access.branch_id).order_by("code"))
    return []


@login_required
@require_GET
@never_cache  # people's names: no copy kept by the browser or a proxy
def preprinted_forms(request: HttpRequest) -> HttpResponse:
    """Choose union, product, as-of date and 未加入者のみ; with `union` given the answer is the PDF
    (a download, like the tables' exports; audited with the number of pages). Branch staff and
    union officers only (anyone else: 404)."""
    access = access_for(request.user)
    unions = _printable_unions(access)
    if not unions:
        raise Http404("forms")
    products = list(Product.objects.filter(kind=Product.Kind.PLAIN, is_reference=False))
    if "union" not in request.GET:
        return render(request, "members/preprinted_form.html", {
            "title": "プレ印字申込書の作成", "unions": unions, "products": products,
            "today": timezone.localdate().isoformat()})
    union = next((u for u in unions if u.code == request.GET.get("union")), None)
    if union is None:
        raise Http404("union")
    product = next((p for p in products if p.code == request.GET.get("product")), None)
    if product is None:
        raise BadRequest("共済制度を選んでください。")
    try:
        as_of = parse_date(request.GET.get("as_of")) or timezone.localdate()
    except InvalidDate:
        raise BadRequest("基準日は 2024-11-30 の形式で指定してください。") from None
    unenrolled_only = request.GET.get("unenrolled_only") == "1"
    pages = form_pages(access, union, product, as_of, unenrolled_only=unenrolled_only)
    if not pages:
        messages.error(request, "該当する組合員がいません。PDFは作成していません。")
        return redirect("members:preprinted")
    pdf = render_pdf(pages, product, as_of)
    record_event(AuditEntry.Action.PRINT, user=request.user, object_type="members.member",
                 object_id=union.code,
                 detail={"page": "forms preprinted", "union": union.code,
                         "product": product.code, "as_of": as_of.isoformat(),
                         "unenrolled_only": unenrolled_only, "pages": len(pages)})
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"preprinted-{union.code}-{product.code}-{as_of:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
