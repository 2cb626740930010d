"""Subscriptions to the plan summary and the appendix registers: the mailed attachment is the page
as the subscriber sees it (their Access, never more), from the command line and the web page."""

import io

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.activities.models import NewHireResult
from kyosai.core.models import AuditEntry
from kyosai.delivery import services
from kyosai.delivery.models import Delivery, Subscription
from kyosai.delivery.tests.test_delivery import _burst, _user
from kyosai.org.models import Branch
from kyosai.plans.demo import PLAN_FILE
from kyosai.plans.models import PlanItem
from kyosai.web.tests.federation import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def registers(federation):
    """new_hires rows of 東京 (branch-14's) and 埼玉 (another branch's)."""
    NewHireResult.objects.create(branch=Branch.objects.get(name="東京"), coop_joined_cur=259,
                                 coop_joined_prev=241, life_joined_cur=36, life_joined_prev=28)
    NewHireResult.objects.create(branch=Branch.objects.get(name="埼玉"), coop_joined_cur=160,
                                 coop_joined_prev=177, life_joined_cur=34, life_joined_prev=30)


@pytest.fixture
def plans(federation):
    """The seed 2024H1 plan as HQ's, with 東京's and 埼玉's branch plans."""
    from kyosai.plans.files import read_plan_file
    from kyosai.plans.services import ensure_branch_plans, import_plan_document

    plan = import_plan_document(read_plan_file(PLAN_FILE), Branch.objects.get(code="00")).plan
    ensure_branch_plans(plan, Branch.objects.filter(name__in=["東京", "埼玉"]))
    return plan


def _sheet(content: bytes) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [[cell for cell in row] for row in book.active.iter_rows(values_only=True)]


def _mail_of(username: str) -> mail.EmailMessage:
    found = [m for m in mail.outbox if m.to == [f"{username}@example.org"]]
    assert len(found) == 1
    return found[0]


def _send_all(subs: list[Subscription], django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_import_subscriptions(AS_OF) == len(subs)
    _burst()


def test_a_register_subscription_mails_only_the_subscribers_rows(
        registers, django_capture_on_commit_callbacks):
    staff, hq = _user("branch-14"), _user("hq")
    subs = []
    for user in (staff, hq):
        path, title = services.subscription_page(user, "appendix", kind="new_hires")
        assert path == "/activities/new_hires/"
        subs.append(services.add_subscription(user, path=path, title=title, fmt="xlsx",
                                              trigger="import"))
    _send_all(subs, django_capture_on_commit_callbacks)
    staff_rows = _sheet(_mail_of("branch-14").attachments[0][1])
    hq_rows = _sheet(_mail_of("hq").attachments[0][1])
    staff_branches = {cell for row in staff_rows for cell in row}
    hq_branches = {cell for row in hq_rows for cell in row}
    assert "東京" in staff_branches
    assert "埼玉" not in staff_branches  # another branch's row: never in branch-14's mail
    assert {"東京", "埼玉"} <= hq_branches
    tokyo = next(row for row in staff_rows if "東京" in row)
    assert 259 in tokyo  # numbers stay numbers in the workbook
    assert 241 in tokyo
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2


def test_a_union_officer_gets_no_other_unions_rows(registers, django_capture_on_commit_callbacks):
    officer = _user("union-14001")
    path, title = services.subscription_page(officer, "appendix", kind="new_hires")
    sub = services.add_subscription(officer, path=path, title=title, fmt="xlsx", trigger="import")
    _send_all([sub], django_capture_on_commit_callbacks)
    branches = {cell for row in _sheet(_mail_of("union-14001").attachments[0][1]) for cell in row}
    assert "東京" not in branches  # new_hires has no union column: no entered row for an officer
    assert "埼玉" not in branches


def test_a_plan_summary_subscription_is_the_plan_the_subscriber_may_read(
        plans, django_capture_on_commit_callbacks):
    staff = _user("branch-14")
    own_path, own_title = services.subscription_page(staff, "plan_summary", period="2024H1",
                                                     owner="14")
    assert own_path == "/plans/summary/2024H1/14/"
    assert "東京" in own_title
    hq_path, _ = services.subscription_page(staff, "plan_summary", period="2024H1", owner="hq")
    assert hq_path == "/plans/summary/2024H1/hq/"  # HQ's plan: every branch reads it
    for owner in ("11", "branches", "14/x"):  # another branch's, all added up, no plan's path
        with pytest.raises(services.ScopeError):
            services.subscription_page(staff, "plan_summary", period="2024H1", owner=owner)
    with pytest.raises(services.ScopeError):
        services.subscription_page(staff, "plan_summary", period="2024H3", owner="14")
    sub = services.add_subscription(staff, path=own_path, title=own_title, fmt="xlsx",
                                    trigger="import")
    _send_all([sub], django_capture_on_commit_callbacks)
    rows = _sheet(_mail_of("branch-14").attachments[0][1])
    assert str(rows[0][1]).startswith("東京")
    header = next(i for i, row in enumerate(rows) if row[0] == "節")
    assert rows[header][2:] == ["◎", "○", "△", "×", "－", "計"]
    total = rows[-1]
    assert total[0] == "合計"
    chapters = rows[header + 1:-1]
    assert chapters
    assert total[-1] == sum(int(str(row[-1])) for row in chapters)
    assert total[-1] == PlanItem.objects.filter(plan__owner__name="東京").count()  # 東京's only


def test_a_stored_subscription_to_a_plan_one_cannot_read_is_never_sent(plans):
    staff = _user("branch-14")
    sub = Subscription.objects.create(user=staff, path="/plans/summary/2024H1/11/", title="埼玉",
                                      format="xlsx")
    delivery = Delivery.objects.create(user=staff, subscription=sub, key="x", month=str(AS_OF))
    services.send_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert mail.outbox == []


def test_the_hq_gets_every_branch_plan_added_up(plans):
    path, title = services.subscription_page(_user("hq"), "plan_summary", period="2024H1",
                                             owner="branches")
    assert path == "/plans/summary/2024H1/branches/"
    assert "県支部計" in title


def test_unknown_registers_and_pages_are_refused(federation):
    staff = _user("branch-14")
    with pytest.raises(services.ScopeError):
        services.subscription_page(staff, "appendix", kind="nope")
    with pytest.raises(services.ScopeError):
        services.subscription_page(staff, "designations_of_everyone")
    with pytest.raises(services.ScopeError):  # designations: national view only
        services.subscription_page(_user("union-14001"), "appendix", kind="designations")


def test_the_command_adds_plan_summary_and_register_subscriptions(plans, registers):
    out = io.StringIO()
    call_command("subscriptions_add", "branch-14", "--page", "plan_summary", "--period", "2024H1",
                 "--owner", "14", "--format", "pdf", "--on", "monthly", "--day", "1", stdout=out)
    call_command("subscriptions_add", "branch-14", "--page", "appendix", "--table", "new_hires",
                 "--format", "link", stdout=out)
    subs = list(Subscription.objects.filter(user__username="branch-14").order_by("pk"))
    assert [(s.path, s.format, s.trigger, s.day) for s in subs] == [
        ("/plans/summary/2024H1/14/", "pdf", "monthly", 1),
        ("/activities/new_hires/", "link", "import", None)]
    assert AuditEntry.objects.filter(object_type="delivery.subscription",
                                     source=AuditEntry.Source.CLI).count() == 2
    for args in (["--page", "plan_summary", "--period", "2024H1", "--owner", "11"],
                 ["--page", "appendix", "--table", "unknown"],
                 ["--page", "plan_summary", "--period", "2024H1", "--branch", "14"]):
        with pytest.raises(CommandError) as refused:
            call_command("subscriptions_add", "branch-14", *args, stdout=io.StringIO())
        assert refused.value.returncode == 2
    assert Subscription.objects.filter(user__username="branch-14").count() == 2


def test_the_web_page_subscribes_to_a_register_and_refuses_another_branchs_plan(
        plans, registers, client):
    client.force_login(_user("branch-14"))
    response = client.post("/delivery/subscriptions/", {
        "action": "subscribe", "page": "appendix", "kind": "new_hires", "format": "xlsx",
        "trigger": "import"})
    assert response.status_code == 302
    response = client.post("/delivery/subscriptions/", {
        "action": "subscribe", "page": "plan_summary", "period": "2024H1", "owner": "11",
        "format": "xlsx", "trigger": "import"})
    assert response.status_code == 200
    assert "閲覧できません" in response.content.decode()
    assert list(Subscription.objects.values_list("path", flat=True)) == ["/activities/new_hires/"]


def test_a_pdf_of_a_register_is_the_subscribers_page(registers):
    from kyosai.delivery.render import render_attachment

    attachment = render_attachment(_user("branch-14"), "/activities/new_hires/", "pdf")
    assert attachment.content.startswith(b"%PDF")


def test_the_demo_subscribes_to_every_kind_of_page_and_the_worker_writes_eml_files(
        plans, registers, settings, tmp_path, django_capture_on_commit_callbacks):
    from kyosai.delivery.demo import load_demo

    settings.EMAIL_BACKEND = "kyosai.delivery.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()  # idempotent
    paths = list(Subscription.objects.values_list("path", flat=True))
    assert len(paths) == len(set(paths))
    assert {"/plans/summary/2024H1/14/", "/plans/summary/2024H1/branches/",
            "/activities/new_hires/", "/activities/designations/", "/branches/14/"} <= set(paths)
    assert Subscription.objects.filter(trigger="monthly").exists()
    for _ in range(3):  # the evaluation queues the mails (on commit), the next burst sends them
        with django_capture_on_commit_callbacks(execute=True):
            _burst()
    sent = Delivery.objects.filter(status=Delivery.Status.SENT)
    assert sent.filter(subscription__path="/plans/summary/2024H1/14/").exists()
    assert sent.filter(subscription__path="/activities/new_hires/").exists()  # monthly, the 1st
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == sent.count()
    assert not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()
