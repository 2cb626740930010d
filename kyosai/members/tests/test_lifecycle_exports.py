"""The lifecycle lists' CSV/Excel exports (?export=csv|xlsx): the page's own columns and rows, read
back as a spreadsheet would (csv module, openpyxl); planted formulas stay text; the viewer's scope
only (another branch's or union's list: 404, nothing audited); each export audited without names;
and every page showing people is sent with Cache-Control: no-store."""

import csv
import html
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from kyosai.accounts.services import create_demo_users
from kyosai.core.models import AuditEntry
from kyosai.members.models import Contract, Member
from kyosai.members.tests.test_lifecycle_commands import lifecycle_roster  # noqa: F401

pytestmark = pytest.mark.django_db

PLANTED = '=HYPERLINK("http://x","y")'

#: page → (viewer, rows the fixture's boundaries put on it, identifying by the column named)
PAGES = {
    "/unions/14001/transition/?fy=2024": ("union-14001", "組合員番号", ["1", "3", "4", "6"]),
    "/branches/14/transition/?fy=2024": ("branch-14", "組合員番号", ["1", "3", "4", "6", "4"]),
    "/unions/14001/inspections/?from=2025-04&months=3": (
        "union-14001", "契約番号", ["C101", "C103", "C102"]),
    "/branches/14/inspections/?from=2025-04&months=3": (
        "branch-14", "契約番号", ["C101", "C103", "C102"]),
    "/unions/14002/newhires/?year=2024": ("branch-14", "組合員番号", ["2", "3", "4"]),
    "/branches/14/newhires/?year=2024": ("branch-14", "単組", ["東京第二単組"]),
    # HQ's counts per branch (no names)
    "/members/transition/?fy=2024": ("hq-staff", "県支部", ["東京"]),
    "/members/inspections/?from=2025-04&months=3": ("hq-staff", "県支部", ["東京"] * 3),
}


@pytest.fixture
def users(lifecycle_roster):  # noqa: F811
    create_demo_users()


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def page_table(text: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows' cell texts of the page's data table (the form column left out)."""
    table = re.search(r'<table class="[^"]*" data-table="[^"]+">(.*?)</table>', text, re.S)
    assert table is not None
    header = [html.unescape(h) for h in re.findall(r"<th(?: [^>]*)?>(.*?)</th>", table.group(1))]
    rows = []
    for body in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)[1:]:
        cells = re.findall(r"<td>(.*?)</td>", re.sub(r"<td><form.*?</form></td>", "", body,
                                                      flags=re.S), re.S)
        rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)) for c in cells])
    return [h for h in header if h != "記録"], rows


def as_shown(value: str) -> str:
    """An exported date (2024-06-01…) or month (2025-04) as the page prints it."""
    day = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(.*)", value)
    if day:
        return f"{int(day[1])}年{int(day[2])}月{int(day[3])}日{day[4]}"
    month = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if month:
        return f"{int(month[1]) % 100}年{int(month[2])}月"
    return value


def csv_export(client: Client, page: str) -> tuple[list[str], list[list[str]]]:
    response = client.get(page + "&export=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    start = lines.index([]) + 1  # the preamble (表・範囲・出力) ends with a blank line
    return lines[start], lines[start + 1:]


def xlsx_export(client: Client, page: str) -> list[list[object]]:
    response = client.get(page + "&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("page", PAGES)
def test_the_export_has_the_pages_columns_and_rows(users, page):
    username, key, expected = PAGES[page]
    assert_export_is_the_page(client_for(username), page, key, expected)


def test_recorded_statuses_and_marks_export_as_shown(users):
    officer = client_for("union-14001")
    member = Member.objects.get(union__code="14001", member_no="3")
    assert officer.post("/unions/14001/transition/", {
        "member": member.pk, "fy": "2024", "status": "informed", "on": "2024-12-01",
        "note": "説明済み"}).status_code == 302
    contract = Contract.objects.get(contract_no="C103")
    assert officer.post("/unions/14001/inspections/", {
        "contract": contract.pk, "due": "2025-05", "kind": "informed", "on": "2025-04-30",
        "note": "案内を送付", "from": "2025-04", "months": "3"}).status_code == 302
    header, rows = assert_export_is_the_page(
        officer, "/unions/14001/transition/?fy=2024", "組合員番号", ["1", "3", "4", "6"])
    assert (rows[1][header.index("状況")], rows[1][header.index("メモ")]) == (
        "案内済（2024年12月1日）", "説明済み")
    header, rows = assert_export_is_the_page(
        client_for("branch-14"), "/branches/14/inspections/?from=2025-04&months=3", "契約番号",
        ["C101", "C103", "C102"])
    assert (rows[1][header.index("案内済")], rows[1][header.index("案内済のメモ")]) == (
        "2025-04-30（union-14001）", "案内を送付")
    assert rows[0][header.index("案内済")] == ""


def assert_export_is_the_page(client: Client, page: str, key: str,
                              expected: list[str]) -> tuple[list[str], list[list[str]]]:
    shown_header, shown_rows = page_table(client.get(page).content.decode())
    header, rows = csv_export(client, page)
    assert header == shown_header
    assert [row[header.index(key)] for row in rows] == expected
    assert [row[shown_header.index(key)] for row in shown_rows] == expected
    # every cell exports what the page shows: dates as 2024-06-01, numbers without commas
    assert [[as_shown(value) for value in row] for row in rows] == [
        [text.replace(",", "") for text in row] for row in shown_rows]
    book = xlsx_export(client, page)
    start = book.index(list(header)) if list(header) in book else None
    assert start is not None
    assert len(book) - start - 1 == len(expected)
    return header, rows


def test_dates_and_ages_export_as_values(users):
    client = client_for("union-14001")
    header, rows = csv_export(client, "/unions/14001/transition/?fy=2024")
    third = dict(zip(header, rows[1], strict=True))  # 3: re-employment ends on F
    assert (third["再任用終了"], third["状況"]) == ("2024-06-01", "未案内")
    book = xlsx_export(client, "/unions/14001/transition/?fy=2024")
    first = next(row for row in book if row[1] == "1")  # 14001-1: 64 on the year's last day
    assert first[header.index("年度末年齢")] == 64
    header, rows = csv_export(client, "/unions/14001/inspections/?from=2025-04&months=3")
    assert [row[header.index("車検月")] for row in rows] == ["2025-04", "2025-05", "2025-06"]
    assert rows[0][header.index("前回車検日")] == "2023-04-10"


@pytest.mark.parametrize("page", [p for p in PAGES if "/unions/" in p
                                  or p.startswith(("/branches/14/transition/",
                                                   "/branches/14/inspections/"))])
def test_a_planted_formula_name_comes_out_as_text(users, page):
    member = "1" if "14001" in page or "/branches/" in page else "2"
    union = "14002" if "14002" in page else "14001"
    Member.objects.filter(union__code=union, member_no=member).update(name=PLANTED)
    username = PAGES[page][0]
    client = client_for(username)
    header, rows = csv_export(client, page)
    names = [row[header.index("氏名")] for row in rows]
    assert "'" + PLANTED in names
    assert PLANTED not in names
    response = client.get(page + "&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert PLANTED in [cell.value for cell in cells]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert {cell.data_type for cell in cells if cell.value == PLANTED} == {"s"}


@pytest.mark.parametrize(("username", "page"), [
    ("branch-13", "/branches/14/transition/?fy=2024"),
    ("branch-13", "/branches/14/inspections/?from=2025-04"),
    ("branch-13", "/branches/14/newhires/?year=2024"),
    ("branch-13", "/unions/14001/transition/?fy=2024"),
    ("branch-13", "/unions/14001/inspections/?from=2025-04"),
    ("branch-13", "/unions/14002/newhires/?year=2024"),
    ("union-14001", "/unions/14002/newhires/?year=2024"),
    ("union-14001", "/branches/14/transition/?fy=2024"),
    ("union-14001", "/branches/14/newhires/?year=2024"),
    ("hq-staff", "/unions/14001/transition/?fy=2024"),  # counts only: no people
    ("viewer", "/branches/14/inspections/?from=2025-04"),
    ("branch-14", "/members/transition/?fy=2024"),
    ("union-14001", "/members/inspections/?from=2025-04"),
])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_is_refused_where_the_page_is(users, username, page, fmt):
    client = client_for(username)
    assert client.get(page).status_code == 404
    response = client.get(f"{page}&export={fmt}")
    assert response.status_code == 404
    assert "Content-Disposition" not in response
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_each_export_is_audited_with_page_scope_and_rows_never_a_name(users):
    client = client_for("branch-14")
    for page, (_, _, expected) in PAGES.items():
        for fmt in ("csv", "xlsx"):
            client_for(PAGES[page][0]).get(f"{page}&export={fmt}")
            entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
            assert entry.detail is not None
            assert entry.detail["format"] == fmt
            assert entry.detail["rows"] == len(expected)
            assert entry.detail["page"] in ("transition", "inspections", "newhires",
                                            "newhires_branch", "transition_national",
                                            "inspections_national")
            assert (entry.detail.get("union") or entry.detail.get("branch")
                    or entry.detail.get("scope") == "national")
            assert entry.object_id in ("14001", "14002", "14", "national")
            assert "試験" not in str(entry.detail) + entry.object_repr
            assert "シケン" not in str(entry.detail)
    assert client.get("/branches/14/transition/?fy=2024&export=pdf").status_code == 400


@pytest.mark.parametrize(("username", "page"), [
    ("union-14001", "/unions/14001/members/"),
    ("union-14001", "/unions/14001/members/?export=csv"),
    ("union-14001", "/unions/14001/transition/?fy=2024"),
    ("branch-14", "/branches/14/transition/?fy=2024"),
    ("union-14001", "/unions/14001/inspections/?from=2025-04"),
    ("branch-14", "/branches/14/inspections/?from=2025-04"),
    ("union-14001", "/unions/14001/newhires/?year=2024"),
    ("union-14001", "/unions/14001/newhires/?year=2024&export=xlsx"),
    ("union-14001", "/forms/preprinted/"),
    ("union-14001", "/forms/preprinted/?union=14001&product=group_life&as_of=2024-11-30"),
])
def test_pages_showing_people_are_never_stored(users, username, page):
    response = client_for(username).get(page)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
