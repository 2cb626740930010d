"""Rolling figures up (union → branch → region → nation) and evaluating a scorecard row.

Rules kept here:
- A branch's figure is its own branch-level row when it has one (the branch's total, which may
  include business no union is credited with), else the sum of its unions' rows.
- Rates (付帯率) never add up: a scope's rate is only ever a rate given as data for that scope.
- A scorecard row is evaluated with the domain core; money rows follow `kyosai.domain.money`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from kyosai.domain.evaluation import Mark, benchmark_pct, mark_for, pace_pct
from kyosai.domain.measures import MeasureKind, MeasureSpec
from kyosai.domain.money import money_figures
from kyosai.domain.periods import FiscalCalendar, YearMonth
from kyosai.domain.scorecard import evaluate

__all__ = [
    "ScorecardRow",
    "apportion",
    "branch_figure",
    "scorecard_row",
    "sum_figures",
]

Figure = int | Decimal


@dataclass(frozen=True, slots=True)
class ScorecardRow:
    """One evaluated row of a scorecard, with its figures as DISPLAYED (money in 千円).

    `code` is the product group's or product's code ("total" for 合計); `spec` the measure;
    `measure_name` the word the row prints for it (section Ⅲ's words for product rows);
    `as_of` is the month the figures are for (a month earlier than asked for 掛金, which is
    reported one month late). `is_total` marks 合計 and the rows never named among the products
    that rose or fell (riders, composites, reference rows).
    """

    label: str
    code: str
    spec: MeasureSpec
    measure_name: str
    as_of: YearMonth
    actual: Figure | None
    target: Figure | None
    previous: Figure | None
    change: Figure | None
    achievement_pct: Decimal | None
    yoy_pct: Decimal | None
    pace_pct: Decimal
    mark: Mark | None
    is_total: bool = False

    @property
    def measure(self) -> str:
        """The measure's code."""
        return self.spec.code

    @property
    def unit(self) -> str:
        """The unit the figures are printed in (千円 for money)."""
        return self.spec.display_unit

    @property
    def kind(self) -> MeasureKind:
        return self.spec.kind

    @property
    def is_rate(self) -> bool:
        return self.spec.kind is MeasureKind.RATE

    @property
    def mark_text(self) -> str:
        """The mark as printed (○ △ ×), empty when there is none."""
        return self.mark.value if self.mark else ""


def scorecard_row(
    *,
    label: str,
    code: str,
    measure: MeasureSpec,
    as_of: YearMonth,
    calendar: FiscalCalendar,
    actual: Figure | None,
    target: Figure | None,
    previous: Figure | None,
    measure_name: str | None = None,
    is_total: bool = False,
) -> ScorecardRow:
    """Evaluate one row as of `as_of`; money is given in yen and printed in 千円 (money.py).

    `measure_name` defaults to the measure's short name (件数, 掛金 …)."""
    pace = calendar.pace(as_of)
    row = ScorecardRow(label=label, code=code, spec=measure,
                       measure_name=measure_name or measure.short_name, as_of=as_of,
                       actual=None, target=target, previous=previous, change=None,
                       achievement_pct=None, yoy_pct=None, pace_pct=pace_pct(pace), mark=None,
                       is_total=is_total)
    if actual is None:
        return row
    if measure.is_money:
        money = money_figures(int(actual), _int(target), _int(previous))
        mark = mark_for(money.achievement_pct, benchmark_pct(measure.kind, pace), money.change)
        return replace(row, actual=money.actual, target=money.target, previous=money.previous,
                       change=money.change, achievement_pct=money.achievement_pct,
                       yoy_pct=money.yoy_pct, mark=mark)
    figures = evaluate(actual=actual, target=target, previous=previous, kind=measure.kind,
                       as_of=as_of, calendar=calendar)
    return replace(row, actual=actual, change=figures.change,
                   achievement_pct=figures.achievement_pct, yoy_pct=figures.yoy_pct,
                   mark=figures.mark)


def _int(value: Figure | None) -> int | None:
    return None if value is None else int(value)


def branch_figure(branch_row: Figure | None, union_rows: Iterable[Figure]) -> Figure | None:
    """A branch's figure: its own row when given, else the sum of its unions (None if neither)."""
    if branch_row is not None:
        return branch_row
    values = list(union_rows)
    return sum(values) if values else None


def sum_figures(values: Iterable[Figure | None], kind: MeasureKind) -> Figure | None:
    """Add up figures of several scopes; a rate never adds up (None), missing figures are skipped."""
    if kind is MeasureKind.RATE:
        return None
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split an integer total over integer weights exactly (largest remainder); parts sum to total.

    Used to spread a national figure over branches and a branch's over its unions. Ties go to
    the earlier weight, so the split is deterministic. A negative total is split as its mirror.
    """
    if total == 0:
        return [0] * len(weights)
    if not weights:
        if total:
            raise ValueError("合計を配分する相手がありません")
        return []
    if total < 0:
        return [-part for part in apportion(-total, weights)]
    whole = sum(weights)
    if whole <= 0 or min(weights) < 0:
        raise ValueError("配分の重みが正しくありません")
    parts = [w * total // whole for w in weights]
    rest = total - sum(parts)
    if rest:
        remainders = [w * total % whole for w in weights]
        order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
        for i in order[:rest]:
            parts[i] += 1
    return parts
