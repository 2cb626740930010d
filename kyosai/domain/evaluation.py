"""評価: the ○/△/× mark of a scorecard row, and the ◎○△×－ rating of a plan item."""

from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from kyosai.domain.measures import MeasureKind
from kyosai.domain.rounding import HALF_UP_2

__all__ = [
    "Mark",
    "Rating",
    "benchmark_for_printed_pace",
    "benchmark_pct",
    "is_reached",
    "mark_for",
    "pace_pct",
]


class Mark(StrEnum):
    """○ reached and up; △ one of the two; × neither (RULES-national.md, Rule 4)."""

    GOOD = "○"
    PARTIAL = "△"
    POOR = "×"

    @property
    def label(self) -> str:
        return {"○": "到達・増加", "△": "一部到達", "×": "未達・減少"}[self.value]


class Rating(StrEnum):
    """The plan items' rating (実行計画の評価) with its legend."""

    DONE = "◎"
    ON_TRACK = "○"
    NOT_ENOUGH = "△"
    NO_PROGRESS = "×"
    NOT_YET_DUE = "－"

    @property
    def label(self) -> str:
        return {
            "◎": "十分実行できている（完了）",
            "○": "実行できている",
            "△": "十分に実行できているとはいえない",
            "×": "進捗なし",
            "－": "実施時期未到来",
        }[self.value]


def pace_pct(pace: Fraction) -> Decimal:
    """到達目安 as printed: elapsed ÷ 12 in %, half-up to 2 decimals (5/12 → 41.67)."""
    return HALF_UP_2.apply(pace * 100)


def benchmark_pct(kind: MeasureKind, pace: Fraction) -> Decimal:
    """What 到達率 must reach: 100 % for stocks and rates, the printed pace for cumulative flows."""
    return benchmark_for_printed_pace(kind, pace_pct(pace))


def benchmark_for_printed_pace(kind: MeasureKind, printed_pace: Decimal | None) -> Decimal:
    """The same benchmark from a pace already printed (41.67); a flow needs one."""
    if kind is MeasureKind.FLOW:
        if printed_pace is None:
            raise ValueError("累計の指標には到達目安が必要です")
        return printed_pace
    return Decimal(100)


def is_reached(achievement: Decimal, benchmark: Decimal) -> bool:
    """到達: the printed 到達率 at or above the printed benchmark (RULES-national.md Rule 4)."""
    return achievement >= benchmark


def mark_for(achievement: Decimal | None, benchmark: Decimal, change: int | Decimal | None) -> (
    Mark | None
):
    """The mark from the printed 到達率 and the change; None when there is no target.

    "Reached" compares the printed (truncated) 到達率 with the printed benchmark, so a reader can
    check every mark from the table itself; "up" means a change strictly above zero (±0 is not up,
    as 介護保障 新契約 shows).
    """
    if achievement is None or change is None:
        return None
    reached = is_reached(achievement, benchmark)
    increased = change > 0
    if reached and increased:
        return Mark.GOOD
    if reached or increased:
        return Mark.PARTIAL
    return Mark.POOR
