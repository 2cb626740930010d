"""/activity-log/: the permission matrix (every route × role, GET and POST), the entry forms,
the compliance table and the designations page with the support received."""

import pytest
from django.contrib.auth import get_user_model

from kyosai.accounts.services import create_demo_users
from kyosai.core.models import AuditEntry
from kyosai.org.models import Branch, Union
from kyosai.web.tests.federation import build
from kyosai.workbench import urls as workbench_urls
from kyosai.workbench.models import ActivityEntry, SupportEntry

pytestmark = pytest.mark.django_db

ROLES = ["hq", "hq-staff", "viewer", "branch-14", "branch-01", "union-14001", None]
ENTRY = {"branch": "{tokyo}", "date": "2024-07-01", "kind": "committee"}
SUPPORT = {"branch": "{tokyo}", "date": "2024-07-01", "kind": "special_fund", "amount": "100000"}
EDIT = {"branch": "{tokyo}", "union": "{union}", "date": "2024-07-02", "kind": "officer_study",
        "participants": "9"}
READ_ONLY_POST = {**dict.fromkeys(ROLES, 405), None: 302}

#: url → (GET by role, POST payload or None, POST by role)
MATRIX = {
    "/activity-log/": (
        {"hq": 200, "hq-staff": 200, "viewer": 200, "branch-14": 302, "branch-01": 302,
         "union-14001": 200, None: 302}, None, READ_ONLY_POST),
    "/activity-log/branches/14/": (
        {"hq": 200, "hq-staff": 200, "viewer": 200, "branch-14": 200, "branch-01": 404,
         "union-14001": 404, None: 302}, None, READ_ONLY_POST),
    "/activity-log/new/": (
        {"hq": 200, "hq-staff": 200, "viewer": 404, "branch-14": 200, "branch-01": 200,
         "union-14001": 200, None: 302}, ENTRY,
        # branch-01 and the union officer get the form back: 東京 / a branch kind are not theirs
        {"hq": 302, "hq-staff": 302, "viewer": 404, "branch-14": 302, "branch-01": 200,
         "union-14001": 200, None: 302}),
    "/activity-log/{entry}/edit/": (
        {"hq": 200, "hq-staff": 200, "viewer": 404, "branch-14": 200, "branch-01": 404,
         "union-14001": 200, None: 302}, EDIT,
        {"hq": 302, "hq-staff": 302, "viewer": 404, "branch-14": 302, "branch-01": 404,
         "union-14001": 302, None: 302}),
    "/activity-log/support/": (
        {"hq": 200, "hq-staff": 200, "viewer": 200, "branch-14": 404, "branch-01": 404,
         "union-14001": 404, None: 302}, None, READ_ONLY_POST),
    "/activity-log/support/new/": (
        {"hq": 200, "hq-staff": 200, "viewer": 404, "branch-14": 404, "branch-01": 404,
         "union-14001": 404, None: 302}, SUPPORT,
        {"hq": 302, "hq-staff": 302, "viewer": 404, "branch-14": 404, "branch-01": 404,
         "union-14001": 404, None: 302}),
}


@pytest.fixture
def federation(db):
    unions = build()
    create_demo_users()
    return unions


def as_user(client, username):
    client.logout()
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_matrix_names_every_route():
    routes = {str(p.pattern) for p in workbench_urls.urlpatterns}
    assert len(routes) == len(MATRIX)


@pytest.mark.parametrize("url", list(MATRIX))
def test_every_role_gets_what_the_matrix_says_for_get_and_post(federation, client, url):
    get, payload, post = MATRIX[url]
    tokyo = Branch.objects.get(code="14").pk
    union = Union.objects.get(code="14001")
    entry = ActivityEntry.objects.create(branch_id=tokyo, union=union, date="2024-07-01",
                                         fiscal_year=2024, kind="officer_study")
    url = url.format(entry=entry.pk)
    for role in ROLES:
        c = as_user(client, role)
        assert c.get(url).status_code == get[role], (url, role, "GET")
        data = {k: v.format(tokyo=tokyo, union=union.pk) for k, v in (payload or {}).items()}
        assert c.post(url, data).status_code == post[role], (url, role, "POST")


def test_unknown_and_hq_branches_are_404(federation, client):
    c = as_user(client, "hq")
    assert c.get("/activity-log/branches/99/").status_code == 404
    assert c.get("/activity-log/branches/00/").status_code == 404
    assert c.get("/activity-log/branches/14/", {"as_of": "2025-06"}).status_code == 404


def test_branch_staff_are_sent_to_their_own_branch(federation, client):
    assert as_user(client, "branch-14").get("/activity-log/")["Location"] == "/activity-log/branches/14/"


def test_branch_staff_enter_their_own_branchs_activity_audited(federation, client):
    c = as_user(client, "branch-14")
    union = Union.objects.get(code="14001")
    response = c.post("/activity-log/new/", {
        "branch": union.branch_id, "date": "2024-11-30", "kind": "officer_study",
        "union": union.pk, "participants": "12"})
    assert response.status_code == 302
    entry = ActivityEntry.objects.get()
    assert (entry.fiscal_year, entry.participants) == (2024, 12)
    audit = AuditEntry.objects.get(object_type="workbench.activityentry")
    assert audit.user is not None
    assert (audit.action, audit.user.username, audit.source) == ("create", "branch-14", "web")


def test_a_union_level_kind_needs_the_branchs_union(federation, client):
    c = as_user(client, "branch-14")
    tokyo = Branch.objects.get(code="14")
    saitama_union = Union.objects.get(code="13001")
    assert c.post("/activity-log/new/", {"branch": tokyo.pk, "date": "2024-07-01",
                                         "kind": "union_visit"}).status_code == 200
    assert c.post("/activity-log/new/", {"branch": tokyo.pk, "date": "2024-07-01",
                                         "kind": "union_visit",
                                         "union": saitama_union.pk}).status_code == 200
    assert not ActivityEntry.objects.exists()


def test_a_union_officer_enters_only_their_unions_union_level_kinds(federation, client):
    c = as_user(client, "union-14001")
    own, other = Union.objects.get(code="14001"), Union.objects.get(code="14002")
    base = {"branch": own.branch_id, "date": "2024-07-01", "kind": "workplace_org"}
    assert c.post("/activity-log/new/", {**base, "union": other.pk}).status_code == 200
    assert c.post("/activity-log/new/", {**base, "union": own.pk, "participants": "30"}).status_code == 302
    assert list(ActivityEntry.objects.values_list("union__code", flat=True)) == ["14001"]
    page = c.get("/activity-log/").content.decode()
    assert "職場組合員オルグ" in page


def test_a_date_outside_every_fiscal_year_is_refused_on_the_form(federation, client):
    c = as_user(client, "hq-staff")
    response = c.post("/activity-log/new/", {"branch": Branch.objects.get(code="14").pk,
                                             "date": "2019-07-01", "kind": "committee"})
    assert response.status_code == 200
    assert "どの事業年度にも含まれません" in response.content.decode()
    assert not ActivityEntry.objects.exists()


def test_hq_sees_the_lagging_branches_highlighted_and_drills_down(federation, client):
    tokyo = Branch.objects.get(code="14")
    for day in ("2024-06-05", "2024-07-05", "2024-08-05"):
        ActivityEntry.objects.create(branch=tokyo, date=day, fiscal_year=2024,
                                     kind="regular_meeting")
    ActivityEntry.objects.create(branch=tokyo, date="2024-08-20", fiscal_year=2024,
                                 kind="study_session")
    c = as_user(client, "viewer")
    html = c.get("/activity-log/", {"year": 2024, "as_of": "2024-11"}).content.decode()
    lagging = Branch.objects.prefectural().count() - 1
    assert f"制度学習会 未開催: {lagging} 県" in html
    assert html.count('class="lagging"') == lagging
    assert "/activity-log/branches/14/" in html
    page = c.get("/activity-log/branches/14/", {"year": 2024, "as_of": "2024-11"}).content.decode()
    assert "2024年8月20日" in page
    assert 'title="推進本部・県支部推進担当者共済制度学習会"' in page  # the calendar's day


def test_hq_staff_enter_support_and_the_designations_page_shows_it(federation, client):
    c = as_user(client, "hq-staff")
    tokyo = Branch.objects.get(code="14")
    assert c.post("/activity-log/support/new/", {"branch": tokyo.pk, "date": "2024-07-01",
                                                 "kind": "hq_work", "amount": "3"}).status_code == 200
    response = c.post("/activity-log/support/new/", {
        "branch": tokyo.pk, "date": "2024-07-01", "kind": "hq_work", "work": "mycar_estimate",
        "amount": "3"})
    assert response.status_code == 302
    assert SupportEntry.objects.get().fiscal_year == 2024
    assert AuditEntry.objects.filter(object_type="workbench.supportentry", action="create").exists()


def test_an_edit_is_audited_with_the_state_before(federation, client):
    union = Union.objects.get(code="14001")
    entry = ActivityEntry.objects.create(branch=union.branch, union=union, date="2024-07-01",
                                         fiscal_year=2024, kind="officer_study", participants=3)
    c = as_user(client, "union-14001")
    assert c.post(f"/activity-log/{entry.pk}/edit/", {
        "branch": union.branch_id, "union": union.pk, "date": "2024-07-01",
        "kind": "officer_study", "participants": "5"}).status_code == 302
    audit = AuditEntry.objects.get(object_type="workbench.activityentry", action="update")
    assert audit.before is not None
    assert audit.after is not None
    assert (audit.before["participants"], audit.after["participants"]) == (3, 5)
    other = ActivityEntry.objects.create(branch=union.branch, date="2024-07-01",
                                         fiscal_year=2024, kind="committee")
    assert c.get(f"/activity-log/{other.pk}/edit/").status_code == 404  # a branch-level entry


def test_hq_lists_the_support_ledger(federation, client):
    SupportEntry.objects.create(branch=Branch.objects.get(code="14"), date="2024-07-01",
                                fiscal_year=2024, kind="special_fund", amount=300000)
    html = as_user(client, "viewer").get("/activity-log/support/").content.decode()
    assert "特別運営費" in html
    assert "300,000" in html
