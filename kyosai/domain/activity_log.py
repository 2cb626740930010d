"""The activity log's rules: its kinds, its period, the plan's meeting rules, support amounts.

Reading the log and the support ledger files is `kyosai.domain.files.activity_log`.

The plan (事業推進方針) asks every branch to hold 定例推進会議 six times a year or more, and every
branch to hold a 制度学習会; 県本部共済推進委員会 is held regularly. The log counts what was held
from the fiscal year's first day to the last day of the as-of month, both days included.

`regular_required` is the share of the six meetings due by the as-of month, rounded up: the
requirement is ⌈6 × elapsed ÷ 12⌉ (June → 1, July → 1, August → 2 … November → 3, May → 6).
"""

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import SupportsInt, cast

from kyosai.domain.cells import NotANumber, integer_digits, parse_decimal
from kyosai.domain.periods import FiscalCalendar, YearMonth
from kyosai.domain.problems import CellProblem

__all__ = [
    "AMOUNT_INTEGER_DIGITS",
    "AMOUNT_PLACES",
    "COMPLIANCE_HEADER",
    "KINDS",
    "NOTE_MAX",
    "REF_MAX",
    "REGULAR_MEETINGS_PER_YEAR",
    "SUMMARY_HEADER",
    "SUPPORT_KINDS",
    "SUPPORT_UNITS",
    "SUPPORT_WORK",
    "UNION_LEVEL",
    "ActivityKind",
    "ComplianceRow",
    "KindTotals",
    "LogPeriod",
    "compliance_row",
    "kind_label",
    "log_period",
    "meeting_cell",
    "parse_kind",
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
        return LogPeriod(self.fiscal_year - 1, self.as_of.previous_year(),
                         YearMonth.of(self.first_day).previous_year().first_day(),
                         self.as_of.previous_year().last_day(), self.elapsed_months)


def log_period(fiscal_calendar: FiscalCalendar, fiscal_year: int, as_of: YearMonth) -> LogPeriod:
    """The period of a fiscal year up to `as_of`; ValueError when `as_of` is not in that year."""
    if fiscal_calendar.fiscal_year_of(as_of) != fiscal_year:
        first = fiscal_calendar.first_month(fiscal_year)
        raise ValueError(f"{as_of} は {fiscal_year} 年度（{first}〜{first.shift(11)}）の月ではありません")
    first = fiscal_calendar.first_month(fiscal_year)
    return LogPeriod(fiscal_year, as_of, first.first_day(), as_of.last_day(),
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


# What a kind is -------------------------------------------------------------------------------

def parse_kind(text: str) -> str:
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    kind = _BY_CODE.get(cleaned) or _BY_LABEL.get(cleaned)
    if kind is None:
        raise ValueError(f"不明な活動の種類です: {text!r}（{', '.join(_BY_CODE)}）")
    return kind.code


# The support ledger ---------------------------------------------------------------------------

SUPPORT_KINDS = {"special_fund": "特別運営費", "staff_dispatch": "派遣", "hq_work": "本部代行"}
SUPPORT_UNITS = {"special_fund": "円", "staff_dispatch": "人日", "hq_work": "件"}
SUPPORT_WORK = {"mycar_estimate": "マイカー見積", "application_forms": "申込書作成", "other": "その他"}


#: Characters of a ledger row's 備考 and of an activity's 整理番号 (their columns' lengths).
NOTE_MAX = 500
REF_MAX = 40
#: A support entry's 数量 (円, 人日 or 件): 13 digits before the point, one after (the ledger's
#: DECIMAL(14, 1) column is built from these two).
AMOUNT_INTEGER_DIGITS = 13
AMOUNT_PLACES = 1


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
    if integer_digits(value) > AMOUNT_INTEGER_DIGITS:
        problems.append(CellProblem(
            line, "amount", f"数量が大きすぎます（整数部は {AMOUNT_INTEGER_DIGITS} 桁まで）: {text}"))
        return None
    step = Decimal("0.5") if kind == "staff_dispatch" else Decimal(1)
    if value % step:
        unit = "0.5 人日単位" if kind == "staff_dispatch" else "整数"
        problems.append(CellProblem(line, "amount", f"{unit}で入力してください: {text}"))
        return None
    return value
