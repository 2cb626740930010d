"""The pages show what the results selectors compute, laid out like the report."""

import csv
import io
import re

import pytest

from kyosai.accounts.access import SYSTEM
from kyosai.domain.formatting import format_number, format_pct
from kyosai.results import selectors
from kyosai.web.tests.federation import AS_OF

pytestmark = pytest.mark.django_db


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def body_rows(rows, first_header):
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_header)
    return rows[start], rows[start + 1:]


def test_the_national_table_shows_the_selectors_figures_with_marks_as_symbol_and_text(
        federation, login):
    client = login("hq")
    expected = selectors.scorecard(AS_OF, by="group", access=SYSTEM)
    page = client.get("/scorecard/", {"as_of": str(AS_OF)}).content.decode()
    table = page[page.index('data-table="national"'):page.index("</table>",
                                                                page.index('data-table="national"'))]
    assert table.count("<tr") == 1 + len(expected) == 31
    general = next(r for r in expected if r.code == "general" and r.measure == "holdings")
    assert format_number(general.actual) in table
    assert format_pct(general.achievement_pct) in table
    assert general.mark is not None
    assert f"{general.mark.value} {general.mark.label}" in table
    assert "mark-" in table
    assert "到達目安" in page
    assert "掛金は2024年10月実績" in page


def test_the_national_export_carries_the_same_numbers_unformatted(federation, login):
    client = login("hq")
    expected = selectors.scorecard(AS_OF, by="group", access=SYSTEM)
    rows = csv_rows(client.get("/scorecard/", {"as_of": str(AS_OF), "export": "csv"}))
    assert ["範囲", "全国"] in rows
    header, body = body_rows(rows, "制度")
    assert len(body) == len(expected)
    for got, want in zip(body, expected, strict=True):
        assert got[0] == want.label
        assert got[1] == want.measure_name
        assert got[header.index("実績")] == ("" if want.actual is None else str(want.actual))
        assert got[header.index("評価")] == (want.mark.value if want.mark else "")


def test_the_month_selector_changes_the_month_and_offers_the_months_with_data(federation, login):
    client = login("hq")
    page = client.get("/scorecard/", {"as_of": "2024-09"}).content.decode()
    assert "全国の目標到達状況（2024年9月）" in page
    assert '<option value="2024-09" selected>' in page
    assert '<option value="2024-11"' in page
    latest = client.get("/scorecard/").content.decode()
    assert "（2024年11月）" in latest


def test_the_product_page_names_the_branches_that_grew_most(federation, login):
    client = login("hq")
    rows = selectors.branch_breakdown(AS_OF, "general", "holdings", access=SYSTEM)
    grew = sorted((r for r in rows if r.change and r.change > 0), key=lambda r: -(r.change or 0))
    page = client.get("/products/general/", {"as_of": str(AS_OF)}).content.decode()
    found = re.search(r"前年同期から最も増加した.*?です。", page)
    assert found is not None
    sentence = found.group(0)
    assert f"{len(grew[:5])}県支部" in sentence
    for row in grew[:5]:
        assert f"{row.label}（+{format_number(row.change)}件）" in sentence
    assert "<svg" in page
    assert 'aria-label="総合（慶弔）共済 件数の推移' in page


def test_branch_rankings_are_ordered_and_state_product_and_measure(federation, login):
    client = login("hq")
    rows = csv_rows(client.get("/products/general/", {
        "as_of": str(AS_OF), "measure": "new_contracts", "export": "csv", "table": "rank-change"}))
    assert ["制度", "総合（慶弔）共済"] in rows
    assert ["指標", "新契約"] in rows
    header, body = body_rows(rows, "順位")
    changes = [int(r[header.index("増減")]) for r in body]
    assert changes == sorted(changes, reverse=True)
    assert body[0][0] == "1"


def test_the_branch_page_ranks_only_its_own_unions_and_links_to_them(federation, login):
    client = login("branch-14")
    page = client.get("/branches/14/", {"as_of": str(AS_OF)}).content.decode()
    assert 'href="/unions/14001/' in page
    assert 'href="/unions/14002/' in page
    assert "/unions/01001/" not in page
    assert "/unions/13001/" not in page
    rows = csv_rows(client.get("/branches/14/", {"export": "csv", "table": "unions",
                                                 "item": "p:general", "measure": "holdings"}))
    _, body = body_rows(rows, "順位")
    assert sorted(r[1] for r in body) == ["東京第一単組", "東京第二単組"]
    expected = selectors.union_breakdown(AS_OF, "14", "general", "holdings", access=SYSTEM)
    best = max(expected, key=lambda r: r.achievement_pct or 0)  # every union has a target here
    assert body[0][1] == best.label


def test_the_union_page_shows_the_unions_own_figures(federation, login):
    client = login("union-14001")
    expected = selectors.scorecard(AS_OF, union="14001", by="product", access=SYSTEM)
    general = next(r for r in expected if r.code == "general" and r.measure == "holdings")
    page = client.get("/unions/14001/", {"as_of": str(AS_OF)}).content.decode()
    assert format_number(general.actual) in page
    assert "東京第一単組の目標到達状況" in page


def test_no_page_loads_anything_from_another_host(federation, login):
    client = login("hq")
    for url in ["/scorecard/", "/products/mycar/", "/branches/14/", "/unions/14001/",
                "/regions/kantoko/", "/accounts/login/"]:
        page = client.get(url).content.decode()
        page = page.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert not re.search(r"(src|href)=\"(https?:)?//", page), url
        assert "<script" not in page, url


def test_the_navigation_shows_the_user_role_and_the_sections(federation, login):
    page = login("branch-14").get("/branches/14/").content.decode()
    assert "branch-14" in page
    assert "県支部職員・東京" in page
    for label in ["全国", "地連", "県支部", "計画", "活動", "行事"]:
        assert f">{label}</a>" in page
    assert ">報告書</a>" not in page  # HQ's pages: no link that only leads to a 404
    assert ">報告書</a>" in login("viewer").get("/scorecard/").content.decode()
    assert "ログアウト" in page
    union = login("union-14001").get("/unions/14001/").content.decode()
    assert ">全国</a>" not in union


def test_fiscal_year_months_of_the_trend_follow_the_calendar(federation, login):
    page = login("hq").get("/groups/total/", {"as_of": "2024-11"}).content.decode()
    svg = page[page.index("<svg"):page.index("</svg>")]
    labels = re.findall(r">(\d+)月<", svg)
    assert labels[:2] == ["6", "7"]
    assert labels[-1] == "5"
    assert len(labels) == 12
