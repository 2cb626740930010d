"""The permission matrix: every route of every app × every role × GET and POST, in one place.

Each row names a route (its URL name), the URL of one of its rows in the test world (world.py),
then the status every role gets, in ROLES order:

    hq  hq-staff  viewer  own(branch-14)  other(branch-01)  union(union-14001)  anonymous

200 shown, 302 sent on (for anonymous: to the login page), 403 refused (a read-only role on a
page it may read), 404 refused or unknown (never data), 405 wrong method. A POST refused in any
way (anything but a 302 that is not the login page) must change nothing: test_permission_matrix
compares every table before and after.

Adding a route: add one Route here (the coverage test fails until you do). `data` is the POST
body (a valid one for a write, so that the roles allowed to write really do).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from tests.permissions.world import World

__all__ = ["MATRIX", "ROLES", "Route"]

ROLES: tuple[str | None, ...] = ("hq", "hq-staff", "viewer", "branch-14", "branch-01",
                                 "union-14001", None)


@dataclass(frozen=True, slots=True)
class Route:
    name: str
    url: Callable[[World], str] | str
    get: str
    post: str
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    #: a public route that records something for anyone (the login form's failure count)
    public: bool = False
    #: a dashboard whose tables export (?export=csv|xlsx): the export answers as the page does
    exports: bool = False

    def path(self, world: World) -> str:
        return self.url if isinstance(self.url, str) else self.url(world)

    def expected(self, method: str) -> dict[str | None, int]:
        codes = [int(code) for code in (self.get if method == "GET" else self.post).split()]
        assert len(codes) == len(ROLES), (self.name, method)
        return dict(zip(ROLES, codes, strict=True))


def _member_mark_url() -> str:
    """The mark route of a member of 14001 (the world has no roster: one is added here)."""
    from kyosai.members.models import Member
    from kyosai.org.models import Union

    member, _ = Member.objects.get_or_create(
        union=Union.objects.get(code="14001"), member_no="1", defaults={"name": "試験 一郎"})
    return f"/unions/14001/members/{member.pk}/mark/"


def _member_id() -> int:
    """A member of 14001 for the transition routes' POST (the world has no roster)."""
    from kyosai.members.models import Member
    from kyosai.org.models import Union

    member, _ = Member.objects.get_or_create(
        union=Union.objects.get(code="14001"), member_no="1", defaults={"name": "試験 一郎"})
    return member.pk


def _with_member(path: str) -> Callable[[World], str]:
    """The route's URL, the member of the POST made first (before the tables are compared)."""
    def url(world: World) -> str:
        _member_id()
        return path
    return url


def _transition_post(world: World) -> dict[str, Any]:
    return {"member": str(_member_id()), "fy": "2024", "status": "informed", "on": "2024-12-01"}


def _mycar_contract() -> int:
    """A マイカー共済 contract of that member, due for 車検 in 2024-12 (for the call-list POST)."""
    from datetime import date

    from kyosai.catalog.models import Product
    from kyosai.members.models import Contract, Member

    contract, _ = Contract.objects.get_or_create(
        contract_no="matrix-mycar", defaults={
            "member": Member.objects.get(pk=_member_id()),
            "product": Product.objects.get(code="mycar"), "started_on": date(2023, 1, 1),
            "vehicle_registered": date(2021, 12, 1)})
    return contract.pk


def _with_contract(path: str) -> Callable[[World], str]:
    def url(world: World) -> str:
        _mycar_contract()
        return path
    return url


def _call_post(world: World) -> dict[str, Any]:
    return {"contract": str(_mycar_contract()), "due": "2024-12", "kind": "called",
            "on": "2024-12-01", "from": "2024-12"}


def _new_hire() -> int:
    """A new hire of 2024 in 14001 (for the cohort page's POST)."""
    from datetime import date

    from kyosai.members.models import Member
    from kyosai.org.models import Union

    member, _ = Member.objects.get_or_create(
        union=Union.objects.get(code="14001"), member_no="2",
        defaults={"name": "試験 二郎", "hired_on": date(2024, 4, 1)})
    return member.pk


def _with_new_hire(path: str) -> Callable[[World], str]:
    def url(world: World) -> str:
        _new_hire()
        return path
    return url


def _new_hire_post(world: World) -> dict[str, Any]:
    return {"member": str(_new_hire()), "year": "2024", "status": "briefed", "on": "2024-05-10"}


def _activity(world: World) -> int:
    """東京's committee entry of the activity log (created once, before the requests)."""
    from kyosai.workbench.models import ActivityEntry

    entry, _ = ActivityEntry.objects.get_or_create(
        branch=world.tokyo, ref="matrix", defaults={"date": "2024-07-01", "fiscal_year": 2024,
                                                    "kind": "committee"})
    return entry.pk


def _r(name: str, *args: Any) -> str:
    return reverse(name, args=args)


#: Results files for the revert routes: one of 東京's rows only (a union row it replaces and a
#: branch row it adds), one of 北海道's, and one with a national rate (HQ's alone to undo).
_IMPORTS = {
    "14": "2024-11,14,14001,general,holdings,7\n2024-11,14,,general,holdings,8\n",
    "01": "2024-11,01,01001,general,holdings,7\n",
    "national": "2024-11,14,14001,general,holdings,9\n2024-11,,,vehicle_damage,付帯率,58.92\n",
}


def _import_revert_url(which: str) -> Callable[[World], str]:
    """/imports/ID/revert/ of the import `which` (made once, before the requests)."""
    def url(world: World) -> str:
        from kyosai.results.models import ImportLog
        from kyosai.results.services import import_file

        name = f"matrix-{which}.csv"
        log = ImportLog.objects.filter(file_name=name).first()
        if log is None:
            outcome = import_file("results", name, (
                "month,branch,union,product,measure,value\n" + _IMPORTS[which]).encode())
            assert outcome.ok, outcome.errors
            assert outcome.log is not None
            log = outcome.log
        return _r("results:revert", log.pk)
    return url


#: An event as the form posts it: the event, one day, one venue, one agenda item.
EVENT = {
    "event-kind": "hq_committee", "event-title": "第2回本部共済推進委員会",
    "event-report_period": "2024H1", "event-minutes": "",
    "dates-TOTAL_FORMS": "1", "dates-INITIAL_FORMS": "0", "dates-0-day": "2024-08-01",
    "dates-0-label": "", "venues-TOTAL_FORMS": "1", "venues-INITIAL_FORMS": "0",
    "venues-0-name": "本部会議室", "venues-0-attendance": "30",
    "agenda-TOTAL_FORMS": "1", "agenda-INITIAL_FORMS": "0", "agenda-0-text": "推進状況について",
}

#: GET-only pages of every logged-in user with aggregates (the dashboards)
_READ = "405 405 405 405 405 405 302"  # POST to a read-only page: 405 (anonymous: to log in)

_API_READ = "405 405 405 405 405 405 401"


def _hq_token(world: World) -> int:
    """An API token of hq's (revoking it is hq's alone)."""
    from django.contrib.auth import get_user_model

    from kyosai.api.models import ApiToken

    user = get_user_model().objects.get(username="hq")
    return ApiToken.objects.get_or_create(user=user, prefix="matrix01",
                                          defaults={"digest": "0" * 64})[0].pk


MATRIX: list[Route] = [
    # --- accounts -------------------------------------------------------------------------------
    Route("accounts:login", "/accounts/login/", get="302 302 302 302 302 302 200",
          post="302 302 302 302 302 302 200", public=True,
          data=lambda w: {"username": "nobody", "password": "wrong"}),
    Route("accounts:logout", "/accounts/logout/", get="405 405 405 405 405 405 405",
          post="302 302 302 302 302 302 302", public=True),
    # --- web: the dashboards ---------------------------------------------------------------------
    Route("web:home", "/", get="302 302 302 302 302 302 302", post=_READ),
    Route("web:scorecard", "/scorecard/", get="200 200 200 200 200 404 302", post=_READ, exports=True),
    Route("web:group", "/groups/total/", get="200 200 200 200 200 404 302", post=_READ, exports=True),
    Route("web:product", "/products/general/", get="200 200 200 200 200 404 302", post=_READ, exports=True),
    Route("web:regions", "/regions/", get="200 200 200 200 200 404 302", post=_READ, exports=True),
    Route("web:region", "/regions/kantoko/", get="200 200 200 200 200 404 302", post=_READ, exports=True),
    # 北海道地連 is 北海道 alone: only HQ and 北海道's own staff (README, the region rule)
    Route("web:region", "/regions/hokkaido/", get="200 200 200 404 200 404 302", post=_READ, exports=True),
    Route("web:branches", "/branches/", get="200 200 200 302 302 404 302", post=_READ, exports=True),
    Route("web:branch", "/branches/14/", get="200 200 200 200 404 404 302", post=_READ, exports=True),
    Route("web:branch", "/branches/01/", get="200 200 200 404 200 404 302", post=_READ,
          exports=True),
    Route("web:union", "/unions/14001/", get="200 200 200 200 404 200 302", post=_READ,
          exports=True),
    Route("web:union", "/unions/14002/", get="200 200 200 200 404 404 302", post=_READ,
          exports=True),
    Route("web:union", "/unions/01001/", get="200 200 200 404 200 404 302", post=_READ,
          exports=True),
    # --- plans ----------------------------------------------------------------------------------
    Route("plans:list", "/plans/", get="200 200 200 200 200 200 302", post=_READ),
    Route("plans:plan", lambda w: _r("plans:plan", w.plan.pk),
          get="200 200 200 200 404 404 302", post=_READ),
    Route("plans:export", lambda w: _r("plans:export", w.plan.pk),
          get="200 200 200 200 404 404 302", post=_READ),
    Route("plans:carry_over", lambda w: _r("plans:carry_over", w.plan.pk),
          get="405 405 405 405 405 405 302", post="302 302 404 302 404 404 302",
          data=lambda w: {"include_done": "on"}),
    Route("plans:summary", "/plans/summary/2024H1/14/", get="200 200 200 200 404 404 302",
          post=_READ, exports=True),
    Route("plans:summary", "/plans/summary/2024H1/branches/", get="200 200 200 404 404 404 302",
          post=_READ, exports=True),
    Route("plans:matrix", "/plans/matrix/2024H1/", get="200 200 200 404 404 404 302",
          post=_READ),
    Route("plans:item", lambda w: _r("plans:item", w.item.pk),
          get="200 200 200 200 404 404 302", post=_READ),
    Route("plans:status_add", lambda w: _r("plans:status_add", w.item.pk),
          get="405 405 405 405 405 405 302", post="302 302 404 302 404 404 302",
          data=lambda w: {"text": "学習会を開催した。", "confirmed_month": "2024-11"}),
    Route("plans:rating", lambda w: _r("plans:rating", w.item.pk),
          get="405 405 405 405 405 405 302", post="302 302 404 302 404 404 302",
          data=lambda w: {"rating": "×"}),
    Route("plans:next_actions", lambda w: _r("plans:next_actions", w.item.pk),
          get="405 405 405 405 405 405 302", post="302 302 404 302 404 404 302",
          data=lambda w: {"text": "学習会を増やします。"}),
    Route("plans:status_edit", lambda w: _r("plans:status_edit", w.status.pk),
          get="200 200 404 200 404 404 302", post="302 302 404 302 404 404 302",
          data=lambda w: {"text": "修正しました。", "confirmed_month": ""}),
    Route("plans:status_delete", lambda w: _r("plans:status_delete", w.status.pk),
          get="405 405 405 405 405 405 302", post="302 302 404 302 404 404 302"),
    # --- activities -----------------------------------------------------------------------------
    Route("activities:index", "/activities/", get="200 200 200 200 200 200 302", post=_READ),
    Route("activities:designations", "/activities/designations/",
          get="200 200 200 200 200 404 302", post=_READ, exports=True),
    Route("activities:table", "/activities/new_hires/", get="200 200 200 200 200 200 302",
          post=_READ, exports=True),
    # branch-01 may create rows, but only for 北海道: a row for 東京 is refused by the form (200)
    Route("activities:create", "/activities/spot_campaigns/new/",
          get="200 200 404 200 200 404 302", post="302 302 404 302 200 404 302",
          data=lambda w: {"effective_month": "2024-06", "prefecture": w.tokyo.pk,
                          "target_count": 3, "new_contracts": 1, "prev_new_contracts": 0}),
    Route("activities:edit", lambda w: f"/activities/new_hires/{w.new_hire.pk}/edit/",
          get="200 200 404 200 404 404 302", post="302 302 404 302 404 404 302",
          data=lambda w: {"effective_months": "10", "coop_joined_cur": 300,
                          "coop_joined_prev": 241, "life_joined_cur": 60,
                          "life_joined_prev": 28}),
    # --- activity log and support ledger (workbench) ------------------------------------------
    Route("workbench:index", "/activity-log/", get="200 200 200 302 302 200 302", post=_READ),
    Route("workbench:branch", "/activity-log/branches/14/", get="200 200 200 200 404 404 302",
          post=_READ),
    # branch-01 and the union officer get the form back: 東京 / a branch-level kind are not theirs
    Route("workbench:create", "/activity-log/new/", get="200 200 404 200 200 200 302",
          post="302 302 404 302 200 200 302",
          data=lambda w: {"branch": w.tokyo.pk, "date": "2024-07-01", "kind": "committee"}),
    Route("workbench:edit", lambda w: f"/activity-log/{_activity(w)}/edit/",
          get="200 200 404 200 404 404 302", post="302 302 404 302 404 404 302",
          data=lambda w: {"branch": w.tokyo.pk, "date": "2024-07-02", "kind": "committee"}),
    Route("workbench:support", "/activity-log/support/", get="200 200 200 404 404 404 302",
          post=_READ),
    Route("workbench:support_create", "/activity-log/support/new/",
          get="200 200 404 404 404 404 302", post="302 302 404 404 404 404 302",
          data=lambda w: {"branch": w.tokyo.pk, "date": "2024-07-01", "kind": "special_fund",
                          "amount": "100000"}),
    # --- events ---------------------------------------------------------------------------------
    Route("events:list", "/events/", get="200 200 200 200 200 200 302", post=_READ),
    Route("events:detail", lambda w: _r("events:detail", w.event.pk),
          get="200 200 200 200 200 200 302", post=_READ),
    Route("events:create", "/events/new/", get="200 200 404 404 404 404 302",
          post="302 302 404 404 404 404 302", data=lambda w: EVENT),
    Route("events:edit", lambda w: _r("events:edit", w.event.pk),
          get="200 200 404 404 404 404 302", post="302 302 404 404 404 404 302",
          data=lambda w: EVENT),
    # --- reports (HQ's; everyone else, anonymous too, gets 404) ---------------------------------
    Route("reports:builds", "/reports/", get="200 200 200 404 404 404 404",
          post="302 302 403 404 404 404 404",
          data=lambda w: {"period": "2024H1", "as_of": "2024-11", "formats": ["html"]}),
    Route("reports:build", lambda w: _r("reports:build", w.build.pk),
          get="200 200 200 404 404 404 404", post="405 405 405 404 404 404 404"),
    Route("reports:build_status", lambda w: _r("reports:build_status", w.build.pk),
          get="200 200 200 404 404 404 404", post="405 405 405 404 404 404 404"),
    Route("reports:download", lambda w: _r("reports:download", w.build.pk, "html"),
          get="200 200 200 404 404 404 404", post="405 405 405 404 404 404 404"),
    Route("reports:overview", "/reports/overview/2024H1/", get="200 200 200 404 404 404 404",
          post="302 302 403 404 404 404 404",
          data=lambda w: {"position": 2, "heading": "新しい項目", "body": "本文。"}),
    Route("reports:overview_edit", lambda w: _r("reports:overview_edit", w.topic.pk),
          get="200 200 403 404 404 404 404", post="302 302 403 404 404 404 404",
          data=lambda w: {"position": 1, "heading": "書き換え", "body": "本文。"}),
    Route("reports:overview_delete", lambda w: _r("reports:overview_delete", w.topic.pk),
          get="405 405 405 404 404 404 404", post="302 302 403 404 404 404 404"),
    # an edition (months, narratives): HQ reads, HQ admin and staff write, the viewer gets 403
    Route("reports:editions", "/reports/editions/", get="200 200 200 404 404 404 404",
          post="302 302 403 404 404 404 404",
          data=lambda w: {"period": "2024H2", "as_of": "2025-05"}),
    Route("reports:edition", "/reports/editions/2024H1/", get="200 200 200 404 404 404 404",
          post="405 405 405 404 404 404 404"),
    Route("reports:edition_months", "/reports/editions/2024H1/months/",
          get="200 200 200 404 404 404 404", post="302 302 403 404 404 404 404",
          data=lambda w: {"as_of": "2024-11", "month_general": "2024-12"}),
    Route("reports:narrative", lambda w: _r("reports:narrative", "2024H1", "Ⅱ.2.premiums"),
          get="200 200 200 404 404 404 404", post="302 302 403 404 404 404 404",
          data=lambda w: {"text": "書き換えた今後の取り組み。"}),
    # --- imports (results) ----------------------------------------------------------------------
    # no file: the importers are sent back to the form with a message (302), nothing is read
    Route("results:upload", "/imports/", get="200 200 404 200 200 404 302",
          post="302 302 404 302 302 404 302", data=lambda w: {"dataset": "results"}),
    Route("results:apply", "/imports/apply/", get="405 405 405 405 405 405 302",
          post="302 302 404 302 302 404 302", data=lambda w: {"token": "nothing-pending"}),
    # undo an import: HQ admin and staff any, branch staff an import of their own branch's rows
    Route("results:revert", _import_revert_url("14"), get="200 200 404 200 404 404 302",
          post="302 302 404 302 404 404 302"),
    Route("results:revert", _import_revert_url("01"), get="200 200 404 404 200 404 302",
          post="302 302 404 404 302 404 302"),
    Route("results:revert", _import_revert_url("national"), get="200 200 404 404 404 404 302",
          post="302 302 404 404 404 404 302"),
    Route("results:target_history", "/imports/targets/", get="200 200 200 404 404 404 302",
          post=_READ),
    Route("results:template", "/imports/templates/results.csv",
          get="200 200 404 200 200 404 302", post=_READ),
    # --- members: rosters, 未加入者 and penetration (kyosai/members; people: Access.can_view_personal_data)
    Route("members:national", "/members/", get="200 200 200 302 302 302 302", post=_READ,
          exports=True),
    Route("members:branch", "/branches/14/members/", get="200 200 200 200 404 404 302",
          post=_READ, exports=True),
    Route("members:branch", "/branches/01/members/", get="200 200 200 404 200 404 302",
          post=_READ, exports=True),
    # HQ staff and viewers get the counts page but never the people: the exports of these pages
    # (404 for them) are in kyosai/members/tests/test_views.py
    Route("members:union", "/unions/14001/members/", get="200 200 200 200 404 200 302",
          post=_READ),
    Route("members:union", "/unions/14002/members/", get="200 200 200 200 404 404 302",
          post=_READ),
    Route("members:union", "/unions/01001/members/", get="200 200 200 404 200 404 302",
          post=_READ),
    Route("members:mark", lambda w: _member_mark_url(), get="405 405 405 405 405 405 302",
          post="404 404 404 404 404 302 302",
          data=lambda w: {"product": "general", "status": "contacted", "on": "2024-12-01"}),
    # --- lifecycle: 64歳以上移行確認リスト (people as can_view_personal_data; statuses set by the
    # union's officers and the branch's staff; HQ sees per-branch counts only). The lists of a
    # union or a branch export (?export=csv|xlsx) exactly as their pages answer.
    Route("members:transition-national", "/members/transition/",
          get="200 200 200 404 404 404 302", post=_READ, exports=True),
    Route("members:transition-branch", _with_member("/branches/14/transition/"),
          get="200 404 404 200 404 404 302", post="404 404 404 302 404 404 302",
          data=_transition_post, exports=True),
    Route("members:transition-union", _with_member("/unions/14001/transition/"),
          get="200 404 404 200 404 200 302", post="404 404 404 302 404 302 302",
          data=_transition_post, exports=True),
    Route("members:transition-union", _with_member("/unions/01001/transition/"),
          get="200 404 404 404 200 404 302", post="404 404 404 404 404 404 302",
          data=_transition_post, exports=True),
    # --- lifecycle: 次回車検日 call list (people as can_view_personal_data; 電話・案内済 marks by
    # the union's officers and the branch's staff; HQ sees counts per branch and month)
    Route("members:inspections-national", "/members/inspections/?from=2024-12",
          get="200 200 200 404 404 404 302", post=_READ, exports=True),
    Route("members:inspections-branch", _with_contract("/branches/14/inspections/?from=2024-12"),
          get="200 404 404 200 404 404 302", post="404 404 404 302 404 404 302",
          data=_call_post, exports=True),
    Route("members:inspections-union", _with_contract("/unions/14001/inspections/?from=2024-12"),
          get="200 404 404 200 404 200 302", post="404 404 404 302 404 302 302",
          data=_call_post, exports=True),
    Route("members:inspections-union", _with_contract("/unions/01001/inspections/?from=2024-12"),
          get="200 404 404 404 200 404 302", post="404 404 404 404 404 404 302",
          data=_call_post, exports=True),
    # --- lifecycle: new-hire cohort (statuses by the union's officers and the branch's staff;
    # the branch page shows counts per union only)
    Route("members:newhires-branch", "/branches/14/newhires/?year=2024",
          get="200 200 200 200 404 404 302", post=_READ, exports=True),
    Route("members:newhires-branch", "/branches/01/newhires/?year=2024",
          get="200 200 200 404 200 404 302", post=_READ, exports=True),
    Route("members:newhires-union", _with_new_hire("/unions/14001/newhires/?year=2024"),
          get="200 404 404 200 404 200 302", post="404 404 404 302 404 302 302",
          data=_new_hire_post, exports=True),
    Route("members:newhires-union", _with_new_hire("/unions/01001/newhires/?year=2024"),
          get="200 404 404 404 200 404 302", post="404 404 404 404 404 404 302",
          data=_new_hire_post, exports=True),
    # --- プレ印字申込書: branch staff and union officers for their own unions (a GET download)
    Route("members:preprinted", "/forms/preprinted/", get="404 404 404 200 200 200 302",
          post=_READ),
    Route("members:preprinted", _with_member(
        "/forms/preprinted/?union=14001&product=group_life&as_of=2024-11-30"),
          get="404 404 404 200 404 200 302", post=_READ),
    # --- the REST API (session here; tokens are scoped alike: kyosai/api/tests) -----------------
    # anonymous: 401 (the API never redirects to the login page); read-only endpoints answer POST 405
    Route("api:schema", "/api/schema/", get="200 200 200 200 200 200 401", post=_API_READ),
    Route("api:docs", "/api/docs/", get="200 200 200 200 200 200 401", post=_API_READ),
    Route("api:scorecard", "/api/v1/scorecard/", get="200 200 200 200 200 404 401",
          post=_API_READ),
    Route("api:branches", "/api/v1/branches/", get="200 200 200 200 200 200 401", post=_API_READ),
    Route("api:unions", "/api/v1/unions/", get="200 200 200 200 200 200 401", post=_API_READ),
    Route("api:products", "/api/v1/products/", get="200 200 200 200 200 200 401", post=_API_READ),
    Route("api:plan-items", "/api/v1/plans/2024H1/items/", get="200 200 200 200 200 200 401",
          post=_API_READ),
    Route("api:imports", "/api/v1/imports/", get="200 200 404 200 200 404 401", post=_API_READ),
    # no file: the importers get 400 with the located problem, nothing is read or written
    Route("api:import-results", "/api/v1/imports/results/", get=_API_READ,
          post="400 400 404 400 400 404 401"),
    Route("api:import-targets", "/api/v1/imports/targets/", get=_API_READ,
          post="400 400 404 400 400 404 401"),
    # personal API tokens: every user their own (read-only viewers too: the API reads)
    Route("api-tokens:list", "/accounts/tokens/", get="200 200 200 200 200 200 302",
          post="302 302 302 302 302 302 302", data=lambda w: {"name": "集計"}),
    Route("api-tokens:revoke", lambda w: _r("api-tokens:revoke", _hq_token(w)),
          get="405 405 405 405 405 405 302", post="302 404 404 404 404 404 302"),
    # --- subscriptions, alerts, notifications (one's own; only pages one can see) --------------
    Route("delivery:subscriptions", "/delivery/subscriptions/",
          get="200 200 200 200 200 200 302", post="302 302 302 302 200 200 302",
          data=lambda w: {"action": "subscribe", "scope": "branch", "code": "14",
                          "format": "link", "trigger": "import"}),
    Route("delivery:notifications", "/delivery/notifications/",
          get="200 200 200 200 200 200 302", post=_READ),
    # --- the audit trail: HQ administrators only; everyone else, anonymous too, gets 404 ----------
    Route("audit:list", "/audit/", get="200 404 404 404 404 404 404",
          post="405 404 404 404 404 404 404"),
    # --- admin: a smoke check (Django's own pages; only HQ admins are staff) --------------------
    Route("admin:index", "/admin/", get="200 302 302 302 302 302 302",
          post="200 302 302 302 302 302 302"),
    # memberships decide what everyone sees: Access.can_edit_users (HQ admins) only
    Route("admin:index", "/admin/accounts/membership/", get="200 302 302 302 302 302 302",
          post="200 302 302 302 302 302 302"),
]
