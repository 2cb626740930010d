"""Links to the lifecycle pages (車検案内, 新規採用者, 移行, プレ印字申込書) on the members pages: each
shown to exactly the viewers who may open it (its GET answers 200), absent for the others (404)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kyosai.accounts.services import create_demo_users
from kyosai.members.tests.links import USERS, shown_links
from kyosai.members.tests.test_lifecycle_commands import lifecycle_roster  # noqa: F401

pytestmark = pytest.mark.django_db

#: Every lifecycle page reachable from each members page (the page first).
PAGES = {
    "/members/": ["/members/inspections/", "/members/transition/"],
    "/branches/14/members/": ["/branches/14/inspections/", "/branches/14/transition/",
                              "/branches/14/newhires/", "/forms/preprinted/"],
    "/unions/14001/members/": ["/unions/14001/inspections/", "/unions/14001/newhires/",
                               "/unions/14001/transition/", "/forms/preprinted/"],
}

@pytest.fixture
def users(lifecycle_roster):  # noqa: F811
    create_demo_users()


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.parametrize("username", USERS)
def test_a_link_is_shown_exactly_when_its_page_opens(users, username):
    client = client_for(username)
    for page, targets in PAGES.items():
        shown = shown_links(client, page)
        if shown is None:
            continue
        assert shown <= set(targets), (username, page, shown)
        for target in targets:
            status = client.get(target).status_code
            assert status == (200 if target in shown else 404), (username, page, target, status)


def test_who_sees_which_links(users):
    assert shown_links(client_for("hq"), "/members/") == {"/members/inspections/",
                                                         "/members/transition/"}
    # HQ admin: the branch's lists and counts but makes no forms; its own staff also print forms
    assert shown_links(client_for("hq"), "/branches/14/members/") == {
        "/branches/14/inspections/", "/branches/14/transition/", "/branches/14/newhires/"}
    assert shown_links(client_for("branch-14"), "/branches/14/members/") == {
        "/branches/14/inspections/", "/branches/14/transition/", "/branches/14/newhires/",
        "/forms/preprinted/"}
    # the read-only viewer: counts without names only
    assert shown_links(client_for("viewer"), "/branches/14/members/") == {"/branches/14/newhires/"}
    assert shown_links(client_for("union-14001"), "/unions/14001/members/") == {
        "/unions/14001/inspections/", "/unions/14001/newhires/", "/unions/14001/transition/",
        "/forms/preprinted/"}
    # another branch's staff do not open 東京's pages at all; the viewer sees no names
    assert shown_links(client_for("branch-13"), "/branches/14/members/") is None
    assert not shown_links(client_for("viewer"), "/unions/14001/members/")
