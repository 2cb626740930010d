"""kyosai import appendix is logged and undone: the table's rows of the year come back exactly."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.activities.models import NewHireResult, SmallLotHolding
from kyosai.activities.registers import binding_for
from kyosai.activities.services import save_record
from kyosai.core.models import AuditEntry
from kyosai.org.models import Branch, Union
from kyosai.org.services import load_organisation
from kyosai.results.models import ImportLog, ImportSnapshot
from tests.reverting import assert_file_kept, imports, last_import_id, refused, revert, rows_of

pytestmark = pytest.mark.django_db

NEW_HIRES = ("code,branch,effective_months,coop_joined_cur,coop_joined_prev,life_joined_cur,"
             "life_joined_prev,rate_cur_pct,rate_prev_pct\n")
SMALL_LOT = "prefecture,holdings,union\n"


@pytest.fixture(autouse=True)
def organisation(settings, tmp_path):
    settings.KYOSAI_HOME = tmp_path / "home"
    load_organisation()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(kind: str, path: Path, year: int = 2024) -> int:
    call_command("import_appendix", kind, str(path), "--fiscal-year", str(year),
                 stdout=io.StringIO(), stderr=io.StringIO())
    return last_import_id()


def test_reverting_the_later_import_gives_back_the_rows_after_the_first(tmp_path):
    first = write(tmp_path, "a.csv", NEW_HIRES + "13,埼玉,6,339,376,12,2,3.5,0.5\n"
                                                 "14,東京,1,2140,1840,130,110,6.1,6.0\n")
    second = write(tmp_path, "b.csv", NEW_HIRES + "13,埼玉,6,400,376,20,2,5.0,0.5\n"
                                                  "15,千葉,10,662,620,91,61,13.7,9.8\n")
    run_import("new_hires", first)
    after_first = rows_of(NewHireResult)
    log_id = run_import("new_hires", second)
    assert rows_of(NewHireResult) != after_first
    log = ImportLog.objects.get(pk=log_id)
    assert (log.dataset, log.rows_total, log.rows_added, log.rows_replaced) == ("appendix", 2, 1, 1)
    assert_file_kept(log_id, second.read_bytes())

    output = revert(log_id)
    assert "削除 1 行、復元 1 行" in output
    assert rows_of(NewHireResult) == after_first  # every field, timestamps and ids included
    assert imports()[0]["状態"] == "取消済"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT_REVERT)
    assert entry.object_id == str(log_id)
    assert entry.detail is not None
    assert entry.detail | {"dataset": "appendix", "sha256": log.sha256, "rows_deleted": 1,
                           "rows_restored": 1} == entry.detail


def test_the_first_import_of_a_table_is_undone_to_an_empty_table(tmp_path):
    log_id = run_import("new_hires", write(tmp_path, "a.csv", NEW_HIRES + "13,埼玉,6,339,376,12,2,3.5,0.5\n"))
    revert(log_id)
    assert not NewHireResult.objects.exists()


def test_a_dry_run_counts_and_writes_nothing(tmp_path):
    run_import("new_hires", write(tmp_path, "a.csv", NEW_HIRES + "13,埼玉,6,339,376,12,2,3.5,0.5\n"))
    log_id = run_import("new_hires", write(tmp_path, "b.csv", NEW_HIRES + "13,埼玉,6,1,376,12,2,3.5,0.5\n"))
    before = rows_of(NewHireResult, ImportLog, AuditEntry)
    assert "検証のみ（--dry-run）: " in revert(log_id, "--dry-run")
    assert "削除 0 行、復元 1 行" in revert(log_id, "--dry-run")
    assert rows_of(NewHireResult, ImportLog, AuditEntry) == before


def test_refused_after_a_later_import_of_the_same_table_and_year(tmp_path):
    first = run_import("new_hires", write(tmp_path, "a.csv", NEW_HIRES + "13,埼玉,6,339,376,12,2,3.5,0.5\n"))
    later = run_import("new_hires", write(tmp_path, "b.csv", NEW_HIRES + "14,東京,1,2140,1840,130,110,6.1,6.0\n"))
    assert f"後の取込（取込番号 {later}）" in refused(first)
    revert(later)  # once the later one is undone, the first can be
    revert(first)
    assert not NewHireResult.objects.exists()


def test_an_import_of_another_year_or_table_does_not_stand_in_the_way(tmp_path):
    first = run_import("new_hires", write(tmp_path, "a.csv", NEW_HIRES + "13,埼玉,6,339,376,12,2,3.5,0.5\n"))
    run_import("new_hires", write(tmp_path, "b.csv", NEW_HIRES + "13,埼玉,6,1,1,1,1,1.0,1.0\n"), year=2023)
    run_import("small_lot_life", write(tmp_path, "c.csv", SMALL_LOT + "東京,2,新しい単組\n"))
    revert(first)
    assert list(NewHireResult.objects.values_list("fiscal_year", flat=True)) == [2023]


def test_refused_after_a_web_edit_of_a_row_of_the_import(tmp_path):
    log_id = run_import("new_hires", write(tmp_path, "a.csv", NEW_HIRES + "13,埼玉,6,339,376,12,2,3.5,0.5\n"))
    binding = binding_for("new_hires")
    row = NewHireResult.objects.get()
    record = binding.record_of(row) | {"coop_joined_cur": 999}
    save_record(binding, record, branch=row.branch, fiscal_year=2024, source=AuditEntry.Source.WEB)
    before = rows_of(NewHireResult)
    assert "取込以外の方法でデータが変更されている" in refused(log_id)
    assert rows_of(NewHireResult) == before


def test_the_unions_an_import_created_are_removed_with_it(tmp_path):
    existing = Union.objects.create(code="13-0001", name="既存の単組",
                                    branch=Branch.objects.get(name="東京"))
    log_id = run_import("small_lot_life", write(tmp_path, "a.csv", SMALL_LOT + "東京,2,既存の単組\n"
                                                                             "東京,3,新しい単組\n"))
    assert Union.objects.filter(name="新しい単組").exists()
    assert "削除 3 行、復元 0 行" in revert(log_id)  # two holdings and the union it created
    assert not SmallLotHolding.objects.exists()
    assert list(Union.objects.values_list("pk", flat=True)) == [existing.pk]


def test_a_failed_import_leaves_no_log_and_no_snapshot(tmp_path):
    path = write(tmp_path, "bad.csv", NEW_HIRES + "13,埼玉,6,339,376,12,2,3.5,0.5\n99,どこか,6,1,1,1,1,1,1\n")
    with pytest.raises(CommandError):
        run_import("new_hires", path)
    assert not ImportLog.objects.exists()
    assert not ImportSnapshot.objects.exists()
    assert not NewHireResult.objects.exists()


def test_the_demo_load_is_logged_as_demo_and_cannot_be_undone(tmp_path):
    from kyosai.activities.demo import DEMO_KINDS, load_demo

    load_demo()
    logs = ImportLog.objects.filter(dataset="appendix")
    assert logs.count() == len(DEMO_KINDS)
    assert set(logs.values_list("source", flat=True)) == {"demo"}
    assert not ImportSnapshot.objects.exists()
    assert "デモデータの読み込み" in refused(logs[0].pk)
    # an import before the demo data cannot be undone either: the demo replaced the tables since
    ImportLog.objects.all().delete()
    log_id = run_import("new_hires", write(tmp_path, "a.csv", NEW_HIRES + "13,埼玉,6,339,376,12,2,3.5,0.5\n"))
    load_demo()
    assert "デモデータ" in refused(log_id)
