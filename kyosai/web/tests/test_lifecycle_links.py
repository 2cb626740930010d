"""The lifecycle links (車検案内, 新規採用者, 移行, プレ印字申込書) on the cached dashboards: each shown to
exactly the viewers whose request for it would answer 200, on a miss and on a hit alike, and never
part of the cached fragment (a page cached for HQ never hands its links to another role)."""

import pytest

from kyosai.members.tests.links import USERS, shown_links
from kyosai.web import cache as web_cache

pytestmark = pytest.mark.django_db

#: Every lifecycle page a dashboard may link to (the dashboard first).
PAGES = {
    "/scorecard/": ["/members/inspections/", "/members/transition/"],
    "/branches/14/": ["/branches/14/inspections/", "/branches/14/transition/",
                      "/branches/14/newhires/", "/forms/preprinted/"],
    "/unions/14001/": ["/unions/14001/inspections/", "/unions/14001/newhires/",
                       "/unions/14001/transition/", "/forms/preprinted/"],
}

@pytest.mark.parametrize("username", USERS)
def test_a_link_is_shown_exactly_when_its_page_opens_on_a_miss_and_a_hit(federation, login,
                                                                           username):
    client = login(username)
    for page, targets in PAGES.items():
        shown = shown_links(client, page)  # a miss: the view renders and fills the cache
        assert shown_links(client, page) == shown  # a hit: the same links
        if shown is None:
            continue
        assert shown <= set(targets), (username, page, shown)
        for target in targets:
            status = client.get(target).status_code
            assert status == (200 if target in shown else 404), (username, page, target, status)


def test_who_sees_which_links_after_hq_filled_the_cache(federation, login):
    for page in PAGES:
        assert login("hq").get(page).status_code == 200
    assert shown_links(login("hq"), "/scorecard/") == {"/members/inspections/",
                                                      "/members/transition/"}
    assert shown_links(login("hq-staff"), "/scorecard/") == {"/members/inspections/",
                                                            "/members/transition/"}
    assert shown_links(login("branch-14"), "/scorecard/") == set()
    # the branch's lists: HQ admins and its own staff; its new-hire counts: whoever sees it
    assert shown_links(login("hq"), "/branches/14/") == {
        "/branches/14/inspections/", "/branches/14/transition/", "/branches/14/newhires/"}
    assert shown_links(login("hq-staff"), "/branches/14/") == {"/branches/14/newhires/"}
    assert shown_links(login("viewer"), "/branches/14/") == {"/branches/14/newhires/"}
    assert shown_links(login("branch-14"), "/branches/14/") == {
        "/branches/14/inspections/", "/branches/14/transition/", "/branches/14/newhires/",
        "/forms/preprinted/"}
    assert shown_links(login("branch-13"), "/branches/14/") is None
    # a union's people: HQ admins, the branch's staff, its own officers; no one else
    assert shown_links(login("hq-staff"), "/unions/14001/") == set()
    assert shown_links(login("viewer"), "/unions/14001/") == set()
    assert shown_links(login("union-14001"), "/unions/14001/") == {
        "/unions/14001/inspections/", "/unions/14001/newhires/", "/unions/14001/transition/",
        "/forms/preprinted/"}
    assert shown_links(login("hq"), "/unions/14001/") == {
        "/unions/14001/inspections/", "/unions/14001/newhires/", "/unions/14001/transition/"}


def test_the_cached_fragment_holds_no_lifecycle_link(federation, login, monkeypatch):
    stored: list[tuple[str, tuple[str, str, str]]] = []
    original = web_cache.put_page

    def recording_put(key: str, title: str, head: str, body: str,
                      taken: web_cache.Snapshot) -> None:
        stored.append((key, (title, head, body)))
        original(key, title, head, body, taken)

    monkeypatch.setattr(web_cache, "put_page", recording_put)
    for page in PAGES:
        assert "lifecycle-links" in login("hq").get(page).content.decode()
    pages = [value for key, value in stored if key.startswith("page:")]
    assert len(pages) == len(PAGES)
    for value in pages:
        assert not [part for part in value if "lifecycle-links" in part
                    or "/inspections/" in part or "/transition/" in part]
