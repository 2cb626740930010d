"""/activities/: who sees and who edits which register rows; forbidden is 404."""

import pytest
from django.contrib.auth import get_user_model

from kyosai.accounts.models import Membership, Role
from kyosai.activities.models import MeetingStat, NewHireResult, SmallLotHolding
from kyosai.core.models import AuditEntry
from kyosai.org.models import Branch, Union
from kyosai.org.services import load_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def branches():
    load_organisation()
    return Branch.objects.get(name="青森"), Branch.objects.get(name="岩手")


@pytest.fixture
def rows(branches):
    aomori, iwate = branches
    mine = NewHireResult.objects.create(branch=aomori, coop_joined_cur=259, coop_joined_prev=241,
                                        life_joined_cur=36, life_joined_prev=28)
    theirs = NewHireResult.objects.create(branch=iwate, coop_joined_cur=160,
                                          coop_joined_prev=177, life_joined_cur=34,
                                          life_joined_prev=30)
    union = Union.objects.create(code="U1", name="大間町職員労働組合", branch=aomori)
    other_union = Union.objects.create(code="U2", name="むつ市職員労働組合", branch=aomori)
    SmallLotHolding.objects.create(branch=aomori, union=union, holdings=4)
    SmallLotHolding.objects.create(branch=aomori, union=other_union, holdings=7)
    MeetingStat.objects.create(section="３", subsection="（１）委員会", sub_measure="全国計",
                               unit="回", value_cur=147, value_prev=168)
    return {"mine": mine, "theirs": theirs, "union": union}


def user_with(client, role, branch=None, union=None, name="u"):
    user = get_user_model().objects.create_user(username=name, password="pw-123456789")
    Membership.objects.create(user=user, role=role, branch=branch, union=union)
    client.force_login(user)
    return user


def page(client, url):
    response = client.get(url)
    return response.status_code, response.content.decode() if response.status_code == 200 else ""


def test_an_anonymous_visitor_is_sent_to_log_in(client, rows):
    response = client.get("/activities/new_hires/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_hq_staff_see_every_branch_and_the_recomputed_total(client, rows):
    user_with(client, Role.HQ_STAFF)
    status, html = page(client, "/activities/new_hires/")
    assert status == 200
    assert "青森" in html
    assert "岩手" in html
    assert "13.9" in html  # 36/259, recomputed
    assert "合計" in html
    assert "419" in html   # 259 + 160
    assert f"/activities/new_hires/{rows['theirs'].pk}/edit/" in html


def test_branch_staff_see_only_their_branch_and_the_national_total(client, rows, branches):
    user_with(client, Role.BRANCH_STAFF, branch=branches[0])
    status, html = page(client, "/activities/new_hires/")
    assert status == 200
    assert "青森" in html
    assert "岩手" not in html
    assert "合計" in html


def test_branch_staff_edit_their_own_row(client, rows, branches):
    user = user_with(client, Role.BRANCH_STAFF, branch=branches[0])
    url = f"/activities/new_hires/{rows['mine'].pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"effective_months": "10", "coop_joined_cur": 300,
                                 "coop_joined_prev": 241, "life_joined_cur": 60,
                                 "life_joined_prev": 28})
    assert response.status_code == 302
    rows["mine"].refresh_from_db()
    assert rows["mine"].coop_joined_cur == 300
    entry = AuditEntry.objects.get(object_type="activities.newhireresult", action="update")
    assert entry.user == user
    assert entry.source == AuditEntry.Source.WEB


def test_branch_staff_get_404_for_another_branchs_row(client, rows, branches):
    user_with(client, Role.BRANCH_STAFF, branch=branches[0])
    url = f"/activities/new_hires/{rows['theirs'].pk}/edit/"
    assert client.get(url).status_code == 404
    response = client.post(url, {"coop_joined_cur": 1, "coop_joined_prev": 1,
                                 "life_joined_cur": 1, "life_joined_prev": 1})
    assert response.status_code == 404
    rows["theirs"].refresh_from_db()
    assert rows["theirs"].coop_joined_cur == 160


def test_branch_staff_can_only_create_rows_for_their_own_branch(client, rows, branches):
    aomori, iwate = branches
    user_with(client, Role.BRANCH_STAFF, branch=aomori)
    response = client.post("/activities/spot_campaigns/new/", {
        "effective_month": "2024-06", "prefecture": iwate.pk, "target_count": 3,
        "new_contracts": 1, "prev_new_contracts": 0})
    assert response.status_code == 200  # the form refuses a branch outside the choices
    response = client.post("/activities/spot_campaigns/new/", {
        "effective_month": "2024-06", "prefecture": aomori.pk, "target_count": 3,
        "new_contracts": 5, "prev_new_contracts": 2})
    assert response.status_code == 302
    _status, html = page(client, "/activities/spot_campaigns/")
    assert "青森" in html
    assert "岩手" not in html


def test_branch_staff_cannot_edit_the_national_meeting_register(client, rows, branches):
    user_with(client, Role.BRANCH_STAFF, branch=branches[0])
    meeting = MeetingStat.objects.get()
    assert client.get(f"/activities/meetings_stats/{meeting.pk}/edit/").status_code == 404
    assert client.get("/activities/meetings_stats/new/").status_code == 404
    status, html = page(client, "/activities/meetings_stats/")
    assert status == 200
    assert "3.1" in html  # 県平均 147/47, an aggregate branch staff may see


def test_hq_staff_edit_any_branch_and_the_national_register(client, rows):
    user_with(client, Role.HQ_STAFF)
    meeting = MeetingStat.objects.get()
    assert client.get(f"/activities/meetings_stats/{meeting.pk}/edit/").status_code == 200
    assert client.get(f"/activities/new_hires/{rows['theirs'].pk}/edit/").status_code == 200


@pytest.mark.parametrize("role", [Role.VIEWER, Role.UNION_OFFICER])
def test_viewers_and_union_officers_are_read_only(client, rows, branches, role):
    union = rows["union"] if role == Role.UNION_OFFICER else None
    user_with(client, role, branch=None if union else branches[0], union=union)
    assert client.get(f"/activities/new_hires/{rows['mine'].pk}/edit/").status_code == 404
    assert client.get("/activities/new_hires/new/").status_code == 404
    assert client.get("/activities/small_lot_life/new/").status_code == 404


def test_a_union_officer_sees_only_their_unions_rows(client, rows):
    user_with(client, Role.UNION_OFFICER, union=rows["union"])
    status, html = page(client, "/activities/small_lot_life/")
    assert status == 200
    assert "大間町職員労働組合" in html
    assert "むつ市職員労働組合" not in html
    status, html = page(client, "/activities/new_hires/")
    assert "青森" not in html
    assert "419" not in html  # the national total: union officers do not see aggregates
    assert "表示できる行はありません" in html


def test_a_branch_viewer_reads_their_branch_without_edit_links(client, rows, branches):
    user_with(client, Role.VIEWER, branch=branches[0])
    status, html = page(client, "/activities/new_hires/")
    assert status == 200
    assert "青森" in html
    assert "岩手" not in html
    assert "/edit/" not in html


def test_designations_are_hq_wide_and_branch_scoped(client, rows, branches):
    user_with(client, Role.BRANCH_STAFF, branch=branches[0])
    status, html = page(client, "/activities/designations/")
    assert status == 200
    assert "青森" in html
    assert "岩手" not in html


def test_an_unknown_register_is_404(client, rows):
    user_with(client, Role.HQ_ADMIN)
    assert client.get("/activities/sales/").status_code == 404
