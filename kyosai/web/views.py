"""The dashboards: thin views over the results selectors, scoped by access_for().

Every view asks `access_for(request.user)` first; a page or export the user may not see is a 404.
Branch-level rows (another branch's figures) are shown only to users who may view that branch.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import wraps
from typing import Any, Concatenate, NamedTuple, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from kyosai.accounts.access import SYSTEM, Access, access_for
from kyosai.catalog.selectors import fiscal_years
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry
from kyosai.core.tables import EXPORT_FORMATS, Table, export_response
from kyosai.domain.formatting import format_datetime, format_year_month
from kyosai.domain.periods import InvalidMonth, YearMonth
from kyosai.domain.ranking import growers_sentence, top_growers
from kyosai.domain.rollup import ScorecardRow
from kyosai.members.navigation import PageLink, branch_links, national_links, union_links
from kyosai.org.models import Branch, Region, Union
from kyosai.results import selectors as results
from kyosai.web import cache as page_cache
from kyosai.web import charts
from kyosai.web.cache import cached
from kyosai.web.presenters import matrix_table, month_label, ranking_table, scorecard_table
from kyosai.web.selectors import available_months, item_measures, item_name, measure_names

__all__ = ["branch_detail", "branch_list", "home", "item_detail", "region_detail", "region_list",
           "scorecard", "union_detail"]

P = ParamSpec("P")
TOTAL = results.TOTAL_CODE
#: The query parameters a dashboard reads; anything else is ignored (and not a cache key).
PAGE_PARAMETERS = ("as_of", "item", "measure", "target_revision")
PAGE_KEY = "kyosai_page_key"  # the request attribute page_cached leaves for the view
#: How long a request for a page nobody has computed yet waits for another request computing it.
FIRST_WAIT_SECONDS = 30.0
#: What a background refresh keeps of the request that started it (the page's links need no more).
REPLAYED_META = ("SERVER_NAME", "SERVER_PORT", "HTTP_HOST", "SCRIPT_NAME", "wsgi.url_scheme")
LINKS_KEY = "kyosai_lifecycle_links"  # the viewer's lifecycle links, left for the view alike
#: The cached value's layout (title, head, body); a new layout never reads an entry of the old.
PAGE_LAYOUT = "v2"
REGION_NOTE = ("ほかの1県支部の数値が分かってしまう地連（県支部が1つだけの地連など）の集計は、"
               "本部のみが閲覧できます。")


# --- request helpers -------------------------------------------------------------------------

@dataclass(slots=True)
class Page:
    """What every dashboard template receives."""

    title: str
    as_of: YearMonth
    months: list[YearMonth]
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[tuple[str, str]] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pace: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def month_options(self) -> list[tuple[str, str]]:
        return [(str(m), month_label(m)) for m in self.months]

    @property
    def has_data(self) -> bool:
        return bool(self.months)


# --- cached figures (also what kyosai.web.warm computes ahead of the first view) --------------

def cached_months() -> list[YearMonth]:
    return cached("months", lambda: available_months(access=SYSTEM))


def viewer_key(access: Access) -> str:
    """The cache-key suffix of what the selectors give `access`: none for HQ (who sees what
    SYSTEM sees, as warmed), else the branch or union that bounds it."""
    if access.is_hq:
        return ""
    return f":v{access.branch_id or ''}-{access.union_id or ''}"


def _aggregate_key(access: Access) -> str:
    """National figures are all or nothing: one entry for everyone who sees aggregates."""
    return "" if access.sees_aggregates else viewer_key(access)


def national_scorecards(as_of: YearMonth, revision: int | None = None, *,
                        access: Access) -> tuple[list[ScorecardRow], list[ScorecardRow]]:
    """全国: by group (Ⅱ) and by product (Ⅲ), against the targets' revision N (default: the
    latest in effect)."""
    suffix, chosen = _revision_key(revision)
    suffix += _aggregate_key(access)
    return (cached(f"sc:nation:group:{as_of}{suffix}",
                   lambda: results.scorecard(as_of, by="group", targets=chosen, access=access)),
            cached(f"sc:nation:product:{as_of}{suffix}",
                   lambda: results.scorecard(as_of, by="product", targets=chosen,
                                             access=access)))


def own_scorecards(as_of: YearMonth, branch: str | None = None, *,
                   access: Access) -> list[ScorecardRow]:
    """The rows (groups, then products) that have an own target (自主目標), nation or a branch."""
    scope = f"branch:{branch}" if branch else "nation"
    suffix = viewer_key(access) if branch else _aggregate_key(access)
    return cached(f"sc:{scope}:own:{as_of}{suffix}", lambda: [
        row for by in ("group", "product")
        for row in results.scorecard(as_of, branch=branch, by=by, targets=results.OWN_TARGETS,
                                     access=access)
        if row.target is not None])


def _revision_key(revision: int | None) -> tuple[str, "results.TargetChoice"]:
    """The cache-key suffix (none for the latest in effect, as warmed) and the target choice."""
    return ("" if revision is None else f":r{revision}"), results.TargetChoice(revision=revision)


def regions_total(as_of: YearMonth, *, access: Access) -> dict[str, list[ScorecardRow]]:
    return cached(f"rb:total:{as_of}{viewer_key(access)}", lambda: {
        m: results.region_breakdown(as_of, TOTAL, m, by="group", access=access)
        for m in results.GROUP_MEASURES})


def branches_total(as_of: YearMonth, *, access: Access) -> dict[str, list[ScorecardRow]]:
    return cached(f"bb:total:{as_of}{viewer_key(access)}", lambda: {
        m: results.branch_breakdown(as_of, TOTAL, m, by="group", access=access)
        for m in results.GROUP_MEASURES})


def branch_scorecards(code: str, as_of: YearMonth, revision: int | None = None, *,
                      access: Access) -> tuple[list[ScorecardRow], list[ScorecardRow]]:
    """A branch by group and by product (targets as in national_scorecards)."""
    suffix, chosen = _revision_key(revision)
    suffix += viewer_key(access)
    return (cached(f"sc:branch:{code}:group:{as_of}{suffix}",
                   lambda: results.scorecard(as_of, branch=code, by="group", targets=chosen,
                                             access=access)),
            cached(f"sc:branch:{code}:product:{as_of}{suffix}",
                   lambda: results.scorecard(as_of, branch=code, by="product",
                                             targets=chosen, access=access)))


def _months(request: HttpRequest) -> tuple[YearMonth, list[YearMonth]]:
    months = cached_months()
    text = request.GET.get("as_of", "").strip()
    if text:
        try:
            return YearMonth.parse(text), months
        except InvalidMonth:
            raise BadRequest("基準月は YYYY-MM 形式で指定してください。") from None
    if months:
        return months[0], months
    today = timezone.localdate()
    return YearMonth.of(today), months


def _choice(request: HttpRequest, name: str, allowed: list[str], default: str) -> str:
    value = request.GET.get(name, "") or default
    if value not in allowed:
        raise Http404(f"{name}={value}")
    return value


def _respond(request: HttpRequest, template: str, page: Page, filename: str) -> HttpResponse:
    """The page, or one of its tables as CSV/xlsx (?export=csv|xlsx&table=KEY)."""
    fmt = request.GET.get("export")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise BadRequest("export は csv か xlsx を指定してください。")
        key = request.GET.get("table") or (page.tables[0].key if page.tables else "")
        table = next((t for t in page.tables if t.key == key), None)
        if table is None:
            raise Http404("table")
        response = export_response(table, fmt, f"{filename}_{table.key}_{page.as_of}",
                                   request.user.get_username())
        record_event(AuditEntry.Action.EXPORT, user=request.user, object_type="web.table",
                     object_id=table.key, object_repr=f"{page.title} {table.title}"[:255],
                     detail={"page": request.path, "table": table.key, "format": fmt,
                             "as_of": str(page.as_of), "scope": dict(table.filters),
                             "rows": len(table.rows)})
        return response
    for table in page.tables:
        table.links = table.export_links(request)
    head = render_to_string("web/_dashboard_head.html", {"page": page})
    body = render_to_string("web/_dashboard_body.html", {"page": page})
    target = getattr(request, PAGE_KEY, None)
    if isinstance(target, PageTarget):
        page_cache.put_page(target.key, page.title, head, body, target.taken)
        if target.body_only:
            return HttpResponse(body)
    return render(request, template, {"title": page.title, "head": head, "body": body,
                                      "lifecycle_links": getattr(request, LINKS_KEY, [])})


class PageTarget(NamedTuple):
    """What `page_cached` leaves on the request for the view's render: where to keep the page,
    the data it is computed from, and whether only the page is wanted (a background refresh)."""

    key: str
    taken: page_cache.Snapshot
    body_only: bool = False


#: The lifecycle links of a dashboard: (the viewer's Access, the URL's arguments) → links.
LinksOf = Callable[..., list[PageLink]]


def page_cached(view: Callable[..., HttpResponse],
                links: LinksOf | None = None) -> Callable[..., HttpResponse]:
    """Serve a dashboard's rendered body from the cache, keyed by URL, query and Access.

    Two users with the same Access (role, branch, union) are authorized alike and see the same
    body, so a body cached for one is served to the other only; exports are never cached. The
    view's own checks still run on every miss; on a hit the key itself proves them.

    `links` (the members pages' lifecycle links, `kyosai.members.navigation`) are asked for on
    every request, hit or miss, and rendered outside the cached head and body: a cached page
    never carries a link chosen for another viewer.

    After new data the last body is served at once, saying when its figures are from and that
    newer ones are being computed, while the view computes the page again in the background
    (kyosai.web.cache: once per page across workers); a page never computed is computed here,
    once: other requests for it wait for that result.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "export" in request.GET:
            return view(request, *args, **kwargs)
        access = access_for(request.user)
        query = "&".join(f"{name}={request.GET.get(name, '')}" for name in PAGE_PARAMETERS)
        key = f"page:{request.path}:{query}:{access!r}:{PAGE_LAYOUT}"
        lifecycle = links(access, *args, **kwargs) if links is not None else []
        entry = page_cache.get_page(key)
        if entry is not None and not entry.is_current():
            page_cache.revalidate(key, lambda: _refresh(view, request, key, args, kwargs))
            return _cached_page(request, entry, lifecycle, stale=True)
        if entry is not None:
            return _cached_page(request, entry, lifecycle, stale=False)
        held = page_cache.claim(key) if page_cache.enabled() else None
        if page_cache.enabled() and held is None:  # another request is computing it
            entry = page_cache.wait_for_page(key, FIRST_WAIT_SECONDS)
            if entry is not None:
                return _cached_page(request, entry, lifecycle, stale=not entry.is_current())
        try:
            setattr(request, PAGE_KEY, PageTarget(key, page_cache.snapshot()))
            setattr(request, LINKS_KEY, lifecycle)
            return view(request, *args, **kwargs)
        finally:
            if held is not None:
                held.release()

    return wrapper


def _cached_page(request: HttpRequest, entry: page_cache.PageEntry, lifecycle: list[PageLink], *,
                 stale: bool) -> HttpResponse:
    """The outer page around a kept head and body; a stale one says when its figures are from."""
    context: dict[str, object] = {"title": entry.title, "head": entry.head, "body": entry.body,
                                  "lifecycle_links": lifecycle}
    if stale:
        context["stale_since"] = format_datetime(timezone.localtime(entry.snapshot.taken_at))
    return render(request, "web/dashboard.html", context)


def _refresh(view: Callable[..., HttpResponse], request: HttpRequest, key: str,
             args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Compute the page `key` again (in the background thread) as `request` asked for it."""
    replay = HttpRequest()
    replay.method = "GET"
    replay.path, replay.path_info = request.path, request.path_info
    replay.GET = request.GET.copy()
    replay.META = {name: request.META[name] for name in REPLAYED_META if name in request.META}
    replay.user = request.user
    setattr(replay, PAGE_KEY, PageTarget(key, page_cache.snapshot(), body_only=True))
    try:
        view(replay, *args, **kwargs)
    except (Http404, PermissionDenied, BadRequest):
        page_cache.drop_page(key)  # no longer shown to this scope: the next request asks the view


class Viewer(NamedTuple):
    """What every dashboard starts from: who asks, the month asked for (?as_of=) and the months
    there are, and the query every link down keeps."""

    access: Access
    as_of: YearMonth
    months: list[YearMonth]
    query: str


DashboardView = Callable[Concatenate[HttpRequest, Viewer, P], HttpResponse]


def dashboard(*, aggregates: bool, links: LinksOf | None = None
              ) -> Callable[[DashboardView[P]], Callable[Concatenate[HttpRequest, P], HttpResponse]]:
    """A dashboard view: logged in, GET only, its body cached per Access (`page_cached`), given
    its `Viewer`; with `aggregates`, only for users who see the national and regional figures
    (anybody else gets a 404); with `links`, the lifecycle links the viewer may follow."""

    def decorate(view: DashboardView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            access = access_for(request.user)
            if aggregates:
                _require_aggregates(access)
            as_of, months = _months(request)
            return view(request, Viewer(access, as_of, months, f"?as_of={as_of}"), *args,
                        **kwargs)

        return login_required(require_GET(page_cached(wrapper, links)))

    return decorate


def _url(name: str, *args: str) -> str:
    """The path of the dashboard named `name` in kyosai/web/urls.py."""
    return reverse(f"web:{name}", args=args)


def _pace_text(rows: list[ScorecardRow], as_of: YearMonth) -> str:
    """到達目安 as the report states it, with the 掛金 month when it lags."""
    paces: dict[YearMonth, Decimal] = {}
    for row in rows:
        paces.setdefault(row.as_of, row.pace_pct)
    parts = [f"{month_label(m)}実績の到達目安 {pace}%" for m, pace in sorted(paces.items(),
                                                                              reverse=True)]
    lagging = sorted({row.as_of for row in rows if row.as_of != as_of})
    note = f"（掛金は{'・'.join(month_label(m) for m in lagging)}実績）" if lagging else ""
    return "、".join(parts) + note + "。ストック（件数・口数・保有契約・付帯率）は100%が基準です。"


def _as_of_filter(as_of: YearMonth) -> tuple[str, str]:
    return ("基準月", f"{month_label(as_of)}（掛金は{month_label(as_of.shift(-1))}）")


def _viewer_filter(access: Access, request: HttpRequest) -> tuple[str, str]:
    if access.is_hq:
        return ("閲覧範囲", "本部（全県支部・全単組）")
    if access.union_id is not None:
        return ("閲覧範囲", "自単組のみ")
    return ("閲覧範囲", "全国・地連の集計と自県支部の内訳のみ")


def _branch_visible(access: Access) -> Callable[[ScorecardRow], bool]:
    pks = cached("branch-pks", lambda: dict(Branch.objects.values_list("code", "pk")))
    return lambda row: row.code in pks and access.can_view_branch(pks[row.code])


def _region_branches() -> dict[str, list[int]]:
    """Each region's code → the ids of its branches (the region rule asks for them)."""
    def load() -> dict[str, list[int]]:
        out: dict[str, list[int]] = {code: [] for code in Region.objects.values_list("code", flat=True)}
        for code, pk in Branch.objects.filter(region__isnull=False).values_list("region__code", "pk"):
            out[code].append(pk)
        return out
    return cached("region-branches", load)


def _region_visible(access: Access) -> Callable[[ScorecardRow], bool]:
    """Access.can_view_region for a region row: no region figure narrows to one other branch."""
    regions = _region_branches()
    return lambda row: row.code in regions and access.can_view_region(regions[row.code])


def _region_link(access: Access, query: str) -> Callable[[ScorecardRow], str]:
    visible = _region_visible(access)
    return lambda row: _url("region", row.code) + query if visible(row) else ""


def _own_branch_code(access: Access) -> str:
    if access.branch_id is None:
        return ""
    return Branch.objects.filter(pk=access.branch_id).values_list("code", flat=True).first() or ""


def _branch_link(access: Access, query: str) -> Callable[[ScorecardRow], str]:
    visible = _branch_visible(access)
    return lambda row: _url("branch", row.code) + query if visible(row) else ""


def _require_aggregates(access: Access) -> None:
    if not access.sees_aggregates:
        raise Http404("aggregates")


def _trend_chart(series: results.MonthlySeries) -> str:
    labels = [f"{m.month}月" for m in series.months]
    lines = [charts.Series("実績", series.actual, colour="#0b4f8a"),
             charts.Series("前年同期", series.previous, colour="#8c959f", dash="6 4"),
             charts.Series("到達目安", series.pace, colour="#c2410c", dash="2 3", points=False)]
    stock = series.pace and series.target is not None and series.pace[0] == series.pace[-1]
    title = f"{series.label} {series.measure_name}の推移（{series.fiscal_year}年度、{series.unit}）"
    return charts.line_chart(labels, lines, title=title, unit=series.unit,
                             include_zero=not stock)


def _fiscal_year(as_of: YearMonth) -> int:
    return fiscal_years().containing(as_of)[0]


def _target_revision(request: HttpRequest,
                     as_of: YearMonth) -> tuple[int | None, list[tuple[str, str]]]:
    """?target_revision=N (blank: the latest in effect) and the choices of the fiscal year."""
    from kyosai.results.revisions import revisions

    choices = [("", "最新（適用中）")]
    for number, month in revisions(_fiscal_year(as_of), "official"):
        since = f"（{format_year_month(month)}〜）" if month else ""
        choices.append((str(number), f"第{number}次{since}"))
    raw = request.GET.get("target_revision", "")
    if not raw:
        return None, choices if len(choices) > 2 else []
    if not raw.isdigit() or raw not in {value for value, _ in choices}:
        raise Http404("revision")
    return int(raw), choices


# --- pages -----------------------------------------------------------------------------------

@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the first page their role opens."""
    access = access_for(request.user)
    if access.union_id is not None:
        union = Union.objects.get(pk=access.union_id)
        return redirect("web:union", code=union.code)
    if access.sees_aggregates:
        return redirect("web:scorecard")
    raise Http404("no place")


def _branch_links(access: Access, code: str) -> list[PageLink]:
    branch = Branch.objects.filter(code=code).first()
    if branch is None or not access.can_view_branch(branch.pk):
        return []
    return branch_links(access, branch)


def _union_links(access: Access, code: str) -> list[PageLink]:
    union = Union.objects.filter(code=code).first()
    if union is None or not access.can_view_union(union.pk, union.branch_id):
        return []
    return union_links(access, union)


@dashboard(aggregates=True, links=national_links)
def scorecard(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """全国: section Ⅱ's national table, section Ⅲ's product table, the regions."""
    access, as_of, months, q = viewer
    revision, revision_choices = _target_revision(request, as_of)
    groups, products = national_scorecards(as_of, revision, access=access)
    filters = [_as_of_filter(as_of), ("範囲", "全国"), _viewer_filter(access, request)]
    if revision is not None:
        filters.insert(1, ("目標", f"第{revision}次"))
    page = Page(title=f"全国の目標到達状況（{month_label(as_of)}）", as_of=as_of, months=months,
                breadcrumbs=[("全国", "")], pace=_pace_text(groups, as_of))
    page.extra = {"revision_choices": revision_choices, "target_revision": str(revision or "")}
    if not access.is_hq:
        page.notes.append(REGION_NOTE)
    page.tables.append(scorecard_table(
        groups, key="national", title="Ⅱ 各事業の目標到達率・前年同期比（全国）", filters=filters,
        link=lambda r: _url("group", r.code) + q))
    page.tables.append(scorecard_table(
        products, key="products", title="Ⅲ 各共済制度の目標到達状況（全国）", filters=filters,
        link=lambda r: _url("product", r.code) + q))
    own = own_scorecards(as_of, access=access)
    if own:
        page.tables.append(scorecard_table(
            own, key="own", title="自主目標（本部）に対する到達状況（全国）", filters=filters))
    regions = regions_total(as_of, access=access)
    page.tables.append(matrix_table(
        regions, key="regions", title="地連別 全種目合計", owner="地連", filters=filters,
        link=_region_link(access, q), visible=_region_visible(access)))
    return _respond(request, "web/dashboard.html", page, "全国")


@dashboard(aggregates=True)
def item_detail(request: HttpRequest, viewer: Viewer, code: str, by: str) -> HttpResponse:
    """A product (or group) page: trend vs pace and last year, regions, branches ranked."""
    access, as_of, months, q = viewer
    name = item_name(code, by, access=access)
    if name is None:
        raise Http404("item")
    measures = item_measures(code, by, access=access)
    if not measures:
        raise Http404("no measures")
    measure = _choice(request, "measure", measures, measures[0])
    filters = [_as_of_filter(as_of), ("範囲", "全国"), ("制度", name),
               _viewer_filter(access, request)]
    page = Page(title=f"{name}（{month_label(as_of)}）", as_of=as_of, months=months,
                breadcrumbs=[("全国", _url("scorecard") + q), (name, "")])
    page.extra = {"measure_choices": [(m, _measure_name(m)) for m in measures],
                  "measure": measure, "item_url": _url(by, code)}
    series = cached(f"ms:{by}:{code}:{measure}:{_fiscal_year(as_of)}{_aggregate_key(access)}",
                    lambda: results.monthly_series(code, measure, _fiscal_year(as_of), by=by,
                                                   access=access))
    page.charts.append(("推移", _trend_chart(series)))
    by_branch = cached(f"bb:{by}:{code}:{as_of}{viewer_key(access)}", lambda: {
        m: results.branch_breakdown(as_of, code, m, by=by, access=access) for m in measures})
    rows = by_branch[measure]
    ranks = cached(f"br:{by}:{code}:{measure}:{as_of}{viewer_key(access)}",
                   lambda: results.branch_ranks(as_of, code, measure, by=by, access=access))
    page.pace = _pace_text(rows, as_of) if rows else ""
    visible = _branch_visible(access)
    link = _branch_link(access, q)
    current = _own_branch_code(access)
    measure_filters = [*filters, ("指標", _measure_name(measure))]
    growers = top_growers(rows, lambda r: r.change, limit=5)
    if access.is_hq:
        page.sentences.append(growers_sentence([(r.label, r.change) for r in growers if r.change is not None],
                                               rows[0].unit if rows else ""))
    else:
        page.notes.append("他県支部の内訳は本部のみが閲覧できます。表には自県支部の行だけを表示しています"
                          "（順位は全県支部の中での順位です）。")
        page.notes.append(REGION_NOTE)
    regions = cached(f"rb:{by}:{code}:{as_of}{viewer_key(access)}", lambda: {
        m: results.region_breakdown(as_of, code, m, by=by, access=access) for m in measures})
    page.tables += [
        matrix_table(by_branch, key="branches", title=f"県支部別 {name}（評価で色分け）", owner="県支部",
                     filters=filters, link=link, visible=visible, current=current),
        ranking_table(rows, by="change", key="rank-change",
                      title=f"県支部別 {_measure_name(measure)}の増減順位", owner="県支部",
                      filters=measure_filters, link=link, visible=visible, current=current,
                      ranks=ranks.change),
        ranking_table(rows, by="achievement", key="rank-achievement",
                      title=f"県支部別 {_measure_name(measure)}の到達率順位", owner="県支部",
                      filters=measure_filters, link=link, visible=visible, current=current,
                      ranks=ranks.achievement),
        matrix_table(regions, key="regions", title=f"地連別 {name}", owner="地連", filters=filters,
                     link=_region_link(access, q), visible=_region_visible(access)),
    ]
    return _respond(request, "web/dashboard.html", page, name)


def _measure_name(code: str) -> str:
    names = cached("measure-names", lambda: measure_names(access=SYSTEM))
    return names.get(code, code)


@dashboard(aggregates=True)
def region_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    access, as_of, months, q = viewer
    filters = [_as_of_filter(as_of), ("範囲", "全国・地連別"), _viewer_filter(access, request)]
    page = Page(title=f"地連別の目標到達状況（{month_label(as_of)}）", as_of=as_of, months=months,
                breadcrumbs=[("全国", _url("scorecard") + q), ("地連", "")])
    if not access.is_hq:
        page.notes.append(REGION_NOTE)
    regions = regions_total(as_of, access=access)
    page.tables.append(matrix_table(regions, key="regions", title="地連別 全種目合計", owner="地連",
                                    filters=filters, link=_region_link(access, q),
                                    visible=_region_visible(access)))
    first = next(iter(regions.values()), [])
    page.pace = _pace_text(first, as_of) if first else ""
    return _respond(request, "web/dashboard.html", page, "地連")


@dashboard(aggregates=True)
def region_detail(request: HttpRequest, viewer: Viewer, code: str) -> HttpResponse:
    access, as_of, months, q = viewer
    region = Region.objects.filter(code=code).first()
    if region is None or not access.can_view_region(_region_branches().get(code, [])):
        raise Http404("region")
    filters = [_as_of_filter(as_of), ("範囲", region.name), _viewer_filter(access, request)]
    suffix = viewer_key(access)
    groups = cached(f"sc:region:{code}:group:{as_of}{suffix}",
                    lambda: results.scorecard(as_of, region=code, by="group", access=access))
    products = cached(f"sc:region:{code}:product:{as_of}{suffix}",
                      lambda: results.scorecard(as_of, region=code, by="product", access=access))
    page = Page(title=f"{region.name}の目標到達状況（{month_label(as_of)}）", as_of=as_of,
                months=months, pace=_pace_text(groups, as_of),
                breadcrumbs=[("全国", _url("scorecard") + q), ("地連", _url("regions") + q),
                             (region.name, "")])
    branches = cached(f"bb:region:{code}:{as_of}{suffix}", lambda: {
        m: results.branch_breakdown(as_of, TOTAL, m, by="group", region=code, access=access)
        for m in results.GROUP_MEASURES})
    if not access.is_hq:
        page.notes.append("他県支部の内訳は本部のみが閲覧できます。")
    page.tables += [
        scorecard_table(groups, key="groups", title=f"{region.name} 各事業の目標到達状況",
                        filters=filters),
        matrix_table(branches, key="branches", title=f"{region.name}の県支部別 全種目合計",
                     owner="県支部", filters=filters, link=_branch_link(access, q),
                     visible=_branch_visible(access), current=_own_branch_code(access)),
        scorecard_table(products, key="products", title=f"{region.name} 各共済制度の目標到達状況",
                        filters=filters),
    ]
    return _respond(request, "web/dashboard.html", page, region.name)


@dashboard(aggregates=False)
def branch_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    access, as_of, months, q = viewer
    if not access.is_hq:
        code = _own_branch_code(access)
        if code and access.union_id is None:
            return redirect("web:branch", code=code)
        raise Http404("branches")
    filters = [_as_of_filter(as_of), ("範囲", "全県支部"), _viewer_filter(access, request)]
    branches = branches_total(as_of, access=access)
    page = Page(title=f"県支部別の目標到達状況（{month_label(as_of)}）", as_of=as_of, months=months,
                breadcrumbs=[("全国", _url("scorecard") + q), ("県支部", "")])
    first = next(iter(branches.values()), [])
    page.pace = _pace_text(first, as_of) if first else ""
    page.tables.append(matrix_table(branches, key="branches", title="県支部別 全種目合計",
                                    owner="県支部", filters=filters, link=_branch_link(access, q)))
    return _respond(request, "web/dashboard.html", page, "県支部")


@dashboard(aggregates=False, links=_branch_links)
def branch_detail(request: HttpRequest, viewer: Viewer, code: str) -> HttpResponse:
    """A branch: every product, its unions ranked for one item and measure, the trend."""
    access, as_of, months, q = viewer
    branch = Branch.objects.select_related("region").filter(code=code).first()
    if branch is None or not access.can_view_branch(branch.pk):
        raise Http404("branch")
    item, by, measure, items = _item_choice(request)
    filters = [_as_of_filter(as_of), ("範囲", f"{branch.name}県支部" if not branch.is_hq else "本部"),
               _viewer_filter(access, request)]
    revision, revision_choices = _target_revision(request, as_of)
    groups, products = branch_scorecards(code, as_of, revision, access=access)
    own = own_scorecards(as_of, code, access=access)
    if revision is not None:
        filters.insert(1, ("目標", f"第{revision}次"))
    crumbs = [("全国", _url("scorecard") + q)] if access.sees_aggregates else []
    if branch.region and access.can_view_region(_region_branches().get(branch.region.code, [])):
        crumbs.append((branch.region.name, _url("region", branch.region.code) + q))
    crumbs.append((branch.name, ""))
    page = Page(title=f"{branch.name}の目標到達状況（{month_label(as_of)}）", as_of=as_of,
                months=months, breadcrumbs=crumbs, pace=_pace_text(groups, as_of))
    suffix = viewer_key(access)
    unions = cached(f"ub:{code}:{by}:{item}:{measure}:{as_of}{suffix}",
                    lambda: results.union_breakdown(as_of, code, _code_of(item), measure, by=by,
                                                    access=access))
    series = cached(f"ms:{by}:{item}:{measure}:{_fiscal_year(as_of)}:branch:{code}{suffix}",
                    lambda: results.monthly_series(_code_of(item), measure, _fiscal_year(as_of),
                                                   by=by, branch=code, access=access))
    page.charts.append(("推移", _trend_chart(series)))
    item_label = dict(items)[item]
    union_filters = [*filters, ("制度", item_label), ("指標", _measure_name(measure))]
    page.extra = {"item_choices": items, "item": item, "measure": measure,
                  "measure_choices": [(m, _measure_name(m)) for m in _measures_for(item, by)],
                  "revision_choices": revision_choices, "target_revision": str(revision or "")}
    page.tables += [
        scorecard_table(groups, key="groups", title=f"{branch.name} 各事業の目標到達状況",
                        filters=filters, link=lambda r: f"?as_of={as_of}&item=g:{r.code}"),
        ranking_table(unions, by="achievement", key="unions",
                      title=f"単組別 {item_label} {_measure_name(measure)}（到達率順）", owner="単組",
                      filters=union_filters, link=lambda r: _url("union", r.code) + q),
        ranking_table(unions, by="change", key="unions-change",
                      title=f"単組別 {item_label} {_measure_name(measure)}（増減順）", owner="単組",
                      filters=union_filters, link=lambda r: _url("union", r.code) + q),
        scorecard_table(products, key="products", title=f"{branch.name} 各共済制度の目標到達状況",
                        filters=filters, link=lambda r: f"?as_of={as_of}&item=p:{r.code}"),
    ]
    if own:
        page.tables.append(scorecard_table(
            own, key="own", title=f"{branch.name} 自主目標に対する到達状況", filters=filters))
    return _respond(request, "web/dashboard.html", page, branch.name)


def _code_of(item: str) -> str:
    return item.split(":", 1)[1]


def _measures_for(item: str, by: str) -> list[str]:
    return cached(f"measures:{item}", lambda: item_measures(_code_of(item), by, access=SYSTEM))


def _item_choice(request: HttpRequest) -> tuple[str, str, str, list[tuple[str, str]]]:
    """?item=g:CODE (group) or p:CODE (product), and ?measure=, defaulting to 合計・件数."""
    items = cached("items", _items)
    item = _choice(request, "item", [code for code, _ in items], f"g:{TOTAL}")
    by = "group" if item.startswith("g:") else "product"
    measures = _measures_for(item, by)
    measure = request.GET.get("measure") or measures[0]
    if measure not in measures:
        measure = measures[0]
    return item, by, measure, items


def _items() -> list[tuple[str, str]]:
    from kyosai.catalog.models import Product, ProductGroup

    out = [(f"g:{TOTAL}", "合計")]
    out += [(f"g:{g.code}", g.name) for g in ProductGroup.objects.all()]
    out += [(f"p:{p.code}", p.label) for p in Product.objects.order_by("display_order", "code")
            if item_measures(p.code, "product", access=SYSTEM)]
    return out


@dashboard(aggregates=False, links=_union_links)
def union_detail(request: HttpRequest, viewer: Viewer, code: str) -> HttpResponse:
    access, as_of, months, q = viewer
    union = Union.objects.select_related("branch", "branch__region").filter(code=code).first()
    if union is None or not access.can_view_union(union.pk, union.branch_id):
        raise Http404("union")
    item, by, measure, items = _item_choice(request)
    filters = [_as_of_filter(as_of), ("範囲", f"{union.name}（{union.branch.name}）"),
               _viewer_filter(access, request)]
    suffix = viewer_key(access)
    products = cached(f"sc:union:{code}:product:{as_of}{suffix}",
                      lambda: results.scorecard(as_of, union=code, by="product", access=access))
    groups = cached(f"sc:union:{code}:group:{as_of}{suffix}",
                    lambda: results.scorecard(as_of, union=code, by="group", access=access))
    crumbs = []
    if access.sees_aggregates:
        crumbs.append(("全国", _url("scorecard") + q))
    if access.can_view_branch(union.branch_id):
        crumbs.append((union.branch.name, _url("branch", union.branch.code) + q))
    crumbs.append((union.name, ""))
    page = Page(title=f"{union.name}の目標到達状況（{month_label(as_of)}）", as_of=as_of,
                months=months, breadcrumbs=crumbs, pace=_pace_text(groups, as_of))
    series = cached(f"ms:{by}:{item}:{measure}:{_fiscal_year(as_of)}:union:{code}{suffix}",
                    lambda: results.monthly_series(_code_of(item), measure, _fiscal_year(as_of),
                                                   by=by, union=code, access=access))
    page.charts.append(("推移", _trend_chart(series)))
    page.extra = {"item_choices": items, "item": item, "measure": measure,
                  "measure_choices": [(m, _measure_name(m)) for m in _measures_for(item, by)]}
    page.tables += [
        scorecard_table(groups, key="groups", title=f"{union.name} 各事業の目標到達状況",
                        filters=filters, link=lambda r: f"?as_of={as_of}&item=g:{r.code}"),
        scorecard_table(products, key="products", title=f"{union.name} 各共済制度の目標到達状況",
                        filters=filters, link=lambda r: f"?as_of={as_of}&item=p:{r.code}"),
    ]
    return _respond(request, "web/dashboard.html", page, union.name)
