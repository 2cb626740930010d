"""支援県支部 and 団体生命共済・重点県支部, computed from figures, with the reason shown."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from kyosai.domain.designations import (
    Holdings,
    national_decline_rate,
    priority_branches,
    supported_branches,
)


def test_a_branch_below_two_staff_is_supported_and_the_reason_says_so():
    result = {d.branch: d for d in supported_branches(
        {"A": Decimal("1.5"), "B": Decimal("2.0"), "C": None})}
    assert result["A"].designated is True
    assert "1.5" in result["A"].reason
    assert "未満" in result["A"].reason
    assert result["B"].designated is False  # 2.0 is not below 2.0
    assert result["C"].designated is False
    assert "未登録" in result["C"].reason


def test_a_priority_branch_needs_both_the_350_decline_and_a_rate_above_the_nation():
    holdings = {
        "big_and_fast": Holdings(5000, 4600),    # −400, 8.0 %
        "big_but_slow": Holdings(50000, 49600),  # −400, 0.8 %
        "fast_but_small": Holdings(1000, 800),   # −200, 20 %
        "growing": Holdings(10000, 10100),
    }
    # national: 66000 → 65100, −900, 1.36 %
    result = {d.branch: d for d in priority_branches(holdings)}
    assert result["big_and_fast"].designated is True
    assert result["big_but_slow"].designated is False
    assert result["fast_but_small"].designated is False
    assert result["growing"].designated is False
    assert "350件以上" in result["big_and_fast"].reason
    assert "上回る" in result["big_and_fast"].reason
    assert "350件未満" in result["fast_but_small"].reason


def test_exactly_350_fewer_counts_as_a_decline_of_350_or_more():
    result = priority_branches({"A": Holdings(1000, 650), "B": Holdings(100000, 100000)})
    assert result[0].designated is True


def test_the_national_rate_is_the_ratio_of_the_sums():
    assert national_decline_rate({"A": Holdings(100, 90), "B": Holdings(900, 890)}) == Fraction(20, 1000)


holdings_maps = st.dictionaries(
    st.text(min_size=1, max_size=3),
    st.builds(Holdings, st.integers(1, 10**6), st.integers(0, 10**6)), min_size=1, max_size=10)


@given(holdings_maps)
def test_every_designated_branch_satisfies_both_conditions(holdings):
    national = national_decline_rate(holdings)
    for designation in priority_branches(holdings):
        figures = holdings[designation.branch]
        expected = figures.decline >= 350 and national is not None \
            and figures.decline_rate() > national
        assert designation.designated == expected
