"""The transition pages: people shown and audited, statuses set by officers/branch staff, HQ counts."""

import pytest
from django.contrib.auth import get_user_model

from kyosai.accounts.services import create_demo_users
from kyosai.core.models import AuditEntry
from kyosai.members.models import Member, TransitionStatus
from kyosai.members.tests.test_lifecycle_commands import lifecycle_roster  # noqa: F401

pytestmark = pytest.mark.django_db


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def users(lifecycle_roster):  # noqa: F811
    create_demo_users()


def test_union_page_lists_the_year_and_is_audited_without_names(users, client):
    page = login(client, "union-14001").get("/unions/14001/transition/?fy=2024")
    assert page.status_code == 200
    text = page.content.decode()
    assert "試験 一郎" in text  # 64 on L
    assert "試験 二子" not in text  # 64 on L + 1
    assert "試験 八子" not in text  # another union
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).latest("pk")
    assert entry.detail is not None
    assert entry.detail["rows"] == 4
    assert entry.detail["union"] == "14001"
    assert "試験" not in str(entry.detail)


def test_an_officer_sets_a_status_audited_and_hq_counts_it(users, client):
    member = Member.objects.get(union__code="14001", member_no="1")
    response = login(client, "union-14001").post("/unions/14001/transition/", {
        "member": member.pk, "fy": "2024", "status": "informed", "on": "2024-12-01",
        "note": "説明済み"})
    assert response.status_code == 302
    entry = TransitionStatus.objects.get(member=member)
    assert (entry.status, entry.fiscal_year, str(entry.on)) == ("informed", 2024, "2024-12-01")
    change = AuditEntry.objects.filter(action="create").latest("pk")
    assert change.after is not None
    assert change.after["status"] == "informed"
    assert "説明済み" not in str(change.after)
    assert "案内済" in client.get("/unions/14001/transition/?fy=2024").content.decode()
    hq = login(client, "hq").get("/members/transition/?fy=2024").content.decode()
    # 東京: 5 listed (14001: 1, 3, 4, 6; 14002: 4), 1 informed, 4 pending; no names
    assert '<tr data-branch="14"><td>東京</td><td>5</td><td>4</td><td>1</td><td>0</td><td>0</td></tr>' in hq
    assert "試験" not in hq


def test_an_officer_cannot_set_another_unions_member(users, client):
    other = Member.objects.get(union__code="14002", member_no="4")
    response = login(client, "union-14001").post("/unions/14001/transition/", {
        "member": other.pk, "fy": "2024", "status": "informed"})
    assert response.status_code == 404
    assert not TransitionStatus.objects.exists()
