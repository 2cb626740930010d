"""A scorecard row evaluated by the organisation's rules: 増減, 到達率, 前年同期比, 到達目安, 評価."""

from dataclasses import dataclass
from decimal import Decimal

from kyosai.domain.achievement import achievement_pct, change, yoy_pct
from kyosai.domain.evaluation import Mark, benchmark_pct, mark_for, pace_pct
from kyosai.domain.measures import MeasureKind
from kyosai.domain.periods import FiscalCalendar, YearMonth

__all__ = ["ScorecardFigures", "evaluate"]

Figure = int | Decimal


@dataclass(frozen=True, slots=True)
class ScorecardFigures:
    """The derived columns of one row of the national or product tables."""

    change: Figure | None
    achievement_pct: Decimal | None
    yoy_pct: Decimal | None
    pace_pct: Decimal
    mark: Mark | None


def evaluate(
    *,
    actual: Figure,
    target: Figure | None,
    previous: Figure | None,
    kind: MeasureKind,
    as_of: YearMonth,
    calendar: FiscalCalendar,
) -> ScorecardFigures:
    """Evaluate one row as of `as_of` in `calendar` (Rules 1–5 of RULES-national.md)."""
    pace = calendar.pace(as_of)
    achieved = achievement_pct(actual, target)
    delta = change(actual, previous)
    return ScorecardFigures(
        change=delta,
        achievement_pct=achieved,
        yoy_pct=None if kind is MeasureKind.RATE else yoy_pct(actual, previous),
        pace_pct=pace_pct(pace),
        mark=mark_for(achieved, benchmark_pct(kind, pace), delta),
    )
