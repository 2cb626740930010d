"""Member pages: a union's 未加入者 list (personal data), a branch's and the nation's penetration.

Who sees names: `Access.can_view_personal_data` (HQ admins; branch staff for their branch's
unions; a union officer for their union). HQ staff and viewers see the counts only; a request
for people they may not see is a 404. Every page and export that shows people writes an audit
entry (who, union, filters, rows — never a name). Nothing here is cached.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kyosai.accounts.access import Access, access_for
from kyosai.catalog.models import Product
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry
from kyosai.core.tables import EXPORT_FORMATS, Cell, Column, Row, Table, export_response
from kyosai.domain.dates import InvalidDate, parse_date
from kyosai.domain.formatting import format_date, format_number, format_pct
from kyosai.domain.members import EMPLOYMENT_LABELS, Employment
from kyosai.domain.periods import YearMonth
from kyosai.members.models import FollowUp, Member
from kyosai.members.navigation import branch_links, national_links, union_links
from kyosai.members.selectors import (
    MemberFilters,
    MemberPage,
    MemberRow,
    PenetrationRow,
    branch_totals,
    member_page,
    member_rows,
    penetration,
)
from kyosai.members.services import mark_member
from kyosai.org.models import Branch, Union
from kyosai.results.models import BranchResult

__all__ = ["branch_members", "mark", "national_members", "union_members"]

DEFAULT_PRODUCT = "group_life"
#: People per page: a phone scrolls a hundred cards; the export has them all.
PER_PAGE = 100
SORTS = {
    "union": (lambda r: (r.branch, r.union), False),
    "rate": (lambda r: (r.rate is None, -(r.rate or 0)), False),
    "remaining": (lambda r: (r.remaining is None, -(r.remaining or 0)), False),
    "unenrolled": (lambda r: -r.unenrolled, False),
    "coverable": (lambda r: (r.coverable is None, -(r.coverable or 0)), False),
    "members": (lambda r: -r.members, False),
}


@dataclass(frozen=True, slots=True)
class Choice:
    product: Product
    as_of: date
    products: list[Product]

    def query(self, **extra: Any) -> str:
        return urlencode({"product": self.product.code, "as_of": self.as_of.isoformat(), **extra})


def _default_as_of() -> date:
    """The last day of the latest month with results (the demo: 2024-11-30), else today."""
    latest = BranchResult.objects.order_by("-month").values_list("month", flat=True).first()
    if latest is None:
        return timezone.localdate()
    return YearMonth.of(latest).last_day()


def _choice(request: HttpRequest) -> Choice:
    products = list(Product.objects.exclude(kind__in=["composite", "rider"])
                    .order_by("display_order", "code"))
    code = request.GET.get("product") or DEFAULT_PRODUCT
    product = next((p for p in products if p.code == code), None)
    if product is None:
        raise Http404("product")
    try:
        as_of = parse_date(request.GET.get("as_of")) or _default_as_of()
    except InvalidDate:
        raise BadRequest("基準日は 2024-11-30 の形式で指定してください。") from None
    return Choice(product, as_of, products)


def _filters(request: HttpRequest) -> MemberFilters:
    try:
        max_age = int(request.GET["max_age"]) if request.GET.get("max_age") else None
        hired_before = parse_date(request.GET.get("hired_before"))
    except (ValueError, InvalidDate):
        raise BadRequest("絞り込みの指定が正しくありません。") from None
    if max_age is not None and not 0 <= max_age <= 120:
        raise BadRequest("年齢は 0〜120 で指定してください。")
    return MemberFilters(officers_only=request.GET.get("officers") == "1", max_age=max_age,
                         hired_before=hired_before,
                         unenrolled_only=request.GET.get("show") != "all")


def _pct(row: Any) -> str:
    return format_pct(row.rate, 1)


def _count(value: int | None) -> str:
    return format_number(value)


# --- the union's members ------------------------------------------------------------------------

@login_required
@require_GET
@never_cache  # people's names: no copy kept by the browser or a proxy
def union_members(request: HttpRequest, code: str) -> HttpResponse:
    access = access_for(request.user)
    union = get_object_or_404(Union.objects.select_related("branch"), code=code)
    if not access.can_view_union(union.pk, union.branch_id):
        raise Http404("union")
    choice = _choice(request)
    filters = _filters(request)
    personal = access.can_view_personal_data(union.pk, union.branch_id)
    fmt = request.GET.get("export")
    if fmt and (fmt not in EXPORT_FORMATS):
        raise BadRequest("export は csv か xlsx を指定してください。")
    if fmt and not personal:
        raise Http404("personal data")
    counts = penetration(choice.product, choice.as_of, union=union, access=access)
    rows: list[MemberRow] = []
    page = None
    if personal and fmt:
        rows = member_rows(choice.product, choice.as_of, union=union, filters=filters,
                           access=access)
    elif personal:  # only the page's rows are read (counted and sliced in SQL)
        page = member_page(choice.product, choice.as_of, request.GET.get("page"), PER_PAGE,
                           union=union, filters=filters, access=access)
    if personal:
        record_event(AuditEntry.Action.EXPORT if fmt else AuditEntry.Action.VIEW,
                     user=request.user, object_type="members.member", object_id=union.code,
                     detail={"page": "union_members", "union": union.code,
                             "product": choice.product.code, "as_of": choice.as_of.isoformat(),
                             **filters.describe(), "format": fmt or "html",
                             "rows": len(page.rows) if page is not None else len(rows),
                             "total": page.total if page is not None else len(rows),
                             "page_number": page.number if page is not None else None})
    if fmt:
        table = _member_table(union, choice, filters, rows)
        return export_response(table, fmt, f"組合員_{union.code}_{choice.as_of}",
                               request.user.get_username())
    context = {
        "title": f"{union.name}の組合員", "union": union, "choice": choice, "filters": filters,
        "summary": counts[0] if counts else None, "personal": personal, "page": page,
        "page_links": _page_links(request, page),
        "can_mark": access.can_mark_members(union.pk), "statuses": FollowUp.Status.choices,
        "today": timezone.localdate(),
        "as_of_label": format_date(choice.as_of),
        "back": (reverse("members:branch", args=[union.branch.code]) + f"?{choice.query()}"
                 if access.can_view_branch(union.branch_id) else ""),
        "export_links": _links(request), "next": request.get_full_path(),
        "lifecycle_links": union_links(access, union),
    }
    return render(request, "members/union.html", context)


def _page_links(request: HttpRequest, page: MemberPage | None) -> dict[str, str]:
    if page is None or page.num_pages <= 1:
        return {}
    links = {}
    for name, number in (("previous", page.number - 1), ("next", page.number + 1)):
        if 1 <= number <= page.num_pages:
            query = request.GET.copy()
            query["page"] = str(number)
            links[name] = "?" + query.urlencode()
    return links


def _member_table(union: Union, choice: Choice, filters: MemberFilters,
                  rows: list[MemberRow]) -> Table:
    statuses = dict(FollowUp.Status.choices)
    columns = [Column("県支部", False), Column("単組", False), Column("組合員番号", False),
               Column("氏名", False), Column("年齢"), Column("採用日", False),
               Column("雇用区分", False), Column("役員", False), Column("加入", False),
               Column("声かけ", False), Column("声かけ日", False)]
    shown = [("共済制度", choice.product.name), ("基準日", format_date(choice.as_of)),
             ("単組", f"{union.code} {union.name}"),
             ("対象", "未加入者のみ" if filters.unenrolled_only else "在籍者全員")]
    if filters.officers_only:
        shown.append(("役員のみ", "はい"))
    if filters.max_age is not None:
        shown.append(("年齢", f"{filters.max_age}歳以下"))
    if filters.hired_before is not None:
        shown.append(("採用日", f"{format_date(filters.hired_before)}より前"))
    return Table("members", "組合員一覧", columns, [Row([
        Cell(r.branch), Cell(r.union), Cell(r.member_no), Cell(r.name),
        Cell("" if r.age is None else str(r.age), r.age),
        Cell(r.hired_on.isoformat() if r.hired_on else ""),
        Cell(EMPLOYMENT_LABELS.get(Employment(r.employment), r.employment)
             if r.employment in Employment._value2member_map_ else r.employment),
        Cell("○" if r.officer else ""), Cell("加入" if r.enrolled else "未加入"),
        Cell(statuses.get(r.mark, "")), Cell(r.marked_on.isoformat() if r.marked_on else ""),
    ]) for r in rows], filters=shown)


@login_required
@require_POST
def mark(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    """A union officer marks a listed non-member (声かけ済 / 申込済 / 辞退, with a date)."""
    access = access_for(request.user)
    union = get_object_or_404(Union, code=code)
    if not access.can_mark_members(union.pk):
        raise Http404("mark")
    member = get_object_or_404(Member, pk=member_id, union=union)
    product = get_object_or_404(Product, code=request.POST.get("product", ""))
    status = request.POST.get("status", "")
    try:
        on = parse_date(request.POST.get("on")) or timezone.localdate()
    except InvalidDate:
        raise BadRequest("日付は 2024-11-30 の形式で指定してください。") from None
    if status not in FollowUp.Status.values:
        raise BadRequest("状況を選んでください。")
    mark_member(member, product, status, on, user=request.user)
    messages.success(request, f"組合員番号 {member.member_no} を「{FollowUp.Status(status).label}」にしました。")
    back = request.POST.get("next", "")
    listing = reverse("members:union", args=[union.code])
    if not back.startswith(listing):
        back = listing
    return redirect(f"{back}#member-{member.pk}" if "#" not in back else back)


# --- penetration tables (counts only) -----------------------------------------------------------

def _penetration_table(rows: list[PenetrationRow], choice: Choice, scope: str) -> Table:
    columns = [Column("単組", False), Column("在籍"), Column("加入"), Column("加入率"),
               Column("組織加入", False), Column("役員"), Column("役員加入"), Column("目標"),
               Column("実績"), Column("残件数"), Column("未加入"), Column("充足可能")]
    return Table("penetration", f"{choice.product.name}の加入状況（単組別）", columns, [Row([
        Cell(f"{r.union} {r.union_name}", url=reverse("members:union", args=[r.union]) + f"?{choice.query()}"),
        Cell(_count(r.members), r.members), Cell(_count(r.enrolled), r.enrolled),
        Cell(_pct(r), r.rate), Cell("◎" if r.organised else "", 1 if r.organised else 0,
                                    css="organised" if r.organised else ""),
        Cell(_count(r.officers), r.officers), Cell(_count(r.officers_enrolled),
                                                   r.officers_enrolled),
        Cell(_count(r.target), r.target), Cell(_count(r.actual), r.actual),
        Cell(_count(r.remaining), r.remaining), Cell(_count(r.unenrolled), r.unenrolled),
        Cell(_count(r.coverable), r.coverable),
    ], css="organised" if r.organised else "") for r in rows], filters=[
        ("共済制度", choice.product.name), ("基準日", format_date(choice.as_of)), ("範囲", scope)],
        note="組織加入: 加入率80%以上（◎）。残件数 = 目標 − 実績（0未満は0）、充足可能 = 残件数と未加入者数の小さい方。")


def _sorted(request: HttpRequest, rows: list[PenetrationRow]) -> tuple[list[PenetrationRow], str]:
    key = request.GET.get("sort") or "union"
    if key not in SORTS:
        raise Http404("sort")
    return sorted(rows, key=SORTS[key][0]), key


@login_required
@require_GET
def branch_members(request: HttpRequest, code: str) -> HttpResponse:
    access = access_for(request.user)
    branch = get_object_or_404(Branch, code=code)
    if not access.can_view_branch(branch.pk):
        raise Http404("branch")
    choice = _choice(request)
    rows, sort = _sorted(request, penetration(choice.product, choice.as_of,
                                              branch=branch, access=access))
    table = _penetration_table(rows, choice, f"{branch.name}の単組")
    fmt = request.GET.get("export")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise BadRequest("export は csv か xlsx を指定してください。")
        return _counts_export(request, table, fmt, f"加入状況_{branch.code}_{choice.as_of}",
                              scope=branch.code, choice=choice)
    totals = branch_totals(rows)
    return render(request, "members/branch.html", {
        "title": f"{branch.name}の加入状況", "branch": branch, "choice": choice, "table": table,
        "total": totals[0] if totals else None, "sort": sort, "sorts": [
            ("union", "単組順"), ("rate", "加入率"), ("remaining", "残件数"),
            ("unenrolled", "未加入"), ("coverable", "充足可能"), ("members", "在籍")],
        "export_links": _links(request), "as_of_label": format_date(choice.as_of),
        "organised": sum(1 for r in rows if r.organised), "national": access.is_hq,
        "lifecycle_links": branch_links(access, branch),
    })


def _counts_export(request: HttpRequest, table: Table, fmt: str, filename: str, *, scope: str,
                   choice: Choice) -> HttpResponse:
    """A penetration table (counts per union or branch, no person) as CSV/xlsx; audited."""
    response = export_response(table, fmt, filename, request.user.get_username())
    record_event(AuditEntry.Action.EXPORT, user=request.user, object_type="members.penetration",
                 object_id=scope, object_repr=table.title[:255],
                 detail={"page": request.path, "table": table.key, "format": fmt,
                         "scope": scope, "product": choice.product.code,
                         "as_of": choice.as_of.isoformat(), "rows": len(table.rows)})
    return response


def _links(request: HttpRequest) -> dict[str, str]:
    links = {}
    for fmt in EXPORT_FORMATS:
        query = request.GET.copy()
        query["export"] = fmt
        links[fmt] = "?" + query.urlencode()
    return links


@login_required
@require_GET
def national_members(request: HttpRequest) -> HttpResponse:
    """HQ: penetration per branch. Branch staff and union officers go to their own page."""
    access: Access = access_for(request.user)
    if not access.is_hq:
        if access.union_id is not None:
            union = Union.objects.get(pk=access.union_id)
            return redirect("members:union", code=union.code)
        if access.branch_id is not None:
            branch = Branch.objects.get(pk=access.branch_id)
            return redirect("members:branch", code=branch.code)
        raise Http404("members")
    choice = _choice(request)
    totals = branch_totals(penetration(choice.product, choice.as_of, access=access))
    columns = [Column("県支部", False), Column("単組"), Column("組織加入単組"), Column("在籍"),
               Column("加入"), Column("加入率"), Column("未加入"), Column("残件数"),
               Column("充足可能")]
    table = Table("branches", f"{choice.product.name}の加入状況（県支部別）", columns, [Row([
        Cell(f"{t.branch} {t.branch_name}",
             url=reverse("members:branch", args=[t.branch]) + f"?{choice.query()}"),
        Cell(_count(t.unions), t.unions), Cell(_count(t.organised), t.organised),
        Cell(_count(t.members), t.members), Cell(_count(t.enrolled), t.enrolled),
        Cell(format_pct(t.rate, 1), t.rate), Cell(_count(t.unenrolled), t.unenrolled),
        Cell(_count(t.remaining), t.remaining), Cell(_count(t.coverable), t.coverable),
    ]) for t in totals], filters=[("共済制度", choice.product.name),
                                 ("基準日", format_date(choice.as_of)), ("範囲", "全国")],
        note="名簿が登録されている単組だけを数えています。")
    fmt = request.GET.get("export")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise BadRequest("export は csv か xlsx を指定してください。")
        return _counts_export(request, table, fmt, f"加入状況_全国_{choice.as_of}",
                              scope="全国", choice=choice)
    return render(request, "members/national.html", {
        "title": "加入状況（全国）", "choice": choice, "table": table,
        "export_links": _links(request), "as_of_label": format_date(choice.as_of),
        "lifecycle_links": national_links(access)})
