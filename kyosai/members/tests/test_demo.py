"""The demo roster agrees with the demo results: contracts in force on 2024-11-30 per union and
product = the union's 件数 for 2024-11; it is deterministic per seed and holds the boundaries."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from kyosai.accounts.access import SYSTEM, Access
from kyosai.accounts.models import Role
from kyosai.members.demo import AS_OF, chosen_unions, load_demo
from kyosai.members.models import Contract, Member
from kyosai.members.selectors import member_rows, penetration, product_by_word
from kyosai.org.models import Branch, Union
from kyosai.results.demo import generate
from kyosai.results.models import MonthlyResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(db) -> list[str]:
    """A small federation and the roster of its six smallest unions (make demo's subset is the
    demo officers' unions and the two smallest of each branch)."""
    call_command("init", stdout=io.StringIO())
    generate(seed=3, unions=60, progress=False)
    codes = [u.code for u in sorted(Union.objects.all(), key=lambda u: (u.members, u.code))[:6]]
    load_demo(seed=3, codes=codes)
    return codes


def in_force_on(day: date) -> Q:
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def test_contracts_in_force_equal_the_unions_holdings(small):
    stored = {(u, p): int(v) for u, p, v in MonthlyResult.objects.filter(
        month=date(2024, 11, 1), measure__code="holdings", union__code__in=small).values_list(
        "union_id", "product_id", "value")}
    counted = {(row["member__union_id"], row["product_id"]): row["n"] for row in
               Contract.objects.filter(in_force_on(AS_OF)).values(
                   "member__union_id", "product_id").annotate(n=Count("id")).order_by()}
    assert stored
    assert counted == {key: value for key, value in stored.items() if value}
    # the boundaries are in the data: contracts ending on the day and starting the day after
    assert Contract.objects.filter(ended_on=AS_OF).exists()
    assert Contract.objects.filter(started_on=date(2024, 12, 1)).exists()
    assert Member.objects.filter(left_on=AS_OF).exists()
    assert Member.objects.filter(birth_date=date(2000, 2, 29)).exists()
    # and the list and the counts agree with each other
    general = product_by_word("general", access=SYSTEM)
    assert general is not None
    hq = Access(role=Role.HQ_ADMIN)
    rows = penetration(general, AS_OF, access=hq)
    assert {r.union for r in rows} == set(small)
    listed: dict[str, int] = {}
    for member in member_rows(general, AS_OF, access=hq):
        listed[member.union] = listed.get(member.union, 0) + 1
    for row in rows:
        assert row.unenrolled == listed.get(row.union, 0)
        assert row.members >= row.enrolled > 0


def test_the_same_seed_gives_the_same_roster_and_the_default_subset(small):
    first = list(Member.objects.order_by("union__code", "member_no").values_list(
        "name", "birth_date"))
    load_demo(seed=3, codes=small)
    again = list(Member.objects.order_by("union__code", "member_no").values_list(
        "name", "birth_date"))
    assert first == again
    assert load_demo("none").members == 0
    assert not Member.objects.exists()
    # make demo's subset: the demo officers' unions and the two smallest of each branch
    chosen = chosen_unions("subset")
    codes = {u.code for u in chosen}
    assert {"010001", "130001", "140001"} <= codes
    branches = Branch.objects.prefectural().filter(unions__isnull=False).distinct().count()
    assert len(chosen) <= branches * 2 + 3
    for branch in Branch.objects.prefectural():
        mine = sorted(Union.objects.filter(branch=branch), key=lambda u: (u.members, u.code))
        assert {u.code for u in mine[:2]} <= codes


def test_the_lifecycle_tools_have_content_for_the_demo_unions(small):
    from kyosai.domain.periods import YearMonth
    from kyosai.members.lifecycle import inspection_rows, new_hire_rows, transition_rows
    from kyosai.members.management.base import CLI_ACCESS
    from kyosai.members.models import InspectionCall, NewHireStatus, TransitionStatus

    assert transition_rows(CLI_ACCESS, 2024)
    reasons = {r for row in transition_rows(CLI_ACCESS, 2024) for r in row.reasons}
    assert {"age64", "reemployment_end"} <= reasons
    calls = inspection_rows(CLI_ACCESS, YearMonth(2024, 12), YearMonth(2025, 2))
    assert len({row.due_month for row in calls}) >= 2
    cohort = new_hire_rows(CLI_ACCESS, 2024, by="union")
    assert sum(row.coop_joined for row in cohort) > 0
    assert sum(row.life_joined for row in cohort) > 0
    assert len(set(NewHireStatus.objects.values_list("status", flat=True))) >= 3
    assert TransitionStatus.objects.exists()
    assert InspectionCall.objects.filter(kind="called").exists()
    # marks only on contracts of that list, at their due month
    listed = {(row.contract_id, date(row.due_month.year, row.due_month.month, 1)) for row in calls}
    assert set(InspectionCall.objects.values_list("contract_id", "due_month")) <= listed
