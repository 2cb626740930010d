"""The permission matrix: every web URL × every role, for the page and both exports.

200 = shown, 404 = refused (never data), 302 = sent elsewhere (login, or a branch's own page).
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern

from kyosai.web import urls as web_urls

pytestmark = pytest.mark.django_db

ROLES = ["hq", "hq-staff", "viewer", "branch-14", "branch-01", "union-14001", None]
HQ = {"hq": 200, "hq-staff": 200, "viewer": 200}
AGGREGATES = {**HQ, "branch-14": 200, "branch-01": 200, "union-14001": 404, None: 302}

MATRIX = {
    "/scorecard/": AGGREGATES,
    "/groups/total/": AGGREGATES,
    "/products/general/": AGGREGATES,
    "/regions/": AGGREGATES,
    "/regions/kantoko/": AGGREGATES,
    "/branches/": {**HQ, "branch-14": 302, "branch-01": 302, "union-14001": 404, None: 302},
    "/branches/14/": {**HQ, "branch-14": 200, "branch-01": 404, "union-14001": 404, None: 302},
    "/branches/01/": {**HQ, "branch-14": 404, "branch-01": 200, "union-14001": 404, None: 302},
    "/unions/14001/": {**HQ, "branch-14": 200, "branch-01": 404, "union-14001": 200, None: 302},
    "/unions/14002/": {**HQ, "branch-14": 200, "branch-01": 404, "union-14001": 404, None: 302},
    "/unions/01001/": {**HQ, "branch-14": 404, "branch-01": 200, "union-14001": 404, None: 302},
    "/": {"hq": 302, "hq-staff": 302, "viewer": 302, "branch-14": 302, "branch-01": 302,
          "union-14001": 302, None: 302},
}
UNKNOWN = ["/regions/nowhere/", "/branches/99/", "/unions/nope/", "/products/nope/",
           "/groups/nope/"]


def _client(client, username):
    client.logout()
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_matrix_names_every_page_of_the_web_app():
    routes = {p.pattern._route for p in web_urls.urlpatterns if isinstance(p, URLPattern)}
    covered = set()
    for url in MATRIX:
        for route in routes:
            prefix = route.split("<")[0]
            if (route == "" and url == "/") or (route and url.strip("/").startswith(
                    prefix.strip("/")) and url.count("/") == route.count("/") + 1):
                covered.add(route)
    assert covered == routes


@pytest.mark.parametrize("url", list(MATRIX))
def test_every_role_gets_exactly_what_the_matrix_says_for_pages_and_exports(
        federation, client, url):
    for role in ROLES:
        expected = MATRIX[url][role]
        c = _client(client, role)
        response = c.get(url)
        assert response.status_code == expected, (url, role, response.status_code)
        if url == "/":
            continue
        # the export path is the same for both formats: xlsx is checked for two roles only
        for fmt in ("csv", "xlsx") if role in ("hq", "union-14001") else ("csv",):
            exported = c.get(url, {"export": fmt})
            assert exported.status_code == expected, (url, role, fmt, exported.status_code)
            if expected == 200:
                assert exported["Content-Disposition"].startswith("attachment")
            else:
                assert b"\xef\xbb\xbf" not in exported.content[:3]  # no CSV body leaked


@pytest.mark.parametrize("url", UNKNOWN)
def test_unknown_codes_are_404_even_for_hq(federation, client, url):
    assert _client(client, "hq").get(url).status_code == 404


def test_a_branch_is_sent_to_its_own_page_and_a_union_officer_to_their_union(federation, client):
    assert _client(client, "branch-14").get("/branches/")["Location"] == "/branches/14/"
    assert _client(client, "union-14001").get("/")["Location"] == "/unions/14001/"


def test_anonymous_users_are_sent_to_the_login_page(federation, client):
    response = client.get("/branches/14/", {"export": "csv"})
    assert response["Location"].startswith("/accounts/login/?next=")


def _export(client, url, table):
    return client.get(url, {"export": "csv", "table": table}).content.decode("utf-8-sig")


def test_branch_staff_see_only_their_own_branch_row_in_branch_tables_and_exports(
        federation, client):
    c = _client(client, "branch-14")
    for url, table in [("/products/general/", "branches"), ("/products/general/", "rank-change"),
                       ("/regions/kantoko/", "branches")]:
        text = _export(c, url, table)
        assert "東京" in text, (url, table)
        assert "埼玉" not in text, (url, table)
        assert "北海道" not in text, (url, table)
        page = c.get(url).content.decode()
        assert "/branches/13/" not in page
        assert "/branches/01/" not in page
    hq = _client(client, "hq")
    text = _export(hq, "/products/general/", "branches")
    assert "埼玉" in text
    assert "北海道" in text


def test_the_export_states_the_viewers_scope(federation, client):
    text = _export(_client(client, "branch-14"), "/scorecard/", "national")
    assert "閲覧範囲,全国・地連の集計と自県支部の内訳のみ" in text
    text = _export(_client(client, "hq"), "/scorecard/", "national")
    assert "閲覧範囲,本部（全県支部・全単組）" in text


def test_a_union_officer_never_sees_another_unions_name(federation, client):
    c = _client(client, "union-14001")
    page = c.get("/unions/14001/").content.decode()
    assert "東京第一単組" in page
    assert "東京第二単組" not in page
    assert "/branches/14/" not in page
    assert "/scorecard/" not in page
