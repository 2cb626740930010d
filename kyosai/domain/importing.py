"""Reading target and result files: header mapping, per-row validation, warnings. No ORM.

The service hands over the file's header and rows (cells as text) and a `Reference` of the
master data; it gets back parsed rows, or every error with its line and column in Japanese.
Line 1 is the header, so the first data row is line 2 (as a spreadsheet shows it).
"""

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from kyosai.domain.cells import NotANumber, parse_decimal
from kyosai.domain.measures import MeasureKind, MeasureSpec
from kyosai.domain.periods import InvalidMonth, YearMonth

__all__ = [
    "RESULT_COLUMNS",
    "TARGET_COLUMNS",
    "TARGET_KINDS",
    "ImportProblem",
    "ParsedFile",
    "Reference",
    "ResultKey",
    "TargetKey",
    "flow_warnings",
    "parse_month",
    "parse_results",
    "parse_targets",
]

#: Identifier → accepted header labels (identifiers first; Japanese labels beside them).
RESULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "month": ("month", "年月", "実績年月", "月"),
    "branch": ("branch", "県支部", "県支部コード", "支部"),
    "union": ("union", "単組", "単組コード"),
    "product": ("product", "制度", "共済制度", "制度コード"),
    "measure": ("measure", "指標", "項目"),
    "value": ("value", "実績", "実績値", "値"),
}
TARGET_COLUMNS: dict[str, tuple[str, ...]] = {
    "fiscal_year": ("fiscal_year", "年度", "事業年度"),
    "kind": ("kind", "目標種別", "種別"),
    "branch": RESULT_COLUMNS["branch"],
    "union": RESULT_COLUMNS["union"],
    "product": RESULT_COLUMNS["product"],
    "measure": RESULT_COLUMNS["measure"],
    "value": ("value", "目標", "目標値", "値"),
}
OPTIONAL = {"union", "kind"}
TARGET_KINDS = {"official": "official", "機関目標": "official", "目標": "official",
                "own": "own", "自主目標": "own"}
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/年.]\s*(\d{1,2})\s*月?$")
_FISCAL_YEAR = re.compile(r"^(\d{4})\s*(年度)?$")

ResultKey = tuple[YearMonth, str | None, str | None, str, str]  # month, branch, union, product, measure
TargetKey = tuple[int, str, str | None, str | None, str, str]  # fy, kind, branch, union, product, measure


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """An error (blocks the import) or a warning (shown only), with its line and column."""

    line: int | None
    column: str | None
    message: str

    def describe(self, filename: str = "") -> str:
        where = filename
        if self.line is not None:
            where += f" {self.line}行目"
        if self.column:
            where += f"「{self.column}」列"
        return f"{where.strip()}: {self.message}" if where.strip() else self.message


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
            self._memo[month] = next(
                (year for year, start in self.fiscal_years.items()
                 if YearMonth(year, start) <= month <= YearMonth(year, start).shift(11)), None)
        return self._memo[month]


@dataclass(slots=True)
class ParsedFile:
    """The rows of a valid file (key → value), or the errors; warnings either way."""

    values: dict[tuple, int | Decimal] = field(default_factory=dict)
    lines: dict[tuple, int] = field(default_factory=dict)
    errors: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # identifier → header as written

    @property
    def ok(self) -> bool:
        return not self.errors


def _norm(text: str | None) -> str:
    if not text:
        return ""
    return text.strip() if text.isascii() else unicodedata.normalize("NFKC", text).strip()


def _map_header(header: list[str], spec: dict[str, tuple[str, ...]], parsed: ParsedFile) -> None:
    cleaned = {_norm(h).lower(): h for h in header}
    for ident, labels in spec.items():
        found = next((cleaned[label.lower()] for label in labels if label.lower() in cleaned), None)
        if found is not None:
            parsed.columns[ident] = found
        elif ident not in OPTIONAL:
            parsed.errors.append(ImportProblem(1, labels[0], f"必須の列がありません（{' / '.join(labels)}）"))


@functools.lru_cache(maxsize=1024)
def parse_month(text: str) -> YearMonth:
    """2024-11, 2024/11, 2024年11月 → YearMonth; InvalidMonth otherwise."""
    match = _YEAR_MONTH.match(_norm(text))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidMonth(f"年月は YYYY-MM 形式で入力してください: {text!r}")
    return YearMonth(int(match.group(1)), int(match.group(2)))


class _Row:
    """One row being read: collects its problems, returns None for a bad cell."""

    def __init__(self, line: int, cells: dict[str, str], parsed: ParsedFile) -> None:
        self.line, self.cells, self.parsed = line, cells, parsed
        self.failed = False

    def text(self, ident: str) -> str:
        column = self.parsed.columns.get(ident)
        return _norm(self.cells.get(column, "")) if column else ""

    def error(self, ident: str, message: str) -> None:
        self.failed = True
        self.parsed.errors.append(ImportProblem(self.line, self.parsed.columns.get(ident, ident),
                                                message))


def _scope(row: _Row, ref: Reference) -> tuple[str | None, str | None]:
    branch_text, union_code = row.text("branch"), row.text("union") or None
    branch = ref.branches.get(branch_text) if branch_text else None
    if branch_text and branch is None:
        row.error("branch", f"県支部が見つかりません: {branch_text!r}")
    if union_code is not None:
        home = ref.unions.get(union_code)
        if home is None:
            row.error("union", f"単組が見つかりません: {union_code!r}")
        elif branch is not None and home != branch:
            row.error("union", f"単組 {union_code} は県支部 {home} の単組です（{branch} ではありません）")
        elif branch is None and not branch_text:
            branch = home
    return branch, union_code


def _product_measure(row: _Row, ref: Reference) -> tuple[str | None, MeasureSpec | None]:
    product_text, measure_text = row.text("product"), row.text("measure")
    product = ref.products.get(product_text)
    if product is None:
        row.error("product", f"共済制度が見つかりません: {product_text!r}")
    code = ref.measure_words.get(measure_text)
    spec = ref.measures.get(code) if code else None
    if spec is None:
        row.error("measure", f"指標が見つかりません: {measure_text!r}")
    elif product is not None and spec.code not in ref.product_measures.get(product, frozenset()):
        row.error("measure", f"{product_text} には指標「{spec.short_name}」がありません")
    return product, spec


def _value(row: _Row, spec: MeasureSpec | None) -> int | Decimal | None:
    text = row.text("value")
    try:
        value = parse_decimal(text)
    except NotANumber as exc:
        row.error("value", str(exc))
        return None
    if value is None:
        row.parsed.warnings.append(ImportProblem(row.line, row.parsed.columns.get("value"),
                                                 "値が空欄のため、この行は取り込みません"))
        row.failed = True
        return None
    if spec is None or spec.kind is MeasureKind.RATE:
        return value
    if value != value.to_integral_value():
        unit = "円" if spec.is_money else spec.unit.value
        row.error("value", f"{spec.short_name}は整数（{unit}）で入力してください: {text!r}")
        return None
    if value < 0:
        row.error("value", f"{spec.short_name}に負の値は入力できません: {text!r}")
        return None
    return int(value)


def _national_ok(row: _Row, branch: str | None, union: str | None, spec: MeasureSpec | None) -> None:
    if branch is None and union is None and not row.failed and spec is not None and (
            spec.kind is not MeasureKind.RATE):
        row.error("branch", "県支部が空欄です（全国の行は付帯率などの率だけに使えます）")


def _remember(parsed: ParsedFile, key: tuple, value: int | Decimal, line: int) -> None:
    first = parsed.lines.get(key)
    if first is not None:
        parsed.errors.append(ImportProblem(line, None, f"{first}行目と同じキーの行が重複しています"))
        return
    parsed.values[key] = value
    parsed.lines[key] = line


def parse_results(header: list[str], rows: list[dict[str, str]], ref: Reference) -> ParsedFile:
    """Monthly results: every error at once; warnings for flows and union/branch totals."""
    parsed = ParsedFile()
    _map_header(header, RESULT_COLUMNS, parsed)
    if parsed.errors:
        return parsed
    for line, cells in enumerate(rows, start=2):
        row = _Row(line, cells, parsed)
        month = None
        try:
            month = parse_month(row.text("month"))
        except InvalidMonth as exc:
            row.error("month", str(exc))
        if month is not None and ref.fiscal_year_of(month) is None:
            row.error("month", f"{month} はどの事業年度にも含まれません")
        branch, union = _scope(row, ref)
        product, spec = _product_measure(row, ref)
        _national_ok(row, branch, union, spec)
        value = _value(row, spec)
        if not row.failed and month and product and spec and value is not None:
            _remember(parsed, (month, branch, union, product, spec.code), value, line)
    if parsed.ok:
        parsed.warnings += _sum_warnings(parsed, ref)  # flows: see flow_warnings (needs the DB)
    return parsed


def parse_targets(header: list[str], rows: list[dict[str, str]], ref: Reference) -> ParsedFile:
    """Targets per fiscal year: every error at once; a warning where unions ≠ their branch row."""
    parsed = ParsedFile()
    _map_header(header, TARGET_COLUMNS, parsed)
    if parsed.errors:
        return parsed
    for line, cells in enumerate(rows, start=2):
        row = _Row(line, cells, parsed)
        year_text = row.text("fiscal_year")
        match = _FISCAL_YEAR.match(year_text)
        year = int(match.group(1)) if match else None
        if year is None:
            row.error("fiscal_year", f"年度は 2024 のように入力してください: {year_text!r}")
        elif year not in ref.fiscal_years:
            row.error("fiscal_year", f"{year}年度は登録されていません")
        kind_text = row.text("kind")
        kind = TARGET_KINDS.get(kind_text or "official")
        if kind is None:
            row.error("kind", f"目標種別は official（機関目標）か own（自主目標）です: {kind_text!r}")
        branch, union = _scope(row, ref)
        product, spec = _product_measure(row, ref)
        _national_ok(row, branch, union, spec)
        value = _value(row, spec)
        if not row.failed and year and kind and product and spec and value is not None:
            _remember(parsed, (year, kind, branch, union, product, spec.code), value, line)
    if parsed.ok:
        parsed.warnings += _sum_warnings(parsed, ref)
    return parsed


def _sum_warnings(parsed: ParsedFile, ref: Reference) -> list[ImportProblem]:
    """Union rows that do not add up to a branch row of the same file (rates excepted)."""
    sums: dict[tuple, int | Decimal] = defaultdict(int)
    for key, value in parsed.values.items():
        *head, branch, union, product, measure = key
        if union is not None and ref.measures[measure].kind is not MeasureKind.RATE:
            sums[(*head, branch, None, product, measure)] += value
    problems = []
    for key, total in sums.items():
        if key in parsed.values and parsed.values[key] != total:
            problems.append(ImportProblem(
                parsed.lines[key], None,
                f"県支部の行（{parsed.values[key]:,}）と単組の合計（{total:,}）が一致しません"))
    return problems


def flow_warnings(values: dict[tuple, int | Decimal], lines: dict[tuple, int], ref: Reference,
                  earlier: dict[tuple, int | Decimal]) -> list[ImportProblem]:
    """A cumulative flow lower than the month before (same fiscal year), in the file or before it.

    `earlier` holds figures already stored for months the file does not contain.
    """
    flows = {code for code, spec in ref.measures.items() if spec.kind is MeasureKind.FLOW}
    before: dict[YearMonth, YearMonth | None] = {}
    for month in {key[0] for key in values}:
        prior = month.shift(-1)
        same_year = ref.fiscal_year_of(prior) == ref.fiscal_year_of(month)
        before[month] = prior if same_year else None
    problems = []
    for key, value in values.items():
        month = key[0]
        if key[-1] not in flows or before[month] is None:
            continue
        prior_key = (before[month], *key[1:])
        prior = values.get(prior_key, earlier.get(prior_key))
        if prior is not None and value < prior:
            problems.append(ImportProblem(
                lines[key], None,
                f"累計の実績が前月（{before[month]}: {prior:,}）より少なくなっています（{value:,}）"))
    return problems
