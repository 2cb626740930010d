"""kyosai import targets|results: validation in Japanese, nothing written on error, idempotence."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.core.models import AuditEntry
from kyosai.org.models import Branch, Union
from kyosai.results.models import BranchResult, BranchTarget, ImportLog, MonthlyResult, Target
from kyosai.results.services import import_file

pytestmark = pytest.mark.django_db

HEADER = "month,branch,union,product,measure,value\n"


@pytest.fixture
def federation():
    call_command("init", stdout=io.StringIO())
    tokyo = Branch.objects.get(code="14")
    Union.objects.create(code="140001", name="東京都職員労働組合", branch=tokyo)
    Union.objects.create(code="140002", name="八王子市職員労働組合", branch=tokyo)
    Union.objects.create(code="130001", name="埼玉県職員労働組合", branch=Branch.objects.get(code="13"))


def write(tmp_path, text, name="results.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run_import(path, dataset="results", *extra):
    out, err = io.StringIO(), io.StringIO()
    call_command(f"import_{dataset}", str(path), *extra, stdout=out, stderr=err, verbosity=0)
    return out.getvalue(), err.getvalue()


def test_it_imports_union_rows_and_rolls_them_up_to_the_branch(federation, tmp_path):
    path = write(tmp_path, HEADER + "2024-11,14,140001,general,holdings,120\n"
                                    "2024-11,14,140002,general,holdings,30\n"
                                    "2024-11,14,,general,premiums,\"1,234,567\"\n")
    out, _ = run_import(path)
    assert "追加 3" in out
    rollup = {r.measure.code: r.value for r in BranchResult.objects.select_related("measure")}
    assert rollup == {"holdings": 150, "premiums": 1_234_567}


def test_it_reads_japanese_labels_cp932_and_spreadsheet_numbers(federation, tmp_path):
    text = ("年月,県支部,単組,制度,指標,実績\n"
            "2024年11月,東京,140001,総合（慶弔）共済,保有件数,１２３\n"
            "2024/11,14,,マイカー共済,掛金,\"2,000\"\n")
    run_import(write(tmp_path, text, encoding="cp932"))
    values = sorted(int(v) for v in MonthlyResult.objects.values_list("value", flat=True))
    assert values == [123, 2000]


def test_it_reads_xlsx(federation, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["month", "branch", "union", "product", "measure", "value"])
    book.active.append(["2024-11", "14", "140001", "general", "holdings", 77])
    path = tmp_path / "results.xlsx"
    book.save(path)
    run_import(path)
    assert MonthlyResult.objects.get().value == 77


def test_it_rejects_every_bad_row_with_its_line_and_column_and_writes_nothing(federation,
                                                                                tmp_path):
    text = HEADER + ("2024-11,99,,general,holdings,1\n"        # unknown branch
                     "2024-11,14,999999,general,holdings,1\n"  # unknown union
                     "2024-11,14,,nosuch,holdings,1\n"         # unknown product
                     "2024-11,14,,general,付帯率,1\n"          # measure the product lacks
                     "2024-11,14,,general,holdings,abc\n"      # not a number
                     "2024-11,14,,general,units,1.5\n"         # fraction of a count
                     "2024-11,14,,general,new_contracts,△3\n"  # negative count
                     "2030-11,14,,general,holdings,1\n"        # month outside every fiscal year
                     "2024-11,13,140001,general,holdings,1\n"  # union under the wrong branch
                     "2024-11,14,140002,general,holdings,1\n"
                     "2024-11,14,140002,general,holdings,2\n")  # duplicate key
    path = write(tmp_path, text)
    with pytest.raises(CommandError) as raised:
        run_import(path)
    assert raised.value.returncode == 2
    outcome = import_file("results", "results.csv", path.read_bytes())
    messages = [problem.describe("results.csv") for problem in outcome.errors]
    assert len(messages) == 10
    assert messages[0] == "results.csv 2行目「branch」列: 県支部が見つかりません: '99'"
    assert "3行目「union」列: 単組が見つかりません" in messages[1]
    assert "指標「付帯率」がありません" in messages[3]
    assert "数値ではありません" in messages[4]
    assert "整数" in messages[5]
    assert "負の値" in messages[6]
    assert "どの事業年度にも含まれません" in messages[7]
    assert "県支部 14 の単組です" in messages[8]
    assert "11行目と同じキー" in messages[9]
    assert MonthlyResult.objects.count() == 0
    assert ImportLog.objects.count() == 0


def test_it_warns_about_falling_flows_and_unions_that_do_not_add_up(federation, tmp_path):
    text = HEADER + ("2024-10,14,140001,general,new_contracts,10\n"
                     "2024-11,14,140001,general,new_contracts,8\n"
                     "2024-11,14,,general,holdings,100\n"
                     "2024-11,14,140001,general,holdings,60\n")
    path = write(tmp_path, text)
    out, err = run_import(path)
    assert "累計の実績が前月" in err
    assert "単組の合計（60）が一致しません" in err
    assert "警告 2" in out
    assert BranchResult.objects.get(measure__code="holdings").value == 100  # the branch row wins


def test_reimporting_replaces_the_values_of_its_keys(federation, tmp_path):
    first = write(tmp_path, HEADER + "2024-11,14,140001,general,holdings,10\n", "a.csv")
    second = write(tmp_path, HEADER + "2024-11,14,140001,general,holdings,12\n"
                                      "2024-11,14,140002,general,holdings,5\n", "b.csv")
    run_import(first)
    out, _ = run_import(second)
    assert "追加 1、置換 1" in out
    run_import(second)
    assert MonthlyResult.objects.count() == 2
    assert BranchResult.objects.get().value == 17
    log = ImportLog.objects.first()
    assert log is not None
    assert (log.file_name, log.rows_added, log.rows_replaced) == ("b.csv", 0, 2)
    assert len(log.sha256) == 64
    assert AuditEntry.objects.filter(object_type="results.importlog").count() == 3
    assert set(AuditEntry.objects.filter(object_type="results.importlog")
               .values_list("action", flat=True)) == {AuditEntry.Action.IMPORT}


def test_a_dry_run_writes_nothing(federation, tmp_path):
    out, _ = run_import(write(tmp_path, HEADER + "2024-11,14,140001,general,holdings,10\n"),
                        "results", "--dry-run")
    assert "書き込みはしていません" in out
    assert MonthlyResult.objects.count() == ImportLog.objects.count() == 0


def test_targets_import_with_kinds_and_national_rates(federation, tmp_path):
    text = ("年度,目標種別,県支部,単組,制度,指標,目標\n"
            "2024,機関目標,14,140001,general,holdings,100\n"
            "2024,自主目標,14,,general,holdings,130\n"
            "2024,,,,vehicle_damage,付帯率,58.92\n")
    run_import(write(tmp_path, text, "targets.csv"), "targets")
    assert Target.objects.count() == 3
    rollups = {(t.kind, t.branch_id is None): t.value for t in BranchTarget.objects.all()}
    assert rollups[("official", False)] == 100
    assert rollups[("own", False)] == 130
    assert str(rollups[("official", True)]) == "58.92"


def test_a_national_row_is_only_for_rates(federation, tmp_path):
    outcome = import_file("results", "r.csv",
                          (HEADER + "2024-11,,,general,holdings,1\n").encode())
    assert "率だけに使えます" in outcome.errors[0].message


def test_branch_staff_may_import_only_their_own_branch(federation):
    data = (HEADER + "2024-11,14,140001,general,holdings,1\n"
                     "2024-11,13,130001,general,holdings,1\n").encode()
    outcome = import_file("results", "r.csv", data, allowed_branches={"14"})
    assert [problem.line for problem in outcome.errors] == [3]
    assert MonthlyResult.objects.count() == 0


def test_imports_lists_the_log(federation, tmp_path):
    run_import(write(tmp_path, HEADER + "2024-11,14,140001,general,holdings,10\n", "x.csv"))
    out = io.StringIO()
    call_command("imports", "--format", "csv", stdout=out)
    assert "x.csv" in out.getvalue()
    assert "実績" in out.getvalue()
