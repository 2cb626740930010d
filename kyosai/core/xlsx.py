"""Every workbook the system writes: xlsxwriter, text never a formula, the report's number formats.

openpyxl only reads workbooks (`kyosai.core.tabular`); every writer (the report, the web tables'
exports, the plan, the results/targets exports) opens its workbook with `new_workbook`, which
tells xlsxwriter to write text as text: a union named =HYPERLINK("http://x","y"), or any text
starting with = + - @ tab or CR, stays that string, never a formula, a link or a number (issue 11,
item 5; CSV files have `kyosai.core.tabular.csv_cell`).

Number formats print like the report: 1,234 / △1,234 / 103.75% / +2.24P (`number_format`,
`report_format`), and `print_a4` is the page setup every printed sheet shares.
"""

from pathlib import Path
from typing import IO, Any

import xlsxwriter

from kyosai.domain.reporting import CellKind

__all__ = [
    "A4",
    "COUNT_FORMAT",
    "TEXT_IS_NEVER_RUN",
    "new_workbook",
    "number_format",
    "print_a4",
    "report_format",
]

#: xlsxwriter's paper size number for A4
A4 = 9

#: xlsxwriter: `write()` of text never makes a formula, a link or a number of it.
TEXT_IS_NEVER_RUN: dict[str, bool] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

#: a count that is never negative (the plan's tallies): 1,234
COUNT_FORMAT = "#,##0"


def new_workbook(target: str | Path | IO[bytes], *, streaming: bool = False) -> Any:
    """An xlsxwriter workbook writing to a path or a binary stream (built in memory).

    `streaming` (a path only): each row is flushed once the next one starts, so that a sheet
    of millions of rows takes little memory; rows must then be written in order."""
    options: dict[str, bool] = dict(TEXT_IS_NEVER_RUN)
    if isinstance(target, Path):
        target = str(target)
    if not isinstance(target, str):
        if streaming:
            raise ValueError("streaming writes to a file path")
        options["in_memory"] = True
    elif streaming:
        options["constant_memory"] = True
    return xlsxwriter.Workbook(target, options)


def _digits(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")


def number_format(places: int = 0) -> str:
    """A figure with its places and △ for a negative one: 1,234 / △1,234 / 12.50."""
    digits = _digits(places)
    return f"{digits};△{digits}"


def report_format(kind: CellKind, places: int = 0, suffix: str = "") -> str | None:
    """The report's display format of a column (`kyosai.domain.reporting.Column`): the text
    `display` prints (1,234 / △1,234 / ±0 / +12 / 103.75% / +2.24P); None for text and marks."""
    digits = _digits(places)
    unit = f'"{suffix}"' if suffix else ""
    zero = "0" + ("." + "0" * places if places else "")
    formats = {
        CellKind.NUMBER: f'{digits}{unit};"△"{digits}{unit};{zero}{unit}',
        CellKind.CHANGE: f'{digits}{unit};"△"{digits}{unit};"±0"{unit}',
        CellKind.SIGNED: f'"+"{digits}{unit};"△"{digits}{unit};"±0"{unit}',
        CellKind.PCT: f'{zero}"%";"△"{zero}"%";{zero}"%"',
        CellKind.POINTS: f'"+"{zero}"P";"△"{zero}"P";"±"{zero}"P"',
    }
    return formats.get(kind)


def print_a4(sheet: Any, *, landscape: bool = False, margins: tuple[float, float] = (0.5, 0.6),
             header_margin: float | None = None) -> None:
    """A4, fitted to the page width (as many pages down as needed); `margins` (sides, top and
    bottom) in inches; `header_margin` also sets the header's and the footer's."""
    sheet.set_paper(A4)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    side, top = margins
    sheet.set_margins(left=side, right=side, top=top, bottom=top)
    if header_margin is not None:
        sheet.set_header("", margin=header_margin)
        sheet.set_footer("", margin=header_margin)
