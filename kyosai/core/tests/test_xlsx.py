"""kyosai.core.xlsx: the one workbook writer (xlsxwriter), read back as a spreadsheet would."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kyosai.core.xlsx import new_workbook, number_format, print_a4, report_format
from kyosai.domain.reporting import CellKind, Column

KYOSAI = Path(__file__).resolve().parents[2]


def test_every_workbook_is_written_through_core_xlsx():
    """No module writes a workbook but core/xlsx.py: nobody else makes a Workbook (xlsxwriter's
    types may be imported for annotations), and openpyxl only reads (load_workbook)."""
    writers = []
    for path in KYOSAI.rglob("*.py"):
        if "tests" in path.parts or (path.name == "xlsx.py" and path.parent.name == "core"):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bWorkbook\(|^import xlsxwriter\b|^from xlsxwriter import", text, re.M):
            writers.append(f"{path.relative_to(KYOSAI)}: a workbook of its own")
        if re.search(r"from openpyxl(\.\w+)* import .*(Workbook\b|WriteOnlyCell|styles)", text):
            writers.append(f"{path.relative_to(KYOSAI)}: openpyxl writer")
    assert not writers


def test_a_stream_gets_a_whole_workbook_and_text_is_never_a_formula():
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    sheet = book.add_worksheet("表")
    sheet.write(0, 0, '=HYPERLINK("http://x","y")')
    sheet.write(0, 1, "http://example.invalid/")
    sheet.write(0, 2, "0123")
    sheet.write(0, 3, -5)
    book.close()
    cells = load_workbook(io.BytesIO(buffer.getvalue()))["表"][1]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x","y")', "http://example.invalid/",
                                        "0123", -5]
    assert [c.data_type for c in cells] == ["s", "s", "s", "n"]
    assert cells[1].hyperlink is None


def test_streaming_writes_rows_in_order_to_a_file_only(tmp_path):
    with pytest.raises(ValueError, match="path"):
        new_workbook(io.BytesIO(), streaming=True)
    path = tmp_path / "big.xlsx"
    book = new_workbook(path, streaming=True)
    sheet = book.add_worksheet("実績")
    for row in range(3):
        sheet.write_string(row, 0, f"-{row}")
    book.close()
    assert [r[0].value for r in load_workbook(path)["実績"].iter_rows()] == ["-0", "-1", "-2"]


def test_number_formats_print_negatives_with_a_triangle():
    assert number_format() == "#,##0;△#,##0"
    assert number_format(2) == "#,##0.00;△#,##0.00"


@pytest.mark.parametrize(("column", "positive", "negative", "zero"), [
    (Column("件数", CellKind.NUMBER), "#,##0", '"△"#,##0', "0"),
    (Column("増減", CellKind.CHANGE), "#,##0", '"△"#,##0', '"±0"'),
    (Column("率", CellKind.PCT, places=2), '0.00"%"', '"△"0.00"%"', '0.00"%"'),
    (Column("差", CellKind.POINTS, places=2), '"+"0.00"P"', '"△"0.00"P"', '"±"0.00"P"'),
    (Column("増加", CellKind.SIGNED, suffix="人"), '"+"#,##0"人"', '"△"#,##0"人"', '"±0""人"'),
])
def test_the_report_formats_have_a_section_for_positive_negative_and_zero(
        column, positive, negative, zero):
    """103.75% / △1.25% / +2.24P / ±0: one section each, as `display` prints them."""
    pattern = report_format(column.kind, column.places, column.suffix)
    assert pattern is not None
    assert pattern.split(";") == [positive, negative, zero]


def test_text_and_marks_have_no_number_format():
    assert report_format(CellKind.TEXT) is None
    assert report_format(CellKind.MARK) is None


def test_a4_fitted_to_the_width_with_margins(tmp_path):
    path = tmp_path / "print.xlsx"
    book = new_workbook(path)
    sheet = book.add_worksheet("印刷")
    sheet.write_number(0, 0, 1.5)
    print_a4(sheet, landscape=True, margins=(0.5, 1.0), header_margin=0.5)
    book.close()
    printed = load_workbook(path)["印刷"]
    assert printed.page_setup.paperSize == 9
    assert printed.page_setup.orientation == "landscape"
    # one page wide (1 is the file format's default, which xlsxwriter leaves out), any number down
    assert (printed.page_setup.fitToWidth or 1, printed.page_setup.fitToHeight) == (1, 0)
    assert printed.sheet_properties.pageSetUpPr.fitToPage
    margins = printed.page_margins
    assert (margins.left, margins.right, margins.top, margins.bottom) == (0.5, 0.5, 1.0, 1.0)
    assert (margins.header, margins.footer) == (0.5, 0.5)
