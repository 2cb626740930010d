"""The appendix formulas (RULES-appendix.md), on the report's worked examples and on any figures."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyosai.domain.appendix import Context, compute_table, rules, spec_for
from kyosai.domain.appendix.tables import confirmation_month

counts = st.integers(min_value=0, max_value=10**7)
positive = st.integers(min_value=1, max_value=10**7)


def test_join_rate_rounds_the_only_tie_of_the_appendix_half_up():
    # 岩手 2024: 34/160 = 21.25 exactly; half-even (and Python's round) would give 21.2.
    assert rules.join_rate_pct(34, 160) == Decimal("21.3")


def test_join_rate_is_not_truncated():
    assert rules.join_rate_pct(36, 259) == Decimal("13.9")  # 青森 2024: 13.8996


def test_continuation_rate_takes_new_contracts_out_of_this_years_holdings():
    assert rules.continuation_pct(561, 4, 621) == Decimal("89.7")  # 宮城 2024-06
    assert rules.continuation_pct(809, 21, 784) == Decimal("100.5")  # above 100 is possible
    assert rules.continuation_pct(1799, 25, 1774) == Decimal("100.0")


def test_estimate_achievement_is_truncated_to_two_decimals():
    assert rules.estimate_achievement_pct(3764, 7837) == Decimal("48.02")  # half-up: 48.03
    assert rules.estimate_achievement_pct(7, 42) == Decimal("16.66")
    assert rules.estimate_achievement_pct(75, 150) == Decimal("50.00")


def test_model_union_achievement_rounds_half_up_to_one_decimal():
    assert rules.model_union_achievement_pct(47, 30) == Decimal("156.7")  # truncation: 156.6
    assert rules.model_union_achievement_pct(43, 23) == Decimal("187.0")


def test_branch_average_change_comes_from_the_unrounded_averages():
    assert rules.branch_average(147) == Decimal("3.1")
    assert rules.branch_average(168) == Decimal("3.6")
    assert rules.average_change(147, 168) == Decimal("-0.4")  # not 3.1 − 3.6 = −0.5


def test_share_points_come_from_the_unrounded_ratios():
    assert rules.share_pct(4404, 30269) == Decimal("14.5")
    assert rules.share_pct(4708, 31180) == Decimal("15.1")
    assert rules.share_change_points(4404, 30269, 4708, 31180) == Decimal("-0.5")


def test_a_ratio_without_a_base_is_blank_not_zero():
    assert rules.share_pct(10, None) is None
    assert rules.share_change_points(10, None, 5, 100) is None
    assert rules.join_rate_pct(5, 0) is None


@pytest.mark.parametrize(("pct", "tier"), [
    ("100.0", rules.ModelUnionTier.ACHIEVED), ("99.9", rules.ModelUnionTier.OVER_80),
    ("80.0", rules.ModelUnionTier.OVER_80), ("79.9", rules.ModelUnionTier.OVER_50),
    ("50.0", rules.ModelUnionTier.OVER_50), ("49.9", None),
])
def test_tiers_have_inclusive_lower_bounds(pct, tier):
    assert rules.tier_for(Decimal(pct)) == tier


def test_tier_headings_carry_the_count():
    assert rules.ModelUnionTier.ACHIEVED.heading(13) == "目標達成単組（13単組）"
    assert rules.ModelUnionTier.OVER_50.heading(20) == "目標到達率50％以上（80％未満）単組（20単組）"


def test_survey_goal_is_seventy_percent():
    assert rules.survey_goal_met(rules.collection_pct(70, 100)) is True
    assert rules.survey_goal_met(rules.collection_pct(371, 1000)) is False
    assert rules.survey_goal_met(None) is None


def test_a_confirmation_tag_gives_its_month_and_whether_it_is_pending():
    assert confirmation_month("【8 月確認中】") == (8, True)
    assert confirmation_month("【12 月確認】") == (12, False)
    assert confirmation_month("") == (None, False)


@given(life=counts, coop=positive)
def test_join_rate_is_the_exact_ratio_rounded_half_up(life, coop):
    value = rules.join_rate_pct(life, coop)
    exact = Fraction(life * 100, coop)
    assert abs(Fraction(value) - exact) <= Fraction(1, 20)
    assert Fraction(value) - Fraction(1, 20) <= exact < Fraction(value) + Fraction(1, 20)


@given(total=counts, target=positive)
def test_estimate_achievement_never_exceeds_the_exact_ratio(total, target):
    value = rules.estimate_achievement_pct(total, target)
    exact = Fraction(total * 100, target)
    assert Fraction(value) <= exact < Fraction(value) + Fraction(1, 100)


@given(cur=counts, prev=counts, branches=st.integers(min_value=1, max_value=60))
def test_average_change_is_the_change_of_the_national_total_spread_over_branches(cur, prev, branches):
    change = rules.average_change(cur, prev, branches)
    assert abs(Fraction(change) - Fraction(cur - prev, branches)) <= Fraction(1, 20)


new_hire_rows = st.lists(
    st.fixed_dictionaries({
        "coop_joined_cur": positive, "coop_joined_prev": positive,
        "life_joined_cur": counts, "life_joined_prev": counts,
    }), min_size=1, max_size=8)


@given(new_hire_rows)
def test_new_hire_total_is_the_column_sums_and_its_rate_the_ratio_of_sums(rows):
    records = [{**row, "branch": f"県{i}", "code": "", "effective_months": ""}
               for i, row in enumerate(rows)]
    table = compute_table(spec_for("new_hires"), records)
    total = table[-1]
    assert total["branch"] == "合計"
    assert total["coop_joined_cur"] == sum(r["coop_joined_cur"] for r in rows)
    assert total["life_joined_prev"] == sum(r["life_joined_prev"] for r in rows)
    assert total["rate_cur_pct"] == rules.join_rate_pct(total["life_joined_cur"],
                                                         total["coop_joined_cur"])


no_coverage_rows = st.lists(st.fixed_dictionaries({
    "estimate_target": positive, "fire_new_contracts": counts, "quotes_branch": counts,
    "quotes_promo_hq": counts, "premium_guides_branch": counts, "premium_guides_promo_hq": counts,
    "seminars_branch": counts, "seminars_promo_hq": counts,
}), min_size=1, max_size=6)


@given(no_coverage_rows)
def test_no_coverage_identities_hold_on_every_row_and_on_the_total(rows):
    records = [{**row, "branch": f"県{i}"} for i, row in enumerate(rows)]
    for row in compute_table(spec_for("no_coverage_campaign"), records):
        assert row["quotes_total"] == row["quotes_branch"] + row["quotes_promo_hq"]
        assert row["estimates_total"] == row["quotes_total"] + row["premium_guides_total"]
        assert row["total"] == row["fire_new_contracts"] + row["estimates_total"]
        assert row["seminars_total"] == row["seminars_branch"] + row["seminars_promo_hq"]
        assert row["achievement_pct"] == rules.estimate_achievement_pct(row["total"],
                                                                        row["estimate_target"])


effective_rows = st.lists(st.fixed_dictionaries({
    "new_prev": counts, "new_cur": counts, "holdings_prev": positive, "holdings_cur": counts,
    "new_change_prev_period": st.integers(-1000, 1000),
    "holdings_change_prev_period": st.integers(-1000, 1000),
}), min_size=1, max_size=5)


@given(effective_rows, effective_rows)
def test_effective_month_totals_are_per_month_sums(june, july):
    records = [{**row, "effective_month": month, "prefecture": f"県{i}"}
               for month, rows in (("2024-06", june), ("2024-07", july))
               for i, row in enumerate(rows)]
    table = compute_table(spec_for("effective_month_results"), records)
    totals = [row for row in table if row["prefecture"] == "合計"]
    assert [t["effective_month"] for t in totals] == ["2024-06", "2024-07"]
    for total, rows in zip(totals, (june, july), strict=True):
        assert total["holdings_cur"] == sum(r["holdings_cur"] for r in rows)
        assert total["holdings_change"] == total["holdings_cur"] - total["holdings_prev"]
        assert total["continuation_pct"] == rules.continuation_pct(
            total["holdings_cur"], total["new_cur"], total["holdings_prev"])


def _meeting(sub_measure, unit, cur, prev, measure=""):
    return {"section": "４", "subsection": "（３）学習会", "measure": measure,
            "sub_measure": sub_measure, "unit": unit, "value_cur": cur, "value_prev": prev,
            "cur_label": "2024 年度", "prev_label": "2023 年度"}


@given(a=counts, b=counts, c=counts, d=counts, e=counts, f=counts)
def test_organiser_total_is_the_sum_of_the_three_affiliations(a, b, c, d, e, f):
    records = [_meeting("県本部役員", "人", a, d, "オルグ者数"),
               _meeting("県支部職員", "人", b, e, "オルグ者数"),
               _meeting("全労済職員", "人", c, f, "オルグ者数")]
    table = compute_table(spec_for("meetings_stats"), records)
    assert table[-1]["sub_measure"] == "合計"
    assert (table[-1]["value_cur"], table[-1]["value_prev"]) == (a + b + c, d + e + f)
    assert table[-1]["change"] == (a + b + c) - (d + e + f)


def test_a_unions_count_is_followed_by_its_ratio_to_all_unions():
    context = Context(bases={(2024, "all_unions"): 2548, (2023, "all_unions"): 2484})
    table = compute_table(spec_for("meetings_stats"), [_meeting("全国計", "単組", 3177, 2754)],
                          context)
    ratio = table[1]
    assert ratio["sub_measure"] == "全単組数比"
    assert (ratio["value_cur"], ratio["value_prev"], ratio["change"]) == (
        Decimal("124.7"), Decimal("110.9"), Decimal("13.8"))
    assert ratio["change_printed"] == "13.8P"


def test_screen_cells_are_printed_in_the_reports_number_style():
    from decimal import Decimal

    from kyosai.domain.appendix import display_cell

    assert display_cell(3316, "int") == "3,316"
    assert display_cell(-1, "int") == "△1"
    assert display_cell(Decimal("3.0"), "pct") == "3.0%"
    assert display_cell(Decimal("-13.8"), "pct") == "△13.8%"
    assert display_cell("1,7,8,10", "text") == "1,7,8,10"
    assert display_cell(None, "int") == ""
