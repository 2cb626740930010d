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
from kyosai.domain.formatting import format_date, format_dates
from kyosai.domain.periods import YearMonth
from kyosai.domain.plans import PlanTree
from kyosai.domain.ranking import top_growers
from kyosai.domain.reporting import CellKind, Column, HalfYear, Heading, ReportTable, TableRow
from kyosai.domain.rollup import ScorecardRow
from kyosai.events.selectors import events_for_period
from kyosai.reports.appendix import PRINTED_KINDS, appendix_blocks
from kyosai.reports.inputs import OverviewTopic

__all__ = ["DatabaseSources"]

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
    def appendix(self, period: HalfYear,
                 titles: Mapping[str, str] | None = None) -> list[Heading | ReportTable] | None:
        """資料編 Ⅰ laid out as the report's (`kyosai.reports.appendix`); `titles` date them."""
        tables = {kind: appendix_rows(kind, fiscal_year=period.fiscal_year, access=SYSTEM)
                  for kind in PRINTED_KINDS}
        named = {kind: spec_for(kind).title for kind in PRINTED_KINDS}
        named["small_lot_life"] = named["small_lot_life"].replace("６．", "")
        named.update(titles or {})
        years = YearLabels.of(period, fiscal_years().calendar(period.fiscal_year))
        return appendix_blocks(tables, named, years) or None

    def events(self, period: HalfYear) -> list[ReportTable] | None:
        events = events_for_period(str(period), access=SYSTEM)
        if not events:
            return None
        by_kind: dict[Any, list[Any]] = {}
        for event in events:
            by_kind.setdefault(event.kind_spec, []).append(event)
        return [_events_table(spec, items) for spec, items in by_kind.items()]


def _event_dates(event: Any) -> str:
    """Each 地連/block with its date when the meeting was held block by block (ア．九州地連, then
    2024年6月5日 on the next line: the column is narrow),
    else the dates together (2024年11月20日・21日)."""
    lines = list(event.dates.all())
    if not any(line.label for line in lines):
        return format_dates(line.day for line in lines)
    labels = agenda_labels([0] * len(lines))
    return "\n".join(f"{mark}．{line.label}\n{format_date(line.day)}"
                     for mark, line in zip(labels, lines, strict=True))


def _events_table(spec: Any, events: Iterable[Any]) -> ReportTable:
    rows = []
    for event in events:
        venues = "、".join(
            f"{v.name}（{v.attendance:,}人）" if v.attendance is not None else v.name
            for v in event.venues.all())
        agenda = "\n".join(f"{label}．{item.text}" if item.level == 0 else f"　{label} {item.text}"
                           for label, item in event.labelled_agenda())
        title = event.title + ("（WEB会議）" if event.is_web else "")
        rows.append(TableRow((title, _event_dates(event), venues, event.attendance(), agenda)))
    section = spec.section
    return ReportTable(
        key=f"資料{section.numeral}-{spec.number} {spec.label}",
        title=f"{section.heading}　{spec.heading}",
        columns=(Column("名称", width=22), Column("開催日", width=34), Column("会場", width=20),
                 Column("参加者数", CellKind.NUMBER, width=8), Column("主な議題", width=44)),
        rows=tuple(rows),
    )
