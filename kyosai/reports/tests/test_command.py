"""`kyosai report`: the three files, and exit status 2 with nothing written on bad input."""

import pytest
from django.core.management import CommandError, call_command

from kyosai.reports.tests.conftest import pdftotext


@pytest.mark.parametrize(("options", "message"), [
    ({"as_of": "2024-13", "period": "2024H1"}, "--as-of"),
    ({"as_of": "2024-11", "period": "2024Q1"}, "--period"),
    ({"as_of": "2024-11", "period": "2024H1", "format": "pdf,docx"}, "--format"),
    ({"period": "2024H1"}, "--as-of"),
])
def test_it_rejects_bad_arguments_with_status_2_and_writes_nothing(db, tmp_path, options,
                                                                  message):
    out = tmp_path / "out"
    with pytest.raises(CommandError) as error:
        call_command("report", out=str(out), **options)
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert not out.exists()


def test_it_refuses_a_file_as_the_output_directory(db, tmp_path):
    target = tmp_path / "report.pdf"
    target.write_text("x")
    with pytest.raises(CommandError) as error:
        call_command("report", as_of="2024-11", period="2024H1", out=str(target))
    assert error.value.returncode == 2
    assert "ディレクトリではありません" in str(error.value)


def test_it_writes_the_formats_asked_for_and_marks_missing_data(db, tmp_path, capsys):
    out = tmp_path / "out"
    call_command("report", as_of="2024-11", period="2024H1", out=str(out), format="html,xlsx")
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.xlsx"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "全国の実績・目標（制度グループ別）: データ未登録" in html
    assert "報告書" in capsys.readouterr().err  # the progress bar goes to stderr


def test_it_writes_a_pdf_with_master_data_but_no_results(db, tmp_path, poppler):
    call_command("init", stdout=open(tmp_path / "init.log", "w"))  # noqa: SIM115
    call_command("report", as_of="2024-11", period="2024H1", out=str(tmp_path), format="pdf")
    text = pdftotext(tmp_path / "report.pdf")
    assert "Ⅱ．事業目標達成にむけた取り組み" in text
    assert "制度別の実績・目標: データ未登録" in text
