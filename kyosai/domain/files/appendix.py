"""Reading an appendix CSV as it is: entered cells are parsed, derived cells only compared.

Pure: takes the header and the rows as strings. Every problem is reported at once with its line
(line 1 is the header) and column; a derived cell or total row that disagrees with the project's
own computation is a warning, never an error, and is never kept.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from kyosai.domain.appendix.spec import Context, Row, TableSpec, compute_table, format_cell
from kyosai.domain.cells import NotANumber, parse_decimal, parse_integer
from kyosai.domain.periods import InvalidMonth, YearMonth
from kyosai.domain.problems import CellProblem, FileProblems

__all__ = ["ParsedTable", "compare_printed", "parse_table"]


@dataclass(slots=True)
class ParsedTable:
    """The entered records (with their line as `_line`) and every row as printed.

    `file_names` maps a column's name to the name the file gave it when the file used an old
    year-named header (coop_joined_cur → coop_joined_2024), so that messages name the file's."""

    records: list[Row] = field(default_factory=list)
    printed: list[Row] = field(default_factory=list)
    file_names: Mapping[str, str] = field(default_factory=dict)

    def located(self, problems: list[CellProblem]) -> list[CellProblem]:
        """The problems with their columns named as in the file."""
        return _in_file_names(problems, self.file_names)


def _in_file_names(problems: list[CellProblem], names: Mapping[str, str]) -> list[CellProblem]:
    if not names:
        return problems
    return [replace(problem, column=names.get(problem.column, problem.column))
            if problem.column is not None else problem for problem in problems]


def parse_value(kind: str, text: str | None) -> Any:
    """A cell of a column kind: text stays text, int/pct become int/Decimal, month YYYY-MM."""
    cleaned = (text or "").strip()
    if kind == "text":
        return cleaned
    if kind == "int":
        return parse_integer(cleaned)
    if kind == "month":
        return str(YearMonth.parse(cleaned)) if cleaned else None
    return parse_decimal(cleaned)


def _lenient(kind: str, text: str | None) -> Any:
    """A derived cell: parsed for comparison only; unreadable is reported by the comparison."""
    try:
        return parse_value("pct" if kind == "int" else kind, text)
    except (NotANumber, InvalidMonth):
        return (text or "").strip()


def parse_table(
    spec: TableSpec, header: list[str], rows: Sequence[Mapping[str, str]], *,
    fiscal_year: int | None = None,
) -> ParsedTable:
    """Parse every row; raise FileProblems listing all problems at once.

    With the file's `fiscal_year`, columns named after a year the old way (coop_joined_2024)
    are read as today's (coop_joined_cur), see TableSpec.current_names."""
    file_names: dict[str, str] = {}
    if fiscal_year is not None:
        renamed_header, rows = spec.current_names(header, rows, fiscal_year)
        file_names = {new: old for old, new in zip(header, renamed_header, strict=True)
                      if old != new}
        header = renamed_header
    old_names = ({new: old for old, new in spec.legacy_names(fiscal_year).items()}
                 if fiscal_year is not None else {})
    try:
        parsed = _parse_rows(spec, header, rows, old_names)
    except FileProblems as exc:
        raise FileProblems(_in_file_names(exc.errors, file_names)) from None
    parsed.file_names = file_names
    return parsed


def _parse_rows(
    spec: TableSpec, header: list[str], rows: Sequence[Mapping[str, str]], old_names: Mapping[str, str]
) -> ParsedTable:
    missing = [c.name for c in spec.inputs if c.required and c.name not in header]
    if missing:
        raise FileProblems([CellProblem(1, name, _missing(old_names.get(name))) for name in missing])
    parsed = ParsedTable()
    errors: list[CellProblem] = []
    seen: dict[tuple[str, ...], int] = {}
    for line, cells in enumerate(rows, start=2):
        printed = {c.name: _lenient(c.kind, cells.get(c.name)) for c in spec.columns
                   if c.name in cells}
        printed["_line"] = line
        parsed.printed.append(printed)
        if spec.is_derived_row(cells):
            continue
        record = _parse_record(spec, line, cells, errors)
        if record is None:
            continue
        key = spec.key_of(record)
        if key in seen:
            errors.append(CellProblem(line, ",".join(spec.key),
                                f"{seen[key]}行目と同じ行です（重複）: {' / '.join(key)}"))
        seen[key] = line
        parsed.records.append(record)
    if errors:
        raise FileProblems(errors)
    return parsed


def _missing(old_name: str | None) -> str:
    if old_name is None:
        return "必要な列がありません"
    return f"必要な列がありません（以前の列名 {old_name} でも読み込めます）"


def _parse_record(
    spec: TableSpec, line: int, cells: Mapping[str, str], errors: list[CellProblem]
) -> Row | None:
    before = len(errors)
    record: Row = {"_line": line}
    for column in spec.inputs:
        if column.name not in cells:
            record[column.name] = "" if column.kind == "text" else None
            continue
        try:
            value = parse_value(column.kind, cells.get(column.name))
        except (NotANumber, InvalidMonth) as exc:
            errors.append(CellProblem(line, column.name, str(exc)))
            continue
        if column.required and value in (None, ""):
            errors.append(CellProblem(line, column.name, "値が入力されていません"))
        elif column.kind == "int" and value is not None and value < 0 and not column.derived \
                and not column.name.endswith(("_prev_period", "change")):
            errors.append(CellProblem(line, column.name, f"負の数は入力できません: {value}"))
        record[column.name] = value
    return record if len(errors) == before else None


def _same(printed: Any, computed: Any) -> bool:
    if isinstance(printed, int | Decimal) and isinstance(computed, int | Decimal):
        return Decimal(printed) == Decimal(computed)
    return str(printed) == format_cell(computed)


def compare_printed(
    spec: TableSpec, parsed: ParsedTable, context: Context | None = None
) -> list[CellProblem]:
    """Warnings for every printed derived cell or total that differs from the recomputation."""
    computed = {spec.key_of(row): row for row in compute_table(spec, parsed.records, context)}
    derived_names = {c.name for c in spec.derived}
    record_lines = {record["_line"] for record in parsed.records}
    warnings: list[CellProblem] = []
    for printed in parsed.printed:
        key = spec.key_of(printed)
        row = computed.get(key)
        if row is None:
            warnings.append(CellProblem(printed["_line"], None,
                                  "再計算した表に対応する行がないため、この行は使いません"))
            continue
        is_total = printed["_line"] not in record_lines
        blank = False
        for name, value in printed.items():
            if name == "_line" or value in (None, ""):
                continue
            if (is_total or name in derived_names) and row.get(name) in (None, ""):
                blank = True
            elif (is_total or name in derived_names) and not _same(value, row.get(name)):
                warnings.append(CellProblem(
                    printed["_line"], name,
                    f"ファイルの値 {value} は再計算値 {format_cell(row.get(name))} と異なります"
                    "（再計算値を使います）"))
        if blank:
            warnings.append(CellProblem(printed["_line"], None,
                                  "再計算に必要な値（母数など）が未登録のため、この行の派生値は空欄になります"))
    return parsed.located(warnings)
