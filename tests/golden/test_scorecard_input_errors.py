"""Bad input to `kyosai scorecard --input`: a Japanese message with file, line and column; exit 2."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = "product_group,metric,actual,target,prev_year_same_period,as_of_month\n"


def run(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "input.csv"
    path.write_bytes(text.encode(encoding))
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("scorecard", "--input", str(path), stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 2
    return err.getvalue()


def test_a_missing_column_is_named(tmp_path):
    message = run(tmp_path, "product_group,metric,actual,prev_year,as_of_month\nA,件数,1,1,2024-11\n")
    assert "目標の列（target）がありません" in message


def test_an_unknown_measure_names_line_and_column(tmp_path):
    message = run(tmp_path, HEADER + "総合共済,売上,1,2,1,2024-11\n")
    assert "input.csv 2行目「metric」列: 不明な指標です: '売上'" in message


def test_a_non_numeric_value_names_line_and_column(tmp_path):
    message = run(tmp_path, HEADER + "総合共済,件数,1,2,1,2024-11\n総合共済,口数,x,2,1,2024-11\n")
    assert "3行目「actual」列: 数値ではありません" in message


def test_a_month_not_yyyy_mm_is_refused(tmp_path):
    message = run(tmp_path, HEADER + "総合共済,件数,1,2,1,2024/11\n")
    assert "2行目「as_of_month」列: 年月は YYYY-MM 形式で指定してください" in message


@pytest.mark.parametrize("target", ["0", "-5", "△5"])
def test_a_zero_or_negative_target_is_refused(tmp_path, target):
    message = run(tmp_path, HEADER + f"総合共済,件数,1,{target},1,2024-11\n")
    assert "2行目「target」列: 目標は正の数で入力してください" in message


def test_every_error_of_the_file_is_reported_at_once(tmp_path):
    message = run(tmp_path, HEADER + "a,売上,1,2,1,2024-11\nb,件数,1,0,1,2024-13\n")
    assert "2行目" in message
    assert "3行目「target」列" in message
    assert "3行目「as_of_month」列" in message


def test_a_cp932_file_from_japanese_excel_is_read(tmp_path):
    path = tmp_path / "sjis.csv"
    path.write_bytes((HEADER + "総合共済,件数,\"1,575\",\"1,500\",１，５００,2024-11\n").encode("cp932"))
    out = io.StringIO()
    call_command("scorecard", "--input", str(path), "--format", "csv", stdout=out)
    assert out.getvalue().splitlines()[1].endswith("75,105.00,105.00,50.00,○")


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="ファイルが見つかりません") as raised:
        call_command("scorecard", "--input", str(tmp_path / "none.csv"))
    assert raised.value.returncode == 2
