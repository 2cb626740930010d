"""The report's sentences about the figures (Ⅱ.2 各事業目標の概況), written from scorecard figures.

「全種目合計で21,479,536千円、前年同期比△1,620,350千円です。目標到達率は37.94%であり、
経過期間に応じた到達目安（41.67%）に未達です。」 — every sentence here is built from the figures
it is given; nothing is rounded here (the figures arrive already rounded by their policies).
"""

from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter

from kyosai.domain.evaluation import benchmark_for_printed_pace, is_reached
from kyosai.domain.formatting import format_number, format_pct, format_signed
from kyosai.domain.measures import MeasureKind, MeasureSpec, Unit
from kyosai.domain.ranking import top_decliners, top_growers

__all__ = [
    "CIRCLED",
    "MeasureFigures",
    "listing_sentence",
    "measure_commentary",
    "movers",
    "movers_sentence",
    "own_target_sentence",
    "product_sentence",
    "standing_sentence",
    "total_sentence",
    "unit_word",
]

Figure = int | Decimal

#: The report numbers its sentences ① ② ③ …
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True, slots=True)
class MeasureFigures:
    """One row's printed figures for one measure (money already in 千円)."""

    label: str
    measure: MeasureSpec
    actual: Figure
    change: Figure | None
    achievement_pct: Decimal | None
    pace_pct: Decimal | None = None
    target: Figure | None = None


def unit_word(measure: MeasureSpec) -> str:
    """The unit printed after a figure: 千円 for money, 件, 口; P for a rate's change."""
    return "P" if measure.unit is Unit.PERCENT else measure.display_unit


def _amount(value: Figure, measure: MeasureSpec) -> str:
    places = 2 if measure.unit is Unit.PERCENT else 0
    return format_number(value, places) + ("%" if measure.unit is Unit.PERCENT else unit_word(measure))


def _delta(value: Figure, measure: MeasureSpec) -> str:
    places = 2 if measure.unit is Unit.PERCENT else 0
    return format_signed(value, places) + unit_word(measure)


def standing_sentence(figures: MeasureFigures) -> str:
    """目標到達率は…であり、年度末目標に到達しています / 到達目安（…）に未達です。"""
    achieved = figures.achievement_pct
    if achieved is None:
        return "目標は設定されていません。"
    opening = f"目標到達率は{format_pct(achieved)}であり、"
    if figures.measure.kind is not MeasureKind.FLOW or figures.pace_pct is None:
        if is_reached(achieved, benchmark_for_printed_pace(figures.measure.kind, None)):
            return opening + "年度末目標に到達しています。"
        return opening + "年度末目標に未達です。"
    pace = figures.pace_pct
    benchmark = f"経過期間に応じた到達目安（{format_pct(pace)}）"
    return opening + benchmark + _verdict(achieved, pace, "を超え、順調に推移しています。")


def _verdict(achieved: Decimal, pace: Decimal, beyond: str) -> str:
    """未達 unless reached (evaluation.is_reached); reached exactly or beyond are worded apart."""
    if not is_reached(achieved, pace):
        return "に未達です。"
    return "に到達しています。" if achieved == pace else beyond


def total_sentence(figures: MeasureFigures) -> str:
    """The first sentence of each measure: the all-products total, its change and its standing."""
    measure = figures.measure
    subject = f"{measure.name}は、" if measure.kind is MeasureKind.STOCK else ""
    text = f"{subject}全種目合計で{_amount(figures.actual, measure)}"
    if figures.change is not None:
        text += f"、前年同期比{_delta(figures.change, measure)}"
    return text + "です。" + standing_sentence(figures)


def product_sentence(figures: MeasureFigures) -> str:
    """団体生命共済は、前年同期比△190,539千円（目標到達率39.55%）となっています。"""
    text = f"{figures.label}は、"
    if figures.change is not None:
        text += f"前年同期比{_delta(figures.change, figures.measure)}"
    else:
        text += f"{_amount(figures.actual, figures.measure)}"
    if figures.achievement_pct is not None:
        text += f"（目標到達率{format_pct(figures.achievement_pct)}）"
    return text + "となっています。"


def movers(
    rows: list[MeasureFigures], limit: int = 3
) -> tuple[list[MeasureFigures], list[MeasureFigures]]:
    """The products that rose most and fell most (largest changes first), at most `limit` each.

    Ties keep the given order, so the result does not depend on anything but the figures.
    """
    change = attrgetter("change")
    return top_growers(rows, change, limit), top_decliners(rows, change, limit)


def _listing(rows: list[MeasureFigures], *, first: bool = True) -> str:
    """A・前年同期比+X、B・同+Y: 前年同期比 once, on the first product of the paragraph."""
    parts = []
    for index, row in enumerate(rows):
        lead = "前年同期比" if index == 0 and first else "同"
        parts.append(f"{row.label}・{lead}{_delta(row.change or 0, row.measure)}")
    return "、".join(parts)


def movers_sentence(rows: list[MeasureFigures], limit: int = 3) -> str:
    """保有件数が大きく増加した共済種目は、…です。大きく減少した共済種目は、…です。"""
    if not rows:
        return ""
    word = rows[0].measure.name
    rising, falling = movers(rows, limit)
    sentences = []
    if rising:
        sentences.append(f"{word}が大きく増加した共済種目は、{_listing(rising)}です。")
    if falling:
        subject = "大きく減少した共済種目は" if rising else f"{word}が大きく減少した共済種目は"
        sentences.append(f"{subject}、{_listing(falling, first=not rising)}です。")
    return "".join(sentences)


def listing_sentence(rows: list[MeasureFigures]) -> str:
    """The products HQ names, risers then fallers, each group in the given order (not ranked)."""
    rising = [row for row in rows if row.change is not None and row.change > 0]
    falling = [row for row in rows if row.change is not None and row.change < 0]
    if not rows:
        return ""
    word = rows[0].measure.name
    sentences = []
    if rising:
        sentences.append(f"{word}が大きく増加した共済種目は、{_listing(rising)}です。")
    if falling:
        subject = "大きく減少した共済種目は" if rising else f"{word}が大きく減少した共済種目は"
        sentences.append(f"{subject}、{_listing(falling, first=not rising)}です。")
    return "".join(sentences)


def own_target_sentence(own: MeasureFigures | None) -> str:
    """なお、前年度の予定付加掛金実績（10,269,401千円）に対する到達率は、50.00%であり、…

    `own`: the 合計 against HQ's own target of 前年度実績の維持 (its target is the previous fiscal
    year's actual, its 到達率 computed against it by the measure's rule). The one rule of when the
    sentence is printed: only where such an own target exists — nothing ("") without one, or
    without a 到達率 or a pace to compare it with.
    """
    if own is None or own.target is None or own.achievement_pct is None or own.pace_pct is None:
        return ""
    reached, pace = own.achievement_pct, own.pace_pct
    benchmark = f"経過期間に応じた到達目安（{format_pct(pace)}）"
    return (
        f"なお、前年度の{own.measure.name}実績（{_amount(own.target, own.measure)}）に対する到達率は、"
        f"{format_pct(reached)}であり、{benchmark}{_verdict(reached, pace, 'を超えています。')}"
    )


def measure_commentary(
    total: MeasureFigures, products: list[MeasureFigures], *, limit: int = 3
) -> list[str]:
    """The numbered sentences of one measure: the total, then the products that moved most."""
    sentences = [total_sentence(total)]
    moved = movers_sentence(products, limit)
    if moved:
        sentences.append(moved)
    return sentences
