"""The half-year report as data: sections of headings, sentences, lists, tables and charts.

Pure: the report's builders fill these dataclasses, the renderers (HTML/PDF, xlsx) read them.
A table cell holds the figure itself (int, Decimal or text); `display()` prints it in the report's
style and `kyosai.core.xlsx.report_format()` gives the workbook's display format, so both outputs show
the same text.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from kyosai.domain.formatting import (
    format_change,
    format_number,
    format_pct,
    format_points,
    format_signed,
)
from kyosai.domain.periods import HalfYear

__all__ = [
    "Block",
    "CellKind",
    "Chart",
    "ChartBar",
    "Column",
    "HalfYear",
    "Heading",
    "ItemLists",
    "Missing",
    "Paragraph",
    "Report",
    "ReportTable",
    "Section",
    "TableRow",
    "display",
]

Value = int | Decimal | str | None

NOT_REGISTERED = "データ未登録"


class CellKind(StrEnum):
    """How a column's figures are printed."""

    TEXT = "text"
    NUMBER = "number"  # 1,234 / △1,234
    CHANGE = "change"  # 6,680 / △8,121 / ±0
    SIGNED = "signed"  # +6,680 / △8,121 / ±0 (section Ⅲ's 前年同期比)
    PCT = "pct"  # 103.75%
    POINTS = "points"  # +2.24P
    MARK = "mark"  # ○ △ × ◎ －

    @property
    def is_numeric(self) -> bool:
        return self not in (CellKind.TEXT, CellKind.MARK)


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header, how its cells print, and its places (2 for percentages)."""

    label: str
    kind: CellKind = CellKind.TEXT
    places: int = 0
    width: int = 12  # characters, for the workbook
    suffix: str = ""  # a unit printed after the figure in section Ⅲ (件)


def display(value: Value, column: Column) -> str:
    """The cell as the report prints it: 1,234 / △1,234 / ±0 / 103.75% / +2.24P; empty if None."""
    if value is None or value == "":
        return ""
    if isinstance(value, str) or not column.kind.is_numeric:
        return str(value)
    text = _numeric(value, column)
    return text + column.suffix if column.suffix and not text.endswith("%") else text


def _numeric(value: int | Decimal, column: Column) -> str:
    kind = column.kind
    if kind is CellKind.PCT:
        return format_pct(Decimal(value), column.places)
    if kind is CellKind.POINTS:
        return format_points(Decimal(value), column.places)
    if kind is CellKind.CHANGE:
        return format_change(value, column.places)
    if kind is CellKind.SIGNED:
        return format_signed(value, column.places)
    return format_number(value, column.places)


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row; `group` starts a block of rows kept together (a product group of Ⅱ's table)."""

    cells: tuple[Value, ...]
    total: bool = False
    group_start: bool = False
    #: (column index, column) pairs printing this row's cells differently (a rate's row in Ⅲ)
    overrides: tuple[tuple[int, Column], ...] = ()


@dataclass(frozen=True, slots=True)
class ReportTable:
    """A table: `key` names its workbook sheet, `caption` is printed above it, `notes` below."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]
    caption: str = ""
    notes: tuple[str, ...] = ()
    #: a header row above the columns' own: (label, how many columns it spans); "" leaves the
    #: columns under it with their single header (生協加入数 over 2024年度 / 2023年度)
    header_groups: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        if self.header_groups and sum(span for _, span in self.header_groups) != len(self.columns):
            raise ValueError(f"表「{self.title}」: 見出しの段の列数が列の数と違います")
        for number, row in enumerate(self.rows, start=1):
            if len(row.cells) != len(self.columns):
                raise ValueError(
                    f"表「{self.title}」の{number}行目: 列数 {len(row.cells)} ≠ {len(self.columns)}"
                )

    def columns_for(self, row: TableRow) -> tuple[Column, ...]:
        """The columns as they print `row` (its overrides applied)."""
        if not row.overrides:
            return self.columns
        columns = list(self.columns)
        for index, column in row.overrides:
            columns[index] = column
        return tuple(columns)

    def displayed(self) -> list[list[str]]:
        """Every row as the printed text."""
        return [[display(v, c) for v, c in zip(row.cells, self.columns_for(row), strict=True)]
                for row in self.rows]

    def column(self, label: str) -> list[Value]:
        index = [c.label for c in self.columns].index(label)
        return [row.cells[index] for row in self.rows]


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    style: str = ""  # "box": a definition box (＜受入共済掛金について＞)


@dataclass(frozen=True, slots=True)
class ItemLists:
    """Two lists side by side: 主な成果 and 今後の取り組み・課題."""

    left_title: str
    left: tuple[str, ...]
    right_title: str
    right: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChartBar:
    label: str
    value: Decimal
    marker: Decimal | None = None  # a reference line for this bar (到達目安)


@dataclass(frozen=True, slots=True)
class Chart:
    """A horizontal bar chart of percentages, with an optional reference line per bar."""

    title: str
    bars: tuple[ChartBar, ...]
    unit: str = "%"
    marker_label: str = ""


@dataclass(frozen=True, slots=True)
class Missing:
    """A part whose data source has no data yet: printed as 「データ未登録」, never faked."""

    what: str

    @property
    def text(self) -> str:
        return f"{self.what}: {NOT_REGISTERED}"


Block = Heading | Paragraph | ItemLists | ReportTable | Chart | Missing


@dataclass(slots=True)
class Section:
    """Ⅰ … Ⅵ and 資料編: a numbered section of the report."""

    number: str
    title: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number}．{self.title}" if self.number else self.title

    def tables(self) -> list[ReportTable]:
        return [block for block in self.blocks if isinstance(block, ReportTable)]


@dataclass(slots=True)
class Report:
    """The whole report in its order."""

    title: str
    subtitle: str
    sections: list[Section] = field(default_factory=list)

    def tables(self) -> list[ReportTable]:
        return [table for section in self.sections for table in section.tables()]
