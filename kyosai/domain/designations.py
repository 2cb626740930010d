"""Designations computed from data, each with the reason shown (事業推進方針２・３).

支援県支部: a branch whose staffing (配置定数) at the fiscal year's start is below 2.0.
団体生命共済・重点県支部: a branch whose group-life (現職) holdings fell by 350 or more on the
year AND whose decline rate is above the national average. The national average decline rate is
the national decline over the national holdings (the ratio of the sums, as every total of the
report is), compared exactly, without rounding.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kyosai.domain.formatting import format_number
from kyosai.domain.rounding import TRUNCATE_2

__all__ = [
    "PRIORITY_DECLINE_THRESHOLD",
    "SUPPORT_STAFFING_THRESHOLD",
    "Designation",
    "Holdings",
    "national_decline_rate",
    "priority_branches",
    "supported_branches",
]

SUPPORT_STAFFING_THRESHOLD = Decimal("2.0")
PRIORITY_DECLINE_THRESHOLD = 350


@dataclass(frozen=True, slots=True)
class Designation:
    """Whether a branch is designated, and why (or why not), in Japanese."""

    branch: str
    designated: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Holdings:
    """A branch's group-life active holdings a year ago and now."""

    previous: int
    current: int

    @property
    def decline(self) -> int:
        return self.previous - self.current

    def decline_rate(self) -> Fraction | None:
        """減少率 = (前年 − 当年) ÷ 前年 (exact); None without a previous figure."""
        return None if self.previous <= 0 else Fraction(self.decline, self.previous)


def supported_branches(
    staffing: Mapping[str, Decimal | None],
    threshold: Decimal = SUPPORT_STAFFING_THRESHOLD,
) -> list[Designation]:
    """支援県支部 for each branch: staffing below 2.0 at the fiscal year's start."""
    result = []
    for branch, staff in staffing.items():
        if staff is None:
            result.append(Designation(branch, False, "配置定数が未登録です"))
            continue
        below = staff < threshold
        relation = "未満" if below else "以上"
        result.append(Designation(
            branch, below, f"年度始期の配置定数 {staff} 人（{threshold} {relation}）"))
    return result


def national_decline_rate(holdings: Mapping[str, Holdings]) -> Fraction | None:
    """The national decline rate: Σ(前年 − 当年) ÷ Σ前年."""
    total = Holdings(sum(h.previous for h in holdings.values()),
                     sum(h.current for h in holdings.values()))
    return total.decline_rate()


def _pct(rate: Fraction | None) -> str:
    return "－" if rate is None else f"{format_number(TRUNCATE_2.apply(rate * 100), 2)}%"


def priority_branches(
    holdings: Mapping[str, Holdings],
    threshold: int = PRIORITY_DECLINE_THRESHOLD,
) -> list[Designation]:
    """団体生命共済・重点県支部: a decline of 350+ AND a decline rate above the national one."""
    national = national_decline_rate(holdings)
    result = []
    for branch, figures in holdings.items():
        rate = figures.decline_rate()
        big_decline = figures.decline >= threshold
        above = rate is not None and national is not None and rate > national
        reason = (
            f"保有 {format_number(figures.previous)}件→{format_number(figures.current)}件"
            f"（減少 {format_number(figures.decline)}件：{threshold}件{'以上' if big_decline else '未満'}、"
            f"減少率 {_pct(rate)}：全国平均 {_pct(national)} を{'上回る' if above else '上回らない'}）"
        )
        result.append(Designation(branch, big_decline and above, reason))
    return result
