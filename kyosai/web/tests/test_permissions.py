"""The dashboards' row-level rules: which rows of a page and its exports each role sees.

The matrix of every route × role (pages and exports) is tests/permissions/matrix.py.
"""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

UNKNOWN = ["/regions/nowhere/", "/branches/99/", "/unions/nope/", "/products/nope/",
           "/groups/nope/"]


def _client(client, username):
    client.logout()
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    return client


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


# --- the region rule: no region figure narrows to one other branch ---------------------------

def test_a_region_is_shown_outside_hq_only_when_it_cannot_reveal_one_other_branch():
    from kyosai.accounts.access import Access
    from kyosai.accounts.models import Role

    own = Access(role=Role.BRANCH_STAFF, branch_id=1)
    assert own.can_view_region([1])  # a region of their own branch alone: their own figures
    assert not own.can_view_region([2])  # one other branch alone (北海道地連 seen from 東京)
    assert not own.can_view_region([1, 2])  # region − own = the other branch
    assert own.can_view_region([1, 2, 3])  # two others: only their sum
    assert own.can_view_region([2, 3])
    assert own.can_view_region([])  # an empty region has no figures to reveal
    hq = Access(role=Role.HQ_STAFF)
    assert hq.can_view_region([2])
    assert Access(role=Role.VIEWER).can_view_region([2])  # an HQ viewer reads everything
    union = Access(role=Role.UNION_OFFICER, branch_id=1, union_id=5)
    assert not union.can_view_region([1, 2, 3])  # no aggregates at all
    assert not Access(role=None).can_view_region([1, 2, 3])


def _region_rows(text: str) -> set[str]:
    return {line.split(",")[0] for line in text.splitlines() if "地連" in line.split(",")[0]}


@pytest.mark.parametrize("url", ["/scorecard/", "/regions/", "/products/general/",
                                 "/groups/total/"])
def test_other_branches_staff_never_see_the_figures_of_a_single_branch_region(
        federation, client, url):
    text = _export(_client(client, "branch-14"), url, "regions")
    assert "関東甲地連" in _region_rows(text)
    assert "北海道地連" not in _region_rows(text)
    page = _client(client, "branch-14").get(url).content.decode()
    assert "/regions/hokkaido/" not in page
    assert "北海道地連" not in page
    assert "本部のみが閲覧できます" in page  # the page says why
    assert "北海道地連" in _region_rows(_export(_client(client, "branch-01"), url, "regions"))
    assert "北海道地連" in _region_rows(_export(_client(client, "hq"), url, "regions"))
    assert "北海道地連" in _region_rows(_export(_client(client, "viewer"), url, "regions"))


def test_the_region_page_of_a_single_branch_region_is_hq_and_that_branch_only(
        federation, client):
    assert _client(client, "branch-14").get("/regions/hokkaido/").status_code == 404
    assert _client(client, "branch-14").get(
        "/regions/hokkaido/", {"export": "csv", "table": "groups"}).status_code == 404
    assert _client(client, "branch-01").get("/regions/hokkaido/").status_code == 200
    assert _client(client, "hq").get("/regions/hokkaido/").status_code == 200
    # 北海道's own page links its region; 東京's links 関東甲地連 (eight branches)
    assert "/regions/hokkaido/" in _client(client, "branch-01").get("/branches/01/").content.decode()
    assert "/regions/kantoko/" in _client(client, "branch-14").get("/branches/14/").content.decode()
