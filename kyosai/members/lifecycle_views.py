"""Lifecycle pages: the 64歳以上移行確認リスト of a union or branch with follow-up statuses, and
HQ's progress counts per branch.

People are shown only as `Access.can_view_personal_data` allows (anyone else: 404); every page
showing people is audited (who, scope, year, rows — never a name). Statuses are set by the
union's officers and the branch's staff, audited by `set_transition_status`.
"""

from collections import Counter
from typing import Any

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
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry
from kyosai.domain.dates import InvalidDate, parse_date
from kyosai.domain.formatting import format_date
from kyosai.members.lifecycle import TransitionRow, fiscal_year_bounds, transition_rows
from kyosai.members.lifecycle_tables import (
    export_format,
    exported,
    transition_progress_table,
    transition_table,
)
from kyosai.members.models import Member, TransitionStatus
from kyosai.members.navigation import (
    may_open_branch_lists,
    may_open_national_lists,
    may_open_union_lists,
)
from kyosai.members.services import set_transition_status
from kyosai.org.models import Branch, Union

__all__ = ["branch_transition", "national_transition", "union_transition"]

def _fiscal_year(request: HttpRequest) -> int:
    text = request.GET.get("fy") or request.POST.get("fy")
    if not text:
        today = timezone.localdate()
        return today.year if today.month >= 6 else today.year - 1
    if not (text.isascii() and text.isdigit()) or not 1900 <= int(text) <= 2999:
        raise BadRequest("年度は 2024 のように指定してください。")
    return int(text)


def _latest(member_ids: list[int], year: int) -> dict[int, TransitionStatus]:
    latest: dict[int, TransitionStatus] = {}
    for entry in TransitionStatus.objects.filter(member_id__in=member_ids, fiscal_year=year
                                                 ).order_by("on", "id"):
        latest[entry.member_id] = entry
    return latest


def _can_set(access: Access, union: Union) -> bool:
    """Union officers of the union and branch staff of its branch set the statuses."""
    if access.role == Role.UNION_OFFICER:
        return access.union_id == union.pk
    if access.role == Role.BRANCH_STAFF:
        return access.branch_id == union.branch_id
    return False


def _post_status(request: HttpRequest, access: Access, year: int, allowed: Any) -> None:
    member_id = request.POST.get("member", "")
    if not (member_id.isascii() and member_id.isdigit()) or len(member_id) > 18:
        raise Http404("member")
    member = get_object_or_404(Member.objects.select_related("union"), pk=int(member_id))
    if not allowed(member.union) or not _can_set(access, member.union):
        raise Http404("member")
    status = request.POST.get("status", "")
    if status not in TransitionStatus.Status.values:
        raise BadRequest("状況を選んでください。")
    try:
        on = parse_date(request.POST.get("on")) or timezone.localdate()
    except InvalidDate:
        raise BadRequest("日付は 2024-11-30 の形式で指定してください。") from None
    set_transition_status(member, year, status, on, request.POST.get("note", "").strip(),
                          user=request.user)
    messages.success(request, f"組合員番号 {member.member_no} を「"
                              f"{TransitionStatus.Status(status).label}」にしました。")


def _render(request: HttpRequest, title: str, scope: dict[str, str], scope_label: str,
            rows: list[TransitionRow], year: int, can_set: bool) -> HttpResponse:
    """The list, or (?export=csv|xlsx) the same table as a download; either audited."""
    fmt = export_format(request)
    latest = _latest([r.member_id for r in rows], year)
    first, last = fiscal_year_bounds(year)
    period = f"{format_date(first)}～{format_date(last)}"
    table = transition_table(rows, latest, [("年度", f"{year}年度（{period}）"),
                                            ("範囲", scope_label)])
    code = scope.get("union") or scope.get("branch") or ""
    detail = {"page": "transition", "fiscal_year": year, **scope}
    if fmt:
        return exported(request, table, fmt, f"移行確認リスト_{code}_{year}",
                        object_type="members.member", object_id=code, detail=detail)
    record_event(AuditEntry.Action.VIEW, user=request.user, object_type="members.member",
                 object_id=code, detail={**detail, "rows": len(rows)})
    table.links = table.export_links(request)
    return render(request, "members/transition.html", {
        "title": title, "year": year, "period": period, "table": table,
        "rows": list(zip(table.rows, rows, strict=True)),
        "statuses": TransitionStatus.Status.choices, "can_set": can_set,
    })


@login_required
@require_http_methods(["GET", "POST"])
@never_cache  # people's names: no copy kept by the browser or a proxy
def union_transition(request: HttpRequest, code: str) -> HttpResponse:
    access = access_for(request.user)
    union = get_object_or_404(Union.objects.select_related("branch"), code=code)
    if not may_open_union_lists(access, union):
        raise Http404("union")
    year = _fiscal_year(request)
    if request.method == "POST":
        _post_status(request, access, year, lambda u: u.pk == union.pk)
        return redirect(reverse("members:transition-union", args=[union.code]) + f"?fy={year}")
    rows = transition_rows(access, year, union=union)
    return _render(request, f"{union.name}　64歳以上移行確認リスト", {"union": union.code},
                   f"{union.code} {union.name}", rows, year, _can_set(access, union))


@login_required
@require_http_methods(["GET", "POST"])
@never_cache  # people's names: no copy kept by the browser or a proxy
def branch_transition(request: HttpRequest, code: str) -> HttpResponse:
    access = access_for(request.user)
    branch = get_object_or_404(Branch, code=code)
    if not may_open_branch_lists(access, branch):
        raise Http404("branch")
    year = _fiscal_year(request)
    if request.method == "POST":
        _post_status(request, access, year, lambda u: u.branch_id == branch.pk)
        return redirect(reverse("members:transition-branch", args=[branch.code]) + f"?fy={year}")
    rows = transition_rows(access, year, branch=branch)
    return _render(request, f"{branch.name}　64歳以上移行確認リスト", {"branch": branch.code},
                   f"{branch.code} {branch.name}", rows, year, access.role == Role.BRANCH_STAFF)


@login_required
@require_GET
def national_transition(request: HttpRequest) -> HttpResponse:
    """HQ: per-branch progress counts (no names), from the latest status of each listed member."""
    access = access_for(request.user)
    if not may_open_national_lists(access):
        raise Http404("national")
    year = _fiscal_year(request)
    from kyosai.members.management.base import CLI_ACCESS  # counts of everyone, shown to HQ only

    rows = transition_rows(CLI_ACCESS, year)
    latest = _latest([r.member_id for r in rows], year)
    counts: dict[str, Counter[str]] = {}
    for r in rows:
        entry = latest.get(r.member_id)
        counts.setdefault(r.branch, Counter())[entry.status if entry else "pending"] += 1
    names = dict(Branch.objects.values_list("code", "name"))
    progress = [(code, names.get(code, code), c) for code, c in counts.items()]
    first, last = fiscal_year_bounds(year)
    table = transition_progress_table(progress, [
        ("年度", f"{year}年度（{format_date(first)}～{format_date(last)}）"), ("範囲", "全国")])
    fmt = export_format(request)
    if fmt:
        return exported(request, table, fmt, f"移行確認リスト_県支部別_{year}",
                        object_type="members.member", object_id="national",
                        detail={"page": "transition_national", "fiscal_year": year,
                                "scope": "national"})
    table.links = table.export_links(request)
    return render(request, "members/transition_national.html", {
        "title": table.title, "year": year, "table": table,
        "rows": list(zip(table.rows, [code for code, _, _ in progress], strict=True))})
