"""In chromium, under the Content-Security-Policy: no page is refused anything, and the report
page's period field (a static script now, not an inline handler) still opens the overview."""

import pytest

from kyosai.accounts.services import create_demo_users
from kyosai.web.tests.federation import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAGES = ["/scorecard/", "/branches/14/", "/plans/", "/events/", "/reports/", "/audit/",
         "/admin/"]


@pytest.fixture
def federation(transactional_db):
    build()
    create_demo_users()


def test_no_page_breaks_the_policy_and_the_overview_field_works(federation, page):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto("/accounts/login/")
    page.fill("#id_username", "hq")
    page.fill("#id_password", "kyosai-demo")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for url in PAGES:
        response = page.goto(url)
        assert response.status == 200, url
        assert "default-src 'none'" in response.headers["content-security-policy"]
    assert violations == []
    page.goto("/reports/")
    page.fill("#id_overview_period", "2024H2")
    page.get_by_role("button", name="概況を編集").click()
    page.wait_for_url("**/reports/overview/2024H2/")
