"""Reading a scorecard table (national_summary.csv, product_status.csv) and writing it evaluated.

Pure: takes the header and rows as strings, returns rows or every error with its line and column.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from kyosai.domain.cells import NotANumber, parse_decimal, parse_integer
from kyosai.domain.measures import MeasureKind, MeasureSpec, UnknownMeasure, measure_for_word
from kyosai.domain.periods import FiscalCalendar, InvalidMonth, YearMonth
from kyosai.domain.problems import CellProblem, FileProblems
from kyosai.domain.scorecard import ScorecardFigures, evaluate

__all__ = [
    "DERIVED_COLUMNS",
    "ScorecardLine",
    "evaluate_lines",
    "read_lines",
]

LABEL_COLUMNS = ("product_group", "product", "label")
MEASURE_COLUMNS = ("metric", "item")
PREVIOUS_COLUMNS = ("prev_year_same_period", "prev_year")
DERIVED_COLUMNS = ("change", "achievement_pct", "yoy_pct", "pace_pct", "mark")


@dataclass(slots=True)
class ScorecardLine:
    """One row of the table with the figures needed to evaluate it."""

    cells: dict[str, str]
    label: str
    measure: MeasureSpec
    as_of: YearMonth
    actual: int | Decimal
    target: int | Decimal | None
    previous: int | Decimal | None
    figures: ScorecardFigures | None = field(default=None)


def _pick(header: list[str], names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in header), None)


def _required_columns(header: list[str]) -> tuple[dict[str, str], list[CellProblem]]:
    wanted = {
        "label": (LABEL_COLUMNS, "ラベル列（product_group / product / label）がありません"),
        "measure": (MEASURE_COLUMNS, "指標の列（metric / item）がありません"),
        "previous": (PREVIOUS_COLUMNS, "前年同期の列（prev_year_same_period / prev_year）がありません"),
        "actual": (("actual",), "実績の列（actual）がありません"),
        "target": (("target",), "目標の列（target）がありません"),
        "as_of": (("as_of_month",), "年月の列（as_of_month）がありません"),
    }
    columns: dict[str, str] = {}
    errors: list[CellProblem] = []
    for key, (names, message) in wanted.items():
        found = _pick(header, names)
        if found is None:
            errors.append(CellProblem(1, "/".join(names), message))
        else:
            columns[key] = found
    return columns, errors


def read_lines(header: list[str], rows: list[dict[str, str]]) -> list[ScorecardLine]:
    """Parse every row; raise FileProblems listing all problems at once."""
    columns, errors = _required_columns(header)
    if errors:
        raise FileProblems(errors)
    lines: list[ScorecardLine] = []
    for number, row in enumerate(rows, start=2):
        line = _read_line(number, row, columns, errors)
        if line is not None:
            lines.append(line)
    if errors:
        raise FileProblems(errors)
    return lines


def _read_line(
    number: int, row: dict[str, str], columns: dict[str, str], errors: list[CellProblem]
) -> ScorecardLine | None:
    before = len(errors)
    measure = None
    try:
        measure = measure_for_word(row.get(columns["measure"]) or "")
    except UnknownMeasure:
        errors.append(CellProblem(number, columns["measure"],
                                 f"不明な指標です: {row.get(columns['measure'])!r}"))
    as_of = None
    try:
        as_of = YearMonth.parse(row.get(columns["as_of"]) or "")
    except InvalidMonth as exc:
        errors.append(CellProblem(number, columns["as_of"], str(exc)))
    is_rate = measure is not None and measure.kind is MeasureKind.RATE
    values = {}
    for key in ("actual", "target", "previous"):
        values[key] = _number(number, columns[key], row.get(columns[key]), is_rate, errors)
    if row.get(columns["actual"], "").strip() == "" and "actual" in values:
        errors.append(CellProblem(number, columns["actual"], "実績が空欄です"))
    target = values.get("target")
    if target is not None and target <= 0:
        errors.append(CellProblem(number, columns["target"], f"目標は正の数で入力してください: {target}"))
    if len(errors) > before or measure is None or as_of is None:
        return None
    return ScorecardLine(
        cells=dict(row), label=row.get(columns["label"], ""), measure=measure, as_of=as_of,
        actual=values["actual"] or 0, target=target, previous=values["previous"],
    )


def _number(
    line: int, column: str, text: str | None, is_rate: bool, errors: list[CellProblem]
) -> int | Decimal | None:
    try:
        return parse_decimal(text) if is_rate else parse_integer(text)
    except NotANumber as exc:
        errors.append(CellProblem(line, column, str(exc)))
        return None


def evaluate_lines(lines: list[ScorecardLine], calendar: FiscalCalendar) -> list[ScorecardLine]:
    """Compute the derived columns of every line as of its own month."""
    for line in lines:
        line.figures = evaluate(
            actual=line.actual, target=line.target, previous=line.previous,
            kind=line.measure.kind, as_of=line.as_of, calendar=calendar,
        )
    return lines
