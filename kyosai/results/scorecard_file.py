"""`kyosai scorecard --input FILE`: evaluate a scorecard table read from a file."""

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from kyosai.core.tabular import read_table, write_rows
from kyosai.domain.cells import parse_decimal
from kyosai.domain.files.scorecard import DERIVED_COLUMNS, ScorecardLine, evaluate_lines, read_lines
from kyosai.domain.formatting import format_change, format_number, format_pct, format_points
from kyosai.domain.measures import MeasureKind
from kyosai.domain.periods import FiscalCalendar

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["evaluate_file", "write_evaluated"]

PERCENT_COLUMNS = ("achievement_pct", "yoy_pct", "pace_pct")


def evaluate_file(path: Path, fiscal_year_start: int) -> tuple[list[str], list[ScorecardLine]]:
    """Read and evaluate; raises TableReadError or FileProblems."""
    header, rows = read_table(path)
    lines = evaluate_lines(read_lines(header, rows), FiscalCalendar(fiscal_year_start))
    return header + [c for c in DERIVED_COLUMNS if c not in header], lines


def _plain(line: ScorecardLine) -> dict[str, str]:
    figures = line.figures
    assert figures is not None
    derived = {
        "change": figures.change,
        "achievement_pct": figures.achievement_pct,
        "yoy_pct": figures.yoy_pct,
        "pace_pct": figures.pace_pct,
        "mark": figures.mark.value if figures.mark else None,
    }
    return {**line.cells, **{k: "" if v is None else str(v) for k, v in derived.items()}}


def _display(column: str, text: str, line: ScorecardLine) -> str:
    """The report's number style for the text table."""
    if text == "" or column in ("mark", "as_of_month"):
        return text
    value = parse_decimal(text) if column in (*PERCENT_COLUMNS, "change") else None
    if column in PERCENT_COLUMNS and value is not None:
        return format_pct(value)
    is_rate = line.measure.kind is MeasureKind.RATE
    if column == "change" and value is not None:
        return format_points(value) if is_rate else format_change(value)
    try:
        number = parse_decimal(text)
    except ValueError:
        return text
    if number is None:
        return text
    return format_pct(number) if is_rate else format_number(number, _places(number))


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def write_evaluated(out: "SupportsWrite[str]", header: list[str], lines: list[ScorecardLine], fmt: str) -> None:
    plain = [_plain(line) for line in lines]
    if fmt == "table":
        rows = [[_display(c, p.get(c, ""), line) for c in header] for p, line in
                zip(plain, lines, strict=True)]
        right = [c not in ("product_group", "product", "label", "metric", "item", "mark",
                           "as_of_month") for c in header]
        write_rows(out, header, rows, "table", right)
    else:
        write_rows(out, header, [[p.get(c, "") for c in header] for p in plain], fmt)
