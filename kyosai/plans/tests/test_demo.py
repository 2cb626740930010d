"""load_demo(): HQ's printed plan and every branch's plan, rated the same way on every run."""

from collections import Counter

import pytest

from kyosai.accounts.access import SYSTEM
from kyosai.plans.demo import load_demo
from kyosai.plans.models import Plan, PlanItem
from kyosai.plans.selectors import rating_tally

pytestmark = pytest.mark.django_db


def branch_ratings() -> dict[tuple[str, str], str]:
    return dict(
        ((owner, code), rating) for owner, code, rating in
        PlanItem.objects.filter(plan__owner__kind="branch")
        .values_list("plan__owner__code", "code", "rating")
    )


def test_the_demo_loads_hqs_plan_and_rates_every_branch_plan(master_data):
    message = load_demo()
    assert "実行計画 100 件" in message
    assert rating_tally("2024H1", access=SYSTEM).total.row() == [21, 64, 13, 0, 2, 100]
    assert Plan.objects.filter(period="2024H1", owner__kind="branch").count() == 48
    ratings = branch_ratings()
    assert len(ratings) == 48 * 20
    assert "" not in ratings.values()
    spread = Counter(ratings.values())
    assert set(spread) == {"◎", "○", "△", "×", "－"}
    assert spread["○"] > spread["△"] > spread["×"]
    per_branch = {owner: tuple(r for (o, _), r in sorted(ratings.items()) if o == owner)
                  for owner, _ in ratings}
    assert len(set(per_branch.values())) > 40  # branches differ from one another


def test_loading_the_demo_twice_gives_the_same_plans(master_data):
    load_demo()
    first = branch_ratings()
    counts = PlanItem.objects.count()
    load_demo()
    assert branch_ratings() == first
    assert PlanItem.objects.count() == counts
