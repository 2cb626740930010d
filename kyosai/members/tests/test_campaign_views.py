"""The campaign pages: the 次回車検日 call list and its marks, the new-hire cohort and its statuses,
プレ印字申込書 on the web, and the master data HQ edits (on the lifecycle roster's boundaries)."""

import subprocess
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from kyosai.accounts.services import create_demo_users
from kyosai.catalog.models import GuidanceBand, Product
from kyosai.core.models import AuditEntry
from kyosai.members.models import Contract, InspectionCall, Member, NewHireStatus
from kyosai.members.tests.test_lifecycle_commands import lifecycle_roster  # noqa: F401

pytestmark = pytest.mark.django_db


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def users(lifecycle_roster):  # noqa: F811
    create_demo_users()


# --- 次回車検日 call list --------------------------------------------------------------------


def test_the_call_list_runs_from_the_month_for_the_chosen_months(users, client):
    officer = login(client, "union-14001")
    two = officer.get("/unions/14001/inspections/?from=2025-04&months=2").content.decode()
    # C101: inspected 2023-04 → 2025-04 (exactly --from); C103: 2015-05 + 24 × 5 → 2025-05
    # (exactly --to); C102: 2023-06 → 2025-06, one month after
    assert "C101" in two
    assert "C103" in two
    assert "C102" not in two
    assert "C106" not in two  # ended on the first day
    three = officer.get("/unions/14001/inspections/?from=2025-04&months=3").content.decode()
    assert "C102" in three
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).latest("pk")
    assert entry.detail is not None
    assert entry.detail["page"] == "inspections"
    assert (entry.detail["from"], entry.detail["to"], entry.detail["rows"]) == (
        "2025-04", "2025-06", 3)
    assert "試験" not in str(entry.detail)


def test_marks_are_set_audited_and_counted_for_hq(users, client):
    contract = Contract.objects.get(contract_no="C101")
    response = login(client, "union-14001").post("/unions/14001/inspections/", {
        "contract": contract.pk, "due": "2025-04", "kind": "called", "on": "2025-03-02",
        "note": "本人に電話", "from": "2025-04", "months": "3"})
    assert response.status_code == 302
    assert response["Location"] == "/unions/14001/inspections/?from=2025-04&months=3"
    mark = InspectionCall.objects.get()
    assert (mark.kind, str(mark.due_month), str(mark.on)) == ("called", "2025-04-01", "2025-03-02")
    assert mark.user is not None
    assert mark.user.username == "union-14001"
    change = AuditEntry.objects.filter(action="create").latest("pk")
    assert change.after is not None
    assert change.after == {"contract": contract.pk, "due_month": "2025-04", "kind": "called",
                            "on": "2025-03-02", "user": mark.user.pk}
    page = client.get("/unions/14001/inspections/?from=2025-04&months=3").content.decode()
    assert "2025年3月2日" in page
    assert "本人に電話" in page
    # the mark belongs to that 車検: two years on the contract is due again, unmarked
    later = client.get("/unions/14001/inspections/?from=2027-04&months=1").content.decode()
    assert "C101" in later
    assert "2025年3月2日" not in later
    hq = login(client, "hq-staff").get("/members/inspections/?from=2025-04&months=3")
    text = hq.content.decode()
    assert ('<tr data-branch="14" data-month="2025-04"><td>東京</td><td>25年4月</td>'
            "<td>1</td><td>1</td><td>0</td></tr>") in text
    assert ('<tr data-branch="14" data-month="2025-05"><td>東京</td><td>25年5月</td>'
            "<td>1</td><td>0</td><td>0</td></tr>") in text
    assert "試験" not in text
    assert "本人に電話" not in text


def test_branch_staff_mark_informed_on_the_branch_page(users, client):
    contract = Contract.objects.get(contract_no="C103")
    response = login(client, "branch-14").post("/branches/14/inspections/", {
        "contract": contract.pk, "due": "2025-05", "kind": "informed", "from": "2025-04"})
    assert response.status_code == 302
    assert InspectionCall.objects.get().kind == "informed"


def test_no_mark_on_another_unions_or_a_non_mycar_contract(users, client):
    officer = login(client, "union-14001")
    for number in ("C105", "L001"):  # 14002's マイカー共済; 14001's 団体生命共済
        contract = Contract.objects.get(contract_no=number)
        response = officer.post("/unions/14001/inspections/", {
            "contract": contract.pk, "due": "2025-04", "kind": "called"})
        assert response.status_code == 404, number
    assert not InspectionCall.objects.exists()


def test_bad_months_are_refused(users, client):
    officer = login(client, "union-14001")
    assert officer.get("/unions/14001/inspections/?months=13").status_code == 400
    assert officer.get("/unions/14001/inspections/?months=0").status_code == 400
    assert officer.get("/unions/14001/inspections/?from=2025-13").status_code == 400
    assert officer.get("/unions/14001/inspections/?months=12").status_code == 200


# --- new hires -------------------------------------------------------------------------------


def test_the_cohort_runs_from_april_1_to_december_31_including_leavers(users, client):
    page = login(client, "branch-14").get("/unions/14002/newhires/?year=2024")
    text = page.content.decode()
    assert "試験 九郎" in text  # hired 2024-04-01
    assert "試験 十子" in text  # hired 2024-12-31
    assert "試験 十一郎" in text  # hired 2024-06-01, left since
    assert "試験 八子" not in text  # hired 2024-03-31
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).latest("pk")
    assert entry.detail is not None
    assert (entry.detail["page"], entry.detail["rows"]) == ("newhires", 3)
    assert "試験" not in str(entry.detail)


def test_statuses_are_set_audited_and_counted_on_the_branch_page(users, client):
    staff = login(client, "branch-14")
    hired = Member.objects.get(union__code="14002", member_no="3")
    response = staff.post("/unions/14002/newhires/", {
        "member": hired.pk, "year": "2024", "status": "joined", "on": "2025-01-10",
        "note": "5月発効で申込"})
    assert response.status_code == 302
    status = NewHireStatus.objects.get()
    assert (status.status, status.year, str(status.on)) == ("joined", 2024, "2025-01-10")
    change = AuditEntry.objects.filter(action="create").latest("pk")
    assert change.after is not None
    assert change.after["status"] == "joined"
    assert "5月発効" not in str(change.after)
    assert "加入（2025年1月10日）" in staff.get("/unions/14002/newhires/?year=2024").content.decode()
    # a person outside the cohort (hired 2024-03-31) gets no status
    before = Member.objects.get(union__code="14002", member_no="1")
    assert staff.post("/unions/14002/newhires/", {
        "member": before.pk, "year": "2024", "status": "briefed"}).status_code == 404
    counts = login(client, "viewer").get("/branches/14/newhires/?year=2024").content.decode()
    # 14002: 3 new hires, 2 not recorded, 1 加入 (columns: 説明会参加 申込書配布 回収 加入 辞退)
    assert ('<td>3</td><td>2</td><td>0</td><td>0</td><td>0</td><td>1</td><td>0</td></tr>'
            in counts)
    assert "試験" not in counts


# --- プレ印字申込書 on the web ------------------------------------------------------------------


def test_the_officer_downloads_the_forms_audited_with_pages(users, client, tmp_path):
    officer = login(client, "union-14001")
    assert "プレ印字申込書の作成" in officer.get("/forms/preprinted/").content.decode()
    response = officer.get("/forms/preprinted/", {
        "union": "14001", "product": "group_life", "as_of": "2024-11-30", "unenrolled_only": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="preprinted-14001-group_life-20241130.pdf"')
    path = tmp_path / "forms.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert len([page for page in text.split("\f") if page.strip()]) == 5
    assert "14001-2" in text
    assert "試験 二子" in text
    assert "試験 一郎" not in text
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PRINT)
    assert entry.user is not None
    assert entry.user.username == "union-14001"
    assert entry.detail is not None
    assert (entry.detail["pages"], entry.detail["union"], entry.detail["unenrolled_only"]) == (
        5, "14001", True)
    assert "試験" not in str(entry.detail)


def test_no_forms_for_another_union_or_an_empty_selection(users, client):
    officer = login(client, "union-14001")
    assert officer.get("/forms/preprinted/", {
        "union": "14002", "product": "group_life"}).status_code == 404
    empty = login(client, "branch-14").get("/forms/preprinted/", {
        "union": "13001", "product": "group_life"})
    assert empty.status_code in (302, 404)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PRINT).exists()


# --- master data HQ edits ----------------------------------------------------------------------


def test_hq_edits_the_offer_and_the_age_bands_in_the_audited_admin(users, client):
    from kyosai.members.lifecycle import transition_rows
    from kyosai.members.management.base import CLI_ACCESS
    from kyosai.members.preprinted import form_pages
    from kyosai.org.models import Union

    life = Product.objects.get(code="group_life")
    assert life.after_retirement == "retiree_group_life"  # seeded from the catalogue
    band = GuidanceBand.objects.get(product=life, min_age=60)
    admin = login(client, "hq")
    response = admin.post(f"/admin/catalog/guidanceband/{band.pk}/change/", {
        "product": life.pk, "min_age": "60", "max_age": "64", "plan": "2口 — 退職前の見直し"})
    assert response.status_code == 302, response.content.decode()[:2000]
    change = AuditEntry.objects.filter(action="update", object_type="catalog.guidanceband").get()
    assert change.before is not None
    assert change.after is not None
    assert change.before["plan"] != change.after["plan"] == "2口 — 退職前の見直し"
    union = Union.objects.get(code="14001")
    pages = form_pages(CLI_ACCESS, union, life, date(2024, 11, 30))
    assert {p.member_no: p.plan for p in pages}["2"] == "2口 — 退職前の見直し"  # 63 years old
    Product.objects.filter(code="general").update(after_retirement="")
    first = transition_rows(CLI_ACCESS, 2024, union=union)[0]
    assert first.offer == ["mycar", "retiree_group_life"]  # general: no offer any more
    # an upper bound below the lower one is refused
    refused = admin.post(f"/admin/catalog/guidanceband/{band.pk}/change/", {
        "product": life.pk, "min_age": "60", "max_age": "59", "plan": "x"})
    assert refused.status_code == 200
    assert GuidanceBand.objects.get(pk=band.pk).max_age == 64


def test_hq_admins_edit_only_the_offer_of_a_product_and_nobody_else_does(users, client):
    general = Product.objects.get(code="general")
    name = general.name
    admin = login(client, "hq")
    response = admin.post(f"/admin/catalog/product/{general.pk}/change/", {
        "after_retirement": "retiree_general", "name": "変更"})
    assert response.status_code == 302, response.content.decode()[:2000]
    general.refresh_from_db()
    assert (general.after_retirement, general.name) == ("retiree_general", name)
    change = AuditEntry.objects.filter(action="update", object_type="catalog.product").get()
    assert change.before is not None
    assert change.after is not None
    assert change.before["after_retirement"] == "post_retirement"
    assert change.after["after_retirement"] == "retiree_general"
    staff = login(client, "hq-staff")
    assert staff.get(f"/admin/catalog/product/{general.pk}/change/").status_code == 302
    assert staff.get("/admin/catalog/guidanceband/").status_code == 302
