"""Money: amounts are held in yen and printed in 千円; every derived figure comes from the yen.

The one rule (RULES-national.md, Rules 2 and 3 and the 合計 cross-footing): the report keeps
each amount in yen and rounds it half-up to 千円 only when printing it. The figures derived from
two amounts are computed from the yen amounts, never from the printed 千円:

- 増減 (change) = the yen difference, rounded half-up to 千円 on its own — which is why a printed
  change may differ by 1 from the difference of the printed actual and previous figures
  (マイカー共済 掛金: 5,342,261 − 5,026,523 = 315,738, printed 315,739);
- 到達率 and 前年同期比 = the ratio of the yen amounts, truncated — which is why 総合共済 付加
  prints 98.87 where the printed 46,370 / 46,895 gives 98.88;
- a total (合計) is the sum of the yen amounts, rounded once — so it may differ by 1 from the sum
  of the printed group figures.
"""

from dataclasses import dataclass
from decimal import Decimal

from kyosai.domain.achievement import achievement_pct, yoy_pct
from kyosai.domain.rounding import yen_to_thousand

__all__ = ["MoneyFigures", "money_figures", "thousand_or_none"]


@dataclass(frozen=True, slots=True)
class MoneyFigures:
    """A money row as printed: amounts and change in 千円, ratios from the yen amounts."""

    actual: int
    target: int | None
    previous: int | None
    change: int | None
    achievement_pct: Decimal | None
    yoy_pct: Decimal | None


def thousand_or_none(yen: int | Decimal | None) -> int | None:
    """A yen amount in 千円 (half-up), or None when missing."""
    return None if yen is None else yen_to_thousand(int(yen))


def money_figures(actual_yen: int, target_yen: int | None, previous_yen: int | None) -> MoneyFigures:
    """Print a money row: each amount rounded from its yen, change and ratios from the yen."""
    change = None if previous_yen is None else yen_to_thousand(int(actual_yen) - int(previous_yen))
    return MoneyFigures(
        actual=yen_to_thousand(int(actual_yen)),
        target=thousand_or_none(target_yen),
        previous=thousand_or_none(previous_yen),
        change=change,
        achievement_pct=achievement_pct(actual_yen, target_yen),
        yoy_pct=yoy_pct(actual_yen, previous_yen),
    )
