"""Personal data (a member's name) is never shown without an audit entry saying who saw it.

Found from the permission matrix, not from a list of pages: the world gets members (a name, kana
and a birth date), then every route is opened by every role, with every export the page offers.
Any answer that carries a member's name (a page, a CSV, a workbook, a PDF is checked by its
audit entry too) must have left an audit entry by that user — view, export or print — and no
audit entry, of any kind, may carry the name, kana or birth date itself.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from kyosai.core.models import AuditEntry
from tests.permissions.matrix import MATRIX, ROLES

pytestmark = pytest.mark.django_db

NAME, KANA, BIRTH = "試験 一郎", "シケン イチロウ", "1990-11-30"
SEEN = {AuditEntry.Action.VIEW, AuditEntry.Action.EXPORT, AuditEntry.Action.PRINT,
        AuditEntry.Action.DOWNLOAD}


@pytest.fixture
def people(world):
    """The matrix's member 1 (and new hire 2) of 14001, with kana and a birth date."""
    from datetime import date

    from kyosai.members.models import Member
    from tests.permissions import matrix

    matrix._mycar_contract()  # member 1 with a マイカー contract due for 車検 in 2024-12
    matrix._new_hire()
    Member.objects.filter(member_no="1", union__code="14001").update(
        name=NAME, kana=KANA, birth_date=date(1990, 11, 30))
    return world


def _as(client, username):
    client.logout()
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):  # a workbook
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content))
        return " ".join(str(cell.value) for sheet in book.worksheets
                        for row in sheet.iter_rows() for cell in row if cell.value is not None)
    return content.decode("utf-8", "replace")


def test_every_answer_showing_a_members_name_is_audited(client, people):
    shown = 0
    for route in MATRIX:
        url = route.path(people)
        queries = [{}] + ([{"export": "csv"}, {"export": "xlsx"}] if route.exports else [])
        for role in ROLES:
            if role is None or route.expected("GET")[role] != 200:
                continue
            c = _as(client, role)
            for query in queries:
                with transaction.atomic():
                    before = AuditEntry.objects.filter(user__username=role,
                                                       action__in=SEEN).count()
                    response = c.get(url, query)
                    after = AuditEntry.objects.filter(user__username=role,
                                                      action__in=SEEN).count()
                    transaction.set_rollback(True)
                if response.status_code != 200 or NAME not in _text(response):
                    continue
                shown += 1
                assert after > before, ("a member's name shown without an audit entry",
                                        route.name, url, query, role)
    assert shown >= 5  # the walk reached the roster, the lifecycle lists and their exports


def test_no_audit_entry_carries_personal_data(client, people):
    """Views, exports, prints and the writes on members (marks, transition, calls, new hires)."""
    for route in MATRIX:
        url = route.path(people)
        for role in ("hq", "branch-14", "union-14001"):
            if route.expected("GET")[role] == 200:
                _as(client, role).get(url, {"export": "csv"} if route.exports else {})
            if route.name.startswith("members:") and route.expected("POST")[role] == 302:
                assert _as(client, role).post(url, route.data(people)).status_code == 302
    entries = AuditEntry.objects.all()
    assert entries.exists()
    for entry in entries:
        text = f"{entry.object_repr} {entry.object_id} {entry.detail}"
        for personal in (NAME, KANA, BIRTH, "試験"):
            assert personal not in text, (entry.action, entry.object_type)
