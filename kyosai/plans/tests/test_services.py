"""Status entries, ratings, next actions and their history; the branch matrix; carry-over."""

import pytest

from kyosai.accounts.access import SYSTEM
from kyosai.core.models import AuditEntry
from kyosai.domain.evaluation import Rating
from kyosai.domain.periods import HalfYear, YearMonth
from kyosai.domain.plans import ItemNode
from kyosai.org.models import Branch
from kyosai.plans import selectors, services
from kyosai.plans.models import PlanItem

pytestmark = pytest.mark.django_db


def item_of(owner: str, code: str = "Ⅳ-2-1-(1)") -> PlanItem:
    return PlanItem.objects.get(plan__period="2024H1", plan__owner__name=owner, code=code)


def test_adding_a_status_entry_records_who_when_and_the_month_confirmed(small_plan, personas):
    item = item_of("東京")
    entry = services.add_status(item, text="学習会を開催した。", confirmed=YearMonth(2024, 11),
                                user=personas["tokyo_staff"])
    assert entry.author is not None
    assert (entry.author.username, str(entry.confirmed), entry.position) == (
        "tokyo_staff", "2024-11", 1)
    (history,) = selectors.item_history(item, access=SYSTEM)
    assert history.user == "tokyo_staff"
    assert history.source == "画面"
    (change,) = history.changes
    assert (change.label, change.before, change.after) == (
        "実行状況", (), ("学習会を開催した。【11月確認】",))


def test_an_audit_snapshot_is_read_as_the_items_typed_state(small_plan):
    item = item_of("本部", "Ⅳ-1-1-(1)")
    state = selectors.item_state(item.snapshot())
    assert state is not None
    assert [(s.text, s.confirmed) for s in state.statuses] == [("開催しました。", YearMonth(2024, 8))]
    assert state == ItemNode(
        number=0, text=item.text, statuses=state.statuses, rating=Rating.DONE,
        next_actions=("引き続き開催します。",))
    assert selectors.item_state(None) is None
    # a month or rating edited by hand into an old entry is left out, not fatal
    odd = selectors.item_state({"text": "計画", "rating": "?",
                                "statuses": [{"text": "実施", "confirmed": "2024-13"}]})
    assert odd is not None
    assert (odd.rating, odd.statuses[0].confirmed, odd.next_actions) == (None, None, ())


def test_a_rating_change_keeps_before_and_after(small_plan, personas):
    item = item_of("本部")
    services.set_rating(item, Rating.NOT_ENOUGH, user=personas["hq_staff"])
    entry = AuditEntry.objects.get(object_id=str(item.pk), action="update")
    assert entry.before is not None
    assert entry.after is not None
    assert entry.user is not None
    assert (entry.before["rating"], entry.after["rating"], entry.user.username) == (
        "○", "△", "hq_staff")


def test_setting_the_same_rating_again_writes_no_history(small_plan, personas):
    item = item_of("本部")
    count = AuditEntry.objects.count()
    services.set_rating(item, Rating.ON_TRACK, user=personas["hq_staff"])
    services.set_next_actions(item, ["定例的に開催します。", " "], user=personas["hq_staff"])
    assert AuditEntry.objects.count() == count


def test_next_actions_are_replaced_in_order_and_the_history_shows_both_lists(small_plan,
                                                                               personas):
    item = item_of("本部")
    services.set_next_actions(item, ["第一に", "", "第二に"], user=personas["hq_admin"])
    assert list(item.next_actions.values_list("text", flat=True)) == ["第一に", "第二に"]
    change = selectors.item_history(item, access=SYSTEM)[0].changes[0]
    assert (change.label, change.before, change.after) == (
        "今後の取り組み", ("定例的に開催します。",), ("第一に", "第二に"))


def test_editing_and_deleting_a_status_entry_stay_in_the_history(small_plan, personas):
    item = item_of("東京")
    user = personas["tokyo_staff"]
    entry = services.add_status(item, text="開催した。", confirmed=None, user=user)
    services.update_status(entry, text="2回開催した。", confirmed=YearMonth(2024, 9), user=user)
    services.delete_status(entry, user=user)
    assert not item.statuses.exists()
    history = selectors.item_history(item, access=SYSTEM)
    assert [h.changes[0].after for h in history] == [
        (), ("2回開催した。【9月確認】",), ("開催した。",)]


def test_each_branch_rates_its_own_copy_of_the_branch_chapters(small_plan, personas):
    tokyo, saitama, hq = item_of("東京"), item_of("埼玉"), item_of("本部")
    assert tokyo.source_item == hq
    assert saitama.source_item == hq
    services.set_rating(tokyo, Rating.NO_PROGRESS, user=personas["tokyo_staff"])
    assert item_of("埼玉").rating == ""
    assert item_of("本部").rating == "○"
    assert not PlanItem.objects.filter(plan__owner__name="東京", code="Ⅳ-1-1-(1)").exists()


def test_ensuring_branch_plans_again_keeps_branch_ratings(small_plan, personas, tokyo):
    services.set_rating(item_of("東京"), Rating.DONE, user=personas["tokyo_staff"])
    assert services.ensure_branch_plans(small_plan, Branch.objects.filter(pk=tokyo.pk)) == 0
    assert item_of("東京").rating == "◎"


def test_the_matrix_shows_each_branchs_rating_the_roll_up_and_who_rated_triangle_or_cross(
    small_plan, personas
):
    services.set_rating(item_of("東京"), Rating.NOT_ENOUGH, user=None)
    services.set_rating(item_of("埼玉"), Rating.ON_TRACK, user=None)
    services.set_rating(item_of("埼玉", "Ⅳ-2-1-(2)"), Rating.NO_PROGRESS, user=None)
    matrix = selectors.branch_matrix("2024H1", access=SYSTEM)
    assert [c.code for c in matrix.columns] == ["Ⅳ-2-1-(1)", "Ⅳ-2-1-(2)"]
    assert [r.branch_name for r in matrix.rows] == ["埼玉", "東京"]  # the report's order (13, 14)
    assert [[c.rating for c in r.cells] for r in matrix.rows] == [
        [Rating.ON_TRACK, Rating.NO_PROGRESS], [Rating.NOT_ENOUGH, None]]
    first, second = matrix.columns
    assert (first.tally.count(Rating.ON_TRACK), first.tally.count(Rating.NOT_ENOUGH)) == (1, 1)
    assert first.attention == ("東京",)
    assert second.attention == ("埼玉",)
    assert second.tally.unrated == 1
    assert matrix.total.total == 4


def test_the_plan_tree_carries_statuses_ratings_and_next_actions(small_plan):
    tree = selectors.plan_tree("2024H1", access=SYSTEM)
    assert tree is not None
    assert [s.number for s in tree.sections] == ["Ⅳ"]
    assert [c.code for c in tree.chapters] == ["Ⅳ-1", "Ⅳ-2"]
    first = tree.items[0]
    assert (first.code, first.rating, first.next_actions) == (
        "Ⅳ-1-1-(1)", Rating.DONE, ("引き続き開催します。",))
    (marker, status), *_ = first.numbered_statuses
    assert (marker, status.text, str(status.confirmed)) == (
        "①", "開催しました。", "2024-08")
    assert tree.tally.row() == [1, 1, 1, 0, 0, 3]
    tokyo = selectors.plan_tree("2024H1", "14", access=SYSTEM)
    assert tokyo is not None
    assert tokyo.owner_name == "東京"
    assert selectors.plan_tree("2030H1", access=SYSTEM) is None


def test_the_tally_adds_up_every_branch_plan(small_plan):
    services.set_rating(item_of("東京"), Rating.NOT_ENOUGH, user=None)
    table = selectors.rating_tally("2024H1", selectors.BRANCHES, access=SYSTEM)
    assert [row.chapter for row in table.rows] == ["Ⅳ-2"]
    assert table.total.row() == [0, 0, 1, 0, 0, 4]
    assert table.total.unrated == 3


def test_filters_find_triangles_and_crosses_and_items_not_confirmed_this_month(small_plan):
    hq_items = PlanItem.objects.filter(plan=small_plan)
    assert [i.code for i in selectors.filter_items(hq_items, access=SYSTEM, attention=True)] == ["Ⅳ-2-1-(2)"]
    unconfirmed = selectors.filter_items(hq_items, access=SYSTEM, unconfirmed_in=YearMonth(2024, 8))
    assert sorted(i.code for i in unconfirmed) == ["Ⅳ-2-1-(1)", "Ⅳ-2-1-(2)"]


def test_carry_over_starts_the_next_period_from_items_and_next_actions(small_plan, personas):
    new = services.carry_over_plan(small_plan, user=personas["hq_admin"])
    assert (new.period, new.carried_from, new.owner.name) == ("2024H2", small_plan, "本部")
    carried = PlanItem.objects.get(plan=new, code="Ⅳ-1-1-(1)")
    assert carried.text == "本部委員会を開催します。"
    assert carried.rating == ""
    assert not carried.statuses.exists()
    assert list(carried.next_actions.values_list("text", flat=True)) == ["引き続き開催します。"]
    assert carried.carried_from == item_of("本部", "Ⅳ-1-1-(1)")
    with pytest.raises(services.PlanAlreadyExists):
        services.carry_over_plan(small_plan, user=None)


def test_carrying_a_whole_period_links_branch_items_to_hqs_new_items(small_plan):
    plans = services.carry_over_period(HalfYear(2024, 1), include_done=False)
    assert [p.owner.name for p in plans] == ["本部", "埼玉", "東京"]
    new_hq = plans[0]
    assert not new_hq.items.filter(code="Ⅳ-1-1-(1)").exists()  # ◎ 完了 left behind
    tokyo_new = PlanItem.objects.get(plan__period="2024H2", plan__owner__name="東京",
                                     code="Ⅳ-2-1-(1)")
    assert tokyo_new.source_item == PlanItem.objects.get(plan=new_hq, code="Ⅳ-2-1-(1)")
    assert selectors.branch_matrix("2024H2", access=SYSTEM).rows[0].cells[0].item_id is not None


def test_a_branch_that_carries_over_before_hq_is_linked_when_hq_follows(small_plan):
    tokyo_plan = item_of("東京").plan
    services.carry_over_plan(tokyo_plan)
    tokyo_new = PlanItem.objects.get(plan__period="2024H2", plan__owner__name="東京",
                                     code="Ⅳ-2-1-(1)")
    assert tokyo_new.source_item is None
    new_hq = services.carry_over_plan(small_plan)
    tokyo_new.refresh_from_db()
    assert tokyo_new.source_item == PlanItem.objects.get(plan=new_hq, code="Ⅳ-2-1-(1)")
