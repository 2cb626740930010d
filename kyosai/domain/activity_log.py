"""The activity log's rules: its kinds, its period, the plan's meeting rules, its import rows.

The plan (事業推進方針) asks every branch to hold 定例推進会議 six times a year or more, and every
branch to hold a 制度学習会; 県本部共済推進委員会 is held regularly. The log counts what was held
from the fiscal year's first day to the last day of the as-of month, both days included.

`regular_required` is the share of the six meetings due by the as-of month, rounded up: the
requirement is ⌈6 × elapsed ÷ 12⌉ (June → 1, July → 1, August → 2 … November → 3, May → 6).
"""

import calendar as _calendar
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import SupportsInt, cast

from kyosai.domain.cells import NotANumber, parse_decimal, parse_integer
from kyosai.domain.periods import FiscalCalendar, YearMonth
from kyosai.domain.problems import CellProblem

__all__ = [
    "ACTIVITY_COLUMNS",
    "COMPLIANCE_HEADER",
    "KINDS",
    "REGULAR_MEETINGS_PER_YEAR",
    "SUMMARY_HEADER",
    "SUPPORT_KINDS",
    "SUPPORT_UNITS",
    "SUPPORT_WORK",
    "UNION_LEVEL",
    "ActivityKind",
    "ActivityRow",
    "ComplianceRow",
    "KindTotals",
    "LogPeriod",
    "SupportRow",
    "compliance_row",
    "kind_label",
    "log_period",
    "meeting_cell",
    "parse_activity_rows",
    "parse_date",
    "parse_kind",
    "parse_support_rows",
    "regular_required",
    "summarize",
    "support_amount",
]

REGULAR_MEETINGS_PER_YEAR = 6


@dataclass(frozen=True, slots=True)
class ActivityKind:
    code: str
    label: str
    union_level: bool = False


#: The kinds in the report's order (資料編 Ⅰ-3 then Ⅰ-4); the last four are per union.
KINDS: tuple[ActivityKind, ...] = (
    ActivityKind("committee", "県本部共済推進委員会"),
    ActivityKind("regular_meeting", "定例推進会議"),
    ActivityKind("study_session", "推進本部・県支部推進担当者共済制度学習会"),
    ActivityKind("union_contact_meeting", "単組共済担当者会議"),
    ActivityKind("union_visit", "単組巡回オルグ", union_level=True),
    ActivityKind("officer_study", "単組執行部学習会", union_level=True),
    ActivityKind("workplace_org", "職場組合員オルグ", union_level=True),
    ActivityKind("consultation", "個別保障相談", union_level=True),
)
_BY_CODE = {kind.code: kind for kind in KINDS}
_BY_LABEL = {unicodedata.normalize("NFKC", kind.label): kind for kind in KINDS}
UNION_LEVEL = frozenset(kind.code for kind in KINDS if kind.union_level)
#: The summed columns of an entry (a blank counts as 0).
COUNTED = ("participants", "organisers_pref", "organisers_branch", "organisers_zenrosai")
SUMMARY_HEADER = ["kind", "events", *COUNTED]

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

_ORGANISER_FIELDS = {"県本部役員": "organisers_pref", "県支部職員": "organisers_branch",
                     "県支部職員数": "organisers_branch", "全労済職員": "organisers_zenrosai",
                     "全労済職員数": "organisers_zenrosai"}
_SUBSECTION_KINDS = {
    "県本部共済推進委員会": "committee", "定例推進会議": "regular_meeting",
    "共済制度学習会": "study_session", "単組共済担当者会議": "union_contact_meeting",
    "単組巡回オルグ": "union_visit", "単組執行部学習会": "officer_study",
    "職場組合員オルグ": "workplace_org", "個別保障相談": "consultation",
}


def kind_label(code: str) -> str:
    return _BY_CODE[code].label


def meeting_cell(subsection: str, measure: str, sub_measure: str) -> tuple[str, str] | None:
    """(kind, column) of the log behind an entered cell of the meetings table; None if none.

    全国計 of a count in 回 or 単組 is the number of entries (a union visited twice counts twice);
    全国計 of 参加役員数/参加組合員数 sums `participants`; an organiser row sums its affiliation.
    """
    kind = next((code for word, code in _SUBSECTION_KINDS.items() if word in (subsection or "")),
                None)
    if kind is None:
        return None
    measure, sub_measure = (measure or "").strip(), (sub_measure or "").strip()
    if sub_measure == "全国計":
        if measure in ("参加役員数", "参加組合員数"):
            return kind, "participants"
        return kind, "events"
    column = _ORGANISER_FIELDS.get(sub_measure)
    return (kind, column) if column else None


# Periods --------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LogPeriod:
    """From the fiscal year's first day to the last day of the as-of month, both included."""

    fiscal_year: int
    as_of: YearMonth
    first_day: date
    last_day: date
    elapsed_months: int

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def previous_year(self) -> "LogPeriod":
        """The same period one year earlier (前年同期)."""
        first = self.first_day
        return LogPeriod(self.fiscal_year - 1, self.as_of.previous_year(),
                         date(first.year - 1, first.month, 1),
                         _last_day(self.as_of.previous_year()), self.elapsed_months)


def _last_day(month: YearMonth) -> date:
    return date(month.year, month.month, _calendar.monthrange(month.year, month.month)[1])


def log_period(fiscal_calendar: FiscalCalendar, fiscal_year: int, as_of: YearMonth) -> LogPeriod:
    """The period of a fiscal year up to `as_of`; ValueError when `as_of` is not in that year."""
    if fiscal_calendar.fiscal_year_of(as_of) != fiscal_year:
        first = fiscal_calendar.first_month(fiscal_year)
        raise ValueError(f"{as_of} は {fiscal_year} 年度（{first}〜{first.shift(11)}）の月ではありません")
    first = fiscal_calendar.first_month(fiscal_year)
    return LogPeriod(fiscal_year, as_of, date(first.year, first.month, 1), _last_day(as_of),
                     fiscal_calendar.elapsed_months(as_of))


def regular_required(elapsed_months: int) -> int:
    """⌈6 × elapsed ÷ 12⌉: the 定例推進会議 due by the as-of month (integer arithmetic)."""
    if not 1 <= elapsed_months <= 12:
        raise ValueError(f"経過月数は 1〜12 です: {elapsed_months}")
    return math.ceil(REGULAR_MEETINGS_PER_YEAR * elapsed_months / 12)


# Summaries ------------------------------------------------------------------------------------

@dataclass(slots=True)
class KindTotals:
    """One kind's count of entries and sums of the counted columns."""

    kind: str
    events: int = 0
    participants: int = 0
    organisers_pref: int = 0
    organisers_branch: int = 0
    organisers_zenrosai: int = 0

    def add(self, entry: Mapping[str, object]) -> None:
        self.events += 1
        for name in COUNTED:
            value = entry.get(name)
            count = int(cast(SupportsInt | str, value)) if value else 0  # a count, as stored or typed
            setattr(self, name, getattr(self, name) + count)

    def value(self, column: str) -> int:
        return int(getattr(self, column))

    def as_row(self) -> list[int | str]:
        return [self.kind, self.events, *(getattr(self, name) for name in COUNTED)]


def summarize(entries: Iterable[Mapping[str, object]]) -> dict[str, KindTotals]:
    """Totals per kind in the report's order, every kind present (zeros where none)."""
    totals = {kind.code: KindTotals(kind.code) for kind in KINDS}
    for entry in entries:
        totals[str(entry["kind"])].add(entry)
    return totals


@dataclass(frozen=True, slots=True)
class ComplianceRow:
    """A branch against the plan's rules over a log period."""

    branch: str
    committee: int
    regular_meetings: int
    regular_required: int
    study_sessions: int

    @property
    def regular_ok(self) -> bool:
        return self.regular_meetings >= self.regular_required

    @property
    def study_ok(self) -> bool:
        return self.study_sessions >= 1

    def as_row(self) -> list[int | str]:
        return [self.branch, self.committee, self.regular_meetings, self.regular_required,
                int(self.regular_ok), self.study_sessions, int(self.study_ok)]


COMPLIANCE_HEADER = ["branch", "committee", "regular_meetings", "regular_required", "regular_ok",
                     "study_sessions", "study_ok"]


def compliance_row(branch: str, counts: Mapping[str, int], period: LogPeriod) -> ComplianceRow:
    """A branch's row from its entry counts per kind (a missing kind counts 0)."""
    return ComplianceRow(branch, counts.get("committee", 0), counts.get("regular_meeting", 0),
                         regular_required(period.elapsed_months), counts.get("study_session", 0))


# Import rows ----------------------------------------------------------------------------------

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


def parse_kind(text: str) -> str:
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    kind = _BY_CODE.get(cleaned) or _BY_LABEL.get(cleaned)
    if kind is None:
        raise ValueError(f"不明な活動の種類です: {text!r}（{', '.join(_BY_CODE)}）")
    return kind.code


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
            counts[name] = value
        if errors or day is None or kind is None:
            parsed.errors.extend(errors)
            continue
        parsed.rows.append(ActivityRow(line, cell("branch"), day, kind, union, note=cell("note"),
                                       ref=cell("ref"), **counts))
    return parsed



# The support ledger ---------------------------------------------------------------------------

SUPPORT_KINDS = {"special_fund": "特別運営費", "staff_dispatch": "派遣", "hq_work": "本部代行"}
SUPPORT_UNITS = {"special_fund": "円", "staff_dispatch": "人日", "hq_work": "件"}
SUPPORT_WORK = {"mycar_estimate": "マイカー見積", "application_forms": "申込書作成", "other": "その他"}
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
        if problems or day is None or kind is None or amount is None:
            errors.extend(problems)
            continue
        rows.append(SupportRow(line, cell("branch"), day, kind, work, amount, cell("note")))
    return rows, errors


def support_amount(text: str, kind: str | None, line: int | None,
                   problems: list[CellProblem]) -> Decimal | None:
    """円 and 件 whole, 人日 in halves at most; never negative, never blank."""
    try:
        value = parse_decimal(text)
    except NotANumber as exc:
        problems.append(CellProblem(line, "amount", str(exc)))
        return None
    if value is None:
        problems.append(CellProblem(line, "amount", "数量が空欄です"))
        return None
    if value < 0:
        problems.append(CellProblem(line, "amount", f"負の数量は入力できません: {text}"))
        return None
    step = Decimal("0.5") if kind == "staff_dispatch" else Decimal(1)
    if value % step:
        unit = "0.5 人日単位" if kind == "staff_dispatch" else "整数"
        problems.append(CellProblem(line, "amount", f"{unit}で入力してください: {text}"))
        return None
    return value
