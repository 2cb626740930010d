"""A table as the pages show it and as it is exported: the same rows, so export = what you see.

A view builds `Table`s from selector rows that the user's access already restricted; the HTML
template renders them and `export_response` writes one of them as CSV or .xlsx, stating the
filters that produced it above the header.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from kyosai.core.tabular import csv_cell
from kyosai.core.xlsx import new_workbook, number_format
from kyosai.domain.evaluation import Mark

__all__ = ["EXPORT_FORMATS", "Cell", "Column", "Row", "Table", "export_response", "mark_css"]

EXPORT_FORMATS = ("csv", "xlsx")
MARK_CSS = {Mark.GOOD: "good", Mark.PARTIAL: "partial", Mark.POOR: "poor"}


def mark_css(mark: Mark | None) -> str:
    return MARK_CSS.get(mark, "") if mark is not None else ""


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    numeric: bool = True


@dataclass(frozen=True, slots=True)
class Cell:
    """What a cell shows (`text`), what it exports (`value`), where it links, how it looks."""

    text: str
    value: Any = None
    url: str = ""
    mark: Mark | None = None
    css: str = ""

    @property
    def export_value(self) -> Any:
        if self.mark is not None:
            return self.mark.value
        return self.text if self.value is None else self.value

    @property
    def mark_class(self) -> str:
        return mark_css(self.mark)

    @property
    def negative(self) -> bool:
        return isinstance(self.value, int | Decimal) and self.value < 0


@dataclass(frozen=True, slots=True)
class Row:
    cells: Sequence[Cell]
    css: str = ""


@dataclass(slots=True)
class Table:
    """A titled table; `key` names it in ?export=csv&table=KEY, `filters` what produced it."""

    key: str
    title: str
    columns: Sequence[Column]
    rows: list[Row] = field(default_factory=list)
    filters: Sequence[tuple[str, str]] = ()
    note: str = ""
    header_cells: int = 1  # leading cells rendered as row headers (<th>)
    links: dict[str, str] = field(default_factory=dict)  # filled by the view: format → URL

    def export_links(self, request: HttpRequest) -> dict[str, str]:
        """?export=FMT&table=KEY added to the current query string."""
        query = request.GET.copy()
        query["table"] = self.key
        links = {}
        for fmt in EXPORT_FORMATS:
            query["export"] = fmt
            links[fmt] = "?" + query.urlencode()
        return links

    def preamble(self, user: str) -> list[list[str]]:
        """The lines stating what was exported, by whom and when."""
        lines = [["表", self.title]]
        lines += [[name, value] for name, value in self.filters]
        lines.append(["出力", f"{timezone.localtime():%Y-%m-%d %H:%M} {user}"])
        return lines


def _csv_bytes(table: Table, user: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([csv_cell(value) for value in line] for line in table.preamble(user))
    writer.writerow([])
    writer.writerow([csv_cell(column.label) for column in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(cell.export_value) for cell in row.cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def _xlsx_bytes(table: Table, user: str) -> bytes:
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    sheet = book.add_worksheet(table.key[:31] or "table")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#F2F4F7", "border": 1, "align": "center"})
    number = book.add_format({"num_format": number_format(), "border": 1})
    decimal = book.add_format({"num_format": number_format(2), "border": 1})
    text = book.add_format({"border": 1})
    line = 0
    for line, values in enumerate(table.preamble(user)):
        sheet.write_row(line, 0, values, bold if line == 0 else None)
    line += 2
    for col, column in enumerate(table.columns):
        sheet.write(line, col, column.label, head)
    for row in table.rows:
        line += 1
        for col, cell in enumerate(row.cells):
            value = cell.export_value
            if isinstance(value, bool) or value is None:
                sheet.write_blank(line, col, None, text)
            elif isinstance(value, int):
                sheet.write_number(line, col, value, number)
            elif isinstance(value, Decimal):
                exponent = value.as_tuple().exponent  # a letter for NaN and the infinities
                whole = value == value.to_integral_value() and isinstance(exponent, int) and exponent >= 0
                fmt = number if whole else decimal
                # xlsx stores IEEE doubles: the conversion happens here, at the file boundary only
                sheet.write_number(line, col, float(value), fmt)
            else:
                sheet.write_string(line, col, str(value), text)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, max(1, len(table.columns) - 1), 13)
    book.close()
    return buffer.getvalue()


def export_response(table: Table, fmt: str, filename: str, user: str) -> HttpResponse:
    """The table as a download; `filename` without extension (Japanese allowed)."""
    if fmt == "xlsx":
        body = _xlsx_bytes(table, user)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = _csv_bytes(table, user)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    name = f"{filename}.{fmt}"
    ascii_name = "kyosai-export." + fmt
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
