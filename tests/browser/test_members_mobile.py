"""A union officer on a phone (390 px wide): the 未加入者 list fits without horizontal scrolling,
the tap targets are usable, and a mark is recorded and shown."""

import pytest

from kyosai.accounts.services import create_demo_users
from kyosai.members.services import import_contracts, import_members
from kyosai.members.tests.conftest import (
    CONTRACTS,
    CONTRACTS_HEADER,
    MEMBERS,
    MEMBERS_HEADER,
    csv_bytes,
)
from kyosai.web.tests.federation import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def roster_db(transactional_db):
    build()
    create_demo_users()
    long_name = "14001,30,長い名前の試験太郎左衛門右衛門之助,チョウメイシケンタロウザエモンウエモンノスケ,1999-01-01,男,2021-04-01,,appointee,,1,"
    assert import_members("m.csv", csv_bytes(MEMBERS_HEADER, [*MEMBERS, long_name])).applied
    assert import_contracts("c.csv", csv_bytes(CONTRACTS_HEADER, CONTRACTS)).applied


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="ja-JP", base_url=live_server.url,
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "kyosai-demo")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_an_officer_marks_a_non_member_on_a_phone(roster_db, phone, shot):
    log_in(phone, "union-14001")
    phone.goto("/unions/14001/members/?product=general&as_of=2024-11-30")
    cards = phone.locator("[data-members] .member-card")
    assert cards.count() == 3  # members 2, 10 and 30
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)
    for selector in (".mark-form button", ".mark-form select", ".member-filters button"):
        box = phone.locator(selector).first.bounding_box()
        assert box["height"] >= 44, selector
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"], selector
    shot(phone, "members-01-phone-list")
    card = phone.locator('.member-card[data-member-no="10"]')
    card.locator("select[name=status]").select_option("applied")
    card.locator("input[name=on]").fill("2024-12-03")
    card.locator("button[type=submit]").click()
    phone.wait_for_load_state()
    marked = phone.locator('.member-card[data-member-no="10"] [data-mark]')
    assert marked.inner_text().startswith("申込済")
    assert "2024年12月3日" in marked.inner_text()
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)
    shot(phone, "members-02-phone-marked")


def test_the_branch_table_on_a_phone_scrolls_inside_its_box_not_the_page(roster_db, phone):
    log_in(phone, "branch-14")
    phone.goto("/branches/14/members/?product=general&as_of=2024-11-30")
    assert phone.locator("table[data-table=penetration] tbody tr").count() == 2
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)
