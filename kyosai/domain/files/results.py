"""Reading target and result files: header mapping, per-row validation, warnings. No ORM.

The service hands over the file's header and rows (cells as text) and a `Reference` of the
master data; it gets back parsed rows, or every error with its line and column in Japanese.
Line 1 is the header, so the first data row is line 2 (as a spreadsheet shows it). The rules
the rows are checked by (keys, target kinds, valid values, sums) are `kyosai.domain.importing`.
"""

import functools
import operator
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal
from typing import Any, cast

from kyosai.domain.cells import MAX_INTEGER_DIGITS, NotANumber, parse_decimal
from kyosai.domain.importing import (
    TARGET_KINDS,
    ParsedFile,
    Reference,
    RowKey,
    TargetGroup,
    Value,
    sum_warnings,
    value_problem,
)
from kyosai.domain.measures import MeasureKind, MeasureSpec
from kyosai.domain.periods import InvalidMonth, YearMonth
from kyosai.domain.problems import CellProblem

__all__ = [
    "RESULT_COLUMNS",
    "TARGET_COLUMNS",
    "Record",
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
    "revision": ("revision", "改定", "次"),
    "effective_from": ("effective_from", "適用開始月", "適用月"),
}
OPTIONAL = {"union", "kind", "revision", "effective_from"}
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/年.]\s*(\d{1,2})\s*月?$")
_FISCAL_YEAR = re.compile(r"^(\d{4})\s*(年度)?$")


Record = tuple[int, list[str]]  # (line as a spreadsheet shows it, cells in the header's order)


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
            parsed.errors.append(CellProblem(1, labels[0], f"必須の列がありません（{' / '.join(labels)}）"))


@functools.lru_cache(maxsize=1024)
def parse_month(text: str) -> YearMonth:
    """2024-11, 2024/11, 2024年11月 → YearMonth; InvalidMonth otherwise."""
    match = _YEAR_MONTH.match(_norm(text))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidMonth(f"年月は YYYY-MM 形式で入力してください: {text!r}")
    return YearMonth(int(match.group(1)), int(match.group(2)))


# Cell readers. Each reads one distinct cell text (or pair of texts) and is memoised per file, so
# a national file of ~200,000 rows validates its ~2,600 distinct scopes once each. A result is
# (what was read, or None; the problems as (column identifier, message) pairs).

Problems = tuple[tuple[str, str], ...]


def _month_cell(text: str, ref: Reference) -> tuple[YearMonth | None, Problems]:
    try:
        month = parse_month(_norm(text))
    except InvalidMonth as exc:
        return None, (("month", str(exc)),)
    if ref.fiscal_year_of(month) is None:
        return None, (("month", f"{month} はどの事業年度にも含まれません"),)
    return month, ()


def _target_group_cell(texts: tuple[str, ...], ref: Reference) -> tuple[
        tuple[int, str, int, YearMonth] | None, Problems]:
    """(fiscal year, kind, revision, month it applies from): revision 1 and the fiscal year's
    first month when blank; the month must lie in the fiscal year."""
    year_text, kind_text = _norm(texts[0]), _norm(texts[1])
    revision_text = _norm(texts[2]) if len(texts) > 2 else ""
    effective_text = _norm(texts[3]) if len(texts) > 3 else ""
    problems = []
    match = _FISCAL_YEAR.match(year_text)
    year = int(match.group(1)) if match else None
    if year is None:
        problems.append(("fiscal_year", f"年度は 2024 のように入力してください: {year_text!r}"))
    elif year not in ref.fiscal_years:
        problems.append(("fiscal_year", f"{year}年度は登録されていません"))
    kind = TARGET_KINDS.get(kind_text or "official")
    if kind is None:
        problems.append(("kind", f"目標種別は official（機関目標）か own（自主目標）です: {kind_text!r}"))
    revision = 1
    if revision_text:
        match = re.match(r"^第?\s*(\d{1,2})\s*次?$", revision_text)
        revision = int(match.group(1)) if match else 0
        if revision < 1:
            problems.append(("revision", f"改定は 1（第 1 次）、2（第 2 次）… の整数です: {revision_text!r}"))
    effective = None
    if year is not None and year in ref.fiscal_years:
        first = YearMonth(year, ref.fiscal_years[year])
        effective = first
        if effective_text:
            try:
                effective = parse_month(effective_text)
            except InvalidMonth as exc:
                problems.append(("effective_from", str(exc)))
            else:
                if not first <= effective <= first.shift(11):
                    problems.append(("effective_from",
                                     f"{effective} は {year}年度（{first}〜{first.shift(11)}）の月ではありません"))
    if problems:
        return None, tuple(problems)
    return (year, kind, revision, effective), ()  # type: ignore[return-value]


def _scope_cell(texts: tuple[str, str], ref: Reference) -> tuple[str | None, str | None, Problems]:
    """Branch and union: (branch code, union code, problems)."""
    branch_text, union_code = _norm(texts[0]), _norm(texts[1]) or None
    branch = ref.branches.get(branch_text) if branch_text else None
    problems = []
    if branch_text and branch is None:
        problems.append(("branch", f"県支部が見つかりません: {branch_text!r}"))
    if union_code is not None:
        home = ref.unions.get(union_code)
        if home is None:
            problems.append(("union", f"単組が見つかりません: {union_code!r}"))
        elif branch is not None and home != branch:
            problems.append(("union", f"単組 {union_code} は県支部 {home} の単組です（{branch} ではありません）"))
        elif branch is None and not branch_text:
            branch = home
    return branch, union_code, tuple(problems)


def _product_measure_cell(texts: tuple[str, str], ref: Reference) -> tuple[str | None,
                                                                          MeasureSpec | None,
                                                                          Problems]:
    product_text, measure_text = _norm(texts[0]), _norm(texts[1])
    product = ref.products.get(product_text)
    problems = []
    if product is None:
        problems.append(("product", f"共済制度が見つかりません: {product_text!r}"))
    code = ref.measure_words.get(measure_text)
    spec = ref.measures.get(code) if code else None
    if spec is None:
        problems.append(("measure", f"指標が見つかりません: {measure_text!r}"))
    elif product is not None and spec.code not in ref.product_measures.get(product, frozenset()):
        problems.append(("measure", f"{product_text} には指標「{spec.short_name}」がありません"))
    return product, spec, tuple(problems)


_BLANK = "値が空欄のため、この行は取り込みません"


def _value_cell(raw: str, spec: MeasureSpec | None) -> tuple[Value | None, Problems]:
    """A value cell in full (the row loop reads plain digits itself); blank → the _BLANK warning."""
    text = _norm(raw)
    try:
        value = parse_decimal(text)
    except NotANumber as exc:
        return None, (("value", str(exc)),)
    if value is None:
        return None, (("value", _BLANK),)
    problem = value_problem(value, spec, text)
    if problem:
        return None, (("value", problem),)
    return (value if spec is None or spec.kind is MeasureKind.RATE else int(value)), ()


_NATIONAL = "県支部が空欄です（全国の行は付帯率などの率だけに使えます）"


def _cells_getter(at: dict[str, int], columns: tuple[str, ...],
                  single: bool) -> Callable[[list[str]], Any]:
    """The cells of `columns` of a row in one C call (operator.itemgetter): the text itself for
    one column when `single`, else a tuple; a column the file lacks reads as blank."""
    where = [at.get(column) for column in columns]
    present = [i for i in where if i is not None]
    if len(present) == len(where):
        if single and len(present) == 1:
            return operator.itemgetter(present[0])
        if len(present) > 1:
            return operator.itemgetter(*present)
    return lambda cells: tuple(cells[i] if i is not None else "" for i in where)


def _parse(header: list[str], records: Iterable[Record], ref: Reference,
           spec: dict[str, tuple[str, ...]], group_columns: tuple[str, ...],
           group_cell: Callable[[Any, Reference], tuple[Hashable | None, Problems]]) -> ParsedFile:
    """The row loop shared by results and targets: every error at once, then the sum warnings.

    Rules per row, in the order its problems are reported: the group cells (month, or fiscal
    year and kind), branch and union, product and measure, a national row only for rates, the
    value (whole and not negative unless a rate; blank → a warning and the row is skipped), and
    no key twice in a file.
    """
    parsed = ParsedFile()
    _map_header(header, spec, parsed)
    if parsed.errors:
        return parsed
    position = {name: i for i, name in enumerate(header)}  # the last of equal names, as dicts did
    at = {ident: position[name] for ident, name in parsed.columns.items()}
    label = {ident: parsed.columns.get(ident, ident) for ident in spec}
    group_of = _cells_getter(at, group_columns, single=len(group_columns) == 1)
    scope_of = _cells_getter(at, ("branch", "union"), single=False)
    pm_of = _cells_getter(at, ("product", "measure"), single=False)
    i_value = at["value"]
    groups_memo: dict[Any, tuple[Hashable | None, Problems]] = {}
    scopes: dict[tuple[str, str], tuple[str | None, str | None, Problems]] = {}
    # (product code, measure, problems, measure code, whether a rate) of each distinct pair of
    # cells; the codes are blank when not found (and the problems say so)
    pms: dict[tuple[str, str], tuple[str, MeasureSpec | None, Problems, str, bool]] = {}
    groups, group_lines = parsed.groups, parsed.group_lines
    errors, warnings = parsed.errors, parsed.warnings
    rate = MeasureKind.RATE
    count = 0
    current: Hashable | None = None
    lines: dict[RowKey, int] = {}
    values: dict[RowKey, Value] = {}
    for line, cells in records:
        count += 1
        group_text = group_of(cells)
        group_read = groups_memo.get(group_text)
        if group_read is None:
            group_read = groups_memo[group_text] = group_cell(group_text, ref)
        scope_text = scope_of(cells)
        scope = scopes.get(scope_text)
        if scope is None:
            scope = scopes[scope_text] = _scope_cell(scope_text, ref)
        pm_text = pm_of(cells)
        pm = pms.get(pm_text)
        if pm is None:
            product_read, measure_read, problems = _product_measure_cell(pm_text, ref)
            pm = pms[pm_text] = (product_read or "", measure_read, problems,
                                 measure_read.code if measure_read is not None else "",
                                 measure_read is not None and measure_read.kind is rate)
        branch, union = scope[0], scope[1]
        text = cells[i_value]
        if (group_read[1] or scope[2] or pm[2] or (branch is None and not pm[4])
                or not (text.isdigit() and text.isascii() and len(text) <= MAX_INTEGER_DIGITS)):
            # Some problem, a national row or a value other than plain digits: every rule in turn.
            failed = False
            if group_read[1] or scope[2] or pm[2]:
                failed = True
                for ident, message in (*group_read[1], *scope[2], *pm[2]):
                    errors.append(CellProblem(line, label[ident], message))
            measure = pm[1]
            if (not failed and branch is None and union is None and measure is not None
                    and measure.kind is not rate):
                failed = True
                errors.append(CellProblem(line, label["branch"], _NATIONAL))
            if (measure is not None and text.isdigit() and text.isascii()
                    and len(text) <= MAX_INTEGER_DIGITS):
                value: Value | None = int(text) if measure.kind is not rate else Decimal(text)
            else:
                value, problems = _value_cell(text, measure)
                for ident, message in problems:
                    failed = True
                    (warnings if message is _BLANK else errors).append(
                        CellProblem(line, label[ident], message))
            if failed or not pm[0] or measure is None or value is None:
                continue  # (a row without problems has its product, measure and value)
        else:
            value = Decimal(text) if pm[4] else int(text)
        group = group_read[0]
        if group is not current:  # the same cell text gives the same object: no hashing per row
            current = group
            found = group_lines.get(group)
            if found is None:
                found = group_lines[group] = {}
                groups[group] = {}
            lines = found
            values = groups[group]
        key = (branch, union, pm[0], pm[3])
        first = lines.setdefault(key, line)
        if first != line:
            errors.append(CellProblem(line, None, f"{first}行目と同じキーの行が重複しています"))
        else:
            values[key] = value
    parsed.rows_read = count
    if parsed.ok:
        parsed.warnings += sum_warnings(parsed, ref)  # results' flows: see flow_warnings (DB)
    return parsed


def parse_results(header: list[str], records: Iterable[Record], ref: Reference) -> ParsedFile:
    """Monthly results, grouped by month: every error at once; union/branch sum warnings.

    `records` are (line, cells) with the cells in the order of `header` (core.tabular.iter_records).
    """
    return _parse(header, records, ref, RESULT_COLUMNS, ("month",), _month_cell)


def parse_targets(header: list[str], records: Iterable[Record], ref: Reference) -> ParsedFile:
    """Targets, grouped by (fiscal year, kind, revision, month it applies from): every error at
    once; union/branch sum warnings; one revision applies from one month only."""
    parsed = _parse(header, records, ref, TARGET_COLUMNS,
                    ("fiscal_year", "kind", "revision", "effective_from"), _target_group_cell)
    seen: dict[tuple[int, str, int], YearMonth] = {}
    for key in parsed.groups:
        group = cast(TargetGroup, key)  # _target_group_cell's groups
        first = seen.setdefault(group[:3], group[3])
        if first != group[3]:
            line = min(parsed.group_lines[group].values())
            parsed.errors.append(CellProblem(
                line, parsed.columns.get("effective_from", "effective_from"),
                f"{group[0]}年度 第{group[2]}次の適用開始月が行によって異なります（{first} と {group[3]}）"))
    return parsed


