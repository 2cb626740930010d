"""Reads of the activity log and the support ledger, always within what the viewer may see.

The meetings table of the appendix (資料編 Ⅰ-3/Ⅰ-4) asks `meetings_from_log` for its national
figures: when the fiscal year has log entries they replace the stored counts for the period from
the year's first day to the last day of the as-of month; the previous year's column comes from the
log's same period of the previous year when that year has entries, else it stays as stored.
"""

import calendar as _calendar
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, Sum

from kyosai.accounts.access import Access
from kyosai.catalog.models import FiscalYear
from kyosai.domain.activity_log import (
    COUNTED,
    KINDS,
    SUPPORT_UNITS,
    ComplianceRow,
    KindTotals,
    LogPeriod,
    compliance_row,
    kind_label,
    log_period,
    meeting_cell,
)
from kyosai.domain.formatting import format_change, format_number
from kyosai.domain.periods import FiscalCalendar, YearMonth
from kyosai.org.models import Branch
from kyosai.workbench.models import ActivityEntry, SupportEntry

__all__ = [
    "BranchLog",
    "branch_log",
    "citation",
    "compliance",
    "fiscal_calendar",
    "has_log",
    "latest_log_month",
    "meetings_from_log",
    "period_for",
    "summary",
    "support_by_branch",
    "support_text",
    "visible_entries",
]

_SECTION_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")


def fiscal_calendar(fiscal_year: int) -> FiscalCalendar:
    row = FiscalYear.objects.filter(year=fiscal_year).first()
    return row.calendar if row is not None else FiscalCalendar()


def period_for(fiscal_year: int, as_of: YearMonth) -> LogPeriod:
    """The log period; ValueError (Japanese) when the month is not in the fiscal year."""
    return log_period(fiscal_calendar(fiscal_year), fiscal_year, as_of)


def _in_period(period: LogPeriod) -> Q:
    return Q(date__gte=period.first_day, date__lte=period.last_day)


def has_log(fiscal_year: int, *, access: Access) -> bool:
    """Whether the fiscal year has a log (for a viewer who sees anything at all)."""
    if not access.is_authenticated:
        return False
    return ActivityEntry.objects.filter(fiscal_year=fiscal_year).exists()


def latest_log_month(fiscal_year: int, *, access: Access) -> YearMonth | None:
    if not access.is_authenticated:
        return None
    last = ActivityEntry.objects.filter(fiscal_year=fiscal_year).aggregate(last=Max("date"))["last"]
    return YearMonth(last.year, last.month) if last else None


def summary(period: LogPeriod, branch: Branch | None = None, *,
            access: Access) -> dict[str, KindTotals]:
    """Entries and sums per kind over the period (every kind, in the report's order): of every
    branch (for those who see aggregates) or of one branch (for those who may view it); zeros
    for anyone else."""
    queryset = ActivityEntry.objects.filter(_in_period(period))
    if branch is not None:
        queryset = queryset.filter(branch=branch)
    visible = access.can_view_branch(branch.pk) if branch is not None else access.sees_aggregates
    if not visible:
        queryset = queryset.none()
    rows = queryset.values("kind").annotate(events=Count("pk"), **{
        name: Sum(name) for name in COUNTED})
    totals = {kind.code: KindTotals(kind.code) for kind in KINDS}
    for row in rows:
        totals[row["kind"]] = KindTotals(row["kind"], row["events"],
                                         *(int(row[name] or 0) for name in COUNTED))
    return totals


def compliance(period: LogPeriod, *, access: Access) -> list[tuple[Branch, ComplianceRow]]:
    """Every prefectural branch `access` may see (report order) against the plan's rules, zeros
    where no entries."""
    branches = access.restrict_branches(Branch.objects.prefectural())
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row in ActivityEntry.objects.filter(_in_period(period), kind__in=(
            "committee", "regular_meeting", "study_session")).values(
            "branch_id", "kind").annotate(n=Count("pk")):
        counts[row["branch_id"]][row["kind"]] = row["n"]
    return [(branch, compliance_row(branch.code, counts[branch.pk], period))
            for branch in branches]


def citation(kind: str, period: LogPeriod, *, access: Access) -> str:
    """A sentence the plan's 実行状況 can cite: 「定例推進会議を全県で 124 回（前年同期比 △9 回）開催」
    (national figures: empty for a viewer who does not see aggregates)."""
    if not access.sees_aggregates:
        return ""
    current = summary(period, access=access)[kind].events
    text = f"{kind_label(kind)}を全県で {format_number(current)} 回"
    previous_period = period.previous_year()
    if has_log(previous_period.fiscal_year, access=access):
        previous = summary(previous_period, access=access)[kind].events
        text += f"（前年同期比 {format_change(current - previous)} 回）"
    return text + "開催"


# The meetings table ---------------------------------------------------------------------------

def _as_of_of(records: Iterable[Mapping[str, Any]], fiscal_year: int,
              access: Access) -> YearMonth | None:
    """The month the stored table is printed for (「（2024 年 11 月）」), else the log's latest."""
    for record in records:
        match = _SECTION_MONTH.search(str(record.get("section") or ""))
        if match:
            return YearMonth(int(match.group(1)), int(match.group(2)))
    return latest_log_month(fiscal_year, access=access)


def _log_values(period: LogPeriod, access: Access) -> dict[tuple[str, str], int]:
    values: dict[tuple[str, str], int] = {}
    for kind, totals in summary(period, access=access).items():
        values[(kind, "events")] = totals.events
        for name in COUNTED:
            values[(kind, name)] = totals.value(name)
    return values


def meetings_from_log(records: list[dict[str, Any]], fiscal_year: int | None,
                      as_of: YearMonth | None = None, *, access: Access) -> list[dict[str, Any]]:
    """The entered rows of the meetings table with the log's figures where the year has a log
    (national figures: only for a viewer who sees aggregates)."""
    if fiscal_year is None or not records or not access.sees_aggregates or not has_log(
            fiscal_year, access=access):
        return records
    month = as_of or _as_of_of(records, fiscal_year, access)
    if month is None:
        return records
    try:
        period = period_for(fiscal_year, month)
    except ValueError:
        return records
    current = _log_values(period, access)
    previous_period = period.previous_year()
    previous = (_log_values(previous_period, access)
                if has_log(previous_period.fiscal_year, access=access) else None)
    out = []
    for record in records:
        cell = meeting_cell(record.get("subsection") or "", record.get("measure") or "",
                            record.get("sub_measure") or "")
        if cell is not None:
            record = {**record, "value_2024": current[cell]}
            if previous is not None:
                record["value_prev"] = previous[cell]
        out.append(record)
    return out


# Pages ----------------------------------------------------------------------------------------

def visible_entries(*, access: Access) -> Any:
    """The entries a user may see: HQ all, branch staff their branch, a union officer their union."""
    queryset = ActivityEntry.objects.select_related("branch", "union")
    if access.is_hq:
        return queryset
    if access.union_id is not None:
        return queryset.filter(union_id=access.union_id)
    if access.branch_id is not None:
        return queryset.filter(branch_id=access.branch_id)
    return queryset.none()


@dataclass(frozen=True, slots=True)
class CalendarMonth:
    month: YearMonth
    weeks: list[list[tuple[int, list[str]]]]  # (day or 0, kinds held that day)
    total: int


@dataclass(frozen=True, slots=True)
class BranchLog:
    branch: Branch
    period: LogPeriod
    rule: ComplianceRow
    totals: dict[str, KindTotals]
    entries: list[ActivityEntry]
    months: list[CalendarMonth]


def branch_log(branch: Branch, period: LogPeriod, *, access: Access) -> BranchLog:
    """A branch's entries of the fiscal year, its counts against the rules, its calendar.
    Raises Branch.DoesNotExist when `access` may not view the branch."""
    if not access.can_view_branch(branch.pk):
        raise Branch.DoesNotExist
    entries = list(ActivityEntry.objects.filter(branch=branch, fiscal_year=period.fiscal_year)
                   .select_related("union").order_by("date", "pk"))
    counts = Counter(e.kind for e in entries if period.contains(e.date))
    by_day: dict[date, list[str]] = defaultdict(list)
    for entry in entries:
        by_day[entry.date].append(entry.get_kind_display())
    months = []
    for month in fiscal_calendar(period.fiscal_year).months(period.fiscal_year):
        weeks = [[(day, by_day.get(date(month.year, month.month, day), []) if day else [])
                  for day in week]
                 for week in _calendar.Calendar(firstweekday=6).monthdayscalendar(
                     month.year, month.month)]
        months.append(CalendarMonth(month, weeks, sum(len(k) for w in weeks for _, k in w)))
    return BranchLog(branch, period, compliance_row(branch.code, counts, period),
                     summary(period, branch, access=access), entries, months)


# The support ledger ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SupportLine:
    kind: str
    label: str
    amount: Decimal
    unit: str


def support_by_branch(fiscal_year: int | None, *, access: Access) -> dict[str, list[SupportLine]]:
    """Support received per branch name in a fiscal year, summed per kind (and 代行 per work):
    of the branches `access` may see (by id)."""
    if fiscal_year is None:
        return {}
    sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    entries = access.restrict_branches(SupportEntry.objects.filter(fiscal_year=fiscal_year),
                                       field="branch_id")
    for entry in entries.select_related("branch"):
        sums[(entry.branch.name, entry.kind, entry.work)] += entry.amount
    out: dict[str, list[SupportLine]] = defaultdict(list)
    labels = dict(SupportEntry.Kind.choices)
    works = dict(SupportEntry.Work.choices)
    work_order = ["", *works]
    for (branch, kind, work), amount in sorted(sums.items(), key=lambda item: (
            item[0][0], list(labels).index(item[0][1]), work_order.index(item[0][2]))):
        label = labels[kind] + (f"（{works[work]}）" if work else "")
        out[branch].append(SupportLine(kind, label, amount, SUPPORT_UNITS[kind]))
    return dict(out)


def support_text(lines: Iterable[SupportLine]) -> str:
    """「特別運営費 500,000 円、派遣 3.5 人日、本部代行（マイカー見積）12 件」."""
    parts = []
    for line in lines:
        places = 0 if line.amount == line.amount.to_integral_value() else 1
        parts.append(f"{line.label} {format_number(line.amount, places)} {line.unit}")
    return "、".join(parts)
