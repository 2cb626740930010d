"""A 500 leaks nothing: not the error, not the data the page was showing, not the settings.

An unexpected error deep in a page that shows personal data (a union's roster) or in the API
must answer the site's fixed 500 page (or DRF's bare error), with none of: the exception's text
(which may quote a member), a traceback, the query, the settings (SECRET_KEY, the database path).
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

#: what the failing code "knew": a member's name and birth date (made up)
PERSONAL = "試験 一郎 1990-11-30"


def _boom(*args, **kwargs):
    raise RuntimeError(f"unexpected: {PERSONAL}")


@pytest.fixture
def raw_client():
    """A client that answers as the server does (the 500 page), instead of re-raising."""
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="hq"))
    return client


def _assert_nothing_leaks(response) -> str:
    assert response.status_code == 500
    body = response.content.decode("utf-8", "replace")
    for secret in (PERSONAL, "試験", "RuntimeError", "Traceback", "unexpected", "kyosai/",
                   settings.SECRET_KEY, str(settings.DATABASES["default"]["NAME"]),
                   "as_of=2024-11"):
        assert secret not in body, secret
    assert "default-src 'none'" in response["Content-Security-Policy"]  # error pages too
    return body


def test_an_error_on_a_roster_page_shows_the_fixed_500_page(world, raw_client, monkeypatch):
    assert not settings.DEBUG
    monkeypatch.setattr("kyosai.members.views.member_page", _boom)  # the page reads one page
    response = raw_client.get("/unions/14001/members/", {"as_of": "2024-11-30"})
    body = _assert_nothing_leaks(response)
    assert "サーバーでエラーが発生しました" in body


def test_an_error_in_the_api_leaks_nothing_either(world, raw_client, monkeypatch):
    monkeypatch.setattr("kyosai.api.views.scorecard_rows", _boom)
    response = raw_client.get("/api/v1/scorecard/", {"as_of": "2024-11"})
    _assert_nothing_leaks(response)


def test_a_404_is_the_sites_page_with_its_headers(world, raw_client):
    response = raw_client.get("/unions/99999/members/", {"q": PERSONAL})
    assert response.status_code == 404
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert PERSONAL not in response.content.decode()
    assert "ページが見つかりません" in response.content.decode()


def test_an_error_in_an_export_sends_no_partial_file(world, raw_client, monkeypatch):
    monkeypatch.setattr("kyosai.core.tables._csv_bytes", _boom)
    response = raw_client.get("/branches/14/", {"export": "csv", "as_of": "2024-11"})
    _assert_nothing_leaks(response)
    assert "attachment" not in response.get("Content-Disposition", "")
