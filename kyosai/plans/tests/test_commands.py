"""`kyosai plan export` and `kyosai plan carry-over` from the command line."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.plans.models import Plan, PlanItem
from kyosai.plans.tests.conftest import run

pytestmark = pytest.mark.django_db


def failing(*args: str) -> str:
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
    assert raised.value.returncode == 2
    return str(raised.value)


def test_the_export_writes_the_four_columns_and_the_branch_sheet(small_plan, tmp_path):
    out = tmp_path / "plan.xlsx"
    assert "実行計画 3 件" in run("plan_export", "--period", "2024H1", "-o", str(out))
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["実行計画", "評価集計", "県支部別評価"]
    assert ("実行計画", "実行状況", "評価", "今後の取り組み") in list(
        workbook["実行計画"].iter_rows(values_only=True))


def test_a_branch_export_has_no_branch_sheet(small_plan, tmp_path):
    out = tmp_path / "tokyo.xlsx"
    run("plan_export", "--period", "2024H1", "--owner", "14", "-o", str(out))
    assert openpyxl.load_workbook(out).sheetnames == ["実行計画", "評価集計"]


def test_the_export_refuses_a_bad_output_or_a_missing_plan(small_plan, tmp_path):
    assert ".xlsx にしてください" in failing("plan_export", "--period", "2024H1", "-o",
                                          str(tmp_path / "plan.csv"))
    assert "フォルダがありません" in failing("plan_export", "--period", "2024H1", "-o",
                                        str(tmp_path / "none" / "plan.xlsx"))
    assert "計画がありません" in failing("plan_export", "--period", "2025H1", "-o",
                                     str(tmp_path / "plan.xlsx"))
    assert not list(tmp_path.iterdir())


def test_carry_over_creates_every_plan_of_the_next_period_once(small_plan):
    output = run("plan_carry_over", "--period", "2024H1")
    assert "2024年度下半期の計画を 3 件作成しました（実行計画 7 件）" in output
    assert Plan.objects.filter(period="2024H2").count() == 3
    assert "すでにあります" in failing("plan_carry_over", "--period", "2024H1")
    assert Plan.objects.filter(period="2024H2").count() == 3


def test_carry_over_can_leave_completed_items_behind_for_one_owner(small_plan):
    run("plan_carry_over", "--period", "2024H1", "--owner", "hq", "--skip-done")
    assert sorted(PlanItem.objects.filter(plan__period="2024H2").values_list("code", flat=True)) == [
        "Ⅳ-2-1-(1)", "Ⅳ-2-1-(2)"]
