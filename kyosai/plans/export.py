"""The plan as an Excel workbook in the report's four-column layout (xlsxwriter, kyosai.core.xlsx).

Sheet 「実行計画」: 実行計画 / 実行状況 / 評価 / 今後の取り組み under each section, chapter and policy,
wrapped, A4 portrait fitted to the page width. Sheet 「評価集計」: the tally, numbers as numbers.
Sheet 「県支部別評価」 (HQ's plan, for HQ only): branches × items, roll-up counts as numbers.
"""

import math
import unicodedata
from collections.abc import Sequence
from typing import IO, Any

from kyosai.core.xlsx import COUNT_FORMAT, new_workbook, print_a4
from kyosai.domain.evaluation import Rating
from kyosai.domain.formatting import chapter_label, policy_label
from kyosai.domain.plans import TALLY_RATINGS, ItemNode, PlanTree
from kyosai.plans.selectors import BranchMatrix, TallyTable

__all__ = ["COLUMNS", "write_plan_workbook"]

COLUMNS = ("実行計画", "実行状況", "評価", "今後の取り組み")
WIDTHS = (34, 46, 6, 40)
LINE_HEIGHT = 14.0
FONT = "ＭＳ 明朝"
HEADER_FILL = "#D9D9D9"
#: pixels per character of the default font: widths below are the file's own column widths
PIXELS_PER_CHARACTER = 7
#: (side, top and bottom) and the header's and footer's margins, in inches
MARGINS = (0.5, 1.0)
HEADER_MARGIN = 0.5

Cell = str | int | None


def _lines(text: str, width: int) -> int:
    """How many printed lines a wrapped cell needs (full-width characters count double)."""
    total = 0
    for paragraph in text.split("\n"):
        columns = sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in paragraph)
        total += max(1, math.ceil(columns / max(1, width - 1)))
    return total


class _Styles:
    """The workbook's cell formats, each made once. `layout`: "top" (wrapped, from the top),
    "centre" (wrapped, centred) or "none"; `boxed`: thin borders; `filled`: the header's grey."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self._made: dict[tuple[int, bool, str, bool, bool, str], Any] = {}

    def get(self, *, size: int, bold: bool = False, layout: str = "top", boxed: bool = True,
            filled: bool = False, number: str = "") -> Any:
        key = (size, bold, layout, boxed, filled, number)
        if key not in self._made:
            spec: dict[str, Any] = {"font_name": FONT, "font_size": size, "bold": bold}
            if layout == "top":  # wrapped, from the top
                spec.update(text_wrap=True, valign="top")
            elif layout == "centre":  # wrapped, centred both ways
                spec.update(text_wrap=True, align="center", valign="vcenter")
            if boxed:
                spec["border"] = 1
            if filled:
                spec.update(pattern=1, bg_color=HEADER_FILL)
            if number:
                spec["num_format"] = number
            self._made[key] = self.workbook.add_format(spec)
        return self._made[key]


class _Sheet:
    """A worksheet written row after row (openpyxl's `append`)."""

    def __init__(self, workbook: Any, name: str, styles: _Styles) -> None:
        self.sheet = workbook.add_worksheet(name)
        self.styles = styles
        self.row = 0

    def width(self, column: int, width: float) -> None:
        self.sheet.set_column_pixels(column, column, width * PIXELS_PER_CHARACTER)

    def cells(self, values: Sequence[Cell], formats: Sequence[Any]) -> int:
        """Write one row (blank cells keep their format); its 0-based number."""
        for column, (value, fmt) in enumerate(zip(values, formats, strict=True)):
            if value is None or value == "":
                self.sheet.write_blank(self.row, column, None, fmt)
            elif isinstance(value, int):
                self.sheet.write_number(self.row, column, value, fmt)
            else:
                self.sheet.write_string(self.row, column, value, fmt)
        self.row += 1
        return self.row - 1

    def print_setup(self, *, landscape: bool) -> None:
        print_a4(self.sheet, landscape=landscape, margins=MARGINS, header_margin=HEADER_MARGIN)
        self.sheet.center_horizontally()


def _item_values(item: ItemNode) -> list[str]:
    statuses = "\n".join(
        f"{marker} {s.text}{(' ' + s.confirmation) if s.confirmation else ''}"
        for marker, s in item.numbered_statuses
    )
    actions = "\n".join(f"{marker} {text}" for marker, text in item.lettered_actions)
    return [f"{item.label} {item.text}", statuses, item.rating.value if item.rating else "",
            actions]


def _row(out: _Sheet, values: list[str]) -> None:
    fonts = out.styles
    formats = [fonts.get(size=10, layout="centre" if index == 2 else "top")
               for index in range(len(values))]
    row = out.cells(values, formats)
    lines = max(_lines(v or "", w) for v, w in zip(values, WIDTHS, strict=True))
    out.sheet.set_row(row, LINE_HEIGHT * lines + 4)


def _heading(out: _Sheet, text: str, *, size: int = 11, bold: bool = True) -> None:
    fmt = out.styles.get(size=size, bold=bold, boxed=False)
    out.sheet.merge_range(out.row, 0, out.row, len(COLUMNS) - 1, text, fmt)
    out.sheet.set_row(out.row, LINE_HEIGHT * _lines(text, sum(WIDTHS)) + 6)
    out.row += 1


def _plan_sheet(out: _Sheet, tree: PlanTree) -> None:
    for index, width in enumerate(WIDTHS):
        out.width(index, width)
    _heading(out, f"{tree.owner_name} {tree.period.label()} 事業推進計画の実行状況", size=14)
    legend = "、".join(f"{r.value}：{r.label}" for r in Rating)
    _heading(out, f"【各実行状況の「評価」について】 {legend}", size=9, bold=False)
    header = [out.styles.get(size=10, bold=True, layout="centre", filled=True)] * len(COLUMNS)
    for section in tree.sections:
        _heading(out, f"{section.number}．{section.title}", size=13)
        for chapter in section.chapters:
            _heading(out, f"{chapter_label(chapter.number)}{chapter.title}", size=12)
            for policy in chapter.policies:
                _heading(out, policy_label(policy.number))
                _heading(out, policy.text, bold=False)
                out.cells(list(COLUMNS), header)
                for item in policy.items:
                    _row(out, _item_values(item))
    out.print_setup(landscape=False)


def _tally_sheet(out: _Sheet, tally: TallyTable) -> None:
    rows: list[list[Cell]] = [["節", "表題", *[r.value for r in TALLY_RATINGS], "計"]]
    rows += [[row.chapter, row.title, *row.tally.row()] for row in tally.rows]
    rows.append(["合計", "", *tally.total.row()])
    _boxed_rows(out, rows, lambda row, column, value: out.styles.get(
        size=10, bold=row in (0, len(rows) - 1), boxed=True,
        number=COUNT_FORMAT if isinstance(value, int) else "", layout="none"))
    out.width(0, 8)
    out.width(1, 60)
    for column in range(2, 8):
        out.width(column, 6)
    out.print_setup(landscape=False)


def _boxed_rows(out: _Sheet, rows: list[list[Cell]], style: Any) -> None:
    """Every cell of the rows' rectangle boxed (short rows padded with blank boxed cells)."""
    columns = max(len(row) for row in rows)
    for number, row in enumerate(rows):
        values = [*row, *[None] * (columns - len(row))]
        out.cells(values, [style(number, column, value) for column, value in enumerate(values)])


def _matrix_sheet(out: _Sheet, matrix: BranchMatrix) -> None:
    marks = [r.value for r in TALLY_RATINGS]
    rows: list[list[Cell]] = [["県支部", *[c.code for c in matrix.columns], *marks, "未評価"]]
    for row in matrix.rows:
        ratings = [cell.rating.value if cell.rating else "" for cell in row.cells]
        rows.append([row.branch_name, *ratings, *row.tally.row()[:5], row.tally.unrated])
    for rating in TALLY_RATINGS:
        rows.append([rating.value, *[c.tally.count(rating) for c in matrix.columns]])
    rows.append(["△・×の県支部", *["、".join(c.attention) for c in matrix.columns]])
    _boxed_rows(out, rows, lambda row, column, value: out.styles.get(
        size=9, bold=row == 0 or column == 0, layout="centre" if column > 0 else "top"))
    out.width(0, 12)
    out.sheet.freeze_panes(1, 1)
    out.print_setup(landscape=True)


def write_plan_workbook(
    tree: PlanTree, tally: TallyTable, out: "str | IO[bytes]", *,
    matrix: BranchMatrix | None = None,
) -> None:
    """Write the plan and its tally to `out` (a path or a binary stream); with `matrix` (HQ only)
    a third sheet 「県支部別評価」 with every branch's ratings. Text typed by users (items, branch
    names) is written as text, never run as a formula (kyosai.core.xlsx)."""
    workbook = new_workbook(out)
    styles = _Styles(workbook)
    _plan_sheet(_Sheet(workbook, "実行計画", styles), tree)
    _tally_sheet(_Sheet(workbook, "評価集計", styles), tally)
    if matrix is not None and matrix.columns:
        _matrix_sheet(_Sheet(workbook, "県支部別評価", styles), matrix)
    workbook.close()
