"""Issue 11 item 5: text that begins like a formula is never run by a spreadsheet, in any writer.

Names are planted (a union named =HYPERLINK(…)) and the files read back as a spreadsheet would:
CSV through the csv module (the cell starts with '), xlsx through openpyxl (a string, data_type 's',
never a formula 'f'). Numbers stay numbers: a negative figure is not quoted.
"""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kyosai.core.tables import Cell, Row, Table, export_response
from kyosai.core.tables import Column as WebColumn
from kyosai.core.tabular import csv_cell, spreadsheet_text, write_rows
from kyosai.domain.reporting import (
    CellKind,
    Column,
    Paragraph,
    Report,
    ReportTable,
    Section,
    TableRow,
)
from kyosai.reports.xlsx import write_xlsx

PLANTED = [
    '=HYPERLINK("http://x","y")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", PLANTED)
def test_every_formula_start_is_quoted(text):
    assert spreadsheet_text(text) == "'" + text
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["東京第一単組", "'=already quoted", "a=b", "1-2", ""])
def test_other_text_is_left_as_it_is(text):
    assert spreadsheet_text(text) == text


@pytest.mark.parametrize("number", ["-12", "-1,234", "-0.5", "+3", "-12.25%", "+1,234,567.8"])
def test_numbers_written_as_text_stay_numbers(number):
    assert spreadsheet_text(number) == number


def test_numbers_and_blanks_are_not_text():
    assert [csv_cell(v) for v in (-301, Decimal("-1.50"), None, 0)] == ["-301", "-1.50", "", "0"]


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_write_rows_csv_quotes_text_but_not_numbers():
    out = io.StringIO()
    write_rows(out, ["名前", "値"], [[PLANTED[0], -3], ["-2+3", "-3"], [None, Decimal("-1.5")]],
               "csv")
    rows = read_csv(out.getvalue())
    assert rows[1] == ["'" + PLANTED[0], "-3"]
    assert rows[2] == ["'-2+3", "-3"]
    assert rows[3] == ["", "-1.5"]


def test_write_rows_json_and_table_keep_the_text():
    out = io.StringIO()
    write_rows(out, ["名前"], [[PLANTED[0]]], "json")
    assert PLANTED[0].replace('"', '\\"') in out.getvalue()
    assert "'=" not in out.getvalue()


def planted_table() -> Table:
    return Table(
        key="unions", title="単組別",
        columns=[WebColumn("単組", numeric=False), WebColumn("実績"), WebColumn("増減")],
        rows=[Row([Cell(text), Cell("1", 1), Cell("△3", -3)]) for text in PLANTED],
        filters=[("範囲", "@県支部"), ("基準月", "2024年11月")],
    )


def test_web_csv_exports_quote_planted_names_and_filters():
    response = export_response(planted_table(), "csv", "単組", "=evil-user")
    rows = read_csv(response.content.decode("utf-8-sig"))
    assert ["範囲", "'@県支部"] in rows
    assert any(row[0] == "出力" and "=evil-user" in row[1] for row in rows)
    start = rows.index(["単組", "実績", "増減"])
    body = rows[start + 1:]
    assert [row[0] for row in body] == ["'" + text for text in PLANTED]
    assert {row[2] for row in body} == {"-3"}  # a negative number stays a number


def test_web_xlsx_exports_write_planted_names_as_strings():
    response = export_response(planted_table(), "xlsx", "単組", "=evil-user")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    planted = [cell for cell in cells if isinstance(cell.value, str)
               and cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert {cell.value for cell in planted} >= {*PLANTED[:4], "@県支部"}
    assert {cell.data_type for cell in planted} == {"s"}
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert -3 in [cell.value for cell in cells]


def test_the_report_workbook_writes_planted_text_as_strings(tmp_path):
    table = ReportTable(
        key="unions", title="=HYPERLINK(\"http://x\",\"表\")",
        columns=(Column("単組"), Column("実績", CellKind.NUMBER)),
        rows=tuple(TableRow((text, -7)) for text in PLANTED),
        caption="+caption", notes=("-note", "@note"))
    report = Report(title="=title", subtitle="@subtitle", sections=[
        Section("Ⅰ", "概況", [Paragraph("=1+1 という単組名"), table])])
    path = write_xlsx(report, tmp_path / "report.xlsx")
    book = load_workbook(path)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    assert {*PLANTED[:4], "=title", "@subtitle", "=1+1 という単組名", "+caption", "-note",
            "@note"} <= texts
    numbers = [cell.value for cell in cells if cell.data_type == "n"]
    assert numbers.count(-7) == len(PLANTED)
