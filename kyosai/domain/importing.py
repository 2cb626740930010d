"""Rules for target and result figures: what a key, a target kind and a valid value are, and the
checks across rows of a read file (union rows adding up to their branch row, cumulative flows
never falling within a fiscal year). No ORM.

Reading the files themselves (header mapping, per-row parsing) is `kyosai.domain.files.results`.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from kyosai.domain.cells import check_places
from kyosai.domain.measures import MeasureKind, MeasureSpec
from kyosai.domain.periods import FiscalCalendar, FiscalYears, YearMonth
from kyosai.domain.problems import CellProblem

__all__ = [
    "TARGET_KINDS",
    "FullKey",
    "ParsedFile",
    "Reference",
    "ResultKey",
    "RowKey",
    "TargetGroup",
    "TargetKey",
    "Value",
    "earlier_months",
    "flow_warnings",
    "sum_warnings",
    "value_problem",
]

TARGET_KINDS = {"official": "official", "機関目標": "official", "目標": "official",
                "own": "own", "自主目標": "own"}
ResultKey = tuple[YearMonth, str | None, str | None, str, str]  # month, branch, union, product, measure
#: fy, kind, revision, effective-from month, branch, union, product, measure
TargetKey = tuple[int, str, int, YearMonth, str | None, str | None, str, str]
RowKey = tuple[str | None, str | None, str, str]  # branch, union, product, measure (within a group)
Value = int | Decimal
#: A group's cells then the row key: (month, …RowKey) or (year, kind, revision, from, …RowKey).
FullKey = tuple[Hashable, ...]
#: The group of a target file: (fiscal year, kind, revision, month it applies from).
TargetGroup = tuple[int, str, int, YearMonth]


@dataclass(frozen=True, slots=True)
class Reference:
    """The master data a file is checked against (codes; names map to codes)."""

    branches: dict[str, str]  # code or name → code
    unions: dict[str, str]  # union code → its branch code
    products: dict[str, str]  # code, name or report label → code
    product_measures: dict[str, frozenset[str]]  # product code → measure codes
    measures: dict[str, MeasureSpec]  # code → spec
    measure_words: dict[str, str]  # word or code → code
    fiscal_years: dict[int, int]  # year → start month
    _memo: dict[YearMonth, int | None] = field(default_factory=dict, compare=False, repr=False)

    def fiscal_year_of(self, month: YearMonth) -> int | None:
        """The registered fiscal year containing `month` (None when there is none)."""
        if month not in self._memo:
            years = FiscalYears({year: FiscalCalendar(start)
                                 for year, start in self.fiscal_years.items()})
            self._memo[month] = years.registered_year_of(month)
        return self._memo[month]


@dataclass(slots=True)
class ParsedFile:
    """The rows of a valid file, or the errors; warnings either way.

    Rows are grouped: by month (results) or by (fiscal year, kind) (targets); within a group a
    row is keyed by (branch, union, product, measure) codes, so keys hash fast and a group maps
    onto one stored month or target set. `values` and `lines` give the flat view (full keys).
    """

    groups: dict[Hashable, dict[RowKey, Value]] = field(default_factory=dict)
    group_lines: dict[Hashable, dict[RowKey, int]] = field(default_factory=dict)
    errors: list[CellProblem] = field(default_factory=list)
    warnings: list[CellProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # identifier → header as written
    rows_read: int = 0  # data rows read (blank rows skipped)

    @property
    def ok(self) -> bool:
        return not self.errors

    def __len__(self) -> int:
        return sum(len(values) for values in self.groups.values())

    @staticmethod
    def full_key(group: Hashable, key: RowKey) -> FullKey:
        """(month, branch, union, product, measure) or (year, kind, branch, union, product, measure)."""
        return (*group, *key) if isinstance(group, tuple) else (group, *key)

    @property
    def values(self) -> dict[FullKey, Value]:
        return {self.full_key(g, k): v for g, rows in self.groups.items() for k, v in rows.items()}

    @property
    def lines(self) -> dict[FullKey, int]:
        return {self.full_key(g, k): n for g, rows in self.group_lines.items()
                for k, n in rows.items()}


def value_problem(value: Decimal, spec: MeasureSpec | None, text: str) -> str | None:
    """Why a figure cannot be stored for `spec` (None when it can): a rate (or an unknown
    measure) keeps two decimal places; any other measure is whole and not negative."""
    if spec is None or spec.kind is MeasureKind.RATE:
        return check_places(value)  # what DECIMAL(18, 2) keeps
    if value != value.to_integral_value():
        unit = "円" if spec.is_money else spec.unit.value
        return f"{spec.short_name}は整数（{unit}）で入力してください: {text!r}"
    if value < 0:
        return f"{spec.short_name}に負の値は入力できません: {text!r}"
    return None


def sum_warnings(parsed: ParsedFile, ref: Reference) -> list[CellProblem]:
    """Union rows that do not add up to a branch row of the same file (rates excepted)."""
    rates = {code for code, spec in ref.measures.items() if spec.kind is MeasureKind.RATE}
    problems = []
    for group, values in parsed.groups.items():
        branch_rows = {key for key in values
                       if key[1] is None and key[0] is not None and key[3] not in rates}
        if not branch_rows:
            continue
        sums: dict[RowKey, Value] = {}
        for (branch, union, product, measure), value in values.items():
            if union is not None and (branch, None, product, measure) in branch_rows:
                total_key = (branch, None, product, measure)
                sums[total_key] = sums.get(total_key, 0) + value
        lines = parsed.group_lines[group]
        for key, total in sums.items():
            if values[key] != total:
                problems.append(CellProblem(
                    lines[key], None,
                    f"県支部の行（{values[key]:,}）と単組の合計（{total:,}）が一致しません"))
    return problems


def earlier_months(parsed: ParsedFile, ref: Reference) -> dict[YearMonth, YearMonth]:
    """Month of the file → the month before it in the same fiscal year, whose stored flows
    `flow_warnings` compares with (only where the file itself lacks some of them)."""
    flows = {code for code, spec in ref.measures.items() if spec.kind is MeasureKind.FLOW}
    wanted = {}
    for group, values in parsed.groups.items():
        month = cast(YearMonth, group)  # a results file's groups are its months
        prior = month.shift(-1)
        if ref.fiscal_year_of(prior) != ref.fiscal_year_of(month):
            continue
        in_file = parsed.groups.get(prior, {})
        if any(key[3] in flows and key not in in_file for key in values):
            wanted[month] = prior
    return wanted


def flow_warnings(parsed: ParsedFile, ref: Reference,
                  earlier: Mapping[YearMonth, Mapping[RowKey, Value]]) -> list[CellProblem]:
    """A cumulative flow lower than the month before (same fiscal year), in the file or before it.

    `earlier` holds figures already stored, by month, for months before those of the file; the
    file's own rows of the month before win over them.
    """
    flows = {code for code, spec in ref.measures.items() if spec.kind is MeasureKind.FLOW}
    problems = []
    for group, values in parsed.groups.items():
        month = cast(YearMonth, group)  # a results file's groups are its months
        prior = month.shift(-1)
        if ref.fiscal_year_of(prior) != ref.fiscal_year_of(month):
            continue
        in_file = parsed.groups.get(prior, {})
        stored = earlier.get(prior, {})
        if not in_file and not stored:
            continue
        lines = parsed.group_lines[month]
        for key, value in values.items():
            if key[3] not in flows:
                continue
            before = in_file.get(key)
            if before is None:
                before = stored.get(key)
            if before is not None and value < before:
                problems.append(CellProblem(
                    lines[key], None,
                    f"累計の実績が前月（{prior}: {before:,}）より少なくなっています（{value:,}）"))
    return sorted(problems, key=lambda problem: problem.line or 0)
