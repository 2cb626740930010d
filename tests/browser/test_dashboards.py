"""End to end in chromium: log in, drill down to a union, export, and be refused."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kyosai.accounts.services import create_demo_users
from kyosai.web.tests.federation import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def federation(transactional_db):
    build()
    create_demo_users()


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "kyosai-demo")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_hq_drills_down_from_the_nation_to_a_union(federation, page, shot):
    log_in(page, "hq")
    assert page.url.endswith("/scorecard/")
    national = page.locator("table[data-table=national]")
    assert national.locator("tbody tr").count() == 30
    assert page.locator(".pace").inner_text().startswith("到達目安")
    assert page.locator("table[data-table=national] .mark").first.inner_text()[0] in "○△×"
    shot(page, "01-hq-scorecard")
    page.locator("table[data-table=regions]").get_by_role("link", name="関東甲地連").click()
    page.wait_for_url("**/regions/kantoko/**")
    shot(page, "02-hq-region")
    page.locator("table[data-table=branches]").get_by_role("link", name="東京").click()
    page.wait_for_url("**/branches/14/**")
    assert page.locator("svg[role=img]").count() == 1
    shot(page, "03-hq-branch")
    page.locator("table[data-table=unions]").get_by_role("link", name="東京第二単組").click()
    page.wait_for_url("**/unions/14002/**")
    assert page.locator("h1").inner_text().startswith("東京第二単組")
    breadcrumbs = page.locator(".breadcrumbs").inner_text()
    assert "全国" in breadcrumbs
    assert "東京" in breadcrumbs
    shot(page, "04-hq-union")


def test_hq_exports_the_national_table_as_csv_with_its_filters(federation, page):
    log_in(page, "hq")
    page.goto("/scorecard/?as_of=2024-11")
    with page.expect_download() as info:
        page.locator("#table-national a[data-export=csv]").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["表", "Ⅱ 各事業の目標到達率・前年同期比（全国）"]
    assert rows[1][0] == "基準月"
    assert rows[1][1].startswith("2024年11月")
    header = rows.index(["制度", "指標", "単位", "目標", "実績", "到達率", "前年同期", "増減",
                         "前年同期比", "評価"])
    assert len(rows) - header - 1 == 30


def test_a_branch_sees_its_own_unions_but_is_refused_another_branch(federation, page, shot):
    log_in(page, "branch-14")
    page.goto("/branches/")
    assert page.url.endswith("/branches/14/")
    page.locator("table[data-table=unions]").get_by_role("link", name="東京第一単組").click()
    page.wait_for_url("**/unions/14001/**")
    shot(page, "05-branch-own-union")
    response = page.goto("/branches/01/")
    assert response.status == 404
    assert "北海道" not in page.content()
    shot(page, "06-branch-refused")
    response = page.goto("/branches/01/?export=csv")
    assert response.status == 404


def test_the_login_page_refuses_a_wrong_password(federation, page, shot):
    page.goto("/accounts/login/")
    page.fill("#id_username", "hq")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    expect(page.locator(".form-errors")).to_be_visible()
    shot(page, "00-login-refused")
