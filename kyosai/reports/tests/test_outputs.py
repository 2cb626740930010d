"""The report's three files, read back: PDF text (pdftotext), workbook cells (openpyxl), HTML.

The report is built from the golden CSVs (the figures printed in the 2024H1 report), so the
expected values below come from tests/fixtures/golden and the report's own prose, not from our code.
"""

import re
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kyosai.domain.formatting import format_change, format_number, format_pct
from kyosai.reports.tests.conftest import (
    ARTIFACTS,
    golden_rows,
    long_table,
    page_count,
    pdftotext,
    squeeze,
)
from kyosai.reports.xlsx import sheet_names

pytestmark = pytest.mark.golden

# Ⅱ.2 of the report's text (report-2024H1.txt) (its (1)① prints 前年度比; everywhere else 前年同期比).
REPORT_PROSE = (
    "全種目合計で21,479,536千円、前年同期比△1,620,350千円です。目標到達率は37.94%であり、"
    "経過期間に応じた到達目安（41.67%）に未達です。",
    "全種目合計で5,135,260千円、前年同期比+1,039千円です。目標到達率は51.40%であり、経過期間に"
    "応じた到達目安（50.00%）を超え、順調に推移しています。",
    "保有件数は、全種目合計で2,474,833件、前年同期比△2,497件です。目標到達率は103.65%であり、"
    "年度末目標に到達しています。",
    "保有口数は、全種目合計で277,981,943口、前年同期比△703,067口です。目標到達率は101.88%で"
    "あり、年度末目標に到達しています。",
    "全種目合計で66,158件、前年同期比+701件です。目標到達率は45.22%であり、経過期間に応じた"
    "到達目安（50.00%）に未達です。",
)


def _printed(row: dict[str, str]) -> list[str]:
    """The row's figures as the report prints them, from the golden CSV's plain numbers."""
    return [
        format_number(int(row["actual"])), format_number(int(row["target"])),
        format_pct(Decimal(row["achievement_pct"])),
        format_number(int(row["prev_year_same_period"])), format_change(int(row["change"])),
        format_pct(Decimal(row["yoy_pct"])), row["mark"],
    ]


def test_it_prints_every_figure_of_the_national_table_in_the_pdf(outputs, golden_dir):
    text = pdftotext(outputs["pdf"], layout=True)
    table = text[text.index("各事業の目標到達率・前年同期比", text.index("Ⅱ．事業目標")):]
    lines = [line.split() for line in table.splitlines() if line.strip()]
    for row in golden_rows(golden_dir, "national_summary.csv"):
        expected = [row["metric"], *_printed(row)]
        assert any(words[-len(expected):] == expected for words in lines), expected


def test_it_writes_the_reports_sentences_in_the_pdf(outputs):
    text = squeeze(pdftotext(outputs["pdf"]))
    for sentence in REPORT_PROSE:
        assert squeeze(sentence) in text


def test_it_names_the_products_that_rose_and_fell_most_in_holdings(outputs):
    text = squeeze(pdftotext(outputs["pdf"]))
    # product_status.csv: 総合（慶弔）共済 △7,899, 火災共済 △4,789, 長期共済 △4,666 fell most.
    assert ("保有件数が大きく増加した共済種目は、マイカー共済・前年同期比+6,680件、"
            "退職者団体生命共済・同+5,441件、税制適格年金・同+1,405件です。"
            "大きく減少した共済種目は、総合（慶弔）共済・同△7,899件、"  # 前年同期比 once
            "火災共済・同△4,789件、長期共済・同△4,666件です。") in text
    assert "車両損害補償・" not in text  # a rider is not a product of its own


def test_the_pdf_is_a4_with_page_numbers_and_a_table_of_contents(outputs):
    info = subprocess.run(["pdfinfo", str(outputs["pdf"])], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    pages = page_count(outputs["pdf"])
    assert pages > 8
    last = pdftotext(outputs["pdf"], first=pages, last=pages)
    assert f"－ {pages} －" in last
    contents = pdftotext(outputs["pdf"], first=2, last=2)
    assert "目" in contents
    assert "次" in contents
    for heading in ("Ⅰ．2024年度上半期の概況", "Ⅱ．事業目標達成にむけた取り組み",
                    "Ⅲ．各共済制度の目標到達状況", "Ⅳ．事業推進体制の強化・確立", "＜資料編＞"):
        line = next(x for x in contents.splitlines() if x.startswith(heading))
        number = re.search(r"(\d+)\s*$", line)
        assert number is not None
        page = int(number.group(1))
        assert heading.split("．")[-1][:6] in squeeze(pdftotext(outputs["pdf"], first=page,
                                                                 last=page))


def test_the_pdf_embeds_only_the_ipaex_font(outputs):
    fonts = subprocess.run(["pdffonts", str(outputs["pdf"])], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        name, *_rest = line.split()
        assert "IPAexGothic" in name, line
        assert " yes yes " in line  # embedded and subset


def test_the_pdf_repeats_headers_and_never_splits_a_row(outputs):
    table = long_table()
    pages = page_count(outputs["pdf"])
    texts = {n: pdftotext(outputs["pdf"], first=n, last=n) for n in range(1, pages + 1)}
    holding = [n for n, text in texts.items() if "R0" in text or "R1" in text]
    assert len(holding) >= 2, "the long table should cross a page"
    for number in holding:
        assert "説明" in texts[number]
        assert "末尾" in texts[number]
    for row in table.rows:  # every line of a row lands on the page its first cell is on
        lines = [str(row.cells[0]), *str(row.cells[1]).splitlines(), str(row.cells[-1])]
        pages_first = [n for n in holding if str(row.cells[0]) in texts[n]]
        assert len(pages_first) == 1, row.cells[0]
        for line in lines:
            assert line in texts[pages_first[0]], (row.cells[0], line)


def test_the_pdf_marks_parts_without_data(golden_dir, tmp_path):
    from kyosai.reports.builder import build_report
    from kyosai.reports.services import write_formats
    from kyosai.reports.tests.conftest import AS_OF, PERIOD, golden_sources

    report = build_report(AS_OF, PERIOD, golden_sources(golden_dir, overview=None, plan=None))
    written = write_formats(report, tmp_path, ["pdf"])
    text = pdftotext(written["pdf"])
    assert "概況（本文・主な成果・今後の取り組み・課題）: データ未登録" in text
    assert text.count("実行計画・実行状況・評価・今後の取り組み: データ未登録") == 3
    assert "本部主催の会議・集会・研修会等: データ未登録" in text


def test_it_leaves_the_first_pages_as_png_artifacts(outputs):
    pngs = sorted(ARTIFACTS.glob("golden-page-*.png"))
    assert len(pngs) == 6
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5_000
               for p in pngs)


def test_the_workbook_stores_the_national_table_as_numbers(outputs, golden_report, golden_dir):
    workbook = load_workbook(outputs["xlsx"])
    names = sheet_names(golden_report)
    assert workbook.sheetnames == ["目次", *names.values()]
    sheet = workbook[names["Ⅱ-1 全国"]]
    header = [c.value for c in sheet[4]]
    assert header == ["共済制度", "指標", "実績", "24年度目標", "到達率", "前年同期", "増減",
                      "増減率", "評価"]
    rows = list(sheet.iter_rows(min_row=5, max_row=34, values_only=True))
    for got, want in zip(rows, golden_rows(golden_dir, "national_summary.csv"), strict=True):
        assert got[1] == want["metric"]
        assert got[2] == int(want["actual"])
        assert got[3] == int(want["target"])
        assert Decimal(str(got[4])) == Decimal(want["achievement_pct"])
        assert got[5] == int(want["prev_year_same_period"])
        assert got[6] == int(want["change"])
        assert Decimal(str(got[7])) == Decimal(want["yoy_pct"])
        assert got[8] == want["mark"]


def test_the_workbook_prints_like_the_report(outputs, golden_report):
    workbook = load_workbook(outputs["xlsx"])
    sheet = workbook[sheet_names(golden_report)["Ⅱ-1 全国"]]
    assert '"△"' in sheet["G5"].number_format
    assert "±0" in sheet["G5"].number_format
    assert sheet["E5"].number_format.startswith('0.00"%"')
    assert sheet["C5"].number_format.startswith("#,##0")
    assert sheet.freeze_panes == "A5"
    assert sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the file format's default
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$4:$4"
    rate = workbook[sheet_names(golden_report)["Ⅲ-8 車両損害補償"]]
    points = next(row for row in rate.iter_rows(min_row=5) if row[0].value == "付帯率")
    assert points[4].value == pytest.approx(2.24)
    assert '"P"' in points[4].number_format


def test_the_workbook_contents_sheet_carries_the_sentences(outputs):
    sheet = load_workbook(outputs["xlsx"])["目次"]
    texts = [squeeze(str(c.value)) for c in sheet["A"] if c.value]
    for sentence in REPORT_PROSE:
        assert any(squeeze(sentence) in text for text in texts)


def test_the_html_is_one_self_contained_file(outputs, golden_dir):
    html = outputs["html"].read_text(encoding="utf-8")
    assert "<style>" in html
    assert "<svg" in html
    assert not re.search(r"<link\b|<script\b[^>]*\bsrc=|<img\b|@import|url\(", html)
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)
    for row in golden_rows(golden_dir, "national_summary.csv")[:5]:
        for figure in _printed(row)[:3]:
            assert f">{figure}<" in html
    assert "目標到達率は37.94%であり、経過期間に応じた到達目安（41.67%）に未達です。" in html


def test_it_prints_every_product_table_of_section_three(outputs, golden_dir):
    from kyosai.domain.formatting import format_points, format_signed

    text = pdftotext(outputs["pdf"], layout=True)
    section = text[text.index("Ⅲ．各共済制度の目標到達状況", text.index("目") + 200):]
    lines = [line.split() for line in section.splitlines() if line.strip()]
    for row in golden_rows(golden_dir, "product_status.csv"):
        if row["item"] == "付帯率":
            figures = [format_pct(Decimal(row[k])) for k in ("target", "actual", "prev_year")]
            expected = [row["item"], *figures, format_points(Decimal(row["change"]))]
        else:
            # the golden file writes the report's － as an empty cell (its README); each
            # figure carries its unit, as the report prints it (754,951件)
            figures = [format_number(int(row[k])) + "件" if row[k] else "－"
                       for k in ("target", "actual", "prev_year")]
            expected = [row["item"], *figures, format_signed(int(row["change"])) + "件"]
        if row["achievement_pct"]:
            expected += [format_pct(Decimal(row["achievement_pct"])), row["mark"]]
        else:
            expected += ["－", "－"]
        assert any(words[:len(expected)] == expected for words in lines), expected
