"""Subscriptions mailed as the subscriber sees the page, alerts once per rule and month,
retries with backoff, the worker, the .eml backend and the commands."""

import datetime
import io
from decimal import Decimal
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kyosai.accounts.access import SYSTEM
from kyosai.core.models import AuditEntry
from kyosai.delivery import services
from kyosai.delivery.mail import EmlFileBackend
from kyosai.delivery.mailconfig import email_settings
from kyosai.delivery.models import AlertFiring, AlertRule, Delivery, Notification, Subscription
from kyosai.domain.alerts import fires
from kyosai.domain.evaluation import Mark
from kyosai.results import selectors
from kyosai.web.tests.federation import AS_OF

pytestmark = pytest.mark.django_db

ROLES = ["hq", "hq-staff", "viewer", "branch-14", "branch-01", "union-14001", None]


def _user(name):
    user = get_user_model().objects.get(username=name)
    if not user.email:
        user.email = f"{name}@example.org"
        user.save(update_fields=["email"])
    return user


def _cells(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row
                    if c.value is not None)


def _burst():
    # db_worker closes old connections between tasks: inside the test's transaction on PostgreSQL
    # that would close the test's own connection (SQLite's in-memory one is never closed)
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--burst", verbosity=0, stdout=io.StringIO())


# --- subscriptions ---------------------------------------------------------------------------

def test_a_subscription_mails_the_page_as_the_subscriber_sees_it(federation, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.KYOSAI_WEB_CACHE = False
    staff, hq = _user("branch-14"), _user("hq")
    with django_capture_on_commit_callbacks(execute=True):
        for user in (staff, hq):
            services.add_subscription(user, path="/regions/kantoko/", title="関東甲信越",
                                      fmt="xlsx", trigger="import", table="branches")
        assert services.queue_import_subscriptions(AS_OF) == 2
    _burst()
    assert len(mail.outbox) == 2
    by_user = {m.to[0]: m for m in mail.outbox}
    staff_text = _cells(by_user["branch-14@example.org"].attachments[0][1])
    hq_text = _cells(by_user["hq@example.org"].attachments[0][1])
    assert "東京" in staff_text
    assert "埼玉" not in staff_text  # another branch's row: only HQ sees it
    assert "埼玉" in hq_text
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SEND,
                                     object_type="delivery.delivery").count() == 2


def test_a_new_month_is_sent_once_per_subscription(federation, django_capture_on_commit_callbacks):
    sub = services.add_subscription(_user("branch-14"), path="/branches/14/", title="東京",
                                    fmt="link", trigger="import")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_import_subscriptions(AS_OF) == 1
        assert services.queue_import_subscriptions(AS_OF) == 0  # the same month again
    _burst()
    assert len(mail.outbox) == 1
    assert f"/branches/14/?as_of={AS_OF}" in mail.outbox[0].body
    assert not mail.outbox[0].attachments
    sub.refresh_from_db()
    assert sub.last_month == str(AS_OF)


def test_a_page_the_user_can_no_longer_see_is_not_sent(federation):
    staff = _user("branch-14")
    sub = Subscription.objects.create(user=staff, path="/branches/01/", title="北海道",
                                      format="xlsx")
    delivery = Delivery.objects.create(user=staff, subscription=sub, key="x", month=str(AS_OF))
    services.send_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert mail.outbox == []


def test_subscribing_to_a_page_one_cannot_see_is_refused(federation):
    with pytest.raises(services.ScopeError):
        services.page_path(_user("branch-01"), branch="14")
    with pytest.raises(CommandError):
        call_command("subscriptions_add", "branch-01", "--branch", "14", stdout=io.StringIO())
    with pytest.raises(services.ScopeError):
        services.page_path(_user("union-14001"))  # no national aggregates for an officer


def test_monthly_subscriptions_go_out_on_their_day_once(federation):
    sub = services.add_subscription(_user("hq"), path="/scorecard/", title="全国", fmt="link",
                                    trigger="monthly", day=5)
    assert services.send_due_monthly(datetime.date(2024, 12, 4)) == 0
    assert services.send_due_monthly(datetime.date(2024, 12, 5)) == 1
    assert services.send_due_monthly(datetime.date(2024, 12, 20)) == 0
    assert services.send_due_monthly(datetime.date(2025, 1, 5)) == 1
    assert Delivery.objects.filter(subscription=sub).count() == 2
    with pytest.raises(services.ScopeError):
        services.add_subscription(_user("hq"), path="/scorecard/", title="全国", fmt="link",
                                  trigger="monthly", day=31)


# --- retries ---------------------------------------------------------------------------------

class Down(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_failures_retry_with_backoff_then_give_up(federation, settings,
                                                  django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.Down"
    sub = services.add_subscription(_user("hq"), path="/scorecard/", title="全国", fmt="link",
                                    trigger="import")
    delivery = Delivery.objects.create(user=sub.user, subscription=sub, key="k", month="2024-11")
    waits = []
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        before = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            services.send_delivery(delivery.pk)
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        assert "SMTP server down" in delivery.last_error
        if attempt < services.MAX_ATTEMPTS:
            assert delivery.status == Delivery.Status.RETRYING
            assert delivery.next_attempt_at is not None
            waits.append(round((delivery.next_attempt_at - before).total_seconds() / 60))
    assert waits == [1, 2, 4, 8]
    assert delivery.status == Delivery.Status.FAILED
    assert DBTaskResult.objects.filter(
        args_kwargs__args=[delivery.pk]).count() == services.MAX_ATTEMPTS - 1  # retries queued
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.send_delivery(delivery.pk)  # a failed delivery stays failed
    assert mail.outbox == []


def test_a_retry_succeeds_and_the_failure_shows_on_the_page(federation, settings, client):
    settings.EMAIL_BACKEND = f"{__name__}.Down"
    hq = _user("hq")
    sub = services.add_subscription(hq, path="/scorecard/", title="全国", fmt="link",
                                    trigger="import")
    delivery = Delivery.objects.create(user=hq, subscription=sub, key="k", month="2024-11")
    services.send_delivery(delivery.pk)
    client.force_login(hq)
    page = client.get("/delivery/subscriptions/").content.decode()
    assert "再試行待ち" in page
    assert "SMTP server down" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.send_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)
    assert len(mail.outbox) == 1


# --- alerts ----------------------------------------------------------------------------------

def _firing_row():
    """A (condition, row) of branch 14 that holds in the federation's figures."""
    rows = selectors.scorecard(AS_OF, branch="14", by="group", access=SYSTEM)
    for condition in ("mark=×", "mark=△", "yoy<0"):
        for row in rows:
            if fires(condition, row):
                return condition, row
    pytest.fail("the federation has no row an alert can fire on")
    return None


def test_an_alert_fires_once_per_rule_and_month(federation, django_capture_on_commit_callbacks):
    condition, row = _firing_row()
    staff = _user("branch-14")
    rule = services.add_alert(staff, branch="14", item=row.code, by_kind="group",
                              measure=row.measure, condition=condition)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.evaluate_alerts(AS_OF) == 1
        assert services.evaluate_alerts(AS_OF) == 0
    _burst()
    firing = AlertFiring.objects.get(rule=rule)
    assert firing.month == str(AS_OF)
    note = Notification.objects.get(user=staff)
    assert note.link == f"/branches/14/?as_of={AS_OF}"
    assert row.label in note.message
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["branch-14@example.org"]
    assert AuditEntry.objects.filter(object_type="delivery.alertfiring").count() == 1
    # a rule that does not hold never fires
    quiet = services.add_alert(staff, branch="14", item=row.code, by_kind="group",
                               measure=row.measure, condition="below_pace",
                               points=Decimal(9999))
    services.evaluate_alerts(AS_OF)
    assert not AlertFiring.objects.filter(rule=quiet).exists()


def test_alerts_are_evaluated_after_an_import(federation, django_capture_on_commit_callbacks,
                                              tmp_path):
    condition, row = _firing_row()
    services.add_alert(_user("branch-14"), branch="14", item=row.code, measure=row.measure,
                       condition=condition)
    csv = tmp_path / "r.csv"
    csv.write_text("month,branch,union,product,measure,value\n"
                   "2024-11,14,14001,general,holdings,1\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_results", str(csv), verbosity=0, stdout=io.StringIO())
    assert DBTaskResult.objects.filter(task_path__endswith="after_import_task").exists()
    with django_capture_on_commit_callbacks(execute=True):
        _burst()
    assert AlertFiring.objects.count() == 1


def test_the_default_rules_watch_every_branchs_holdings_mark(federation):
    made = services.create_default_alerts()
    rules = AlertRule.objects.filter(is_default=True)
    assert made == rules.count() >= 2
    assert {r.user.username for r in rules} >= {"branch-14", "branch-01"}
    assert all(r.condition == "mark=×" and r.measure == "holdings" and r.item == "total"
               for r in rules)
    assert services.create_default_alerts() == 0  # idempotent


def _row(mark=None, achievement=None, pace=Decimal("41.67"), change=None):
    from kyosai.domain.measures import MEASURES
    from kyosai.domain.rollup import ScorecardRow

    return ScorecardRow("合計", "total", MEASURES["holdings"], "件数", AS_OF,
                        None, None, None, change, achievement, None, pace, mark)


def test_the_conditions_at_their_boundaries():
    assert fires("mark=×", _row(Mark.POOR))
    assert not fires("mark=×", _row(Mark.PARTIAL))
    assert fires("mark=△", _row(Mark.PARTIAL))
    assert fires("mark=△", _row(Mark.POOR))
    assert not fires("mark=△", _row(Mark.GOOD))
    # exactly N points below the pace does not fire; more than N does
    assert not fires("below_pace", _row(achievement=Decimal("36.67")), Decimal(5))
    assert fires("below_pace", _row(achievement=Decimal("36.66")), Decimal(5))
    assert not fires("below_pace", _row(achievement=None), Decimal(5))
    assert fires("yoy<0", _row(change=Decimal(-1)))
    assert not fires("yoy<0", _row(change=Decimal(0)))
    assert not fires("yoy<0", _row(change=None))


# --- commands, pages, mail settings ----------------------------------------------------------

def test_the_subscription_and_alert_commands(federation):
    out = io.StringIO()
    call_command("subscriptions_add", "branch-14", "--branch", "14", "--format", "xlsx",
                 "--on", "import", stdout=out)
    sub = Subscription.objects.get()
    assert sub.path == "/branches/14/"
    listing = io.StringIO()
    call_command("subscriptions_list", "--format", "csv", stdout=listing)
    assert "/branches/14/" in listing.getvalue()
    call_command("subscriptions_remove", str(sub.pk), stdout=io.StringIO())
    assert not Subscription.objects.exists()
    call_command("alerts_add", "branch-14", "--branch", "14", "--product", "general",
                 "--measure", "holdings", "--when", "mark=×", stdout=io.StringIO())
    rule = AlertRule.objects.get()
    assert (rule.by, rule.item) == ("product", "general")
    listing = io.StringIO()
    call_command("alerts_list", "branch-14", "--format", "csv", stdout=listing)
    assert "branch:14" in listing.getvalue()
    with pytest.raises(CommandError):
        call_command("alerts_add", "branch-14", "--branch", "01", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("alerts_add", "hq", "--branch", "14", "--when", "below_pace",
                     stdout=io.StringIO())
    call_command("alerts_remove", str(rule.pk), stdout=io.StringIO())
    assert not AlertRule.objects.exists()


def test_the_delivery_pages_permission_matrix(federation, client):
    hq_sub = services.add_subscription(_user("hq"), path="/scorecard/", title="全国", fmt="link",
                                       trigger="import")
    for role in ROLES:
        client.logout()
        if role:
            client.force_login(get_user_model().objects.get(username=role))
        for url in ("/delivery/subscriptions/", "/delivery/notifications/"):
            assert client.get(url).status_code == (200 if role else 302), (url, role)
        response = client.post("/delivery/subscriptions/",
                               {"action": "unsubscribe", "id": hq_sub.pk})
        expected = (302 if role == "hq" else 404) if role else 302
        assert response.status_code == expected, role
        if role == "hq":
            hq_sub = services.add_subscription(_user("hq"), path="/scorecard/", title="全国",
                                               fmt="link", trigger="import")
        response = client.post("/delivery/notifications/")
        assert response.status_code == (405 if role else 302), role


def test_a_branch_cannot_subscribe_to_another_branch_on_the_page(federation, client):
    client.force_login(get_user_model().objects.get(username="branch-01"))
    client.post("/delivery/subscriptions/", {"action": "subscribe", "scope": "branch",
                                             "code": "14", "format": "xlsx"})
    assert not Subscription.objects.exists()
    client.post("/delivery/subscriptions/", {"action": "subscribe", "scope": "branch",
                                             "code": "01", "format": "xlsx"})
    assert Subscription.objects.get().path == "/branches/01/"


def test_the_eml_backend_writes_one_file_per_message(tmp_path):
    backend = EmlFileBackend(file_path=str(tmp_path))
    messages = [mail.EmailMessage("件名", "本文", to=["a@example.org"]) for _ in range(3)]
    assert backend.send_messages(messages) == 3
    files = sorted(Path(tmp_path).glob("*.eml"))
    assert len(files) == 3
    assert b"Subject: =?utf-8?" in files[0].read_bytes()


def test_mail_settings_from_the_environment(tmp_path):
    default = email_settings({}, tmp_path)
    assert default["EMAIL_BACKEND"] == "kyosai.delivery.mail.EmlFileBackend"
    assert default["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    url = email_settings({"EMAIL_URL": "smtp://u%40x:p%2Fw@mail.example.org:587?tls=1"}, tmp_path)
    assert (url["EMAIL_HOST"], url["EMAIL_PORT"], url["EMAIL_HOST_USER"],
            url["EMAIL_HOST_PASSWORD"], url["EMAIL_USE_TLS"], url["EMAIL_USE_SSL"]) == (
        "mail.example.org", 587, "u@x", "p/w", True, False)
    ssl = email_settings({"EMAIL_URL": "smtps://mail.example.org"}, tmp_path)
    assert (ssl["EMAIL_PORT"], ssl["EMAIL_USE_SSL"], ssl["EMAIL_USE_TLS"]) == (465, True, False)
    host = email_settings({"EMAIL_HOST": "smtp.local", "EMAIL_PORT": "2525",
                           "EMAIL_USE_TLS": "true"}, tmp_path)
    assert (host["EMAIL_HOST"], host["EMAIL_PORT"], host["EMAIL_USE_TLS"]) == ("smtp.local", 2525,
                                                                               True)
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        email_settings({"EMAIL_URL": "http://mail"}, tmp_path)
    with pytest.raises(ImproperlyConfigured):
        email_settings({"EMAIL_HOST": "h", "EMAIL_PORT": "x"}, tmp_path)


def test_a_pdf_subscription_attaches_the_page_as_the_subscriber_sees_it(federation, settings):
    settings.KYOSAI_WEB_CACHE = False
    officer = _user("union-14001")
    sub = services.add_subscription(officer, path="/unions/14001/", title="東京第一単組",
                                    fmt="pdf", trigger="import")
    delivery = Delivery.objects.create(user=officer, subscription=sub, key="p", month=str(AS_OF))
    assert services.send_delivery(delivery.pk).status == Delivery.Status.SENT
    _name, content, mimetype = mail.outbox[0].attachments[0]
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")


def test_report_builds_are_queued_for_the_worker(db, django_capture_on_commit_callbacks):
    from kyosai.domain.periods import HalfYear, YearMonth
    from kyosai.reports import services as reports

    with django_capture_on_commit_callbacks(execute=True):
        build = reports.start_build(user=None, as_of=YearMonth(2024, 11),
                                    period=HalfYear(2024, 1), formats=["html"])
    queued = DBTaskResult.objects.get(task_path__endswith="run_build_task")
    assert queued.args_kwargs["args"] == [build.pk]
