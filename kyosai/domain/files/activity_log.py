"""Reading the activity log and the support ledger: header mapping and per-row checks. No ORM.

The rules the rows are read by (the kinds, which are union-level, the support kinds and how an
amount is counted) are `kyosai.domain.activity_log`. Whether the branch and union exist is the
service's check (it knows the master data).
"""

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from kyosai.domain.activity_log import (
    COUNTED,
    NOTE_MAX,
    REF_MAX,
    SUPPORT_KINDS,
    SUPPORT_WORK,
    UNION_LEVEL,
    kind_label,
    parse_kind,
    support_amount,
)
from kyosai.domain.cells import MAX_COUNT, NotANumber, parse_integer
from kyosai.domain.problems import CellProblem

__all__ = [
    "ACTIVITY_COLUMNS",
    "SUPPORT_COLUMNS",
    "ActivityRow",
    "ParsedLog",
    "SupportRow",
    "parse_activity_rows",
    "parse_date",
    "parse_support_rows",
]

#: Identifier → accepted header labels of the import file.
ACTIVITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "branch": ("branch", "県支部", "県支部コード", "支部"),
    "date": ("date", "日付", "開催日", "実施日"),
    "kind": ("kind", "種類", "活動"),
    "union": ("union", "単組", "単組コード"),
    "participants": ("participants", "参加者数", "参加役員数", "参加組合員数"),
    "organisers_pref": ("organisers_pref", "県本部役員"),
    "organisers_branch": ("organisers_branch", "県支部職員"),
    "organisers_zenrosai": ("organisers_zenrosai", "全労済職員"),
    "note": ("note", "備考"),
    "ref": ("ref", "整理番号", "参照番号"),
}
_REQUIRED_COLUMNS = ("branch", "date", "kind")


# The activity log ---------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> date:
    """2024-11-30, 2024/11/30, 2024年11月30日 → date; ValueError (in Japanese) otherwise."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    match = _DATE.match(cleaned)
    if match is None:
        raise ValueError(f"日付は YYYY-MM-DD 形式で入力してください: {text!r}")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise ValueError(f"存在しない日付です: {text!r}") from None


@dataclass(slots=True)
class ActivityRow:
    """One parsed line of the file; `branch` and `union` are still the texts of the file."""

    line: int
    branch: str
    day: date
    kind: str
    union: str = ""
    participants: int | None = None
    organisers_pref: int | None = None
    organisers_branch: int | None = None
    organisers_zenrosai: int | None = None
    note: str = ""
    ref: str = ""


@dataclass(slots=True)
class ParsedLog:
    rows: list[ActivityRow] = field(default_factory=list)
    errors: list[CellProblem] = field(default_factory=list)


def _header_map(header: list[str]) -> tuple[dict[str, str], list[CellProblem]]:
    cleaned = {unicodedata.normalize("NFKC", h).strip().lower(): h for h in header}
    columns: dict[str, str] = {}
    errors = []
    for ident, labels in ACTIVITY_COLUMNS.items():
        found = next((cleaned[label.lower()] for label in labels if label.lower() in cleaned), None)
        if found is not None:
            columns[ident] = found
        elif ident in _REQUIRED_COLUMNS:
            errors.append(CellProblem(1, ident, f"必須の列がありません（{' / '.join(labels)}）"))
    return columns, errors


def _check_length(line: int, ident: str, label: str, value: str, limit: int,
                  problems: list[CellProblem]) -> None:
    if len(value) > limit:
        problems.append(CellProblem(line, ident,
                                    f"{label}が長すぎます（{limit} 文字まで。{len(value)} 文字）"))


def parse_activity_rows(
    header: list[str], records: Iterable[tuple[int, Mapping[str, str]]],
    fiscal_year_of: Callable[[date], int | None],
) -> ParsedLog:
    """Read every line; every problem is collected with its line and column.

    `fiscal_year_of` answers the registered fiscal year of a day (None: outside every year).
    Whether the branch and union exist is the service's check (it knows the master data).
    """
    parsed = ParsedLog()
    columns, parsed.errors = _header_map(header)
    if parsed.errors:
        return parsed
    for line, cells in records:
        def cell(ident: str, cells: Mapping[str, str] = cells) -> str:
            name = columns.get(ident)
            return unicodedata.normalize("NFKC", cells.get(name) or "").strip() if name else ""

        errors: list[CellProblem] = []
        day = kind = None
        if not cell("branch"):
            errors.append(CellProblem(line, "branch", "県支部が空欄です"))
        try:
            day = parse_date(cell("date"))
            if fiscal_year_of(day) is None:
                errors.append(CellProblem(line, "date", f"{day:%Y-%m-%d} はどの事業年度にも含まれません"))
        except ValueError as exc:
            errors.append(CellProblem(line, "date", str(exc)))
        try:
            kind = parse_kind(cell("kind"))
        except ValueError as exc:
            errors.append(CellProblem(line, "kind", str(exc)))
        union = cell("union")
        if kind in UNION_LEVEL and not union:
            errors.append(CellProblem(line, "union", f"{kind_label(kind)} は単組ごとの活動です: 単組を入力してください"))
        elif kind is not None and kind not in UNION_LEVEL and union:
            errors.append(CellProblem(line, "union", f"{kind_label(kind)} は県支部の活動です: 単組は空欄にしてください"))
        counts: dict[str, int | None] = {}
        for name in COUNTED:
            try:
                value = parse_integer(cell(name))
            except NotANumber as exc:
                errors.append(CellProblem(line, name, str(exc)))
                continue
            if value is not None and value < 0:
                errors.append(CellProblem(line, name, f"負の人数は入力できません: {value}"))
            elif value is not None and value > MAX_COUNT:
                errors.append(CellProblem(line, name,
                                          f"人数が大きすぎます（{MAX_COUNT:,} まで）: {value:,}"))
            counts[name] = value
        _check_length(line, "note", "備考", cell("note"), NOTE_MAX, errors)
        _check_length(line, "ref", "整理番号", cell("ref"), REF_MAX, errors)
        if errors or day is None or kind is None:
            parsed.errors.extend(errors)
            continue
        parsed.rows.append(ActivityRow(line, cell("branch"), day, kind, union, note=cell("note"),
                                       ref=cell("ref"), **counts))
    return parsed


# The support ledger ---------------------------------------------------------------------------

SUPPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "branch": ACTIVITY_COLUMNS["branch"],
    "date": ("date", "日付"),
    "kind": ("kind", "種類", "支援の種類"),
    "work": ("work", "代行の内容", "内容"),
    "amount": ("amount", "数量", "金額"),
    "note": ("note", "備考"),
}


@dataclass(slots=True)
class SupportRow:
    line: int
    branch: str
    day: date
    kind: str
    work: str
    amount: Decimal
    note: str = ""


def _lookup(text: str, names: Mapping[str, str]) -> str | None:
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    if cleaned in names:
        return cleaned
    return next((code for code, label in names.items() if label == cleaned), None)


def parse_support_rows(
    header: list[str], records: Iterable[tuple[int, Mapping[str, str]]],
    fiscal_year_of: Callable[[date], int | None],
) -> tuple[list[SupportRow], list[CellProblem]]:
    """Read a support-ledger file: yen and counts are whole numbers, person-days may be halves."""
    cleaned = {unicodedata.normalize("NFKC", h).strip().lower(): h for h in header}
    columns: dict[str, str] = {}
    errors: list[CellProblem] = []
    for ident, labels in SUPPORT_COLUMNS.items():
        found = next((cleaned[label.lower()] for label in labels if label.lower() in cleaned), None)
        if found is not None:
            columns[ident] = found
        elif ident in ("branch", "date", "kind", "amount"):
            errors.append(CellProblem(1, ident, f"必須の列がありません（{' / '.join(labels)}）"))
    if errors:
        return [], errors
    rows = []
    for line, cells in records:
        def cell(ident: str, cells: Mapping[str, str] = cells) -> str:
            name = columns.get(ident)
            return unicodedata.normalize("NFKC", cells.get(name) or "").strip() if name else ""

        problems: list[CellProblem] = []
        day = None
        if not cell("branch"):
            problems.append(CellProblem(line, "branch", "県支部が空欄です"))
        try:
            day = parse_date(cell("date"))
            if fiscal_year_of(day) is None:
                problems.append(CellProblem(line, "date", f"{day:%Y-%m-%d} はどの事業年度にも含まれません"))
        except ValueError as exc:
            problems.append(CellProblem(line, "date", str(exc)))
        kind = _lookup(cell("kind"), SUPPORT_KINDS)
        if kind is None:
            problems.append(CellProblem(line, "kind", f"不明な支援の種類です: {cell('kind')!r}（{', '.join(SUPPORT_KINDS)}）"))
        work = ""
        if cell("work"):
            work = _lookup(cell("work"), SUPPORT_WORK) or ""
            if not work:
                problems.append(CellProblem(line, "work", f"不明な代行の内容です: {cell('work')!r}（{', '.join(SUPPORT_WORK)}）"))
            elif kind is not None and kind != "hq_work":
                problems.append(CellProblem(line, "work", "代行の内容は本部代行（hq_work）の行にだけ入力します"))
        elif kind == "hq_work":
            problems.append(CellProblem(line, "work", "本部代行は代行の内容（mycar_estimate, application_forms, other）を入力してください"))
        amount = support_amount(cell("amount"), kind, line, problems)
        _check_length(line, "note", "備考", cell("note"), NOTE_MAX, problems)
        if problems or day is None or kind is None or amount is None:
            errors.extend(problems)
            continue
        rows.append(SupportRow(line, cell("branch"), day, kind, work, amount, cell("note")))
    return rows, errors
