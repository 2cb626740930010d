"""The report's data, read from the other apps' selectors (and the overview written in this app).

Each method returns None when its part has no data registered, so the report prints
「データ未登録」 there. A source app that is not installed yet counts as no data.
"""

from collections.abc import Iterable, Mapping
from operator import attrgetter
from typing import Any

from kyosai.accounts.access import SYSTEM
from kyosai.activities.selectors import appendix_rows
from kyosai.catalog.selectors import fiscal_years
from kyosai.domain.appendix import YearLabels, spec_for
from kyosai.domain.events import agenda_labels
from kyosai.domain.formatting import chapter_label, format_date, format_dates, paren_number
from kyosai.domain.periods import YearMonth
from kyosai.domain.plans import PlanTree
from kyosai.domain.ranking import top_growers
from kyosai.domain.reporting import HalfYear, Heading, Paragraph, ReportTable
from kyosai.domain.rollup import ScorecardRow
from kyosai.events.selectors import events_for_period
from kyosai.reports.appendix import PRINTED_KINDS, appendix_blocks
from kyosai.reports.inputs import OverviewTopic

__all__ = ["DatabaseSources", "event_blocks"]

HQ_BRANCH_CODE = "00"


class DatabaseSources:
    """ReportSources over the database: results, plans, activities, events, overview."""

    # Ⅰ -----------------------------------------------------------------------------------------
    def overview(self, period: HalfYear) -> list[OverviewTopic] | None:
        from kyosai.reports.selectors import overview_topics

        topics = overview_topics(str(period), access=SYSTEM)
        return [OverviewTopic(t.heading, t.paragraphs(), t.achievement_items(),
                              t.challenge_items(), t.note_lines()) for t in topics] or None

    # Ⅱ, Ⅲ --------------------------------------------------------------------------------------
    def national(self, as_of: YearMonth) -> list[ScorecardRow] | None:
        from kyosai.results.selectors import UnknownScope, scorecard

        try:
            rows = scorecard(as_of, by="group", access=SYSTEM)
        except UnknownScope:  # no catalog loaded yet
            return None
        if not any(row.actual is not None for row in rows):
            return None
        return rows

    def products(self, as_of: YearMonth) -> list[ScorecardRow] | None:
        from kyosai.results.selectors import UnknownScope, scorecard

        try:
            rows = scorecard(as_of, by="product", access=SYSTEM)
        except UnknownScope:
            return None
        with_data = {row.code for row in rows if row.actual is not None}
        return [row for row in rows if row.code in with_data] or None

    def scores(self, as_of: YearMonth,
               wanted: list[tuple[str, str]]) -> list[ScorecardRow] | None:
        """Any product's (composites too) national figures for one measure each, in order."""
        from kyosai.results.selectors import UnknownScope, product_scores

        try:
            rows = product_scores(as_of, wanted, access=SYSTEM)
        except UnknownScope:
            return None
        return [row for row in rows if row.actual is not None] or None

    def own_target(self, as_of: YearMonth, total: ScorecardRow) -> ScorecardRow | None:
        """`total`'s 合計 against the own targets (自主目標); None where there is none."""
        from kyosai.results.selectors import OWN_TARGETS, TOTAL_CODE, UnknownScope, scorecard

        try:
            rows = scorecard(as_of, by="group", access=SYSTEM, targets=OWN_TARGETS)
        except UnknownScope:
            return None
        row = next((r for r in rows if r.code == TOTAL_CODE and r.measure == total.measure), None)
        if row is None or row.actual is None or row.target is None:
            return None
        return row

    def top_branches(self, as_of: YearMonth, product_code: str, measure_code: str,
                     limit: int) -> list[ScorecardRow] | None:
        from kyosai.results.selectors import UnknownScope, branch_breakdown

        try:
            breakdown = branch_breakdown(as_of, product_code, measure_code, access=SYSTEM)
        except UnknownScope:
            return None
        rows = [r for r in breakdown if r.code != HQ_BRANCH_CODE and r.actual is not None]
        if not rows:
            return None
        return top_growers(rows, attrgetter("change"), limit)

    # Ⅳ–Ⅵ ---------------------------------------------------------------------------------------
    def plan(self, period: HalfYear) -> PlanTree | None:
        from kyosai.plans.selectors import UnknownOwner, plan_tree

        try:
            tree = plan_tree(str(period), access=SYSTEM)
        except UnknownOwner:  # no HQ row yet: nothing registered
            return None
        if tree is None or not tree.items:
            return None
        return tree

    # 資料編 -------------------------------------------------------------------------------------
    def appendix(self, period: HalfYear, titles: Mapping[str, str] | None = None,
                 notes: Mapping[str, tuple[str, ...]] | None = None,
                 ) -> list[Heading | ReportTable] | None:
        """資料編 Ⅰ laid out as the report's (`kyosai.reports.appendix`); `titles` date them,
        `notes` go under a register's first table."""
        tables = {kind: appendix_rows(kind, fiscal_year=period.fiscal_year, access=SYSTEM)
                  for kind in PRINTED_KINDS}
        named = {kind: spec_for(kind).title for kind in PRINTED_KINDS}
        named["small_lot_life"] = named["small_lot_life"].replace("６．", "")
        named.update(titles or {})
        years = YearLabels.of(period, fiscal_years().calendar(period.fiscal_year))
        return appendix_blocks(tables, named, years, notes) or None

    def events(self, period: HalfYear) -> list[Heading | Paragraph] | None:
        """資料編 Ⅱ–Ⅳ as the report lists them: each part, each kind, each event with its dates
        and ＜主な議題＞ (`event_blocks`)."""
        events = events_for_period(str(period), access=SYSTEM)
        if not events:
            return None
        return event_blocks(events)


def event_blocks(events: Iterable[Any]) -> list[Heading | Paragraph]:
    """Events (in the report's order) as the report prints them.

    Ⅱ．本部主催の会議等の開催状況, then per kind its heading (１．本部共済推進委員会) and each event
    as （１）名称（日付）; a kind that is not a series (EventKindSpec.series) prints its single event
    in that heading (２．第10回じちろう全国共済集会（2024年11月20日・21日））. A meeting held block
    by block lists ＜開催日＞ one line per 地連 (ア．九州地連　2024年6月5日) before ＜主な議題＞.
    """
    by_kind: dict[Any, list[Any]] = {}
    for event in events:
        by_kind.setdefault(event.kind_spec, []).append(event)
    blocks: list[Heading | Paragraph] = []
    printed = None
    for spec, items in by_kind.items():
        if spec.section != printed:
            blocks.append(Heading(spec.section.heading))
            printed = spec.section
        if len(items) == 1 and not spec.series and spec.number < 99:
            blocks.extend(_event_lines(items[0], chapter_label(spec.number)))
            continue
        blocks.append(Heading(spec.heading, level=3))
        for number, event in enumerate(items, start=1):
            blocks.extend(_event_lines(event, paren_number(number)))
    return blocks


def _event_lines(event: Any, label: str) -> list[Heading | Paragraph]:
    title = label + event.title + ("（WEB会議）" if event.is_web else "")
    lines = list(event.dates.all())
    blocks: list[Heading | Paragraph] = []
    if any(line.label for line in lines):  # held block by block: one date per 地連
        blocks.append(Heading(title, level=3))
        marks = agenda_labels([0] * len(lines))
        blocks.append(Paragraph("＜開催日＞"))
        blocks.append(Paragraph("\n".join(f"{mark}．{line.label}　{format_date(line.day)}"
                                          for mark, line in zip(marks, lines, strict=True)),
                                style="list"))
    else:
        blocks.append(Heading(f"{title}（{format_dates(line.day for line in lines)}）", level=3))
    agenda = [f"{label}．{item.text}" if item.level == 0 else f"　{label} {item.text}"
              for label, item in event.labelled_agenda()]
    if agenda:
        blocks.append(Paragraph("＜主な議題＞"))
        blocks.append(Paragraph("\n".join(agenda), style="list"))
    return blocks
