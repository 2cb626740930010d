"""The page cache never crosses an access scope and sees new data at once."""

import pytest

from kyosai.catalog.models import Measure, Product
from kyosai.org.models import Branch
from kyosai.results.models import BranchResult, ImportLog
from kyosai.web import cache as web_cache

pytestmark = pytest.mark.django_db


def test_a_body_cached_for_hq_is_never_served_to_a_branch(federation, login):
    hq_page = login("hq").get("/products/general/").content.decode()
    assert "/branches/13/" in hq_page
    branch_page = login("branch-14").get("/products/general/").content.decode()
    assert "/branches/13/" not in branch_page
    assert "/branches/14/" in branch_page
    assert login("branch-01").get("/branches/14/").status_code == 404
    assert login("hq").get("/branches/14/").status_code == 200
    assert login("branch-01").get("/branches/14/").status_code == 404


def test_the_logged_in_user_is_always_the_requester_even_on_a_hit(federation, login):
    login("hq").get("/scorecard/")
    page = login("hq-staff").get("/scorecard/").content.decode()
    assert "hq-staff" in page
    assert "本部職員" in page


def test_a_new_import_changes_the_data_version_and_the_page(federation, login, monkeypatch,
                                                            background):
    monkeypatch.setattr(web_cache, "VERSION_SECONDS", 0)
    before_version = web_cache.data_version()
    client = login("hq")
    before = client.get("/branches/", {"as_of": "2024-11"}).content.decode()
    ImportLog.objects.create(dataset="results", file_name="x.csv", sha256="0" * 64)
    BranchResult.objects.create(month="2024-11-01", branch=Branch.objects.get(code="47"),
                                product=Product.objects.get(code="general"),
                                measure=Measure.objects.get(code="holdings"), value=12345)
    assert web_cache.data_version() != before_version
    stale = client.get("/branches/", {"as_of": "2024-11"}).content.decode()
    assert "熊本" not in before
    assert "熊本" not in stale  # the previous figures, said to be so
    assert "時点の集計です。新しいデータの集計を計算しています" in stale
    assert background.run() == 1
    after = client.get("/branches/", {"as_of": "2024-11"}).content.decode()
    assert "熊本" in after
    assert "時点の集計です" not in after


def test_unknown_query_parameters_do_not_make_new_cache_entries(federation, login, monkeypatch):
    stored = []
    original = web_cache.put_page

    def recording_put(key, title, head, body, taken):
        stored.append(key)
        original(key, title, head, body, taken)

    monkeypatch.setattr(web_cache, "put_page", recording_put)
    client = login("hq")
    first = client.get("/scorecard/", {"as_of": "2024-11", "junk": "1"})
    second = client.get("/scorecard/", {"as_of": "2024-11", "junk": "2"})
    assert first.status_code == second.status_code == 200
    assert len([k for k in stored if k.startswith("page:/scorecard/")]) == 1
