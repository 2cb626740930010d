"""Rounding policies: how each figure of the organisation is cut to its printed places.

The policy is chosen per figure (national 到達率 truncates, the appendix rounds half-up),
never inside formatting: formatting only prints what a policy has already produced.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = [
    "HALF_UP_1",
    "HALF_UP_2",
    "TRUNCATE_2",
    "YEN_TO_THOUSAND",
    "Rounding",
    "to_decimal",
    "yen_to_thousand",
]

Number = int | Decimal | Fraction


def to_decimal(value: Number) -> Decimal:
    """An exact Decimal for int/Decimal; a Fraction is divided at 28 significant digits."""
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


@dataclass(frozen=True, slots=True)
class Rounding:
    """Cut a value to `places` decimals with a decimal rounding mode (ROUND_DOWN = 切り捨て)."""

    places: int = 2
    mode: str = ROUND_DOWN

    def apply(self, value: Number) -> Decimal:
        """Round exactly: a Fraction is compared as a fraction, never through a float."""
        if isinstance(value, Fraction):
            return _round_fraction(value, self.places, self.mode)
        return Decimal(value).quantize(Decimal(1).scaleb(-self.places), rounding=self.mode)


def _round_fraction(value: Fraction, places: int, mode: str) -> Decimal:
    scaled = value * 10**places
    sign = -1 if scaled < 0 else 1
    magnitude = abs(scaled)
    whole = magnitude.numerator // magnitude.denominator
    rest = magnitude - whole
    if mode == ROUND_HALF_UP and rest >= Fraction(1, 2):
        whole += 1
    elif mode not in (ROUND_DOWN, ROUND_HALF_UP):
        raise ValueError(f"unsupported rounding mode: {mode}")
    return (Decimal(sign * whole).scaleb(-places)).quantize(Decimal(1).scaleb(-places))


#: 到達率 and 前年同期比 of the national tables (RULES-national.md, Rules 1 and 2).
TRUNCATE_2 = Rounding(places=2, mode=ROUND_DOWN)
#: 到達目安 as printed (41.67%): the pace is rounded half-up to 2 decimals.
HALF_UP_2 = Rounding(places=2, mode=ROUND_HALF_UP)
#: The appendix's percentages (達成率 of model unions, 加入率 …): half-up to 1 decimal.
HALF_UP_1 = Rounding(places=1, mode=ROUND_HALF_UP)
#: Money is held in yen and shown in 千円, each figure rounded half-up from its own yen amount.
YEN_TO_THOUSAND = Rounding(places=0, mode=ROUND_HALF_UP)


def yen_to_thousand(yen: int) -> int:
    """Show a yen amount in 千円 (RULES-national.md Rule 3: totals differ by 1 from summed rows)."""
    return int(YEN_TO_THOUSAND.apply(Fraction(yen, 1000)))
