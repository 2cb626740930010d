"""Reads behind the campaign pages (issue #15): the 次回車検日 call list's marks and counts, and
the new-hire cohort with its statuses. People through `Access.restrict_personal_data`; the
counts HQ sees come from the same rows (no names leave this module in them)."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from kyosai.accounts.access import Access
from kyosai.domain import lifecycle
from kyosai.domain.periods import YearMonth
from kyosai.members.lifecycle import InspectionRow, inspection_rows
from kyosai.members.models import InspectionCall, Member, NewHireStatus
from kyosai.members.selectors import _member_key
from kyosai.org.models import Branch, Union

__all__ = [
    "CohortRow",
    "InspectionCount",
    "cohort_rows",
    "cohort_status_counts",
    "inspection_counts",
    "latest_calls",
    "latest_new_hire_statuses",
    "month_start",
]


def month_start(month: YearMonth) -> date:
    """The first day of a month: how a due month is stored with its marks."""
    return date(month.year, month.month, 1)


def latest_calls(rows: list[InspectionRow]) -> dict[tuple[int, str], InspectionCall]:
    """The latest 電話 and 案内済 mark of each listed contract at its due month:
    (contract id, kind) → mark."""
    wanted = {(row.contract_id, month_start(row.due_month)) for row in rows}
    latest: dict[tuple[int, str], InspectionCall] = {}
    ids = sorted({contract_id for contract_id, _ in wanted})
    for begin in range(0, len(ids), 900):
        for mark in InspectionCall.objects.filter(
                contract_id__in=ids[begin:begin + 900]).select_related("user").order_by(
                "on", "id"):
            if (mark.contract_id, mark.due_month) in wanted:
                latest[(mark.contract_id, mark.kind)] = mark
    return latest


@dataclass(frozen=True, slots=True)
class InspectionCount:
    branch: str
    branch_name: str
    due_month: YearMonth
    due: int
    called: int
    informed: int


def inspection_counts(access: Access, from_month: YearMonth,
                      to_month: YearMonth) -> list[InspectionCount]:
    """Per branch and due month: the contracts due, those with a 電話 mark, those with a 案内済
    mark (counts only; the caller decides who may see every branch)."""
    rows = inspection_rows(access, from_month, to_month)
    marks = latest_calls(rows)
    due: Counter[tuple[str, YearMonth]] = Counter()
    called: Counter[tuple[str, YearMonth]] = Counter()
    informed: Counter[tuple[str, YearMonth]] = Counter()
    for row in rows:
        key = (row.branch, row.due_month)
        due[key] += 1
        called[key] += (row.contract_id, InspectionCall.Kind.CALLED) in marks
        informed[key] += (row.contract_id, InspectionCall.Kind.INFORMED) in marks
    branches = {code: (order, name) for code, order, name in Branch.objects.values_list(
        "code", "display_order", "name")}
    keys = sorted(due, key=lambda k: (branches.get(k[0], (0, ""))[0], k[0], k[1]))
    return [InspectionCount(code, branches.get(code, (0, code))[1], month, due[(code, month)],
                            called[(code, month)], informed[(code, month)])
            for code, month in keys]


@dataclass(frozen=True, slots=True)
class CohortRow:
    member_id: int
    union: str
    member_no: str
    name: str
    hired_on: date
    joined_on: date | None
    left_on: date | None


def cohort_rows(access: Access, year: int, union: Union) -> list[CohortRow]:
    """The union's new hires of `year` (hired April 1 to December 31, whether or not they have
    left since), in member_no order, as far as the viewer may see people."""
    members = access.restrict_personal_data(Member.objects.filter(
        union=union, hired_on__gte=date(year, 4, 1), hired_on__lte=date(year, 12, 31)))
    rows = []
    for pk, member_no, name, hired, joined, left in members.values_list(
            "pk", "member_no", "name", "hired_on", "joined_on", "left_on"):
        if hired is not None and lifecycle.in_cohort(hired, year):  # filtered above: never None
            rows.append((_member_key(member_no),
                         CohortRow(pk, union.code, member_no, name, hired, joined, left)))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


def latest_new_hire_statuses(member_ids: list[int], year: int) -> dict[int, NewHireStatus]:
    """The latest status of each member in the campaign of `year` (none: not yet recorded)."""
    latest: dict[int, NewHireStatus] = {}
    for begin in range(0, len(member_ids), 900):
        for entry in NewHireStatus.objects.filter(
                member_id__in=member_ids[begin:begin + 900], year=year).select_related(
                "user").order_by("on", "id"):
            latest[entry.member_id] = entry
    return latest


def cohort_status_counts(access: Access, year: int,
                         branch: Branch) -> list[tuple[Union, int, Counter[str]]]:
    """Per union of the branch with new hires in `year`: the cohort's size and the count of each
    latest status ("" for none recorded). Counts only, so what `restrict_unions` allows."""
    members = access.restrict_unions(
        Member.objects.filter(union__branch=branch, hired_on__gte=date(year, 4, 1),
                              hired_on__lte=date(year, 12, 31)),
        field="union", branch_field="union__branch")
    by_union: dict[int, list[int]] = defaultdict(list)
    for pk, union_id in members.values_list("pk", "union_id"):
        by_union[union_id].append(pk)
    latest = latest_new_hire_statuses([pk for ids in by_union.values() for pk in ids], year)
    result = []
    for union in Union.objects.filter(pk__in=list(by_union)).order_by("code"):
        counts: Counter[str] = Counter()
        for pk in by_union[union.pk]:
            entry = latest.get(pk)
            counts[entry.status if entry else ""] += 1
        result.append((union, len(by_union[union.pk]), counts))
    return result
