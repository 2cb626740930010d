"""When an alert rule fires on a scorecard row (pure Python; kyosai.delivery stores the rules).

mark=×        the mark is ×
mark=△        the mark is △ or × (worse than ○)
below_pace    the achievement is below the pace by more than N points (strictly: exactly N is not)
yoy<0         the change against the previous year's same period is negative
A row without the figure the condition needs (no target, no previous year) never fires.
"""

from decimal import Decimal

from kyosai.domain.evaluation import Mark
from kyosai.domain.rollup import ScorecardRow

__all__ = ["CONDITIONS", "fires"]

CONDITIONS = ("mark=×", "mark=△", "below_pace", "yoy<0")


def fires(condition: str, row: ScorecardRow, points: Decimal | None = None) -> bool:
    if condition == "mark=×":
        return row.mark is Mark.POOR
    if condition == "mark=△":
        return row.mark in (Mark.PARTIAL, Mark.POOR)
    if condition == "below_pace":
        if row.achievement_pct is None:
            return False
        return row.pace_pct - row.achievement_pct > (points or Decimal(0))
    if condition == "yoy<0":
        return row.change is not None and row.change < 0
    raise ValueError(f"unknown condition {condition!r}")
