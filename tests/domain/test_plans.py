"""The PDCA plan's rules, without Django: periods, ratings, 【N月確認】, the plan file, carry-over."""

from pathlib import Path

import pytest
import yaml

from kyosai.domain.evaluation import Rating
from kyosai.domain.formatting import action_marker, chapter_label, circled_number, policy_label
from kyosai.domain.periods import FiscalCalendar, YearMonth
from kyosai.domain.plans import (
    HalfYear,
    InvalidPeriod,
    InvalidRating,
    ItemNode,
    RatingTally,
    StatusNode,
    carry_over_item,
    confirmation_mark,
    confirmation_month,
    describe_changes,
    item_code,
    needs_attention,
    parse_rating,
    split_confirmation,
    tally,
)
from kyosai.domain.problems import FileProblems
from kyosai.plans.files import read_plan_document


@pytest.fixture(scope="module")
def plan_data(seed_plan_file: Path) -> dict:
    return yaml.safe_load(seed_plan_file.read_text("utf-8"))


def minimal(**item) -> dict:
    item = {"number": 1, "plan": "計画", "status": ["実施しました。"], "rating": "○",
            "next_actions": ["続けます。"], **item}
    return {"fiscal_year": 2024, "period": "2024H1", "sections": [{
        "number": "Ⅳ", "title": "体制", "chapters": [{
            "number": 1, "title": "共同推進", "policies": [{
                "number": 1, "text": "方針", "items": [item]}]}]}]}


def test_the_seed_plan_has_3_sections_12_chapters_30_policies_and_100_items(plan_data):
    document = read_plan_document(plan_data)
    assert document.counts() == {"sections": 3, "chapters": 12, "policies": 30, "items": 100}
    assert [s.number for s in document.sections] == ["Ⅳ", "Ⅴ", "Ⅵ"]


def test_the_seed_plan_tallies_21_64_13_0_2(plan_data):
    document = read_plan_document(plan_data)
    result = tally(item.rating for *_, item in document.placed_items())
    assert result.row() == [21, 64, 13, 0, 2, 100]
    assert result.unrated == 0


def test_chapters_2_and_3_of_section_iv_are_carried_out_by_every_branch(plan_data):
    document = read_plan_document(plan_data)
    branch = [(s.number, c.number) for s in document.sections for c in s.chapters
              if c.carried_by_branches]
    assert branch == [("Ⅳ", 2), ("Ⅳ", 3)]


def test_a_plan_file_can_say_which_chapters_every_branch_carries_out():
    data = minimal()
    data["sections"][0]["chapters"][0]["carried_by_branches"] = True
    assert read_plan_document(data).sections[0].chapters[0].carried_by_branches


def test_the_period_is_read_and_carried_to_the_next_half():
    assert HalfYear.parse("2024H1") == HalfYear(2024, 1)
    assert HalfYear.parse("２０２４ｈ２") == HalfYear(2024, 2)
    assert HalfYear(2024, 1).next() == HalfYear(2024, 2)
    assert HalfYear(2024, 2).next() == HalfYear(2025, 1)
    assert HalfYear(2024, 1).label() == "2024年度上半期"


@pytest.mark.parametrize("text", ["2024", "2024H3", "H1", "24H1", ""])
def test_a_period_not_written_like_2024h1_is_refused(text):
    with pytest.raises(InvalidPeriod):
        HalfYear.parse(text)


def test_the_first_half_of_fy2024_runs_june_to_november():
    months = HalfYear(2024, 1).months(FiscalCalendar(6))
    assert months[0] == YearMonth(2024, 6)
    assert months[-1] == YearMonth(2024, 11)
    assert str(HalfYear(2024, 1).last_day(FiscalCalendar(6))) == "2024-11-30"
    assert str(HalfYear(2024, 2).last_day(FiscalCalendar(6))) == "2025-05-31"
    assert str(HalfYear(2025, 2).last_day(FiscalCalendar(5))) == "2026-04-30"


@pytest.mark.parametrize(("typed", "rating"), [
    ("◎", Rating.DONE), ("○", Rating.ON_TRACK), ("〇", Rating.ON_TRACK), ("△", Rating.NOT_ENOUGH),
    ("×", Rating.NO_PROGRESS), ("✕", Rating.NO_PROGRESS), ("－", Rating.NOT_YET_DUE),
    ("-", Rating.NOT_YET_DUE), (" ◎ ", Rating.DONE),
])
def test_ratings_are_read_as_offices_type_them(typed, rating):
    assert parse_rating(typed) is rating


def test_a_blank_rating_means_not_rated_yet():
    assert parse_rating("") is None
    assert parse_rating(None) is None


def test_an_unknown_rating_is_refused():
    with pytest.raises(InvalidRating):
        parse_rating("A")


def test_only_triangle_and_cross_need_attention():
    assert needs_attention("△")
    assert needs_attention(Rating.NO_PROGRESS)
    assert not needs_attention("○")
    assert not needs_attention("－")
    assert not needs_attention("")


def test_the_confirmation_mark_is_lifted_out_of_the_status_text():
    assert split_confirmation("見積り取得をおこなった。【11 月確認】 ") == ("見積り取得をおこなった。", 11)
    assert split_confirmation("導入した。【８月確認】") == ("導入した。", 8)
    assert split_confirmation("（12 月）開催しました。") == ("（12 月）開催しました。", None)


def test_a_confirmation_month_outside_1_to_12_is_refused():
    with pytest.raises(ValueError, match="確認月"):
        split_confirmation("実施【13月確認】")


def test_january_confirmed_in_fy2024_is_january_2025():
    calendar = FiscalCalendar(6)
    assert confirmation_month(1, 2024, calendar) == YearMonth(2025, 1)
    assert confirmation_month(8, 2024, calendar) == YearMonth(2024, 8)
    assert confirmation_month(4, 2025, FiscalCalendar(5)) == YearMonth(2026, 4)


def test_a_status_with_a_mark_gets_its_month_in_the_plans_fiscal_year():
    document = read_plan_document(minimal(status=["学習会を開催した。【1 月確認】"]))
    (*_, item), = document.placed_items()
    assert item.statuses == (StatusNode("学習会を開催した。", YearMonth(2025, 1)),)


def test_numbers_are_printed_as_the_report_prints_them():
    assert circled_number(1) == "①"
    assert circled_number(20) == "⑳"
    assert circled_number(21) == "㉑"
    assert action_marker(1) == "ａ"
    assert action_marker(3) == "ｃ"
    assert chapter_label(1) == "１．"
    assert chapter_label(12) == "１２．"
    assert policy_label(2) == "＜事業推進方針２＞"
    assert item_code("Ⅳ", 1, 1, 5) == "Ⅳ-1-1-(5)"


def test_every_problem_of_a_plan_file_is_named_by_its_place():
    data = minimal(rating="A", plan="")
    data["period"] = "2024H9"
    with pytest.raises(FileProblems) as raised:
        read_plan_document(data)
    described = [p.describe("plan.yaml") for p in raised.value.errors]
    assert "plan.yaml「period」: 期間は 2024H1 のように指定してください: '2024H9'" in described
    assert any(d.startswith("plan.yaml Ⅳ-1-1-(1)「rating」: 評価は") for d in described)
    assert "plan.yaml Ⅳ-1-1-(1)「plan」: 文字列で記入してください" in described


def test_duplicate_item_numbers_are_refused():
    data = minimal()
    items = data["sections"][0]["chapters"][0]["policies"][0]["items"]
    items.append(dict(items[0]))
    with pytest.raises(FileProblems) as raised:
        read_plan_document(data)
    assert raised.value.errors[0].message == "実行計画の番号 1 が重複しています"


def test_a_fiscal_year_that_disagrees_with_the_period_is_refused():
    data = minimal()
    data["fiscal_year"] = 2023
    with pytest.raises(FileProblems):
        read_plan_document(data)


def test_something_that_is_not_a_plan_is_refused():
    with pytest.raises(FileProblems):
        read_plan_document(["not", "a", "plan"])
    with pytest.raises(FileProblems):
        read_plan_document({"period": "2024H1"})


def test_tallies_add_up_and_count_unrated_items_in_the_total():
    first = tally(["◎", "○", "○", ""])
    second = tally([Rating.NOT_ENOUGH, None])
    both = first + second
    assert both.row() == [1, 2, 1, 0, 0, 6]
    assert both.unrated == 2
    assert RatingTally().total == 0


def test_carry_over_keeps_the_plan_and_next_actions_and_drops_status_and_rating():
    item = ItemNode(3, "学習会を開催します。", (StatusNode("開催した。"),), Rating.NOT_ENOUGH,
                     ("回数を増やします。",))
    carried = carry_over_item(item)
    assert carried == ItemNode(3, "学習会を開催します。", (), None, ("回数を増やします。",))


def test_completed_items_can_be_left_behind_at_carry_over():
    done = ItemNode(1, "集会を開催します。", rating=Rating.DONE)
    assert carry_over_item(done, include_done=False) is None
    assert carry_over_item(done) is not None


def test_the_history_names_what_changed_between_snapshots():
    before = ItemNode(1, "計画", rating=Rating.ON_TRACK, next_actions=("a",))
    after = ItemNode(1, "計画", (StatusNode("実施した。", YearMonth(2024, 8)),), Rating.NOT_ENOUGH,
                      ("a",))
    changes = describe_changes(before, after)
    assert [c.label for c in changes] == ["評価", "実行状況"]
    assert changes[0].before == ("○ 実行できている",)
    assert changes[0].after == ("△ 十分に実行できているとはいえない",)
    assert changes[1].after == ("実施した。【8月確認】",)
    assert [c.label for c in describe_changes(None, after)] == ["実行計画", "評価", "実行状況",
                                                                "今後の取り組み"]
    assert [c.after for c in describe_changes(after, None)] == [(), (), (), ()]
    assert describe_changes(before, ItemNode(2, "計画", rating=Rating.ON_TRACK,
                                              next_actions=("a",))) == []  # the number is not compared


def test_the_confirmation_mark_names_the_month_only():
    assert confirmation_mark(YearMonth(2025, 1)) == "【1月確認】"
    assert confirmation_mark(YearMonth(2024, 12)) == "【12月確認】"
    assert confirmation_mark(None) == ""


def test_an_item_numbers_its_statuses_and_letters_its_next_actions():
    item = ItemNode(5, "計画", (StatusNode("一", YearMonth(2024, 8)), StatusNode("二")),
                    next_actions=("続けます。", "広げます。"))
    assert item.label == "(5)"
    assert [(marker, status.text, status.confirmation)
            for marker, status in item.numbered_statuses] == [("①", "一", "【8月確認】"),
                                                              ("②", "二", "")]
    assert item.lettered_actions == [("ａ", "続けます。"), ("ｂ", "広げます。")]
    assert ItemNode(1, "計画").numbered_statuses == []
