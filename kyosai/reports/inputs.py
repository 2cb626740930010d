"""What the report's builder reads: plain rows, whatever app they come from.

Scorecard rows are the domain's `ScorecardRow` (with their measure), as the results app returns
them; the plan is the domain's `PlanTree`, as the plans app returns it.

`sources.DatabaseSources` fills them from the other apps' selectors; tests may fill them from the
golden CSVs. A source returns None for a part whose data is not registered: the builder prints
「データ未登録」 there and never invents figures.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from kyosai.domain.periods import YearMonth
from kyosai.domain.plans import PlanTree
from kyosai.domain.reporting import HalfYear, Heading, Paragraph, ReportTable
from kyosai.domain.rollup import ScorecardRow

__all__ = [
    "Chapter",
    "EditionText",
    "OverviewTopic",
    "ReportSources",
    "Subject",
    "SubjectParagraph",
]

@dataclass(frozen=True, slots=True)
class OverviewTopic:
    """Ⅰ: one topic (【…の推進】) with its paragraphs, the two lists and its footnotes."""

    heading: str
    paragraphs: tuple[str, ...]
    achievements: tuple[str, ...]
    challenges: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Subject:
    """A product (or composite) Ⅱ.2 names for a measure, with the name it prints there."""

    code: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class SubjectParagraph:
    """One numbered paragraph of Ⅱ.2 naming products: each with its change and 到達率, or (listing)
    as 「…が大きく増加した共済種目は、A・前年同期比+X、B・同+Y です。」 in the given order."""

    subjects: tuple[Subject, ...]
    listing: bool = False


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter of Ⅲ: its title and the products it prints, in order (sub-headed if several)."""

    title: str
    products: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EditionText:
    """What an edition adds to the data: each product's month, the subjects, the narratives.

    narratives: key → paragraphs (keys in `kyosai.reports.narratives`); subjects: measure code →
    paragraphs of subjects (each a tuple printed as one numbered paragraph); own_targets: the
    measures whose own target is the previous fiscal year's actual (付加: 前年度実績の維持),
    whose sentence prints where the data holds an own target for the measure.
    """

    product_months: Mapping[str, YearMonth] = field(default_factory=dict)
    narratives: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    subjects: Mapping[str, tuple[SubjectParagraph, ...]] = field(default_factory=dict)
    chapters: tuple[Chapter, ...] = ()
    own_targets: tuple[str, ...] = ()
    appendix_titles: Mapping[str, str] = field(default_factory=dict)  # kind → title as dated

    def month_for(self, product: str, default: YearMonth) -> YearMonth:
        return self.product_months.get(product, default)

    def paragraphs(self, key: str) -> tuple[str, ...]:
        return self.narratives.get(key, ())


class ReportSources(Protocol):
    """Where each part's data comes from; None means 「データ未登録」."""

    def overview(self, period: HalfYear) -> list[OverviewTopic] | None: ...

    def national(self, as_of: YearMonth) -> list[ScorecardRow] | None: ...

    def products(self, as_of: YearMonth) -> list[ScorecardRow] | None: ...

    def scores(self, as_of: YearMonth,
               wanted: list[tuple[str, str]]) -> list[ScorecardRow] | None: ...

    def own_target(self, as_of: YearMonth, total: ScorecardRow) -> ScorecardRow | None: ...

    def top_branches(self, as_of: YearMonth, product_code: str, measure_code: str,
                     limit: int) -> list[ScorecardRow] | None: ...

    def plan(self, period: HalfYear) -> PlanTree | None: ...

    def appendix(self, period: HalfYear, titles: Mapping[str, str] | None = None,
                 notes: Mapping[str, tuple[str, ...]] | None = None,
                 ) -> list[Heading | ReportTable] | None: ...

    def events(self, period: HalfYear) -> list[Heading | Paragraph] | None: ...
