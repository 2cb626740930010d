"""The report as a workbook: a contents sheet with the text, then one sheet per table.

Numbers are stored as numbers with display formats that print like the report (△1,234, 103.75%,
+2.24P); headers are frozen and repeated on printed pages; A4, fitted to the page width.
"""

import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kyosai.core.xlsx import new_workbook, print_a4, report_format
from kyosai.domain.reporting import (
    Block,
    CellKind,
    Chart,
    Heading,
    ItemLists,
    Missing,
    Paragraph,
    Report,
    ReportTable,
    Value,
)

if TYPE_CHECKING:  # (xlsxwriter ships no type hints: its classes are Any to mypy)
    from xlsxwriter.worksheet import Worksheet

__all__ = ["sheet_names", "write_xlsx"]

HEADER_ROW = 3  # 0-based: title, caption, blank, then the header
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_names(report: Report) -> dict[str, str]:
    """A unique sheet name (≤ 31 characters, no forbidden characters) for every table key."""
    names: dict[str, str] = {}
    used = {"目次"}
    for table in report.tables():
        base = _FORBIDDEN.sub("・", table.key)[:31].strip("'") or "表"
        name, number = base, 2
        while name in used:
            suffix = f"({number})"
            name = base[: 31 - len(suffix)] + suffix
            number += 1
        used.add(name)
        names[table.key] = name
    return names


def write_xlsx(report: Report, path: Path) -> Path:
    workbook = new_workbook(path)  # text is never a formula
    formats = _Formats(workbook)
    names = sheet_names(report)
    contents = workbook.add_worksheet("目次")
    _write_contents(contents, report, names, formats)
    for table in report.tables():
        _write_table(workbook.add_worksheet(names[table.key]), table, formats)
    workbook.close()
    return path


class _Formats:
    def __init__(self, workbook: Any) -> None:
        font = {"font_name": "IPAexゴシック", "font_size": 10}
        self.workbook = workbook
        self.font = font
        self.title = workbook.add_format({**font, "bold": True, "font_size": 12})
        self.heading = workbook.add_format({**font, "bold": True})
        self.text = workbook.add_format({**font, "text_wrap": True, "valign": "top", "border": 1})
        self.plain = workbook.add_format({**font})
        self.wrap = workbook.add_format({**font, "text_wrap": True, "valign": "top"})
        self.header = workbook.add_format({**font, "bold": True, "bg_color": "#E8ECF1",
                                           "border": 1, "align": "center", "valign": "vcenter",
                                           "text_wrap": True})
        self.mark = workbook.add_format({**font, "align": "center", "border": 1})
        self.link = workbook.add_format({**font, "font_color": "blue", "underline": 1})
        self._numbers: dict[tuple[str, bool], Any] = {}

    def number(self, pattern: str, total: bool) -> Any:
        key = (pattern, total)
        if key not in self._numbers:
            self._numbers[key] = self.workbook.add_format(
                {**self.font, "num_format": pattern, "border": 1, "bold": total})
        return self._numbers[key]


def _print_setup(sheet: "Worksheet", landscape: bool = False) -> None:
    print_a4(sheet, landscape=landscape, margins=(0.5, 0.6))
    sheet.set_footer("&C&P / &N")


def _write_contents(sheet: "Worksheet", report: Report, names: dict[str, str], formats: _Formats) -> None:
    sheet.set_column(0, 0, 110)
    sheet.write(0, 0, report.title, formats.title)
    sheet.write(1, 0, report.subtitle, formats.plain)
    row = 3
    for section in report.sections:
        sheet.write(row, 0, section.heading, formats.title)
        row += 1
        for block in section.blocks:
            row = _write_block(sheet, row, block, names, formats)
        row += 1
    _print_setup(sheet)


def _write_block(sheet: "Worksheet", row: int, block: Block, names: dict[str, str], formats: _Formats) -> int:
    if isinstance(block, Heading):
        sheet.write(row, 0, block.text, formats.heading)
    elif isinstance(block, Paragraph):
        sheet.write(row, 0, block.text, formats.wrap)
    elif isinstance(block, Missing):
        sheet.write(row, 0, block.text, formats.plain)
    elif isinstance(block, ItemLists):
        sheet.write(row, 0, f"{block.left_title}： " + " ".join(block.left), formats.wrap)
        row += 1
        sheet.write(row, 0, f"{block.right_title}： " + " ".join(block.right), formats.wrap)
    elif isinstance(block, ReportTable):
        name = names[block.key]
        sheet.write_url(row, 0, f"internal:'{name}'!A1", formats.link,
                        string=f"表：{block.title}（シート「{name}」）")
    elif isinstance(block, Chart):
        return row  # charts are for the eye: the sheet of the table holds the figures
    return row + 1


def _cell(value: Value) -> int | float | str | None:
    if isinstance(value, Decimal):
        return float(value)  # the stored number; its format prints the report's places
    return value


def _write_table(sheet: "Worksheet", table: ReportTable, formats: _Formats) -> None:
    sheet.write(0, 0, table.title, formats.title)
    if table.caption:
        sheet.write(1, 0, table.caption, formats.plain)
    for col, column in enumerate(table.columns):
        sheet.set_column(col, col, column.width)
        sheet.write(HEADER_ROW, col, column.label, formats.header)
    start = 0
    for label, span in table.header_groups:  # the grouped header row, just above the header
        if label and span > 1:
            sheet.merge_range(HEADER_ROW - 1, start, HEADER_ROW - 1, start + span - 1, label,
                              formats.header)
        elif label:
            sheet.write(HEADER_ROW - 1, start, label, formats.header)
        start += span
    for offset, row in enumerate(table.rows, start=1):
        for col, (value, column) in enumerate(zip(row.cells, table.columns_for(row),
                                                  strict=True)):
            r = HEADER_ROW + offset
            pattern = report_format(column.kind, column.places, column.suffix)
            if value is None or value == "":
                sheet.write_blank(r, col, None, formats.text)
            elif pattern and not isinstance(value, str):
                sheet.write_number(r, col, _cell(value), formats.number(pattern, row.total))
            elif column.kind is CellKind.MARK:
                sheet.write_string(r, col, str(value), formats.mark)
            else:
                sheet.write_string(r, col, str(value), formats.text)
    last = HEADER_ROW + len(table.rows)
    for number, note in enumerate(table.notes, start=2):
        sheet.write(last + number, 0, note, formats.plain)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.repeat_rows(HEADER_ROW)
    sheet.autofilter(HEADER_ROW, 0, max(last, HEADER_ROW), len(table.columns) - 1)
    _print_setup(sheet, landscape=sum(c.width for c in table.columns) > 110)
