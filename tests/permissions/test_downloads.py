"""Every file the web app hands out, found from the permission matrix: audited, and never a formula.

Instead of one test per page, these walk MATRIX (so a new route with an export is covered the day
it is listed): every GET that answers with a file (an attachment: CSV, xlsx, PDF, the report)
and every `?export=csv|xlsx` of a page that exports, for every role it is shown to, must leave an
audit entry (export, download or print) naming that user; the API's `?format=csv` too. With
formula-like text planted where users can type it (a union's name, a plan's status text, an
event's title), no exported CSV cell begins with = + - @ tab or CR unless it is a number, and no
xlsx cell is a formula.
"""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from openpyxl import load_workbook

from kyosai.core.models import AuditEntry
from tests.permissions.matrix import MATRIX

pytestmark = pytest.mark.django_db

FILE_ACTIONS = {AuditEntry.Action.EXPORT, AuditEntry.Action.DOWNLOAD, AuditEntry.Action.PRINT}
PLANTED = {
    "union": '=HYPERLINK("http://evil.example/","単組")',
    "status": "+cmd|'/c calc'!A1",
    "event": "@SUM(1+1)",
    "item": "-2+3 の取り組み",
}
NUMBER = re.compile(r"[+-]?[\d,]*\.?\d+%?")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _as(client, username):
    client.logout()
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _is_file(response) -> bool:
    return "attachment" in response.get("Content-Disposition", "")


def _entries(username: str):
    return AuditEntry.objects.filter(user__username=username, action__in=FILE_ACTIONS)


def _export_urls(world):
    """(url, query) of every file a logged-in user may ask for, with the roles it is shown to."""
    for route in MATRIX:
        url = route.path(world)
        allowed = [role for role, code in route.expected("GET").items()
                   if code == 200 and role is not None]
        yield route, url, {}, allowed
        if route.exports:
            for fmt in ("csv", "xlsx"):
                yield route, url, {"export": fmt}, allowed
        if url.startswith("/api/v1/"):
            yield route, url, {"format": "csv"}, allowed


def test_every_file_handed_out_is_audited_for_every_role_that_gets_it(client, world):
    files = 0
    for route, url, query, roles in _export_urls(world):
        for role in roles:
            c = _as(client, role)
            with transaction.atomic():
                before = _entries(role).count()
                response = c.get(url, query)
                after = _entries(role).count()
                transaction.set_rollback(True)
            assert response.status_code == 200, (url, query, role, response.status_code)
            is_file = _is_file(response) or query.get("format") == "csv"
            if is_file:
                files += 1
                assert after == before + 1, ("a file handed out without an audit entry",
                                             route.name, url, query, role)
    assert files > 50  # the walk really reached the exports


@pytest.fixture
def planted(world):
    from kyosai.events.models import Event
    from kyosai.org.models import Union
    from kyosai.plans.models import PlanItem, StatusEntry

    Union.objects.filter(code="14001").update(name=PLANTED["union"])
    StatusEntry.objects.filter(pk=world.status.pk).update(text=PLANTED["status"])
    Event.objects.filter(pk=world.event.pk).update(title=PLANTED["event"])
    PlanItem.objects.filter(pk=world.item.pk).update(text=PLANTED["item"])
    return world


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _live(cell: str) -> bool:
    return cell.startswith(DANGEROUS) and not NUMBER.fullmatch(cell)


def test_no_export_carries_a_live_formula_when_users_planted_one(client, planted):
    seen: set[str] = set()
    for _route, url, query, roles in _export_urls(planted):
        if not query:
            continue
        for role in {"hq", "branch-14", "union-14001"} & set(roles):
            response = _as(client, role).get(url, query)
            assert response.status_code == 200, (url, query, role)
            if query.get("export") == "xlsx":
                book = load_workbook(io.BytesIO(response.content))
                cells = [cell for sheet in book.worksheets for row in sheet.iter_rows()
                         for cell in row if cell.value is not None]
                assert not [c.coordinate for c in cells if c.data_type == "f"], (url, role)
                seen |= {str(c.value) for c in cells}
            else:
                cells = _csv_cells(response.content)
                live = [cell for cell in cells if _live(cell)]
                assert not live, ("a live formula in a CSV export", url, query, role, live[:3])
                seen |= {cell.lstrip("'") for cell in cells}
    # the planted names really were exported (as text), so the checks above looked at them
    assert PLANTED["union"] in seen


@pytest.mark.parametrize("url", ["/api/v1/unions/", "/api/v1/plans/2024H1/items/"])
def test_the_api_csv_quotes_planted_text(client, planted, url):
    response = _as(client, "hq").get(url, {"format": "csv"})
    assert response.status_code == 200
    cells = _csv_cells(response.content)
    assert not [cell for cell in cells if _live(cell)]
    assert any(cell.startswith("'") and cell[1:] in PLANTED.values() for cell in cells)


def test_the_plan_workbook_writes_planted_text_as_strings(client, planted):
    from django.urls import reverse

    response = _as(client, "branch-14").get(reverse("plans:export", args=[planted.plan.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    planted_cells = [cell for cell in cells if isinstance(cell.value, str) and (
        PLANTED["status"] in cell.value or PLANTED["item"] in cell.value)]
    assert len(planted_cells) == 2
    assert {cell.data_type for cell in planted_cells} == {"s"}


def test_roles_refused_a_file_leave_no_file_entry(client, world):
    """The other side: a 404 for an export is not recorded as an export by that user."""
    for route in MATRIX:
        if not route.exports:
            continue
        url = route.path(world)
        for role, code in route.expected("GET").items():
            if code != 404 or role is None:
                continue
            c = _as(client, role)
            before = _entries(role).count()
            assert c.get(url, {"export": "csv"}).status_code == 404
            assert _entries(role).count() == before, (url, role)


