"""`kyosai scorecard --as-of`: the scorecard evaluated from the database, written as the report's tables.

by="group" writes the columns of the national table (national_summary.csv), by="product" those
of section Ⅲ (product_status.csv); csv/json carry plain figures, the table the report's style.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from kyosai.core.tabular import write_rows
from kyosai.domain.formatting import format_change, format_number, format_pct, format_points
from kyosai.domain.rollup import ScorecardRow

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["GROUP_COLUMNS", "PRODUCT_COLUMNS", "write_scorecard"]

GROUP_COLUMNS = ("product_group", "metric", "actual", "target", "achievement_pct",
                 "prev_year_same_period", "change", "yoy_pct", "mark", "as_of_month")
PRODUCT_COLUMNS = ("product", "item", "as_of_month", "target", "actual", "prev_year", "change",
                   "achievement_pct", "mark")
TEXT_COLUMNS = {"product_group", "metric", "product", "item", "mark", "as_of_month"}


def _plain(value: int | Decimal | None) -> str:
    return "" if value is None else str(value)


def _cells(row: ScorecardRow) -> dict[str, str]:
    return {
        "product_group": row.label, "product": row.label,
        "metric": row.measure_name, "item": row.measure_name,
        "actual": _plain(row.actual), "target": _plain(row.target),
        "prev_year_same_period": _plain(row.previous), "prev_year": _plain(row.previous),
        "change": _plain(row.change), "achievement_pct": _plain(row.achievement_pct),
        "yoy_pct": _plain(row.yoy_pct), "mark": row.mark.value if row.mark else "",
        "as_of_month": str(row.as_of),
    }


def _styled(row: ScorecardRow) -> dict[str, str]:
    places = 2 if row.is_rate else 0
    number: Callable[[int | Decimal], str] = (
        (lambda v: format_pct(v)) if row.is_rate else (lambda v: format_number(v, places)))
    cells = _cells(row)
    for column, value in (("actual", row.actual), ("target", row.target),
                          ("prev_year_same_period", row.previous), ("prev_year", row.previous)):
        cells[column] = "" if value is None else number(value)
    cells["change"] = format_points(row.change) if row.is_rate else format_change(row.change)
    cells["achievement_pct"] = format_pct(row.achievement_pct)
    cells["yoy_pct"] = format_pct(row.yoy_pct)
    return cells


def write_scorecard(out: "SupportsWrite[str]", rows: list[ScorecardRow], by: str, fmt: str) -> None:
    """Write the rows with the report table's columns (csv, json or an aligned table)."""
    header = GROUP_COLUMNS if by == "group" else PRODUCT_COLUMNS
    if fmt == "table":
        styled = [_styled(row) for row in rows]
        write_rows(out, header, [[cells[c] for c in header] for cells in styled], "table",
                   [c not in TEXT_COLUMNS for c in header])
    else:
        write_rows(out, header, [[_cells(row)[c] for c in header] for row in rows], fmt)
