"""kyosai import activity-log|support are logged and undone: the entries an import replaced come
back exactly and those it added go."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.core.models import AuditEntry
from kyosai.results.models import ImportLog, ImportSnapshot
from kyosai.workbench.models import ActivityEntry, SupportEntry
from kyosai.workbench.services import save_activity
from tests.reverting import assert_file_kept, last_import_id, refused, revert, rows_of

pytestmark = pytest.mark.django_db

HEADER = "branch,date,kind,union,participants,organisers_pref,organisers_branch,organisers_zenrosai,note,ref\n"
SUPPORT_HEADER = "branch,date,kind,work,amount,note\n"


@pytest.fixture(autouse=True)
def home(settings, tmp_path):
    settings.KYOSAI_HOME = tmp_path / "home"


def run_import(command: str, tmp_path: Path, name: str, text: str) -> int:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    call_command(command, str(path), stdout=io.StringIO(), stderr=io.StringIO(), verbosity=0)
    return last_import_id()


def test_reverting_an_activity_import_restores_what_it_replaced(organisation, tmp_path):
    run_import("import_activity_log", tmp_path, "a.csv",
               HEADER + "14,2024-06-03,officer_study,14001,10,,,,,A-1\n"
                        "13,2024-06-03,committee,,,,,,,A-1\n"
                        "14,2024-06-05,committee,,,,,,,\n")
    after_first = rows_of(ActivityEntry)
    text = HEADER + "14,2024-06-04,officer_study,14002,12,,,,,A-1\n14,2024-07-01,committee,,,,,,,\n"
    log_id = run_import("import_activity_log", tmp_path, "b.csv", text)
    log = ImportLog.objects.get(pk=log_id)
    assert (log.dataset, log.rows_added, log.rows_replaced) == ("activity_log", 1, 1)
    assert_file_kept(log_id, text.encode())
    assert "削除 1 行、復元 1 行" in revert(log_id)
    assert rows_of(ActivityEntry) == after_first


def test_an_activity_import_is_refused_after_a_later_one_replaced_its_entries(organisation, tmp_path):
    first = run_import("import_activity_log", tmp_path, "a.csv",
                       HEADER + "14,2024-06-03,officer_study,14001,10,,,,,A-1\n")
    run_import("import_activity_log", tmp_path, "other.csv",
               HEADER + "14,2024-06-03,committee,,,,,,,B-1\n")  # another entry: no obstacle
    later = run_import("import_activity_log", tmp_path, "b.csv",
                       HEADER + "14,2024-06-04,officer_study,14001,11,,,,,A-1\n")
    assert f"後の取込（取込番号 {later}）" in refused(first)
    revert(later)
    revert(first)
    assert list(ActivityEntry.objects.values_list("ref", flat=True)) == ["B-1"]


def test_an_activity_import_is_refused_after_a_web_edit(organisation, tmp_path):
    log_id = run_import("import_activity_log", tmp_path, "a.csv",
                        HEADER + "14,2024-06-03,committee,,,,,,,\n")
    entry = ActivityEntry.objects.get()
    entry.participants = 30
    save_activity(entry, user=None)
    before = rows_of(ActivityEntry, ImportLog)
    assert "取込以外の方法" in refused(log_id)
    assert rows_of(ActivityEntry, ImportLog) == before


def test_reverting_a_support_import_removes_its_entries_only(organisation, tmp_path):
    run_import("import_support", tmp_path, "a.csv", SUPPORT_HEADER + "14,2024-07-01,special_fund,,300000,\n")
    after_first = rows_of(SupportEntry)
    text = SUPPORT_HEADER + "14,2024-08-01,special_fund,,200000,\n14,2024-08-02,staff_dispatch,,1.5,\n"
    log_id = run_import("import_support", tmp_path, "b.csv", text)
    assert_file_kept(log_id, text.encode())
    before = rows_of(SupportEntry, ImportLog, AuditEntry)
    assert "削除 2 行、復元 0 行" in revert(log_id, "--dry-run")
    assert rows_of(SupportEntry, ImportLog, AuditEntry) == before
    revert(log_id)
    assert rows_of(SupportEntry) == after_first


def test_a_bad_ledger_file_leaves_no_log_and_no_snapshot(organisation, tmp_path):
    with pytest.raises(CommandError):
        run_import("import_support", tmp_path, "bad.csv", SUPPORT_HEADER + "99,2024-07-01,special_fund,,1,\n")
    assert not ImportLog.objects.exists()
    assert not ImportSnapshot.objects.exists()
