"""The plan selectors read only the plans the viewer's Access may read (issue 11 item 1): another
branch's staff and a union officer get nothing of 東京's plan, the same as for no plan at all."""

import pytest

from kyosai.accounts.access import NO_ACCESS, SYSTEM, Access
from kyosai.accounts.models import Role
from kyosai.domain.evaluation import Rating
from kyosai.plans import selectors, services
from kyosai.plans.models import Plan, PlanItem


def _staff(branch) -> Access:
    return Access(role=Role.BRANCH_STAFF, branch_id=branch.pk)


def _tokyo_plan(tokyo) -> Plan:
    return Plan.objects.get(period="2024H1", owner=tokyo)


def test_a_branch_reads_hq_and_its_own_plan(small_plan, tokyo):
    access = _staff(tokyo)
    assert selectors.hq_branch(access=access).code == "00"
    assert selectors.get_plan("2024H1", access=access) == small_plan
    assert selectors.get_plan("2024H1", "14", access=access) == _tokyo_plan(tokyo)
    tree = selectors.plan_tree("2024H1", tokyo, access=access)
    assert tree is not None
    assert [item.code for item in tree.items] == ["Ⅳ-2-1-(1)", "Ⅳ-2-1-(2)"]
    assert selectors.tally_of_plan(_tokyo_plan(tokyo), access=access).total.total == 2
    assert selectors.rating_tally("2024H1", "東京", access=access).owner == "東京"


def test_another_branchs_staff_get_nothing_of_its_plan(small_plan, tokyo, saitama):
    access = _staff(saitama)
    plan = _tokyo_plan(tokyo)
    for owner in ("14", "東京", tokyo):
        with pytest.raises(selectors.UnknownOwner):
            selectors.resolve_owner(owner, access=access)
        with pytest.raises(selectors.UnknownOwner):
            selectors.get_plan("2024H1", owner, access=access)
        with pytest.raises(selectors.UnknownOwner):
            selectors.rating_tally("2024H1", owner, access=access)
    with pytest.raises(selectors.UnknownOwner):
        selectors.rating_tally("2024H1", selectors.BRANCHES, access=access)
    assert selectors.tree_of(plan, access=access).sections == ()
    assert selectors.tally_of_plan(plan, access=access).rows == ()
    assert list(selectors.filter_items(PlanItem.objects.filter(plan=plan), access=access)) == []
    item = plan.items.get(code="Ⅳ-2-1-(1)")
    services.set_rating(item, Rating.NOT_ENOUGH, user=None)
    assert selectors.item_history(item, access=access) == []
    assert len(selectors.item_history(item, access=SYSTEM)) == 1


@pytest.mark.parametrize("access", [NO_ACCESS, "union_officer"])
def test_those_who_read_no_plan_get_none_not_even_hqs(small_plan, tokyo, access):
    if access == "union_officer":
        access = Access(role=Role.UNION_OFFICER, branch_id=tokyo.pk, union_id=1)
    with pytest.raises(selectors.UnknownOwner):
        selectors.hq_branch(access=access)
    with pytest.raises(selectors.UnknownOwner):
        selectors.plan_tree("2024H1", access=access)
    assert selectors.tree_of(small_plan, access=access).sections == ()
    assert list(selectors.filter_items(PlanItem.objects.all(), access=access)) == []
