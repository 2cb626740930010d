"""After new data a dashboard is served at once from its last computation, said to be so, while one
computation of it (per page, across threads and processes) replaces it (issue 11, item 13)."""

import io
import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test import Client
from django.utils import timezone

from kyosai.accounts.services import create_demo_users
from kyosai.domain.formatting import format_datetime, format_number
from kyosai.results import selectors as results
from kyosai.web import cache as web_cache
from kyosai.web.cache import clear as clear_cache
from kyosai.web.tests.federation import build

pytestmark = pytest.mark.django_db

NEW_VALUE = 99999
CSV = f"month,branch,union,product,measure,value\n2024-11,14,14001,general,holdings,{NEW_VALUE}\n"
STALE = "時点の集計です。新しいデータの集計を計算しています"


def import_results(tmp_path) -> None:
    path = tmp_path / "results.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import_results", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    web_cache.forget_version()


def refuse_to_compute(monkeypatch) -> list[str]:
    """From here on computing a page's figures is recorded and fails the request."""
    asked: list[str] = []

    def computing(*args, **kwargs):
        asked.append("computed")
        raise AssertionError("computed in the request")

    for name in ("scorecard", "region_breakdown", "branch_breakdown", "union_breakdown",
                 "monthly_series"):
        if hasattr(results, name):
            monkeypatch.setattr(results, name, computing)
    return asked


def test_after_an_upload_the_last_page_is_served_without_computing_and_says_when_from(
        federation, login, tmp_path, monkeypatch, background):
    client = login("hq")
    first_view = timezone.now() - timedelta(minutes=1)
    with time_machine.travel(first_view, tick=False):
        before = client.get("/unions/14001/").content.decode()
    assert format_number(NEW_VALUE) not in before
    assert STALE not in before
    import_results(tmp_path)
    asked = refuse_to_compute(monkeypatch)
    response = client.get("/unions/14001/")
    page = response.content.decode()
    assert response.status_code == 200
    assert asked == []  # nothing computed inside the request
    assert f"{format_datetime(timezone.localtime(first_view))} {STALE}" in page
    assert format_number(NEW_VALUE) not in page  # the previous figures, marked as such
    assert len(background.tasks) == 1


def test_the_recomputed_page_replaces_the_stale_one(federation, login, tmp_path, background):
    client = login("hq")
    client.get("/unions/14001/")
    import_results(tmp_path)
    assert STALE in client.get("/unions/14001/").content.decode()
    assert background.run() == 1
    page = client.get("/unions/14001/").content.decode()
    assert format_number(NEW_VALUE) in page
    assert STALE not in page
    assert background.tasks == []  # current again: nothing more to compute


def test_many_requests_for_a_stale_page_start_one_computation(federation, login, tmp_path,
                                                              background):
    login("hq").get("/scorecard/")
    login("hq-staff").get("/scorecard/")  # another role: a page of its own
    import_results(tmp_path)
    for _ in range(5):
        assert STALE in login("hq").get("/scorecard/").content.decode()
    assert len(background.tasks) == 1  # the claim is held until that one has run
    assert STALE in login("hq-staff").get("/scorecard/").content.decode()
    assert len(background.tasks) == 2
    assert background.run() == 2
    assert STALE not in login("hq").get("/scorecard/").content.decode()
    assert STALE not in login("hq-staff").get("/scorecard/").content.decode()
    assert background.tasks == []


def test_a_page_becomes_stale_after_the_fresh_seconds_even_without_new_data(
        federation, login, settings, background):
    settings.KYOSAI_WEB_CACHE_SECONDS = 300
    client = login("hq")
    first = timezone.now()
    with time_machine.travel(first, tick=False):
        client.get("/branches/")
    with time_machine.travel(first + timedelta(seconds=299), tick=False):
        assert STALE not in client.get("/branches/").content.decode()
    assert background.tasks == []
    with time_machine.travel(first + timedelta(seconds=300), tick=False):
        page = client.get("/branches/").content.decode()
    assert f"{format_datetime(timezone.localtime(first))} {STALE}" in page
    assert len(background.tasks) == 1


def test_stale_pages_stay_within_their_access_scope(federation, login, tmp_path, background):
    hq = login("hq").get("/products/general/").content.decode()
    own = login("branch-14").get("/products/general/").content.decode()
    assert "/branches/13/" in hq
    assert "/branches/13/" not in own
    import_results(tmp_path)
    stale_own = login("branch-14").get("/products/general/").content.decode()
    assert STALE in stale_own
    assert "/branches/13/" not in stale_own  # branch 14's own page, not HQ's
    assert "/branches/14/" in stale_own
    # A scope that has no page of its own yet gets one computed for it, never another's.
    other = login("branch-13").get("/products/general/").content.decode()
    assert STALE not in other
    assert "/branches/14/" not in other
    assert "/branches/13/" in other
    # Another branch's page stays refused, stale entries of other scopes notwithstanding.
    login("hq").get("/branches/14/")
    login("branch-14").get("/branches/14/")
    import_results(tmp_path)
    assert login("branch-01").get("/branches/14/").status_code == 404
    assert login("hq").get("/branches/14/").status_code == 200


def test_a_refresh_the_view_now_refuses_drops_the_kept_page(federation, login, tmp_path,
                                                           background, monkeypatch):
    client = login("hq")
    client.get("/unions/14001/")
    import_results(tmp_path)
    assert STALE in client.get("/unions/14001/").content.decode()

    def refused(*args, **kwargs):
        raise Http404("union")

    monkeypatch.setattr(results, "scorecard", refused)  # as the view would for a gone union
    background.run()
    assert client.get("/unions/14001/").status_code == 404  # the view's answer, not the kept page


def test_the_claim_on_a_page_is_exclusive_across_threads_until_released(settings, tmp_path):
    settings.KYOSAI_LOCK_DIR = tmp_path
    held = web_cache.claim("page:/scorecard/")
    assert held is not None
    others: list[object] = []
    thread = threading.Thread(target=lambda: others.append(web_cache.claim("page:/scorecard/")))
    thread.start()
    thread.join()
    assert others == [None]
    assert web_cache.claim("page:/regions/") is not None  # another page: its own claim
    held.release()
    again = web_cache.claim("page:/scorecard/")
    assert again is not None
    again.release()


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_requests_compute_the_page_once(settings, monkeypatch, tmp_path):
    """Six users of one scope open a page nobody has computed: one computes, five wait for it."""
    settings.KYOSAI_WEB_CACHE = True
    settings.KYOSAI_LOCK_DIR = tmp_path
    # Sessions in cookies: the threads share one SQLite database, which locks a table per write.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    clear_cache()
    build()
    create_demo_users()
    web_cache.forget_version()
    stored: list[str] = []
    original = web_cache.put_page
    started = threading.Barrier(6)

    def recording_put(key, title, head, body, taken):
        stored.append(key)
        original(key, title, head, body, taken)

    monkeypatch.setattr(web_cache, "put_page", recording_put)
    user = get_user_model().objects.get(username="hq")
    pages: list[tuple[int, str]] = []
    clients = []
    for _ in range(6):
        client = Client()
        client.force_login(user)
        clients.append(client)

    def open_page(client: Client) -> None:
        try:
            started.wait(timeout=30)
            response = client.get("/scorecard/")
            pages.append((response.status_code, response.content.decode()))
        finally:
            connection.close()  # the thread's own connection

    threads = [threading.Thread(target=open_page, args=(client,)) for client in clients]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        clear_cache()
    assert [key for key in stored if key.startswith("page:/scorecard/")] == [stored[0]]
    assert len(pages) == 6
    assert {status for status, _ in pages} == {200}
    assert all(STALE not in body and "全国" in body for _, body in pages)
