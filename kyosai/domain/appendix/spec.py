"""What an appendix table is: its columns, key, totals and computation, and how cells print.

Columns are named relative to the table's fiscal year (`coop_joined_cur`, `coop_joined_prev`):
fiscal years are data. A column's printed heading may name the year through the placeholders
of `YearLabels` ("生協加入数 {cur}"), filled in from the table's fiscal year when printed. Files
written before that named their columns after one year (`coop_joined_2024`); `legacy` lists
those names as templates so that such files still load (see `current_names`).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kyosai.domain.appendix import rules
from kyosai.domain.formatting import format_number, format_year_month
from kyosai.domain.periods import FiscalCalendar, HalfYear, YearMonth

__all__ = [
    "ColumnSpec",
    "Context",
    "Row",
    "TableSpec",
    "YearLabels",
    "compute_table",
    "display_cell",
    "format_cell",
    "format_printed",
]

#: A table row: column name → cell. The cells' types depend on the column (str for text, int,
#: Decimal for pct, None when blank) and `_line`, `_pk` … carry context, so the value is Any.
Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class YearLabels:
    """The words a heading may use for a table's years and months, taken from its data.

    {cur} 2024 and {prev} 2023 (the table's fiscal year and the one before), {cur_yy} 24 and
    {prev_yy} 23; with the months known, {as_of} 2024年11月 (the month this year's figures are
    as of) and {prior_end} 2024年5月 (the previous fiscal year's last month), {as_of_month} 11 and
    {prior_end_month} 5. Without a fiscal year the years read 当年度 / 前年度."""

    fiscal_year: int | None
    as_of: YearMonth | None = None
    prior_end: YearMonth | None = None

    @classmethod
    def of(cls, period: HalfYear, calendar: FiscalCalendar) -> "YearLabels":
        """The labels of an edition: its fiscal year, its last month, the year's eve."""
        return cls(period.fiscal_year, period.months(calendar)[-1],
                   calendar.first_month(period.fiscal_year).shift(-1))

    def fill(self, template: str) -> str:
        year = self.fiscal_year
        if year is None:
            words = {"cur": "当年度", "prev": "前年度", "cur_yy": "当年度", "prev_yy": "前年度"}
        else:
            words = {"cur": str(year), "prev": str(year - 1), "cur_yy": f"{year % 100:02d}",
                     "prev_yy": f"{(year - 1) % 100:02d}"}
        for name, month in (("as_of", self.as_of), ("prior_end", self.prior_end)):
            if month is not None:
                words[name] = format_year_month(month)
                words[f"{name}_month"] = str(month.month)
        return template.format_map(words)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column: its type (text, int, pct, month), whether it is derived, printed, required.

    `label` is the Japanese heading, possibly with year placeholders (see YearLabels)."""

    name: str
    kind: str = "int"
    derived: bool = False
    required: bool = True
    printed: bool = True
    label: str = ""

    def heading(self, fiscal_year: int | None) -> str:
        """The column's Japanese heading for a table of `fiscal_year` (its name without one)."""
        return YearLabels(fiscal_year).fill(self.label) if self.label else self.name


@dataclass(frozen=True, slots=True)
class Context:
    """What a computation needs beyond the rows: 全単組数 etc. per year, the prefecture count."""

    bases: Mapping[tuple[int, str], int] = field(default_factory=dict)
    prefecture_count: int = rules.PREFECTURE_COUNT


@dataclass(frozen=True, slots=True)
class TableSpec:
    """An appendix table: its columns, natural key, total rows and computation.

    `legacy` maps the column names of older files, written with `{cur}` / `{prev}` for the
    file's fiscal year and the year before ("coop_joined_{cur}"), to today's names."""

    kind: str
    title: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]
    branch_column: str | None
    compute: Callable[[list[Row], Context], list[Row]]
    union_column: str | None = None
    total_label: str | None = None
    derived_rows: Callable[[Mapping[str, str]], bool] | None = None
    legacy: tuple[tuple[str, str], ...] = ()

    @property
    def header(self) -> list[str]:
        """The printed columns in order: the CSV header of `kyosai appendix KIND`."""
        return [column.name for column in self.columns if column.printed]

    @property
    def inputs(self) -> list[ColumnSpec]:
        return [column for column in self.columns if not column.derived]

    @property
    def derived(self) -> list[ColumnSpec]:
        return [column for column in self.columns if column.derived]

    def column(self, name: str) -> ColumnSpec:
        return next(column for column in self.columns if column.name == name)

    def legacy_names(self, fiscal_year: int) -> dict[str, str]:
        """Old column name → today's, for a file of `fiscal_year` (coop_joined_2024 → _cur)."""
        labels = YearLabels(fiscal_year)
        return {labels.fill(old): new for old, new in self.legacy}

    def current_names(
        self, header: list[str], rows: Sequence[Mapping[str, str]], fiscal_year: int
    ) -> tuple[list[str], list[Mapping[str, str]]]:
        """A file's header and rows with old year-named columns renamed to today's names.

        A column already named today's way is kept as it is (and wins over an old one)."""
        renames = {old: new for old, new in self.legacy_names(fiscal_year).items()
                   if old in header and new not in header}
        if not renames:
            return list(header), list(rows)
        renamed: list[Mapping[str, str]] = [
            {renames.get(name, name): value for name, value in row.items()} for row in rows]
        return [renames.get(name, name) for name in header], renamed

    def is_derived_row(self, cells: Mapping[str, str]) -> bool:
        """A total (合計) or other computed row of a file: compared, never stored."""
        if self.derived_rows is not None:
            return self.derived_rows(cells)
        if self.total_label is None or self.branch_column is None:
            return False
        return (cells.get(self.branch_column) or "").strip() == self.total_label

    def key_of(self, row: Mapping[str, object]) -> tuple[str, ...]:
        return tuple("" if row.get(name) is None else str(row.get(name)) for name in self.key)


def compute_table(spec: TableSpec, records: list[Row], context: Context | None = None) -> list[Row]:
    """Every row with its derived cells, plus the recomputed total rows, in the report's order."""
    return spec.compute([dict(record) for record in records], context or Context())


def format_cell(value: object) -> str:
    """A cell as the CSVs write it: plain numbers, '-' for negatives, decimals as rounded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else ""
    return str(value)


def display_cell(value: object, kind: str) -> str:
    """A cell as the report prints it on screen: 3,316 / △1 / 3.0% (decimals as rounded)."""
    if isinstance(value, bool) or kind not in ("int", "pct") or not isinstance(value, int | Decimal):
        return format_cell(value)
    exponent = Decimal(value).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    text = format_number(value, places)
    return f"{text}%" if kind == "pct" else text


def format_printed(value: int | Decimal, unit: str, places: int = 0) -> str:
    """A meetings cell as printed: '3,177 単組', '△0.4 回', '124.7%', '△0.5P'."""
    text = format_number(value, places if value != 0 else 0)
    if unit in ("%", "P"):
        return f"{text}{unit}"
    return f"{text} {unit}"
