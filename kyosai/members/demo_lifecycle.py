"""The demo roster's lifecycle content (issue #15): a new-hire cohort of 2024 with mixed
statuses, follow-ups on the 64歳以上移行確認リスト of fiscal 2024 and call marks on the 次回車検日
list from 2024-12 — all anchored at the demo's as-of day, 2024-11-30.

The roster itself (members turning 64, re-employment ending 2025-03-31, マイカー共済 contracts with
their registration and last inspection) comes from `kyosai.members.demo`; this pass only moves
the youngest members' hire dates into 2024 (and their contracts' start dates with them, never past
2024-11-30, so the contracts in force on that day still equal each union's 件数) and records the
statuses, by the union's demo officer (else the branch's staff). A separate random stream, so the
roster stays what it was.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User

from kyosai.domain import lifecycle
from kyosai.domain.periods import YearMonth
from kyosai.members.lifecycle import GROUP_LIFE, fiscal_year_bounds, inspection_rows
from kyosai.members.management.base import CLI_ACCESS
from kyosai.members.models import (
    Contract,
    InspectionCall,
    Member,
    NewHireStatus,
    TransitionStatus,
)
from kyosai.org.models import Union

__all__ = ["CALLS_FROM", "COHORT_YEAR", "FISCAL_YEAR", "LifecycleDemo", "load_lifecycle_demo"]

AS_OF = date(2024, 11, 30)
COHORT_YEAR = 2024
FISCAL_YEAR = 2024
CALLS_FROM = YearMonth(2024, 12)
CALL_MONTHS = 3
HIRE_DAYS = (date(2024, 4, 1),) * 5 + (date(2024, 7, 1), date(2024, 10, 1))


@dataclass(frozen=True, slots=True)
class LifecycleDemo:
    new_hires: int
    new_hire_statuses: int
    transition_statuses: int
    calls: int


def _recorder(union: Union) -> User | None:
    users = User.objects
    return (users.filter(username=f"union-{union.code}").first()
            or users.filter(username=f"branch-{union.branch.code}").first())


def load_lifecycle_demo(unions: list[Union], seed: int = 0) -> LifecycleDemo:
    """Add the lifecycle content to the demo roster of `unions` (called inside its transaction)."""
    hires = hire_statuses = transitions = calls = 0
    for union in unions:
        rng = random.Random(f"{seed}:{union.code}:lifecycle")
        user = _recorder(union)
        h, s = _cohort(union, rng, user)
        hires += h
        hire_statuses += s
        transitions += _transition(union, rng, user)
        calls += _calls(union, rng, user)
    return LifecycleDemo(hires, hire_statuses, transitions, calls)


def _cohort(union: Union, rng: random.Random, user: User | None) -> tuple[int, int]:
    """The youngest active members become the 2024 cohort: hired April–October, most joining
    the 生協 from May (5 月発効), their 団体生命共済 starting with it."""
    active = Member.objects.filter(union=union, left_on__isnull=True, birth_date__isnull=False)
    size = max(3, min(12, active.count() // 10))
    cohort = list(active.order_by("-birth_date", "member_no")[:size])
    statuses = []
    for member in cohort:
        hired = rng.choice(HIRE_DAYS)
        member.hired_on = hired
        member.joined_on = max(date(2024, 5, 1), hired) if rng.random() < 0.75 else None
        member.save(update_fields=["hired_on", "joined_on"])
        Contract.objects.filter(member=member, started_on__lt=hired).update(started_on=hired)
        life = Contract.objects.filter(member=member, product__code=GROUP_LIFE, insured="self",
                                       ended_on__isnull=True).first()
        if life is not None:
            life.started_on = min(max(date(2024, 5, 1), hired), AS_OF)
            life.save(update_fields=["started_on"])
            status: NewHireStatus.Status | None = NewHireStatus.Status.JOINED
            on = life.started_on
        else:
            status = rng.choice([NewHireStatus.Status.BRIEFED, NewHireStatus.Status.FORM_GIVEN,
                                 NewHireStatus.Status.COLLECTED, NewHireStatus.Status.DECLINED,
                                 None])
            on = hired + timedelta(days=rng.randint(7, 40))
        if status is not None:
            statuses.append(NewHireStatus(member=member, year=COHORT_YEAR, status=status,
                                          on=min(on, AS_OF), user=user))
    NewHireStatus.objects.bulk_create(statuses)
    return len(cohort), len(statuses)


def _transition(union: Union, rng: random.Random, user: User | None) -> int:
    """About half of the fiscal year's 移行確認リスト already followed up."""
    first, last = fiscal_year_bounds(FISCAL_YEAR)
    entries = []
    for pk, birth, ends, left in Member.objects.filter(union=union).exclude(
            left_on__lte=first).values_list("pk", "birth_date", "reemployment_ends_on",
                                            "left_on").order_by("member_no"):
        if not lifecycle.reasons(birth, ends, left, first, last) or rng.random() < 0.5:
            continue
        status = rng.choice([TransitionStatus.Status.INFORMED, TransitionStatus.Status.INFORMED,
                             TransitionStatus.Status.MIGRATED, TransitionStatus.Status.DECLINED])
        entries.append(TransitionStatus(
            member_id=pk, fiscal_year=FISCAL_YEAR, status=status,
            on=date(2024, rng.randint(7, 11), rng.randint(1, 28)), user=user))
    TransitionStatus.objects.bulk_create(entries)
    return len(entries)


def _calls(union: Union, rng: random.Random, user: User | None) -> int:
    """電話 on about 40 % of the contracts due from 2024-12 to 2025-02, 案内済 on half of those."""
    marks = []
    for row in inspection_rows(CLI_ACCESS, CALLS_FROM, CALLS_FROM.shift(CALL_MONTHS - 1),
                               union=union):
        if rng.random() >= 0.4:
            continue
        due = date(row.due_month.year, row.due_month.month, 1)
        called = date(2024, 11, rng.randint(1, 28))
        marks.append(InspectionCall(contract_id=row.contract_id, due_month=due,
                                    kind=InspectionCall.Kind.CALLED, on=called, user=user))
        if rng.random() < 0.5:
            marks.append(InspectionCall(contract_id=row.contract_id, due_month=due,
                                        kind=InspectionCall.Kind.INFORMED,
                                        on=min(called + timedelta(days=2), AS_OF), user=user))
    InspectionCall.objects.bulk_create(marks)
    return len(marks)
