"""The retention policy (KYOSAI_PERSONAL_DATA_RETENTION_DAYS): `kyosai members purge --retention`
and the daily purge of `kyosai worker`, at the boundary days of the cut-off (today − N days).

On 2025-03-10 (JST) with 100 days the cut-off is 2024-11-30: a member who left (left_on, the first
day no longer a member) on 2024-11-29 is purged; on 2024-11-30 (exactly 100 days ago) or later,
in the future or never, kept."""

import io
from datetime import date
from unittest import mock

import pytest
import time_machine
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import QuerySet

from kyosai.core.models import AuditEntry
from kyosai.domain.members import is_past_retention
from kyosai.members import services
from kyosai.members.checks import RETENTION_UNSET
from kyosai.members.models import (
    Contract,
    FollowUp,
    InspectionCall,
    Member,
    NewHireStatus,
    RetentionRun,
    TransitionStatus,
)
from kyosai.members.tests.conftest import MEMBERS
from kyosai.org.models import Branch, Union
from kyosai.results.models import BranchResult, ImportLog, MonthlyResult, Target

pytestmark = pytest.mark.django_db

DAYS = 100
TODAY = "2025-03-10 09:00 +0900"  # cut-off 2024-11-30
#: (union, member_no) → left_on around the cut-off
LEFT = {
    ("14001", "10"): date(2024, 11, 29),  # the day before the cut-off: purged
    ("14001", "12"): date(2024, 11, 30),  # on the cut-off (the roster's own): kept
    ("14001", "11"): date(2024, 12, 1),   # the day after: kept
    ("14002", "1"): date(2025, 4, 1),     # leaves in the future: kept
}
#: every name, kana and birth date of the test roster
PERSONAL = [value for row in MEMBERS for value in row.split(",")[2:5]]


@pytest.fixture
def leavers(roster, settings):
    settings.KYOSAI_PERSONAL_DATA_RETENTION_DAYS = DAYS
    for (union, number), day in LEFT.items():
        Member.objects.filter(union__code=union, member_no=number).update(left_on=day)
    return roster


def _remaining() -> set[tuple[str, str]]:
    return set(Member.objects.values_list("union__code", "member_no"))


def _everything_else() -> dict[str, int]:
    """What the purge must never touch."""
    return {"unions": Union.objects.count(), "branches": Branch.objects.count(),
            "results": MonthlyResult.objects.count(), "branch_results": BranchResult.objects.count(),
            "targets": Target.objects.count(), "imports": ImportLog.objects.count()}


def _purge(*extra: str) -> str:
    out = io.StringIO()
    call_command("members_purge", "--retention", *extra, stdout=out)
    return out.getvalue()


def _burst(verbosity: int = 0) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    # as in the delivery tests: db_worker must not close the test's own connection
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--burst", verbosity=verbosity, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- kyosai members purge --retention --------------------------------------------------------

def test_the_boundary_days_around_the_cut_off(leavers):
    everyone = _remaining()
    with time_machine.travel(TODAY, tick=False):
        dry = _purge("--dry-run")
        assert "2024年11月30日より前に脱退" in dry
        assert "組合員 1 人" in dry
        assert _remaining() == everyone
        _purge()
    assert _remaining() == everyone - {("14001", "10")}
    assert not Contract.objects.filter(contract_no="C003").exists()  # member 10's contract
    with time_machine.travel("2025-03-11 09:00 +0900", tick=False):  # the next day
        assert "組合員 1 人" in _purge()
    assert _remaining() == everyone - {("14001", "10"), ("14001", "12")}
    assert Member.objects.filter(left_on__isnull=True).count() == len(MEMBERS) - len(LEFT)


def test_the_purged_are_exactly_those_past_retention_by_the_domain_rule(leavers):
    today = date(2025, 3, 10)
    expected = {(m.union.code, m.member_no) for m in Member.objects.select_related("union")
                if not is_past_retention(m.left_on, today, DAYS)}
    with time_machine.travel(TODAY, tick=False):
        _purge()
    assert _remaining() == expected


def test_the_purge_keeps_results_unions_and_imports_and_audits_counts_only(leavers):
    before = _everything_else()
    with time_machine.travel(TODAY, tick=False):
        _purge()
    assert _everything_else() == before
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PURGE)
    assert entry.detail is not None
    assert entry.detail["members"] == 1
    assert entry.detail["contracts"] == 1
    assert entry.detail["retention_days"] == DAYS
    assert entry.detail["left_before"] == "2024-11-30"
    assert entry.detail["unions"] == {"14001": 1}
    trail = f"{entry.detail} {entry.object_repr} {entry.object_id}"
    assert not [value for value in PERSONAL if value and value in trail]


def test_nothing_to_purge_writes_no_audit_entry(leavers):
    with time_machine.travel("2024-12-01 09:00 +0900", tick=False):  # cut-off 2024-08-23
        assert "組合員 0 人" in _purge()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PURGE).exists()
    assert Member.objects.count() == len(MEMBERS)


def test_the_marks_of_a_purged_member_go_with_them_and_others_stay(leavers):
    gone = Member.objects.get(union__code="14001", member_no="10")
    stays = Member.objects.get(union__code="14001", member_no="12")
    for member in (gone, stays):
        TransitionStatus.objects.create(member=member, fiscal_year=2024, status="pending",
                                        on=date(2024, 10, 1))
        NewHireStatus.objects.create(member=member, year=2024, status="briefed",
                                     on=date(2024, 4, 10))
        FollowUp.objects.create(member=member, product_id=Contract.objects.filter(
            member=member).values_list("product_id", flat=True)[0], status="contacted",
            on=date(2024, 10, 2))
        contract = Contract.objects.filter(member=member).first()
        assert contract is not None
        InspectionCall.objects.create(contract=contract, due_month=date(2025, 4, 1),
                                      kind="called", on=date(2024, 10, 3))
    with time_machine.travel(TODAY, tick=False):
        out = _purge()
    assert "移行確認・新採用者の状況と車検案内の記録 3 件" in out
    for model in (TransitionStatus, NewHireStatus, FollowUp):
        assert list(model.objects.values_list("member_id", flat=True)) == [stays.pk]
    assert list(InspectionCall.objects.values_list("contract__member_id", flat=True)) == [stays.pk]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PURGE)
    assert entry.detail is not None
    assert entry.detail["statuses"] == 3
    assert entry.detail["follow_ups"] == 1


def test_without_a_retention_setting_the_purge_is_refused(leavers, settings):
    settings.KYOSAI_PERSONAL_DATA_RETENTION_DAYS = None
    with pytest.raises(CommandError) as caught:
        _purge()
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "KYOSAI_PERSONAL_DATA_RETENTION_DAYS" in message
    assert "\n" not in message
    assert Member.objects.count() == len(MEMBERS)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PURGE).exists()


def test_retention_and_a_date_are_one_or_the_other(leavers):
    for args in (("--retention", "--left-before", "2024-12-01"), ()):
        with pytest.raises(CommandError):
            call_command("members_purge", *args, stdout=io.StringIO())
    assert Member.objects.count() == len(MEMBERS)


# --- kyosai worker ---------------------------------------------------------------------------

def test_the_worker_purges_once_a_day_and_a_restart_does_not_purge_again(leavers):
    everyone = _remaining()
    with time_machine.travel(TODAY, tick=False):
        out, _ = _burst(verbosity=1)
    assert "2024年11月30日より前に脱退した組合員 1 人" in out
    assert _remaining() == everyone - {("14001", "10")}
    run = RetentionRun.objects.get()
    assert (run.day, run.left_before, run.retention_days, run.members) == (
        date(2025, 3, 10), date(2024, 11, 30), DAYS, 1)
    # a member who left long ago appears (say by an import); the worker restarts 40 s later
    Member.objects.filter(union__code="14002", member_no="2").update(left_on=date(2024, 1, 31))
    with time_machine.travel("2025-03-10 09:00:40 +0900", tick=False):
        _burst()
    assert ("14002", "2") in _remaining()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PURGE).count() == 1
    # the next local day begins at midnight in Japan (15:00 UTC the day before)
    with time_machine.travel("2025-03-11 00:00:30 +0900", tick=False):
        _burst()
    assert _remaining() == everyone - {("14001", "10"), ("14001", "12"), ("14002", "2")}
    assert RetentionRun.objects.count() == 2


def test_a_worker_stopped_for_days_purges_on_its_first_sweep(leavers):
    with time_machine.travel(TODAY, tick=False):
        _burst()
    # stopped on the 11th, 12th and 13th: on the 14th the cut-off is 2024-12-04
    with time_machine.travel("2025-03-14 08:00 +0900", tick=False):
        _burst()
    assert not Member.objects.filter(left_on__lt=date(2024, 12, 4)).exists()
    assert Member.objects.filter(union__code="14002", member_no="1").exists()  # leaves in April
    assert list(RetentionRun.objects.order_by("day").values_list("day", flat=True)) == [
        date(2025, 3, 10), date(2025, 3, 14)]


def test_the_worker_without_a_setting_purges_nothing(leavers, settings):
    settings.KYOSAI_PERSONAL_DATA_RETENTION_DAYS = None
    with time_machine.travel(TODAY, tick=False):
        _burst()
    assert Member.objects.count() == len(MEMBERS)
    assert not RetentionRun.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PURGE).exists()


def test_a_failed_purge_claims_no_day_and_the_next_sweep_retries(leavers):
    failing = mock.patch.object(services, "purge_past_retention", side_effect=RuntimeError("x"))
    with time_machine.travel(TODAY, tick=False):
        with failing:
            _, err = _burst()
        assert "削除に失敗しました" in err
        assert not RetentionRun.objects.exists()
        assert Member.objects.count() == len(MEMBERS)
        _burst()
    assert not Member.objects.filter(union__code="14001", member_no="10").exists()
    assert RetentionRun.objects.get().members == 1


def test_a_day_another_worker_claimed_meanwhile_is_left_to_it(leavers):
    # the other worker's claim lands between this one's look and its own claim (unique day)
    RetentionRun.objects.create(day=date(2025, 3, 10), retention_days=DAYS,
                                left_before=date(2024, 11, 30))
    with time_machine.travel(TODAY, tick=False), \
            mock.patch.object(QuerySet, "exists", side_effect=[False, True]):
        assert services.apply_retention_policy() is None
    assert Member.objects.count() == len(MEMBERS)
    assert RetentionRun.objects.count() == 1


# --- the deploy check --------------------------------------------------------------------------

def test_check_deploy_warns_without_a_retention_policy(settings):
    settings.KYOSAI_PERSONAL_DATA_RETENTION_DAYS = None
    found = checks.run_checks(include_deployment_checks=True, tags=["kyosai"])
    assert [message.id for message in found] == [RETENTION_UNSET]
    assert found[0].level == checks.WARNING
    settings.KYOSAI_PERSONAL_DATA_RETENTION_DAYS = 1825
    assert checks.run_checks(include_deployment_checks=True, tags=["kyosai"]) == []
    settings.KYOSAI_PERSONAL_DATA_RETENTION_DAYS = None
    assert checks.run_checks(tags=["kyosai"]) == []  # a deploy check only
