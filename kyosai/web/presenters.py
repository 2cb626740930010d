"""Selector rows → the tables the pages show and export (labels, formatting, links, marks)."""

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from kyosai.core.tables import Cell, Column, Row, Table
from kyosai.domain.formatting import (
    format_change,
    format_number,
    format_pct,
    format_points,
    format_year_month,
)
from kyosai.domain.measures import MeasureKind
from kyosai.domain.periods import YearMonth
from kyosai.domain.ranking import ranked
from kyosai.domain.rollup import ScorecardRow

__all__ = [
    "SCORECARD_COLUMNS",
    "mark_cell",
    "matrix_table",
    "month_label",
    "ranking_table",
    "scorecard_table",
]

Link = Callable[[ScorecardRow], str]

SCORECARD_COLUMNS = [
    Column("制度", numeric=False), Column("指標", numeric=False), Column("単位", numeric=False),
    Column("目標"), Column("実績"), Column("到達率"), Column("前年同期"), Column("増減"),
    Column("前年同期比"), Column("評価", numeric=False),
]


def month_label(month: YearMonth) -> str:
    return format_year_month(month)


def _places(row: ScorecardRow) -> int:
    return 2 if row.kind is MeasureKind.RATE else 0


def _number(value: int | Decimal | None, row: ScorecardRow) -> Cell:
    return Cell(format_number(value, _places(row)), value, css="num")


def _change(row: ScorecardRow) -> Cell:
    if row.kind is MeasureKind.RATE:
        return Cell(format_points(row.change), row.change, css="num")
    return Cell(format_change(row.change), row.change, css="num")


def _pct(value: Decimal | None) -> Cell:
    return Cell(format_pct(value), value, css="num")


def mark_cell(row: ScorecardRow, *, short: bool = False) -> Cell:
    if row.mark is None:
        return Cell("－" if row.actual is not None else "", None)
    text = row.mark.value if short else f"{row.mark.value} {row.mark.label}"
    return Cell(text, mark=row.mark)


def scorecard_table(rows: Sequence[ScorecardRow], *, key: str, title: str,
                    filters: Sequence[tuple[str, str]], link: Link | None = None,
                    measure_label: Callable[[ScorecardRow], str] = lambda r: r.measure_name,
                    note: str = "") -> Table:
    """The report's scorecard layout: one line per item and measure, the item named once."""
    out: list[Row] = []
    previous_code = None
    for row in rows:
        first = row.code != previous_code
        previous_code = row.code
        label = Cell(row.label if first else "", row.label,
                     url=(link(row) if link and first else ""))
        css = ("total first" if first else "total") if row.code == "total" else ""
        out.append(Row([
            label, Cell(measure_label(row), measure_label(row)), Cell(row.unit, row.unit),
            _number(row.target, row), _number(row.actual, row), _pct(row.achievement_pct),
            _number(row.previous, row), _change(row), _pct(row.yoy_pct), mark_cell(row),
        ], css=css))
    return Table(key=key, title=title, columns=SCORECARD_COLUMNS, rows=out, filters=filters,
                 note=note, header_cells=2)


def matrix_table(by_measure: dict[str, list[ScorecardRow]], *, key: str, title: str,
                 owner: str, filters: Sequence[tuple[str, str]], link: Link | None = None,
                 visible: Callable[[ScorecardRow], bool] = lambda r: True,
                 current: str = "") -> Table:
    """Owners (branches, regions, unions) × measures: 到達率 coloured by mark, 増減, 評価."""
    measures = list(by_measure)
    columns = [Column(owner, numeric=False)]
    for rows in by_measure.values():
        name = rows[0].measure_name if rows else ""
        columns += [Column(f"{name} 到達率"), Column(f"{name} 増減"), Column(f"{name} 評価", False)]
    owners = by_measure[measures[0]] if measures else []
    out: list[Row] = []
    for index, first in enumerate(owners):
        if not visible(first):
            continue
        if all(by_measure[m][index].actual is None for m in measures):
            continue  # no figures at all (a branch or region without results)
        cells = [Cell(first.label, first.label, url=link(first) if link else "")]
        for measure in measures:
            row = by_measure[measure][index]
            pct = _pct(row.achievement_pct)
            cells += [Cell(pct.text, pct.value, mark=None, css=f"num cell-{_mark_css(row)}"),
                      _change(row), mark_cell(row, short=True)]
        out.append(Row(cells, css="current" if first.code == current else ""))
    return Table(key=key, title=title, columns=columns, rows=out, filters=filters,
                 note="実績のない行は省略しています。" if len(out) < len(owners) else "")


def _mark_css(row: ScorecardRow) -> str:
    from kyosai.core.tables import mark_css

    return mark_css(row.mark) or "none"


def ranking_table(rows: Sequence[ScorecardRow], *, by: str, key: str, title: str, owner: str,
                  filters: Sequence[tuple[str, str]], link: Link | None = None,
                  visible: Callable[[ScorecardRow], bool] = lambda r: True,
                  current: str = "", ranks: Mapping[str, int] | None = None) -> Table:
    """Owners ranked by change (by="change") or by achievement (by="achievement").

    `ranks` (code → rank, e.g. `branch_ranks`) gives ranks computed among more owners than the
    viewer sees; the rows are then only those with a rank, in rank order."""
    key_of = (lambda r: r.change) if by == "change" else (lambda r: r.achievement_pct)
    columns = [Column("順位"), Column(owner, numeric=False), Column("実績"), Column("到達率"),
               Column("増減"), Column("評価", numeric=False)]
    out = []
    order = ranked(rows, key_of) if ranks is None else sorted(
        ((ranks[row.code], row) for row in rows if row.code in ranks), key=lambda pair: pair[0])
    for rank, row in order:
        if not visible(row):
            continue
        out.append(Row([
            Cell(f"{rank}", rank, css="num"), Cell(row.label, row.label, url=link(row) if link else ""),
            _number(row.actual, row), _pct(row.achievement_pct), _change(row), mark_cell(row),
        ], css="current" if row.code == current else ""))
    return Table(key=key, title=title, columns=columns, rows=out, filters=filters, header_cells=0)
