"""The plan as an Excel workbook in the report's four-column layout (openpyxl).

Sheet 「実行計画」: 実行計画 / 実行状況 / 評価 / 今後の取り組み under each section, chapter and policy,
wrapped, A4 portrait fitted to the page width. Sheet 「評価集計」: the tally, numbers as numbers.
Sheet 「県支部別評価」 (HQ's plan, for HQ only): branches × items, roll-up counts as numbers.
"""

import math
import unicodedata
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from kyosai.core.tabular import keep_text
from kyosai.domain.evaluation import Rating
from kyosai.domain.formatting import chapter_label, policy_label
from kyosai.domain.plans import TALLY_RATINGS, ItemNode, PlanTree
from kyosai.plans.selectors import BranchMatrix, TallyTable

__all__ = ["COLUMNS", "write_plan_workbook"]

COLUMNS = ("実行計画", "実行状況", "評価", "今後の取り組み")
WIDTHS = (34, 46, 6, 40)
LINE_HEIGHT = 14.0
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
FONT = "ＭＳ 明朝"


def _lines(text: str, width: int) -> int:
    """How many printed lines a wrapped cell needs (full-width characters count double)."""
    total = 0
    for paragraph in text.split("\n"):
        columns = sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in paragraph)
        total += max(1, math.ceil(columns / max(1, width - 1)))
    return total


def _row(ws: Worksheet, values: list[str], heights_from: bool = True) -> int:
    ws.append(values)
    row: int = ws.max_row
    for index, _ in enumerate(values, start=1):
        cell = ws.cell(row=row, column=index)
        cell.border = BOX
        cell.alignment = CENTRE if index == 3 else WRAP_TOP
        cell.font = Font(name=FONT, size=10)
    if heights_from:
        lines = max(_lines(v or "", w) for v, w in zip(values, WIDTHS, strict=True))
        ws.row_dimensions[row].height = LINE_HEIGHT * lines + 4
    return row


def _heading(ws: Worksheet, text: str, *, size: int = 11, bold: bool = True) -> None:
    ws.append([text])
    row = ws.max_row
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
    cell = ws.cell(row=row, column=1)
    cell.font = Font(name=FONT, size=size, bold=bold)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[row].height = LINE_HEIGHT * _lines(text, sum(WIDTHS)) + 6


def _item_values(item: ItemNode) -> list[str]:
    statuses = "\n".join(
        f"{marker} {s.text}{(' ' + s.confirmation) if s.confirmation else ''}"
        for marker, s in item.numbered_statuses
    )
    actions = "\n".join(f"{marker} {text}" for marker, text in item.lettered_actions)
    return [f"{item.label} {item.text}", statuses, item.rating.value if item.rating else "",
            actions]


def _plan_sheet(ws: Worksheet, tree: PlanTree) -> None:
    ws.title = "実行計画"
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[chr(64 + index)].width = width
    _heading(ws, f"{tree.owner_name} {tree.period.label()} 事業推進計画の実行状況", size=14)
    legend = "、".join(f"{r.value}：{r.label}" for r in Rating)
    _heading(ws, f"【各実行状況の「評価」について】 {legend}", size=9, bold=False)
    for section in tree.sections:
        _heading(ws, f"{section.number}．{section.title}", size=13)
        for chapter in section.chapters:
            _heading(ws, f"{chapter_label(chapter.number)}{chapter.title}", size=12)
            for policy in chapter.policies:
                _heading(ws, policy_label(policy.number))
                _heading(ws, policy.text, bold=False)
                header = _row(ws, list(COLUMNS), heights_from=False)
                for column in range(1, len(COLUMNS) + 1):
                    cell = ws.cell(row=header, column=column)
                    cell.fill = HEADER_FILL
                    cell.font = Font(name=FONT, size=10, bold=True)
                    cell.alignment = CENTRE
                for item in policy.items:
                    _row(ws, _item_values(item))
    _a4(ws, landscape=False)


def _tally_sheet(ws: Worksheet, tally: TallyTable) -> None:
    header = ["節", "表題", *[r.value for r in TALLY_RATINGS], "計"]
    ws.append(header)
    for row in tally.rows:
        ws.append([row.chapter, row.title, *row.tally.row()])
    ws.append(["合計", "", *tally.total.row()])
    for cells in ws.iter_rows():
        for cell in cells:
            cell.border = BOX
            cell.font = Font(name=FONT, size=10, bold=cell.row in (1, ws.max_row))
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 60
    for letter in "CDEFGH":
        ws.column_dimensions[letter].width = 6
    _a4(ws, landscape=False)


def _a4(ws: Worksheet, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5


def _matrix_sheet(ws: Worksheet, matrix: BranchMatrix) -> None:
    marks = [r.value for r in TALLY_RATINGS]
    ws.append(["県支部", *[c.code for c in matrix.columns], *marks, "未評価"])
    for row in matrix.rows:
        ratings = [cell.rating.value if cell.rating else "" for cell in row.cells]
        ws.append([row.branch_name, *ratings, *row.tally.row()[:5], row.tally.unrated])
    for rating in TALLY_RATINGS:
        ws.append([rating.value, *[c.tally.count(rating) for c in matrix.columns]])
    ws.append(["△・×の県支部", *["、".join(c.attention) for c in matrix.columns]])
    for cells in ws.iter_rows():
        for cell in cells:
            cell.border = BOX
            cell.font = Font(name=FONT, size=9, bold=cell.row == 1 or cell.column == 1)
            cell.alignment = CENTRE if cell.column > 1 else WRAP_TOP
    ws.column_dimensions["A"].width = 12
    ws.freeze_panes = "B2"
    _a4(ws, landscape=True)


def write_plan_workbook(
    tree: PlanTree, tally: TallyTable, out: "str | IO[bytes]", *,
    matrix: BranchMatrix | None = None,
) -> None:
    """Write the plan and its tally to `out` (a path or a binary stream); with `matrix` (HQ only)
    a third sheet 「県支部別評価」 with every branch's ratings."""
    workbook = Workbook()
    _plan_sheet(workbook.active, tree)
    _tally_sheet(workbook.create_sheet("評価集計"), tally)
    if matrix is not None and matrix.columns:
        _matrix_sheet(workbook.create_sheet("県支部別評価"), matrix)
    for sheet in workbook.worksheets:  # text typed by users (items, branch names) is never run
        for row in sheet.iter_rows():
            for cell in row:
                keep_text(cell)
    workbook.save(out)
