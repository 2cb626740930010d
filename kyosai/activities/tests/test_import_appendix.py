"""kyosai import appendix KIND FILE and kyosai appendix KIND, against the report's tables."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.accounts.access import SYSTEM
from kyosai.activities.demo import DATA, load_demo
from kyosai.activities.models import MeetingStat, NewHireResult, SmallLotHolding
from kyosai.activities.selectors import appendix_table, designations, list_kinds
from kyosai.core.models import AuditEntry
from kyosai.domain.appendix import spec_for
from kyosai.domain.designations import Holdings
from kyosai.org.models import Branch, BranchStaffing, Union
from kyosai.org.services import load_organisation

pytestmark = pytest.mark.django_db

GOLDEN_KINDS = ["model_unions_tiers", "model_unions_detail", "meetings_stats", "new_hires",
                "small_lot_life", "spot_campaigns", "effective_month_results", "mycar_estimates",
                "no_coverage_campaign"]


@pytest.fixture(autouse=True)
def organisation():
    load_organisation()


def run_import(kind, path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_appendix", kind, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing_import(kind, path):
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_appendix", kind, str(path), stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 2
    return err.getvalue() + str(raised.value)


def printed(kind, fmt="csv"):
    out = io.StringIO()
    call_command("appendix", kind, "--format", fmt, stdout=out)
    return out.getvalue()


def without_source_line(path: Path, kind: str) -> list[dict[str, str]]:
    """The golden columns: not the transcription note source_line, nor model unions' `text` (the
    取り組み内容 the demo adds; the table prints its character count, not the text). The golden
    files name columns after the report's year (coop_joined_2024): renamed as of FY2024."""
    renames = spec_for(kind).legacy_names(2024)
    with path.open(encoding="utf-8") as handle:
        return [{renames.get(k, k): v for k, v in row.items() if k not in ("source_line", "text")}
                for row in csv.DictReader(handle)]


@pytest.mark.golden
@pytest.mark.parametrize("kind", GOLDEN_KINDS)
def test_the_printed_table_is_the_reports_table(appendix_dir, kind):
    run_import("meeting_bases", DATA / "meeting_bases.csv")
    run_import(kind, appendix_dir / f"{kind}.csv")
    ours = list(csv.DictReader(io.StringIO(printed(kind))))
    assert ours == without_source_line(appendix_dir / f"{kind}.csv", kind)


def test_derived_cells_and_totals_are_not_stored_and_a_stale_one_is_a_warning(tmp_path, appendix_dir):
    text = (appendix_dir / "new_hires.csv").read_text(encoding="utf-8")
    text = text.replace("36,28,13.9,11.6", "36,28,99.9,11.6")  # 青森's rate, stale
    text = text.replace("合計,,33160", "合計,,33161")  # a stale total
    path = tmp_path / "new_hires.csv"
    path.write_text(text, encoding="utf-8")
    _, err = run_import("new_hires", path)
    assert "3行目「rate_2024_pct」列: ファイルの値 99.9 は再計算値 13.9 と異なります" in err
    assert "「coop_joined_2024」列: ファイルの値 33161 は再計算値 33160 と異なります" in err
    assert NewHireResult.objects.count() == 48
    rows = {row["branch"]: row for row in csv.DictReader(io.StringIO(printed("new_hires")))}
    assert rows["青森"]["rate_cur_pct"] == "13.9"
    assert rows["合計"]["coop_joined_cur"] == "33160"


def test_blank_derived_cells_are_recomputed(tmp_path):
    path = tmp_path / "spot.csv"
    path.write_text("effective_month,prefecture,target_unions,target_count,new_contracts,"
                    "prev_target_unions,prev_new_contracts,change\n"
                    "2024-06,東京,1 単組,3,146,未実施,125,\n2024-06,香川,全単組,20,28,未実施,52,\n",
                    encoding="utf-8")
    run_import("spot_campaigns", path)
    rows = list(csv.DictReader(io.StringIO(printed("spot_campaigns"))))
    assert [r["change"] for r in rows] == ["21", "-24", "-3"]
    assert rows[-1]["prefecture"] == "合計"
    assert rows[-1]["new_contracts"] == "174"


def test_an_unknown_branch_names_line_and_column_and_nothing_is_written(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text("prefecture,holdings,union\n新潟,4,村上市職員組合\n架空県,3,どこか労組\n",
                    encoding="utf-8")
    message = run_failing_import("small_lot_life", path)
    assert "small.csv 3行目「prefecture」列: 県支部が見つかりません: '架空県'" in message
    assert "何も登録していません" in message
    assert SmallLotHolding.objects.count() == 0
    assert not Union.objects.filter(name="村上市職員組合").exists()


def test_a_non_number_and_a_missing_column_are_reported_together_by_row_and_column(tmp_path):
    path = tmp_path / "mycar.csv"
    path.write_text("branch,basic_members_2024_11,new_contracts_2024_05,estimates_05_end,"
                    "new_contracts_2024_11,estimates_11_end\n北海道,63132,abc,1087,523,495\n"
                    "青森,9661,412,349,,169\n", encoding="utf-8")
    message = run_failing_import("mycar_estimates", path)
    assert "2行目「new_contracts_2024_05」列: 数値ではありません" in message
    assert "3行目「new_contracts_2024_11」列: 値が入力されていません" in message
    missing = tmp_path / "missing.csv"
    missing.write_text("branch,holdings\n新潟,4\n", encoding="utf-8")
    assert "1行目「union」列: 必要な列がありません" not in run_failing_import("new_hires", missing)
    assert ("1行目「coop_joined_cur」列: 必要な列がありません（以前の列名 coop_joined_2024 でも読み込めます）"
            in run_failing_import("new_hires", missing))


def test_an_unknown_kind_is_refused_with_the_list_of_kinds(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    message = run_failing_import("sales", path)
    assert "不明な表の種類です: 'sales'" in message
    assert "new_hires" in message


def test_a_code_that_does_not_match_the_branch_is_refused(tmp_path):
    path = tmp_path / "nh.csv"
    path.write_text("code,branch,effective_months,coop_joined_2024,coop_joined_2023,"
                    "life_joined_2024,life_joined_2023\n05,青森,10,259,241,36,28\n", encoding="utf-8")
    assert "「code」列: 青森 のコードは 03 です" in run_failing_import("new_hires", path)


def test_reimporting_the_same_file_changes_nothing_and_every_change_is_audited(appendix_dir):
    path = appendix_dir / "small_lot_life.csv"
    out, _ = run_import("small_lot_life", path)
    assert "新規 11 件" in out
    assert "単組の新規登録 11 件" in out
    created = AuditEntry.objects.filter(object_type="activities.smalllotholding").count()
    assert created == 11
    out, _ = run_import("small_lot_life", path)
    assert "変更なし 11 件" in out
    assert AuditEntry.objects.filter(object_type="activities.smalllotholding").count() == 11
    union = Union.objects.get(name="佐用町ひまわり労働組合")
    assert union.branch.name == "兵庫"


def test_meeting_ratios_stay_blank_until_the_bases_are_registered(appendix_dir):
    _, err = run_import("meetings_stats", appendix_dir / "meetings_stats.csv")
    assert "13行目: 再計算に必要な値（母数など）が未登録のため" in err
    assert len([line for line in err.splitlines() if line.startswith("警告:")]) == 7  # the 7 ratio rows
    assert MeetingStat.objects.count() == 22  # the 14 derived rows are not stored
    rows = list(csv.DictReader(io.StringIO(printed("meetings_stats"))))
    ratio = next(r for r in rows if r["sub_measure"] == "全単組数比")
    assert ratio["value_cur"] == ""
    run_import("meeting_bases", DATA / "meeting_bases.csv")
    rows = list(csv.DictReader(io.StringIO(printed("meetings_stats"))))
    assert next(r for r in rows if r["sub_measure"] == "全単組数比")["value_cur"] == "124.7"


def test_the_demo_fills_every_register_and_is_idempotent():
    load_demo()
    for kind, _title in list_kinds():
        header, rows = appendix_table(kind, access=SYSTEM)
        assert header
        assert rows, kind
    assert "新規 0 行、更新 0 行" in load_demo()


def test_designations_show_the_reason_from_staffing_and_holdings():
    tottori = Branch.objects.get(name="鳥取")
    BranchStaffing.objects.create(branch=tottori, fiscal_year=2024, staff=Decimal("1.5"))
    BranchStaffing.objects.create(branch=Branch.objects.get(name="東京"), fiscal_year=2024,
                                  staff=Decimal("5"))
    holdings = {"鳥取": Holdings(5000, 4600), "東京": Holdings(100000, 99800)}
    rows = {row["branch"]: row for row in designations(2024, holdings, access=SYSTEM)}
    assert rows["鳥取"]["supported"] is True
    assert "1.50 人（2.0 未満）" in rows["鳥取"]["supported_reason"]
    assert rows["東京"]["supported"] is False
    assert rows["鳥取"]["priority"] is True
    assert rows["東京"]["priority"] is False
    assert rows["北海道"]["supported_reason"] == "配置定数が未登録です"


def test_the_text_table_format_prints_japanese_headers_aligned(appendix_dir):
    run_import("new_hires", appendix_dir / "new_hires.csv")
    lines = printed("new_hires", "table").splitlines()
    assert lines[0].split()[:2] == ["code", "branch"]
    assert lines[-1].split()[0] == "合計"


def test_without_group_life_results_the_priority_designation_says_there_is_no_data():
    rows = designations(2024, access=SYSTEM)
    assert all(row["priority"] is False for row in rows)
    assert rows[0]["priority_reason"] == "団体生命共済の保有実績が未登録です"
