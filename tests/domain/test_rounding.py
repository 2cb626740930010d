from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from kyosai.domain.rounding import HALF_UP_1, TRUNCATE_2, Rounding, yen_to_thousand


def test_truncation_cuts_102_1668_to_102_16():
    assert TRUNCATE_2.apply(Fraction(1_575_412 * 100, 1_542_000)) == Decimal("102.16")


def test_half_up_rounds_156_666_to_156_7():
    assert HALF_UP_1.apply(Fraction(47 * 100, 30)) == Decimal("156.7")


def test_half_up_sends_ties_away_from_zero_where_round_would_go_to_even():
    assert HALF_UP_1.apply(Fraction(2125, 100)) == Decimal("21.3")
    assert HALF_UP_1.apply(Decimal("0.25")) == Decimal("0.3")
    assert HALF_UP_1.apply(Fraction(-2125, 100)) == Decimal("-21.3")


def test_truncation_goes_toward_zero_for_negatives():
    assert TRUNCATE_2.apply(Fraction(-12345, 1000)) == Decimal("-12.34")


def test_yen_are_shown_in_thousands_rounded_half_up():
    assert yen_to_thousand(46_369_500) == 46_370
    assert yen_to_thousand(46_369_499) == 46_369
    assert yen_to_thousand(0) == 0


fractions = st.fractions(min_value=-10**9, max_value=10**9, max_denominator=10**6)


@given(fractions, st.integers(0, 4))
def test_truncation_never_exceeds_the_exact_value_in_magnitude(value, places):
    cut = Rounding(places, ROUND_DOWN).apply(value)
    assert abs(Fraction(cut)) <= abs(value)
    assert abs(value) - abs(Fraction(cut)) < Fraction(1, 10**places)


@given(fractions, st.integers(0, 4))
def test_half_up_lands_within_half_a_step(value, places):
    rounded = Rounding(places, ROUND_HALF_UP).apply(value)
    assert abs(Fraction(rounded) - value) <= Fraction(1, 2 * 10**places)
    assert rounded.as_tuple().exponent == -places


@given(st.decimals(min_value=-10**6, max_value=10**6, places=6, allow_nan=False))
def test_decimal_and_fraction_inputs_round_alike(value):
    assert TRUNCATE_2.apply(value) == TRUNCATE_2.apply(Fraction(value))
    assert HALF_UP_1.apply(value) == HALF_UP_1.apply(Fraction(value))
