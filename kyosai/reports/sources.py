"""The report's data, read from the other apps' selectors (and the overview written in this app).

Each method returns None when its part has no data registered, so the report prints
「データ未登録」 there. A source app that is not installed yet counts as no data.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from operator import attrgetter
from typing import Any

from kyosai.accounts.access import SYSTEM
from kyosai.domain.evaluation import Rating
from kyosai.domain.measures import MEASURES, MeasureSpec
from kyosai.domain.periods import YearMonth
from kyosai.domain.ranking import top_growers
from kyosai.domain.reporting import CellKind, Column, HalfYear, ReportTable, TableRow
from kyosai.reports.inputs import (
    BranchRow,
    OverviewTopic,
    PlanChapter,
    PlanItem,
    PlanPart,
    PlanPolicy,
    ScoreRow,
)

__all__ = ["DatabaseSources"]

HQ_BRANCH_CODE = "00"


def _fullwidth(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


class DatabaseSources:
    """ReportSources over the database: results, plans, activities, events, overview."""

    def __init__(self) -> None:
        self._specs: dict[str, MeasureSpec] = {}
        self._not_in_totals: set[str] | None = None

    # Ⅰ -----------------------------------------------------------------------------------------
    def overview(self, period: HalfYear) -> list[OverviewTopic] | None:
        from kyosai.reports.selectors import overview_topics

        topics = overview_topics(str(period), access=SYSTEM)
        return [OverviewTopic(t.heading, t.paragraphs(), t.achievement_items(),
                              t.challenge_items(), t.note_lines()) for t in topics] or None

    # Ⅱ, Ⅲ --------------------------------------------------------------------------------------
    def _spec(self, code: str) -> MeasureSpec:
        if code not in self._specs:
            if code in MEASURES:
                self._specs[code] = MEASURES[code]
            else:
                from kyosai.catalog.models import Measure

                self._specs[code] = Measure.objects.get(code=code).to_domain()
        return self._specs[code]

    def _score_row(self, row: Any, is_total: bool) -> ScoreRow:
        return ScoreRow(
            label=row.label, code=row.code, measure=self._spec(row.measure), as_of=row.as_of,
            actual=row.actual, target=row.target, previous=row.previous, change=row.change,
            achievement_pct=row.achievement_pct, yoy_pct=row.yoy_pct, pace_pct=row.pace_pct,
            mark=row.mark.value if row.mark else "", is_total=is_total,
        )

    def national(self, as_of: YearMonth) -> list[ScoreRow] | None:
        from kyosai.results.selectors import TOTAL_CODE, UnknownScope, scorecard

        try:
            rows = scorecard(as_of, by="group")
        except UnknownScope:  # no catalog loaded yet
            return None
        if not any(row.actual is not None for row in rows):
            return None
        return [self._score_row(row, row.code == TOTAL_CODE) for row in rows]

    def _excluded_products(self) -> set[str]:
        """Riders, composites and reference rows: printed in Ⅲ, never named among movers."""
        if self._not_in_totals is None:
            from kyosai.catalog.models import Product

            self._not_in_totals = set(
                Product.objects.exclude(kind=Product.Kind.PLAIN).values_list("code", flat=True)
            ) | set(Product.objects.filter(is_reference=True).values_list("code", flat=True)) | set(
                Product.objects.filter(in_group_totals=False).values_list("code", flat=True))
        return self._not_in_totals

    def products(self, as_of: YearMonth) -> list[ScoreRow] | None:
        from kyosai.results.selectors import UnknownScope, scorecard

        try:
            rows = scorecard(as_of, by="product")
        except UnknownScope:
            return None
        with_data = {row.code for row in rows if row.actual is not None}
        if not with_data:
            return None
        excluded = self._excluded_products()
        return [self._score_row(row, row.code in excluded) for row in rows
                if row.code in with_data]

    def top_branches(self, as_of: YearMonth, product_code: str, measure_code: str,
                     limit: int) -> list[BranchRow] | None:
        from kyosai.results.selectors import UnknownScope, branch_breakdown

        try:
            breakdown = branch_breakdown(as_of, product_code, measure_code)
        except UnknownScope:
            return None
        rows = [r for r in breakdown if r.code != HQ_BRANCH_CODE and r.actual is not None]
        if not rows:
            return None
        return [BranchRow(r.label, r.actual, r.previous, r.change, r.yoy_pct, r.achievement_pct)
                for r in top_growers(rows, attrgetter("change"), limit)]

    # Ⅳ–Ⅵ ---------------------------------------------------------------------------------------
    def plan(self, period: HalfYear) -> list[PlanPart] | None:
        try:
            from kyosai.plans.selectors import UnknownOwner, plan_tree, rating_tally
        except ImportError:
            return None
        try:
            tree = plan_tree(str(period))
        except UnknownOwner:  # no HQ row yet: nothing registered
            return None
        if tree is None or not tree.items:
            return None
        tallies: dict[str, list[tuple[str, tuple[int, ...]]]] = defaultdict(list)
        for row in rating_tally(str(period)).rows:
            counts = tuple(row.tally.count(r) for r in Rating)
            tallies[row.chapter.split("-")[0]].append((f"{row.chapter} {row.title}", counts))
        return [
            PlanPart(section.number, section.title,
                     tuple(_chapter(chapter) for chapter in section.chapters),
                     tuple(tallies.get(section.number, ())))
            for section in tree.sections
        ]

    # 資料編 -------------------------------------------------------------------------------------
    def appendix(self, period: HalfYear) -> list[ReportTable] | None:
        try:
            from kyosai.activities.selectors import DESIGNATIONS, appendix_rows, list_kinds
            from kyosai.domain.appendix import format_cell, spec_for
        except ImportError:
            return None
        tables = []
        for kind, title in list_kinds():
            if kind == DESIGNATIONS:
                continue
            rows = appendix_rows(kind, fiscal_year=period.fiscal_year, access=SYSTEM)
            if rows:
                tables.append(_appendix_table(spec_for(kind), title, rows, format_cell))
        support = _support_table(period.fiscal_year)
        if support is not None:
            tables.append(support)
        return tables or None

    def events(self, period: HalfYear) -> list[ReportTable] | None:
        try:
            from kyosai.events.selectors import events_for_period
        except ImportError:
            return None
        events = events_for_period(str(period), access=SYSTEM)
        if not events:
            return None
        by_kind: dict[Any, list[Any]] = {}
        for event in events:
            by_kind.setdefault(event.kind_spec, []).append(event)
        return [_events_table(spec, items) for spec, items in by_kind.items()]


def _chapter(chapter: Any) -> PlanChapter:
    return PlanChapter(
        f"{_fullwidth(chapter.number)}．{chapter.title}",
        tuple(
            PlanPolicy(
                f"＜事業推進方針{_fullwidth(policy.number)}＞", policy.text,
                tuple(
                    PlanItem(
                        plan=f"{item.label} {item.text}",
                        status="\n".join(f"{s.marker} {s.text}{s.confirmation}"
                                         for s in item.statuses),
                        rating=item.rating.value if item.rating else "",
                        next_actions="\n".join(f"{m} {t}" for m, t in item.lettered_actions),
                    )
                    for item in policy.items
                ),
            )
            for policy in chapter.policies
        ),
    )


def _events_table(spec: Any, events: Iterable[Any]) -> ReportTable:
    rows = []
    for event in events:
        venues = "、".join(
            f"{v.name}（{v.attendance:,}人）" if v.attendance is not None else v.name
            for v in event.venues.all())
        agenda = "\n".join(f"{label} {item.text}" for label, item in event.labelled_agenda())
        title = event.title + ("（WEB会議）" if event.is_web else "")
        rows.append(TableRow((title, event.date_text(), venues, event.attendance(), agenda)))
    section = spec.section
    return ReportTable(
        key=f"資料{section.numeral}-{spec.number} {spec.label}",
        title=f"{section.numeral}．{section.title}　{_fullwidth(spec.number)}．{spec.label}",
        columns=(Column("名称", width=30), Column("開催日", width=18), Column("会場", width=30),
                 Column("参加者数", CellKind.NUMBER, width=10), Column("主な議題", width=50)),
        rows=tuple(rows),
    )


def _appendix_table(spec: Any, title: str, rows: list[dict[str, Any]],
                    format_cell: Any) -> ReportTable:
    """An appendix register's recomputed rows, its printed columns, totals in bold."""
    specs = [c for c in spec.columns if c.printed]
    columns = tuple(_appendix_column(c, [row.get(c.name) for row in rows]) for c in specs)
    number = title.split("．")[0]
    return ReportTable(
        key=f"資料Ⅰ-{number} {title.split('．', 1)[-1]}", title=title, columns=columns,
        rows=tuple(
            TableRow(tuple(_appendix_value(row.get(c.name)) for c in specs),
                     total=spec.is_derived_row({k: format_cell(v) for k, v in row.items()}))
            for row in rows
        ),
    )


def _support_table(fiscal_year: int) -> ReportTable | None:
    """支援県支部・重点県支部: why each is designated and the support it received this year."""
    from kyosai.activities.selectors import designations

    rows = [row for row in designations(fiscal_year, access=SYSTEM) if row["supported"] or row["priority"]]
    if not any(row["support"] for row in rows):
        return None
    return ReportTable(
        key="資料Ⅰ 支援県支部・重点県支部への支援",
        title="支援県支部・団体生命共済重点県支部への支援",
        columns=(Column("県支部", width=8), Column("指定", width=12),
                 Column("指定の理由", width=50), Column("当年度の支援", width=50)),
        rows=tuple(TableRow((
            row["branch"],
            "・".join(name for name, on in (("支援県支部", row["supported"]),
                                            ("重点県支部", row["priority"])) if on),
            "\n".join(reason for reason, on in ((row["supported_reason"], row["supported"]),
                                                 (row["priority_reason"], row["priority"])) if on),
            row["support"])) for row in rows),
    )


def _appendix_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "○" if value else ""
    if value is not None and not isinstance(value, int | Decimal | str):
        return str(value)
    return value


def _appendix_column(column: Any, values: list[Any]) -> Column:
    label = column.label or column.name
    numbers = [v for v in values if isinstance(v, int | Decimal) and not isinstance(v, bool)]
    if column.kind == "pct":
        places = max((-v.as_tuple().exponent for v in numbers if isinstance(v, Decimal)),
                     default=1)
        return Column(label, CellKind.PCT, max(int(places), 0), width=7)
    digits = max((len(f"{abs(v):,}") + 1 for v in numbers), default=4)
    if numbers and all(isinstance(v, int) for v in numbers):
        kind = CellKind.CHANGE if "増減" in label else CellKind.NUMBER
        return Column(label, kind, width=max(5, digits + 1))
    if numbers:
        places = max((-v.as_tuple().exponent for v in numbers if isinstance(v, Decimal)),
                     default=0)
        return Column(label, CellKind.NUMBER, max(int(places), 0), width=max(5, digits + 1))
    longest = max((len(str(v)) for v in values if v not in (None, "")), default=6)
    return Column(label, width=max(4, min(36, longest + 1)))
