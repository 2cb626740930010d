"""A ReportSources reading the golden CSVs (the report's own printed figures), for tests.

It needs no database: the builder and the renderers are checked against the report's figures
while the other apps' selectors are tested on their own.
"""

import csv
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from kyosai.domain.evaluation import Mark, pace_pct
from kyosai.domain.measures import measure_for_word
from kyosai.domain.periods import FiscalCalendar, YearMonth
from kyosai.domain.plans import PlanTree
from kyosai.domain.reporting import HalfYear, Heading, Paragraph, ReportTable
from kyosai.domain.rollup import ScorecardRow
from kyosai.reports.inputs import OverviewTopic

CALENDAR = FiscalCalendar(6)
#: A rider is printed in Ⅲ but never named among the products that rose or fell.
NOT_MOVERS = {"車両損害補償"}


def _int(text: str) -> int | None:
    return int(text) if text.strip() else None


def _dec(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def _mark(text: str) -> Mark | None:
    return Mark(text) if text.strip() else None


def _number(text: str, rate: bool) -> int | Decimal | None:
    return _dec(text) if rate else _int(text)


def _figure(text: str, rate: bool) -> int | Decimal:
    """A figure every row has (the actual)."""
    return Decimal(text) if rate else int(text)


class GoldenSources:
    """Ⅱ from national_summary.csv, Ⅲ from product_status.csv; the rest as configured."""

    def __init__(self, golden_dir: Path, *, overview: list[OverviewTopic] | None = None,
                 branches: dict[str, list[ScorecardRow]] | None = None,
                 plan: PlanTree | None = None,
                 appendix: Sequence[Heading | ReportTable] | None = None) -> None:
        self.golden_dir = golden_dir
        self._overview = overview
        self._branches = branches
        self._plan = plan
        self._appendix = None if appendix is None else list(appendix)

    def _read(self, name: str) -> list[dict[str, str]]:
        with (self.golden_dir / name).open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def overview(self, period: HalfYear) -> list[OverviewTopic] | None:
        return self._overview

    def national(self, as_of: YearMonth) -> list[ScorecardRow] | None:
        rows = []
        for r in self._read("national_summary.csv"):
            measure = measure_for_word(r["metric"])
            month = YearMonth.parse(r["as_of_month"])
            rows.append(ScorecardRow(
                label=r["product_group"], code=r["product_group"], spec=measure,
                measure_name=measure.short_name, as_of=month,
                actual=int(r["actual"]), target=_int(r["target"]),
                previous=_int(r["prev_year_same_period"]), change=_int(r["change"]),
                achievement_pct=_dec(r["achievement_pct"]), yoy_pct=_dec(r["yoy_pct"]),
                pace_pct=pace_pct(CALENDAR.pace(month)), mark=_mark(r["mark"]),
                is_total=r["product_group"] == "合計",
            ))
        return rows

    def products(self, as_of: YearMonth) -> list[ScorecardRow] | None:
        rows = []
        for r in self._read("product_status.csv"):
            measure = measure_for_word(r["item"])
            rate = measure.code == "attachment_rate"
            month = YearMonth.parse(r["as_of_month"])
            rows.append(ScorecardRow(
                label=r["product"], code=r["product"], spec=measure,
                measure_name=measure.section3_name, as_of=month,
                actual=_figure(r["actual"], rate), target=_number(r["target"], rate),
                previous=_number(r["prev_year"], rate), change=_number(r["change"], rate),
                achievement_pct=_dec(r["achievement_pct"]), yoy_pct=None,
                pace_pct=pace_pct(CALENDAR.pace(month)), mark=_mark(r["mark"]),
                is_total=r["product"] in NOT_MOVERS or "計" in r["product"] or "参考" in r["product"],
            ))
        return rows

    def scores(self, as_of, wanted):
        return None  # the golden tables hold no composite figures

    def own_target(self, as_of, total):
        return None

    def top_branches(self, as_of, product_code, measure_code, limit):
        if self._branches is None:
            return None
        return self._branches.get(product_code, [])[:limit]

    def plan(self, period: HalfYear) -> PlanTree | None:
        return self._plan

    def appendix(self, period: HalfYear, titles: Mapping[str, str] | None = None,
                 notes: Mapping[str, tuple[str, ...]] | None = None,
                 ) -> list[Heading | ReportTable] | None:
        return self._appendix

    def events(self, period: HalfYear) -> list[Heading | Paragraph] | None:
        return None
