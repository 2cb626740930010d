"""The appendix's (資料編) formulas, each with its rounding (RULES-appendix.md §1–§10).

Every function takes plain figures and returns exact integers or Decimals rounded by a named
policy; none of them ever goes through a float or Python's round().
"""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from enum import IntEnum
from fractions import Fraction

from kyosai.domain.achievement import ratio_pct
from kyosai.domain.rounding import HALF_UP_1, TRUNCATE_2

__all__ = [
    "PREFECTURE_COUNT",
    "SURVEY_GOAL_PCT",
    "ModelUnionTier",
    "average_change",
    "branch_average",
    "collection_pct",
    "column_sums",
    "continuation_pct",
    "estimate_achievement_pct",
    "join_rate_pct",
    "model_union_achievement_pct",
    "share_change_points",
    "share_pct",
    "survey_goal_met",
    "tier_for",
    "tier_heading",
]

#: 県平均 divides the national figure by the 47 prefectures (社保労 is not counted; §3).
PREFECTURE_COUNT = 47
#: アンケート回収率の目標 (report lines 1056 and 1385: 70％以上の回収率をめざし).
SURVEY_GOAL_PCT = Decimal(70)


def _half_up_ratio(numerator: int, denominator: int) -> Decimal | None:
    exact = ratio_pct(numerator, denominator)
    return None if exact is None else HALF_UP_1.apply(exact)


def join_rate_pct(life_joined: int, coop_joined: int) -> Decimal | None:
    """加入率 = 団生加入数 ÷ 生協加入数 × 100, half-up to 1 decimal (§4; 岩手 21.25 → 21.3)."""
    return _half_up_ratio(life_joined, coop_joined)


def continuation_pct(holdings_cur: int, new_cur: int, holdings_prev: int) -> Decimal | None:
    """継続率 = (当年保有 − 当年新契約) ÷ 前年保有 × 100, half-up to 1 decimal (§7)."""
    return _half_up_ratio(holdings_cur - new_cur, holdings_prev)


def estimate_achievement_pct(total: int, target: int) -> Decimal | None:
    """無保障者をなくす取り組みの到達率 = 合計 ÷ 見積目標 × 100, truncated to 2 decimals (§9)."""
    exact = ratio_pct(total, target)
    return None if exact is None else TRUNCATE_2.apply(exact)


def model_union_achievement_pct(actual: int, target: int) -> Decimal | None:
    """モデル単組の到達率 = 実績 ÷ 目標 × 100, half-up to 1 decimal (§2; 千葉 47/30 → 156.7)."""
    return _half_up_ratio(actual, target)


def collection_pct(collected: int, distributed: int) -> Decimal | None:
    """アンケート回収率 = 回収数 ÷ 配布数 × 100, half-up to 1 decimal like the report's 37.1％."""
    return _half_up_ratio(collected, distributed)


def survey_goal_met(pct: Decimal | None) -> bool | None:
    """Whether a collection rate reaches the 70 % goal; None without a rate."""
    return None if pct is None else pct >= SURVEY_GOAL_PCT


class ModelUnionTier(IntEnum):
    """The three bands of 加入拡大モデル単組 (§1): 達成 / 80％以上 / 50％以上."""

    ACHIEVED = 1
    OVER_80 = 2
    OVER_50 = 3

    @property
    def lower_bound(self) -> Decimal:
        return {1: Decimal(100), 2: Decimal(80), 3: Decimal(50)}[self.value]

    def heading(self, count: int) -> str:
        """The printed heading with the count of unions in the band."""
        return {
            1: f"目標達成単組（{count}単組）",
            2: f"目標到達率80％以上（100％未満）単組（{count}単組）",
            3: f"目標到達率50％以上（80％未満）単組（{count}単組）",
        }[self.value]


def tier_for(achievement_pct: Decimal) -> ModelUnionTier | None:
    """The band of an achievement rate; None below 50 % (such unions are not listed)."""
    for tier in ModelUnionTier:
        if achievement_pct >= tier.lower_bound:
            return tier
    return None


def tier_heading(tier: ModelUnionTier, count: int) -> str:
    return tier.heading(count)


def branch_average(national_total: int, branches: int = PREFECTURE_COUNT) -> Decimal:
    """県平均 = 全国計 ÷ 47, half-up to 1 decimal (§3)."""
    return HALF_UP_1.apply(Fraction(national_total, branches))


def average_change(total_cur: int, total_prev: int, branches: int = PREFECTURE_COUNT) -> Decimal:
    """県平均の増減 from the unrounded averages: (Δ全国計) ÷ 47, half-up (3(1): △0.4, not △0.5)."""
    return HALF_UP_1.apply(Fraction(total_cur - total_prev, branches))


def share_pct(count: int, base: int | None) -> Decimal | None:
    """全単組数比・全役員数比・全組合員数比 = count ÷ base × 100, half-up to 1 decimal."""
    if not base:
        return None
    return _half_up_ratio(count, base)


def share_change_points(
    count_cur: int, base_cur: int | None, count_prev: int, base_prev: int | None
) -> Decimal | None:
    """The change in points, from the unrounded ratios, then half-up to 1 decimal (§3)."""
    if not base_cur or not base_prev:
        return None
    exact = Fraction(count_cur * 100, base_cur) - Fraction(count_prev * 100, base_prev)
    return HALF_UP_1.apply(exact)


def column_sums(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> dict[str, int]:
    """合計 rows: the sum of each integer column (a blank cell counts as nothing)."""
    totals = dict.fromkeys(columns, 0)
    for row in rows:
        for column in columns:
            value = row.get(column)
            if isinstance(value, int):
                totals[column] += value
    return totals
