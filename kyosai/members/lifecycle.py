"""Reads of the member lifecycle lists (issue #15): 64歳以上移行確認リスト, 次回車検日 call list and
the new-hire campaign figures. The rules are those of `kyosai.domain.lifecycle` and
`kyosai.domain.members`; every selector takes the viewer's Access (personal data through
`restrict_personal_data`, counts through `restrict_unions`)."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from kyosai.accounts.access import Access
from kyosai.catalog.models import FiscalYear
from kyosai.catalog.services import after_retirement
from kyosai.domain import lifecycle
from kyosai.domain import members as rules
from kyosai.domain.periods import FiscalCalendar, YearMonth
from kyosai.members.models import Contract, Member
from kyosai.members.selectors import _member_key, active_on
from kyosai.org.models import Branch, Union

__all__ = [
    "InspectionRow",
    "NewHireRow",
    "TransitionRow",
    "fiscal_year_bounds",
    "inspection_rows",
    "new_hire_rows",
    "transition_rows",
]

GROUP_LIFE = "group_life"
MYCAR = "mycar"
COMPULSORY_AUTO = "compulsory_auto"


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of fiscal year `year` (its FiscalYear's start month, else June)."""
    stored = FiscalYear.objects.filter(year=year).first()
    first = stored.first_month if stored else FiscalCalendar().first_month(year)
    last = first.shift(11)
    return (date(first.year, first.month, 1),
            date(last.year, last.month, calendar.monthrange(last.year, last.month)[1]))


_M = TypeVar("_M", bound=Model)


def _scope(queryset: QuerySet[_M], union: Union | None, branch: Branch | None,
           prefix: str = "") -> QuerySet[_M]:
    if union is not None:
        queryset = queryset.filter(**{f"{prefix}union": union})
    if branch is not None:
        queryset = queryset.filter(**{f"{prefix}union__branch": branch})
    return queryset


@dataclass(frozen=True, slots=True)
class TransitionRow:
    member_id: int
    branch: str
    union: str
    member_no: str
    name: str
    birth_date: date | None
    age_at_fy_end: int | None
    reasons: list[str]
    reemployment_ends_on: date | None
    left_on: date | None
    products: list[str]
    offer: list[str]


def transition_rows(access: Access, fiscal_year: int, *, union: Union | None = None,
                    branch: Branch | None = None) -> list[TransitionRow]:
    """Members active on the year's first day F with at least one transition reason."""
    first, last = fiscal_year_bounds(fiscal_year)
    members = _scope(access.restrict_personal_data(Member.objects.filter(active_on(first))),
                     union, branch)
    mapping = after_retirement()
    candidates = []
    for values in members.values_list(
            "pk", "union__branch__display_order", "union__branch__code", "union__code",
            "member_no", "name", "birth_date", "reemployment_ends_on", "left_on").iterator(
                chunk_size=5000):
        pk, order, branch_code, union_code, member_no, name, birth, reemp, left = values
        found = lifecycle.reasons(birth, reemp, left, first, last)
        if found:
            candidates.append((pk, order, branch_code, union_code, member_no, name, birth,
                               reemp, left, found))
    held: dict[int, set[str]] = defaultdict(set)
    ids = [c[0] for c in candidates]
    for start in range(0, len(ids), 900):
        for member_id, code in Contract.objects.filter(
                member_id__in=ids[start:start + 900], insured=rules.Insured.SELF.value,
                started_on__lte=first).filter(
                Q(ended_on__isnull=True) | Q(ended_on__gt=first)).values_list(
                "member_id", "product__code"):
            held[member_id].add(code)
    rows = []
    for pk, order, branch_code, union_code, member_no, name, birth, reemp, left, found in candidates:
        products = sorted(held[pk])
        rows.append(((order, branch_code, union_code, _member_key(member_no)), TransitionRow(
            pk, branch_code, union_code, member_no, name, birth,
            rules.age_on(birth, last) if birth else None, found, reemp, left, products,
            lifecycle.offer(products, mapping))))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


@dataclass(frozen=True, slots=True)
class InspectionRow:
    contract_id: int
    member_id: int
    branch: str
    union: str
    member_no: str
    name: str
    contract_no: str
    vehicle_registered: YearMonth
    vehicle_inspected_on: date | None
    due_month: YearMonth
    has_compulsory_auto: bool


def inspection_rows(access: Access, from_month: YearMonth, to_month: YearMonth, *,
                    union: Union | None = None, branch: Branch | None = None) -> list[InspectionRow]:
    """マイカー共済 contracts in force on the first day of `from_month` with a registration month,
    at their first due month from `from_month` on, up to `to_month`."""
    start = date(from_month.year, from_month.month, 1)
    contracts = Contract.objects.filter(
        product__code=MYCAR, vehicle_registered__isnull=False, started_on__lte=start).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=start))
    contracts = _scope(access.restrict_personal_data(
        contracts, union_field="member__union", branch_field="member__union__branch"),
        union, branch, prefix="member__")
    holders = set(Contract.objects.filter(
        product__code=COMPULSORY_AUTO, started_on__lte=start).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=start)).values_list("member_id", flat=True))
    rows = []
    for values in contracts.values_list(
            "pk", "member_id", "member__union__branch__display_order",
            "member__union__branch__code", "member__union__code", "member__member_no",
            "member__name", "contract_no", "vehicle_registered", "vehicle_inspected_on"):
        pk, member_id, order, branch_code, union_code, member_no, name, number, reg, insp = values
        assert reg is not None  # the query asked for a registration month
        registered = YearMonth(reg.year, reg.month)
        due = lifecycle.next_inspection(registered, insp, from_month)
        if due > to_month:
            continue
        rows.append(((due, order, branch_code, union_code, _member_key(member_no), number),
                     InspectionRow(pk, member_id, branch_code, union_code, member_no, name,
                                   number, registered, insp, due, member_id in holders)))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


#: (branch display order, branch code[, union code]): a new-hire row's place in the report
_GroupKey = tuple[int, str] | tuple[int, str, str]


@dataclass(slots=True)
class NewHireRow:
    branch: str
    branch_name: str
    union: str
    coop_joined: int = 0
    life_joined: int = 0
    months: set[int] = field(default_factory=set)

    @property
    def rate_pct(self) -> Decimal | None:
        return lifecycle.uptake_rate(self.life_joined, self.coop_joined)

    @property
    def effective_months(self) -> list[int]:
        return sorted(self.months)


def new_hire_rows(access: Access, year: int, *, by: str = "branch",
                  branch: Branch | None = None) -> list[NewHireRow]:
    """The new-hire campaign of `year` per branch (or union): counts only, so what
    `restrict_unions` allows (the cohort includes members who have left since)."""
    members = access.restrict_unions(
        Member.objects.filter(hired_on__gte=date(year, 4, 1), hired_on__lte=date(year, 12, 31)),
        field="union", branch_field="union__branch")
    members = _scope(members, None, branch)
    groups: dict[_GroupKey, NewHireRow] = {}
    member_group: dict[int, _GroupKey] = {}
    for pk, order, branch_code, branch_name, union_code, hired, joined in members.values_list(
            "pk", "union__branch__display_order", "union__branch__code", "union__branch__name",
            "union__code", "hired_on", "joined_on"):
        if not lifecycle.in_cohort(hired, year):
            continue
        key = (order, branch_code) if by == "branch" else (order, branch_code, union_code)
        row = groups.setdefault(key, NewHireRow(branch_code, branch_name,
                                                union_code if by == "union" else ""))
        member_group[pk] = key
        if lifecycle.in_campaign(joined, year):
            row.coop_joined += 1
    started: dict[int, list[date]] = defaultdict(list)
    ids = list(member_group)
    for begin in range(0, len(ids), 900):
        for member_id, started_on in Contract.objects.filter(
                member_id__in=ids[begin:begin + 900], product__code=GROUP_LIFE,
                insured=rules.Insured.SELF.value, started_on__gte=date(year, 5, 1),
                started_on__lte=date(year, 12, 31)).values_list("member_id", "started_on"):
            started[member_id].append(started_on)
    for member_id, days in started.items():
        if any(lifecycle.in_campaign(day, year) for day in days):
            row = groups[member_group[member_id]]
            row.life_joined += 1
            row.months.update(lifecycle.effective_months(days))
    return [groups[key] for key in sorted(groups)]
