"""到達率, 増減, 前年同期比 and points: the scorecard's arithmetic, exact until a policy rounds it."""

from decimal import Decimal
from fractions import Fraction

from kyosai.domain.rounding import TRUNCATE_2, Rounding

__all__ = ["achievement_pct", "attachment_rate_pct", "change", "ratio_pct", "yoy_pct"]

Figure = int | Decimal


def ratio_pct(numerator: Figure, denominator: Figure) -> Fraction | None:
    """numerator ÷ denominator × 100, exact; None when the denominator is missing or zero."""
    if denominator == 0:
        return None
    return Fraction(numerator) * 100 / Fraction(denominator)


def attachment_rate_pct(rider: Figure, parent: Figure) -> Decimal | None:
    """付帯率 = rider holdings ÷ parent holdings × 100, truncated to 2 decimals like the national
    rates (TRUNCATE_2); None without parent holdings."""
    exact = ratio_pct(rider, parent)
    return None if exact is None else TRUNCATE_2.apply(exact)


def achievement_pct(actual: Figure, target: Figure | None, rounding: Rounding = TRUNCATE_2) -> (
    Decimal | None
):
    """到達率 = actual ÷ target × 100 (Rule 1: truncated to 2 decimals); None without a target."""
    if target is None:
        return None
    exact = ratio_pct(actual, target)
    return None if exact is None else rounding.apply(exact)


def yoy_pct(actual: Figure, previous: Figure | None, rounding: Rounding = TRUNCATE_2) -> (
    Decimal | None
):
    """前年同期比 (増減率) = actual ÷ previous × 100 (Rule 2: truncated).

    None without a positive previous figure: a ratio to nothing (or to a negative) means nothing.
    """
    if previous is None or previous <= 0:
        return None
    exact = ratio_pct(actual, previous)
    return None if exact is None else rounding.apply(exact)


def change(actual: Figure, previous: Figure | None) -> Figure | None:
    """増減 = actual − previous; for a rate this is a difference in points (P)."""
    return None if previous is None else actual - previous
