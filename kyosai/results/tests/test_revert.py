"""kyosai imports revert: the state before an import comes back exactly, or a Japanese refusal."""

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.core import filestore
from kyosai.core.models import AuditEntry
from kyosai.org.models import Branch, Union
from kyosai.results.models import (
    BranchResult,
    BranchTarget,
    ImportLog,
    MonthlyResult,
    ReplacedValue,
    Target,
    TargetRevision,
)
from kyosai.results.revert import RevertRefused, revert_import
from kyosai.results.services import import_file

pytestmark = pytest.mark.django_db

HEADER = "month,branch,union,product,measure,value\n"
TARGETS = "fiscal_year,kind,branch,union,product,measure,value\n"


@pytest.fixture(autouse=True)
def home(settings, tmp_path):
    settings.KYOSAI_HOME = tmp_path
    return tmp_path


@pytest.fixture
def federation():
    call_command("init", stdout=io.StringIO())
    tokyo = Branch.objects.get(code="14")
    Union.objects.create(code="140001", name="第一単組", branch=tokyo)
    Union.objects.create(code="140002", name="第二単組", branch=tokyo)
    Union.objects.create(code="130001", name="第三単組", branch=Branch.objects.get(code="13"))


def run(text: str, dataset: str = "results", name: str = "r.csv"):
    outcome = import_file(dataset, name, text.encode())
    assert outcome.ok, outcome.errors
    return outcome


def state() -> dict[str, set[tuple[Any, ...]]]:
    """Every stored value and rollup, by key (ids, as a backup would compare them)."""
    return {
        "results": set(MonthlyResult.objects.values_list(
            "id", "month", "branch_id", "union_id", "product_id", "measure_id", "value",
            "last_import")),
        "rollups": set(BranchResult.objects.values_list(
            "month", "branch_id", "product_id", "measure_id", "value")),
        "targets": set(Target.objects.values_list(
            "id", "fiscal_year_id", "kind", "branch_id", "union_id", "product_id", "measure_id",
            "value", "last_import")),
        "target_rollups": set(BranchTarget.objects.values_list(
            "fiscal_year", "kind", "branch_id", "product_id", "measure_id", "value")),
    }


def revert(log_id: int, *extra: str) -> str:
    out = io.StringIO()
    call_command("imports_revert", str(log_id), *extra, stdout=out)
    return out.getvalue()


def test_revert_deletes_added_rows_restores_replaced_values_and_rollups(federation):
    run(HEADER + "2024-11,14,140001,general,holdings,10\n"
                 "2024-11,14,,general,premiums,100\n"
                 "2024-11,,,vehicle_damage,付帯率,58.92\n")
    before = state()
    second = run(HEADER + "2024-11,14,140001,general,holdings,12\n"
                          "2024-11,14,140002,general,holdings,5\n"
                          "2024-11,14,,general,premiums,120\n"
                          "2024-11,,,vehicle_damage,付帯率,60\n"
                          "2024-10,13,130001,general,holdings,7\n")
    assert state() != before
    assert ReplacedValue.objects.filter(import_log=second.log).count() == 3
    out = revert(second.log.pk)
    assert "削除 2 行、復元 3 行" in out
    assert state() == before
    log = ImportLog.objects.get(pk=second.log.pk)
    assert log.reverted_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT_REVERT)
    assert entry.object_id == str(log.pk)
    assert entry.detail is not None
    assert entry.detail["rows_deleted"] == 2
    assert entry.detail["rows_restored"] == 3


def test_reverting_the_first_import_leaves_nothing(federation):
    first = run(HEADER + "2024-11,14,140001,general,holdings,10\n2024-11,14,,general,premiums,9\n")
    revert(first.log.pk)
    assert MonthlyResult.objects.count() == 0
    assert BranchResult.objects.count() == 0


def test_a_dry_run_counts_and_writes_nothing(federation):
    run(HEADER + "2024-11,14,140001,general,holdings,10\n")
    second = run(HEADER + "2024-11,14,140001,general,holdings,11\n"
                          "2024-11,14,140002,general,holdings,1\n")
    after = state()
    out = revert(second.log.pk, "--dry-run")
    assert "検証のみ" in out
    assert "削除 1 行、復元 1 行" in out
    assert state() == after
    assert ImportLog.objects.get(pk=second.log.pk).reverted_at is None
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT_REVERT).exists()


def test_a_later_import_of_the_same_keys_blocks_the_revert_until_it_is_reverted(federation):
    run(HEADER + "2024-11,14,140001,general,holdings,10\n")
    before = state()
    second = run(HEADER + "2024-11,14,140001,general,holdings,11\n")
    middle = state()
    third = run(HEADER + "2024-11,14,140001,general,holdings,12\n")
    with pytest.raises(CommandError) as refused:
        revert(second.log.pk)
    assert refused.value.returncode == 2
    assert f"取込番号 {third.log.pk}" in str(refused.value)
    assert "先に後の取込を取り消してください" in str(refused.value)
    revert(third.log.pk)
    assert state() == middle
    revert(second.log.pk)
    assert state() == before


def test_a_later_import_of_other_keys_does_not_block(federation):
    first = run(HEADER + "2024-11,14,140001,general,holdings,10\n")
    run(HEADER + "2024-11,14,140002,general,holdings,3\n2024-10,14,140001,general,holdings,9\n")
    revert(first.log.pk)
    assert set(MonthlyResult.objects.values_list("union__code", "month__month", "value")) == {
        ("140002", 11, Decimal(3)), ("140001", 10, Decimal(9))}
    assert {(r.month.month, r.value) for r in BranchResult.objects.all()} == {
        (11, Decimal(3)), (10, Decimal(9))}


def test_an_added_key_replaced_later_blocks_too(federation):
    first = run(HEADER + "2024-11,14,140001,general,holdings,10\n")
    second = run(HEADER + "2024-11,14,140001,general,holdings,11\n")
    with pytest.raises(RevertRefused, match=f"取込番号 {second.log.pk}"):
        revert_import(first.log.pk)


def test_a_union_that_moved_goes_back_to_its_old_branch(federation):
    run(HEADER + "2024-11,14,140002,general,holdings,5\n2024-11,14,140001,general,holdings,3\n")
    before = state()
    Union.objects.filter(code="140002").update(branch=Branch.objects.get(code="13"))
    moved = run(HEADER + "2024-11,13,140002,general,holdings,6\n")
    moved_row = MonthlyResult.objects.get(union__code="140002")
    assert moved_row.branch is not None
    assert moved_row.branch.code == "13"
    revert(moved.log.pk)
    assert state() == before


def test_targets_are_reverted_too(federation):
    run(TARGETS + "2024,official,14,140001,general,holdings,100\n", "targets")
    before = state()
    second = run(TARGETS + "2024,official,14,140001,general,holdings,120\n"
                           "2024,own,14,,general,premiums,5000\n", "targets")
    revert(second.log.pk)
    assert state() == before


REVISIONS = "fiscal_year,kind,revision,effective_from,branch,union,product,measure,value\n"


def test_reverting_a_targets_import_removes_the_revisions_it_brought(federation):
    run(TARGETS + "2024,official,14,140001,general,holdings,100\n", "targets")
    before = state()
    revisions_before = set(TargetRevision.objects.values_list(
        "fiscal_year", "kind", "revision", "effective_from"))
    second = run(REVISIONS + "2024,official,2,2024-12,14,140001,general,holdings,120\n", "targets")
    assert TargetRevision.objects.filter(fiscal_year=2024, revision=2).exists()
    revert(second.log.pk)
    assert state() == before
    assert set(TargetRevision.objects.values_list(
        "fiscal_year", "kind", "revision", "effective_from")) == revisions_before
    detail = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT_REVERT).detail
    assert detail is not None
    assert detail["revisions_removed"] == 1


def test_a_revision_another_import_still_holds_stays(federation):
    first = run(REVISIONS + "2024,official,2,2024-12,14,140001,general,holdings,120\n", "targets")
    second = run(REVISIONS + "2024,official,2,2024-12,13,130001,general,holdings,7\n", "targets")
    revert(second.log.pk)
    assert TargetRevision.objects.filter(fiscal_year=2024, revision=2).exists()
    revert(first.log.pk)
    assert not TargetRevision.objects.exists()


def test_twice_unknown_and_demo_are_refused_in_one_japanese_line(federation):
    outcome = run(HEADER + "2024-11,14,140001,general,holdings,10\n")
    revert(outcome.log.pk)
    for log_id, reason in ((outcome.log.pk, "取り消し済み"), (99999, "ありません")):
        with pytest.raises(CommandError, match=reason) as refused:
            revert(log_id)
        assert "\n" not in str(refused.value)
    demo = ImportLog.objects.create(source=ImportLog.Source.DEMO, dataset="results",
                                    file_name="demo", sha256="0" * 64)
    with pytest.raises(RevertRefused, match="デモデータ"):
        revert_import(demo.pk)


def test_demo_data_after_an_import_blocks_its_revert(federation):
    outcome = run(HEADER + "2024-11,14,140001,general,holdings,10\n")
    ImportLog.objects.create(source=ImportLog.Source.DEMO, dataset="results", file_name="demo",
                             sha256="0" * 64)
    with pytest.raises(RevertRefused, match="デモデータ"):
        revert_import(outcome.log.pk)


def test_rows_changed_outside_imports_block_the_revert(federation):
    outcome = run(HEADER + "2024-11,14,140001,general,holdings,10\n")
    MonthlyResult.objects.all().delete()
    with pytest.raises(RevertRefused, match="取込以外の方法"):
        revert_import(outcome.log.pk)


def test_the_file_is_kept_by_content_and_listed_with_the_status(federation, home):
    text = HEADER + "2024-11,14,140001,general,holdings,10\n"
    outcome = run(text)
    kept = home / "imports" / outcome.sha256[:2] / outcome.sha256
    assert kept.read_bytes() == text.encode()
    assert filestore.path_for(outcome.sha256) == kept
    revert(outcome.log.pk)
    out = io.StringIO()
    call_command("imports", "--format", "json", stdout=out)
    (listed,) = json.loads(out.getvalue())
    assert listed["id"] == str(outcome.log.pk)
    assert listed["状態"] == "取消済"
    assert listed["保存ファイル"] == f"imports/{outcome.sha256[:2]}/{outcome.sha256}"
    table = io.StringIO()
    call_command("imports", stdout=table)
    assert "取消済" in table.getvalue()
    # The kept file reproduces the import.
    again = import_file("results", "again.csv", kept.read_bytes())
    assert again.rows_added == 1


def test_a_revert_changes_the_data_version_the_web_cache_is_keyed_by(federation):
    from kyosai.web.cache import data_version

    run(HEADER + "2024-11,14,140001,general,holdings,10\n")
    second = run(HEADER + "2024-11,14,140001,general,holdings,11\n")
    before = data_version()
    revert_import(second.log.pk)
    assert data_version() != before
