"""After new data the latest month's dashboards are computed ahead of the first view."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from kyosai.accounts.access import SYSTEM
from kyosai.results import selectors as results
from kyosai.web import views, warm
from kyosai.web.tests.federation import AS_OF

pytestmark = pytest.mark.django_db

CSV = ("month,branch,union,product,measure,value\n"
       "2024-11,14,14001,general,holdings,99999\n")


def refuse_to_compute(monkeypatch) -> None:
    """From here on a cache miss fails: only figures already in the cache can be served."""
    def computing(*args, **kwargs):
        raise AssertionError("computed on a view, not ahead of it")

    for name in ("scorecard", "region_breakdown", "branch_breakdown"):
        monkeypatch.setattr(results, name, computing)


def test_kyosai_import_results_leaves_the_latest_months_figures_in_the_cache(
        federation, login, tmp_path, monkeypatch):
    path = tmp_path / "results.csv"
    path.write_text(CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("import_results", str(path), stdout=out, stderr=io.StringIO())
    assert "ダッシュボードのキャッシュを更新しました（2024年11月）" in out.getvalue()
    expected = views.branch_scorecards("14", AS_OF, access=SYSTEM)
    refuse_to_compute(monkeypatch)
    groups, _products = views.national_scorecards(AS_OF, access=SYSTEM)
    assert groups
    assert views.branch_scorecards("14", AS_OF, access=SYSTEM) == expected
    assert views.regions_total(AS_OF, access=SYSTEM)
    assert views.branches_total(AS_OF, access=SYSTEM)
    for page in ("/scorecard/", "/regions/", "/branches/", "/branches/13/"):
        assert login("hq").get(page).status_code == 200, page


def test_the_warmed_figures_are_the_new_data_not_the_old(federation, tmp_path, monkeypatch):
    before = views.branch_scorecards("14", AS_OF, access=SYSTEM)  # cached before the import
    path = tmp_path / "results.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import_results", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    refuse_to_compute(monkeypatch)
    after = views.branch_scorecards("14", AS_OF, access=SYSTEM)
    assert after != before
    monkeypatch.undo()
    assert after == (results.scorecard(AS_OF, branch="14", by="group", access=SYSTEM),
                     results.scorecard(AS_OF, branch="14", by="product", access=SYSTEM))


def test_a_dry_run_changes_nothing_and_warms_nothing(federation, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text(CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("import_results", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "キャッシュ" not in out.getvalue()


def test_nothing_is_warmed_where_the_cache_is_off(db, settings):
    settings.KYOSAI_WEB_CACHE = False
    assert warm.warm_latest_month() is None
    assert warm.warm_in_background() is None


def test_the_background_warming_runs_in_its_own_thread(federation, monkeypatch):
    ran = []
    monkeypatch.setattr(warm, "warm_latest_month", lambda: ran.append(1))
    monkeypatch.setattr(connection, "close", lambda: None)  # the test's own connection
    thread = warm.warm_in_background()
    assert thread is not None
    thread.join(timeout=10)
    assert ran == [1]
    assert thread.daemon


def test_an_upload_warms_nothing_and_its_pages_revalidate_on_their_next_view(
        federation, login, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks,
        background):
    from kyosai.web import cache as web_cache

    settings.KYOSAI_HOME = settings.MEDIA_ROOT = tmp_path
    started = []
    monkeypatch.setattr(warm, "warm_in_background", lambda: started.append("thread"))
    monkeypatch.setattr(warm, "warm_latest_month", lambda: started.append("warm"))
    client = login("hq")
    assert "99,999" not in client.get("/unions/14001/").content.decode()
    upload = SimpleUploadedFile("results.csv", CSV.encode(), content_type="text/csv")
    client.post("/imports/", {"dataset": "results", "file": upload})
    token = client.session["pending_import"]["token"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/imports/apply/", {"token": token})
    assert started == []
    web_cache.forget_version()
    stale = client.get("/unions/14001/").content.decode()
    assert "時点の集計です。新しいデータの集計を計算しています" in stale
    assert "99,999" not in stale
    assert background.run() == 1
    assert "99,999" in client.get("/unions/14001/").content.decode()


def test_a_warming_is_not_started_while_another_runs(federation, monkeypatch):
    from kyosai.web import cache as web_cache

    monkeypatch.setattr(connection, "close", lambda: None)  # the test's own connection
    running = web_cache.claim(warm.WARMING)  # as another worker's warming holds it
    assert running is not None
    ran = []
    monkeypatch.setattr(warm, "warm_latest_month", lambda: ran.append(1))
    assert warm.warm_in_background() is None
    running.release()
    thread = warm.warm_in_background()
    assert thread is not None
    thread.join(timeout=10)
    assert ran == [1]
    again = web_cache.claim(warm.WARMING)  # released once done
    assert again is not None
    again.release()
