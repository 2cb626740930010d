"""kyosai imports revert for the union master: import A, import B over it, revert B → the state
after A, row for row; A cannot be reverted while B's changes stand."""

import io

import pytest
from django.core.management import call_command

from kyosai.core.models import AuditEntry
from kyosai.org.imports import import_unions
from kyosai.org.models import Branch, Union
from kyosai.results.models import BranchResult, ImportLog, MonthlyResult
from kyosai.results.revert import RevertRefused, revert_import
from kyosai.results.services import import_file

pytestmark = pytest.mark.django_db

HEADER = "code,name,branch,members,officers,active\n"
RESULTS = "month,branch,union,product,measure,value\n"


@pytest.fixture(autouse=True)
def federation(settings, tmp_path):
    settings.KYOSAI_HOME = tmp_path
    call_command("init", stdout=io.StringIO())


def unions(text: str) -> ImportLog:
    outcome = import_unions("u.csv", (HEADER + text).encode())
    assert outcome.ok, outcome.errors
    assert outcome.log is not None
    return outcome.log


def state() -> dict[str, set[tuple[object, ...]]]:
    return {
        "unions": set(Union.objects.values_list("id", "code", "name", "branch_id", "members",
                                                "officers", "active")),
        "results": set(MonthlyResult.objects.values_list("id", "branch_id", "union_id", "value")),
        "rollups": set(BranchResult.objects.values_list("month", "branch_id", "product_id",
                                                        "measure_id", "value")),
    }


def test_reverting_b_gives_back_the_state_after_a(federation):
    unions("140001,第一単組,14,100,5,1\n140002,第二単組,14,80,4,1\n")
    outcome = import_file("results", "r.csv", (RESULTS + "2024-11,14,140002,general,holdings,7\n")
                          .encode())
    assert outcome.ok, outcome.errors
    after_a = state()
    second = unions("140001,第一単組（改）,14,120,5,1\n"   # changed
                    "140002,第二単組,13,80,4,1\n"          # moved to 埼玉 with its results
                    "140003,第三単組,14,50,2,1\n")         # created
    assert MonthlyResult.objects.get(union__code="140002").branch == Branch.objects.get(code="13")
    revert_import(second.pk)
    assert state() == after_a
    second.refresh_from_db()
    assert second.reverted_at is not None
    detail = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT_REVERT).detail
    assert detail is not None
    detail.pop("os_user", None)  # who ran the command on the server, when it is one
    assert detail == {"dataset": "unions", "sha256": second.sha256, "rows_deleted": 1,
                      "rows_restored": 2}


def test_a_is_refused_while_b_changed_the_same_unions(federation):
    first = unions("140001,第一単組,14,100,5,1\n")
    second = unions("140001,第一単組,14,130,5,1\n")
    before = state()
    with pytest.raises(RevertRefused, match=f"取込番号 {first.pk} の後に単組"):
        revert_import(first.pk)
    assert state() == before
    revert_import(second.pk)
    revert_import(first.pk)  # now it can: nothing of the first import remains
    assert not Union.objects.filter(code="140001").exists()


def test_a_created_union_with_results_since_is_not_deleted(federation):
    first = unions("140009,新単組,14,,,1\n")
    assert import_file("results", "r.csv", (RESULTS + "2024-11,14,140009,general,holdings,3\n")
                       .encode()).ok
    with pytest.raises(RevertRefused, match="140009"):
        revert_import(first.pk)
    assert Union.objects.filter(code="140009").exists()


def test_a_dry_run_counts_and_writes_nothing(federation):
    unions("140001,第一単組,14,100,5,1\n")
    second = unions("140001,第一単組,01,100,5,1\n140002,第二単組,14,,,1\n")
    before = state()
    outcome = revert_import(second.pk, dry_run=True)
    assert (outcome.rows_deleted, outcome.rows_restored, outcome.applied) == (1, 1, False)
    assert state() == before
    assert Union.objects.get(code="140001").branch == Branch.objects.get(code="01")
