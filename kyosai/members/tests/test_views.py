"""The member pages: the permission matrix (every URL × role, GET and POST), what each role sees,
the audit entries of personal data, and the follow-up marks."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern

from kyosai.core.models import AuditEntry
from kyosai.members import urls as member_urls
from kyosai.members.models import FollowUp, Member
from kyosai.members.tests.conftest import MEMBERS

pytestmark = pytest.mark.django_db

ROLES: list[str | None] = ["hq", "hq-staff", "viewer", "branch-14", "branch-01", "union-14001", None]
#: role (None: anonymous) → expected status
Expected = dict[str | None, int]
HQ: Expected = {"hq": 200, "hq-staff": 200, "viewer": 200}
Q = "?product=general&as_of=2024-11-30"
NAMES = [row.split(",")[2] for row in MEMBERS]

#: url → (GET page, GET export csv, POST)
MATRIX: dict[str, tuple[Expected, Expected, Expected]] = {
    "/members/": ({**HQ, "branch-14": 302, "branch-01": 302, "union-14001": 302, None: 302},
                  {**HQ, "branch-14": 302, "branch-01": 302, "union-14001": 302, None: 302},
                  {**dict.fromkeys(ROLES, 405), None: 302}),
    "/branches/14/members/": (
        {**HQ, "branch-14": 200, "branch-01": 404, "union-14001": 404, None: 302},
        {**HQ, "branch-14": 200, "branch-01": 404, "union-14001": 404, None: 302},
        {**dict.fromkeys(ROLES, 405), None: 302}),
    "/branches/01/members/": (
        {**HQ, "branch-14": 404, "branch-01": 200, "union-14001": 404, None: 302},
        {**HQ, "branch-14": 404, "branch-01": 200, "union-14001": 404, None: 302},
        {**dict.fromkeys(ROLES, 405), None: 302}),
    # HQ staff and viewers get the counts page, never the people (the export is people: 404)
    "/unions/14001/members/": (
        {**HQ, "branch-14": 200, "branch-01": 404, "union-14001": 200, None: 302},
        {"hq": 200, "hq-staff": 404, "viewer": 404, "branch-14": 200, "branch-01": 404,
         "union-14001": 200, None: 302},
        {**dict.fromkeys(ROLES, 405), None: 302}),
    "/unions/14002/members/": (
        {**HQ, "branch-14": 200, "branch-01": 404, "union-14001": 404, None: 302},
        {"hq": 200, "hq-staff": 404, "viewer": 404, "branch-14": 200, "branch-01": 404,
         "union-14001": 404, None: 302},
        {**dict.fromkeys(ROLES, 405), None: 302}),
    "/unions/01001/members/": (
        {**HQ, "branch-14": 404, "branch-01": 200, "union-14001": 404, None: 302},
        {"hq": 200, "hq-staff": 404, "viewer": 404, "branch-14": 404, "branch-01": 200,
         "union-14001": 404, None: 302},
        {**dict.fromkeys(ROLES, 405), None: 302}),
}
#: the mark route takes POST only; only the union's own officer may mark
MARK = ({**dict.fromkeys(ROLES, 405), None: 302},
        {**dict.fromkeys(ROLES, 404), "union-14001": 302, None: 302})


def _client(client, username):
    client.logout()
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _mark_url(union="14001", member_no="2"):
    member = Member.objects.get(union__code=union, member_no=member_no)
    return f"/unions/{union}/members/{member.pk}/mark/"


def test_the_matrix_names_every_member_route():
    routes = {str(p.pattern) for p in member_urls.urlpatterns if isinstance(p, URLPattern)}
    assert routes == {"members/", "branches/<str:code>/members/", "unions/<str:code>/members/",
                      "unions/<str:code>/members/<int:member_id>/mark/",
                      # the lifecycle pages: their rows are in tests/permissions/matrix.py
                      "members/transition/", "branches/<str:code>/transition/",
                      "unions/<str:code>/transition/",
                      "members/inspections/", "branches/<str:code>/inspections/",
                      "unions/<str:code>/inspections/", "branches/<str:code>/newhires/",
                      "unions/<str:code>/newhires/", "forms/preprinted/"}
    covered = {"members/", "branches/<str:code>/members/", "unions/<str:code>/members/"}
    assert all(any(url.startswith("/" + route.split("<")[0]) for url in MATRIX)
               for route in covered)


@pytest.mark.parametrize("url", list(MATRIX))
def test_every_role_gets_what_the_matrix_says(roster, client, url):
    page, export, post = MATRIX[url]
    for role in ROLES:
        c = _client(client, role)
        assert c.get(url + Q).status_code == page[role], (url, role, "GET")
        response = c.get(url + Q + "&export=csv")
        assert response.status_code == export[role], (url, role, "export")
        if export[role] != 200:
            assert b"\xef\xbb\xbf" not in response.content[:3]
        assert c.post(url + Q, {"x": "1"}).status_code == post[role], (url, role, "POST")


def test_every_role_on_the_mark_route(roster, client):
    url = _mark_url()
    get, post = MARK
    for role in ROLES:
        c = _client(client, role)
        assert c.get(url).status_code == get[role], (role, "GET")
        response = c.post(url, {"product": "general", "status": "contacted", "on": "2024-12-01"})
        assert response.status_code == post[role], (role, "POST")
    assert FollowUp.objects.count() == 1  # only the officer's


def test_an_officer_cannot_mark_another_unions_member_through_their_own_url(roster, client):
    other = Member.objects.get(union__code="14002", member_no="1")
    c = _client(client, "union-14001")
    response = c.post(f"/unions/14001/members/{other.pk}/mark/",
                      {"product": "general", "status": "applied"})
    assert response.status_code == 404
    assert not FollowUp.objects.exists()


def test_people_are_shown_only_to_who_may_see_them(roster, client):
    for role in ("hq", "branch-14", "union-14001"):
        page = _client(client, role).get("/unions/14001/members/" + Q).content.decode()
        assert "試験 二子" in page, role
        assert "試験 一郎" not in page  # enrolled: not on the 未加入者 list
    for role in ("hq-staff", "viewer"):
        page = _client(client, role).get("/unions/14001/members/" + Q).content.decode()
        assert not any(name in page for name in NAMES), role
        assert "data-summary" in page  # the counts are there


def test_showing_all_lists_the_enrolled_too(roster, client):
    page = _client(client, "hq").get("/unions/14001/members/" + Q + "&show=all").content.decode()
    assert "試験 一郎" in page
    assert "試験 五郎" not in page  # left on the day


def test_pages_and_exports_of_people_are_audited_without_names(roster, client):
    c = _client(client, "branch-14")
    c.get("/unions/14001/members/" + Q + "&max_age=30&officers=1")
    view = AuditEntry.objects.get(action=AuditEntry.Action.VIEW, object_type="members.member")
    assert view.user is not None
    assert view.detail is not None
    assert view.user.username == "branch-14"
    assert view.object_id == "14001"
    assert view.detail["max_age"] == 30
    assert view.detail["officers_only"] is True
    assert view.detail["rows"] == 0
    response = c.get("/unions/14001/members/" + Q + "&export=csv")
    export = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT, object_type="members.member")
    assert export.detail is not None
    assert export.detail["rows"] == 2
    assert export.detail["format"] == "csv"
    for entry in (view, export):
        assert not any(name in str(entry.detail) + entry.object_repr for name in NAMES)
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert ["共済制度", "総合共済"] in rows
    assert any("試験 二子" in row for row in rows)
    _client(client, "hq-staff").get("/unions/14001/members/" + Q)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count() == 1  # counts: none


def test_a_mark_is_recorded_audited_and_shown(roster, client):
    c = _client(client, "union-14001")
    response = c.post(_mark_url(), {"product": "general", "status": "declined",
                                    "on": "2024-12-02", "next": "/unions/14001/members/" + Q})
    assert response.status_code == 302
    assert response["Location"].startswith("/unions/14001/members/")
    mark = FollowUp.objects.get()
    assert mark.user is not None
    assert (mark.status, str(mark.on), mark.user.username) == ("declined", "2024-12-02",
                                                               "union-14001")
    entry = AuditEntry.objects.get(object_type="members.followup", action="create")
    assert entry.after is not None
    assert entry.after["status"] == "declined"
    assert "試験" not in str(entry.after) + entry.object_repr
    page = c.get("/unions/14001/members/" + Q).content.decode()
    assert 'data-mark="declined"' in page
    assert "辞退（2024年12月2日）" in page
    bad = c.post(_mark_url(), {"product": "general", "status": "nonsense"})
    assert bad.status_code == 400


def test_the_branch_table_counts_and_sorts(roster, client):
    c = _client(client, "branch-14")
    page = c.get("/branches/14/members/" + Q + "&sort=rate").content.decode()
    assert page.index("14002") < page.index("14001")  # 100.0% before 50.0%
    assert "/unions/14001/members/?product=general" in page
    body = c.get("/branches/14/members/" + Q + "&export=csv").content.decode("utf-8-sig")
    assert "50.0%" in body or "50.0" in body
    assert not any(name in body for name in NAMES)
    assert c.get("/branches/14/members/" + Q + "&sort=nope").status_code == 404


def test_the_national_view_adds_up_per_branch(roster, client):
    page = _client(client, "hq").get("/members/" + Q).content.decode()
    assert "/branches/14/members/" in page
    assert "/branches/01/members/" in page
    assert "/branches/13/members/" not in page  # no roster there
