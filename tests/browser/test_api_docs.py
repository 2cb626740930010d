"""/api/docs/ in chromium under our Content-Security-Policy: Swagger UI renders the operations
from the project's own static files, with no CSP violation and nothing fetched elsewhere."""

from urllib.parse import urlsplit

import pytest

from kyosai.accounts.services import create_demo_users
from kyosai.web.tests.federation import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def federation(transactional_db):
    build()
    create_demo_users()


def test_swagger_ui_lists_the_operations_under_the_policy(federation, page, live_server):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc)
            if request.url.startswith("http") else None)
    page.goto("/accounts/login/")
    page.fill("#id_username", "hq")
    page.fill("#id_password", "kyosai-demo")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    response = page.goto("/api/docs/")
    assert response.status == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    operations = page.locator(".opblock")
    operations.first.wait_for(state="visible")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/scorecard/" in [path.replace("\u200b", "") for path in paths]
    assert "/api/v1/imports/results/" in [path.replace("\u200b", "") for path in paths]
    assert page.locator(".opblock-post").count() >= 2  # the two import endpoints
    assert [m for m in messages if "Content Security Policy" in m or "pageerror" in m] == []
    assert hosts == {urlsplit(live_server.url).netloc}  # no CDN: our own server only
