"""The lifecycle lists as `Table`s (kyosai.core.tables): the page renders the table's columns and
cells, and `?export=csv|xlsx` writes the same table through `export_response` — the one writer of
every web table — so an export holds exactly the page's columns and the viewer's rows.

Dates show as 2024年11月30日 and export as 2024-11-30; ages and counts export as numbers; text is
never a formula (the writer's guard). Every export is audited (`export`: page, scope, format,
rows — never a name).
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry
from kyosai.core.tables import EXPORT_FORMATS, Cell, Column, Row, Table, export_response
from kyosai.domain.formatting import format_date, format_number, format_year_month
from kyosai.domain.periods import YearMonth
from kyosai.members.campaigns import CohortRow, InspectionCount
from kyosai.members.lifecycle import InspectionRow, TransitionRow
from kyosai.members.models import InspectionCall, NewHireStatus, TransitionStatus
from kyosai.org.models import Union

__all__ = ["export_format", "exported", "inspection_counts_table", "inspection_table",
           "month_span", "newhire_counts_table", "newhire_table", "transition_progress_table",
           "transition_table"]

REASON_LABELS = {"age64": "64歳以上", "reemployment_end": "再任用終了", "leaving": "退職"}


class _Status(Protocol):
    """A recorded follow-up (TransitionStatus, NewHireStatus): its label, day and note."""

    on: date
    note: str

    def get_status_display(self) -> str: ...


def export_format(request: HttpRequest) -> str | None:
    """?export=csv|xlsx (None: the page itself); anything else is a 400."""
    fmt = request.GET.get("export")
    if not fmt:
        return None
    if fmt not in EXPORT_FORMATS:
        raise BadRequest("export は csv か xlsx を指定してください。")
    return fmt


def exported(request: HttpRequest, table: Table, fmt: str, filename: str, *, object_type: str,
             object_id: str, detail: Mapping[str, object]) -> HttpResponse:
    """The table as a download, audited as an export (`detail`: page and scope, never a name)."""
    response = export_response(table, fmt, filename, request.user.get_username())
    record_event(AuditEntry.Action.EXPORT, user=request.user, object_type=object_type,
                 object_id=object_id,
                 detail={**detail, "table": table.key, "format": fmt, "rows": len(table.rows)})
    return response


def _day(day: date | None) -> Cell:
    return Cell(format_date(day), day.isoformat() if day else "")


def _status(entry: _Status | None, none: str) -> Cell:
    if entry is None:
        return Cell(none)
    return Cell(f"{entry.get_status_display()}（{format_date(entry.on)}）")


def _note(entry: _Status | InspectionCall | None) -> Cell:
    return Cell(entry.note if entry is not None else "")


def transition_table(rows: Sequence[TransitionRow], latest: Mapping[int, TransitionStatus],
                     filters: Sequence[tuple[str, str]]) -> Table:
    """64歳以上移行確認リスト: one row per listed member with the latest status of the year."""
    columns = [Column("単組", False), Column("組合員番号", False), Column("氏名", False),
               Column("年度末年齢"), Column("理由", False), Column("再任用終了", False),
               Column("脱退日", False), Column("加入制度", False), Column("退職後の案内", False),
               Column("状況", False), Column("メモ", False)]
    return Table("transition", "64歳以上移行確認リスト", columns, [Row([
        Cell(r.union), Cell(r.member_no), Cell(r.name),
        Cell("" if r.age_at_fy_end is None else str(r.age_at_fy_end), r.age_at_fy_end),
        Cell("・".join(REASON_LABELS[x] for x in r.reasons)),
        _day(r.reemployment_ends_on), _day(r.left_on),
        Cell("・".join(r.products)), Cell("・".join(r.offer)),
        _status(latest.get(r.member_id), "未案内"), _note(latest.get(r.member_id)),
    ]) for r in rows], filters=filters)


def _call(mark: InspectionCall | None) -> Cell:
    if mark is None:
        return Cell("")
    who = f"（{mark.user.get_username()}）" if mark.user is not None else ""
    return Cell(f"{format_date(mark.on)}{who}", mark.on.isoformat() + who)


def inspection_table(rows: Sequence[InspectionRow],
                     marks: Mapping[tuple[int, str], InspectionCall],
                     filters: Sequence[tuple[str, str]]) -> Table:
    """次回車検日 call list: one row per contract due, with its latest 電話 and 案内済 marks."""
    called, informed = InspectionCall.Kind.CALLED, InspectionCall.Kind.INFORMED
    columns = [Column("車検月", False), Column("単組", False), Column("組合員番号", False),
               Column("氏名", False), Column("契約番号", False), Column("初度登録", False),
               Column("前回車検日", False), Column("自賠責共済", False), Column("電話", False),
               Column("電話のメモ", False), Column("案内済", False), Column("案内済のメモ", False)]
    table_rows = []
    for r in rows:
        call, info = marks.get((r.contract_id, called)), marks.get((r.contract_id, informed))
        table_rows.append(Row([
            Cell(r.due_month.label(), str(r.due_month)), Cell(r.union), Cell(r.member_no),
            Cell(r.name), Cell(r.contract_no),
            Cell(r.vehicle_registered.label(), str(r.vehicle_registered)),
            _day(r.vehicle_inspected_on), Cell("加入" if r.has_compulsory_auto else "未加入"),
            _call(call), _note(call), _call(info), _note(info)]))
    return Table("inspections", "次回車検日 案内リスト", columns, table_rows, filters=filters)


def newhire_table(rows: Sequence[CohortRow], latest: Mapping[int, NewHireStatus],
                  filters: Sequence[tuple[str, str]]) -> Table:
    """A union's new-hire cohort, each person with the latest status of the year."""
    columns = [Column("組合員番号", False), Column("氏名", False), Column("採用日", False),
               Column("生協加入日", False), Column("脱退日", False), Column("状況", False),
               Column("メモ", False)]
    return Table("newhires", "新規採用者の加入状況", columns, [Row([
        Cell(r.member_no), Cell(r.name), _day(r.hired_on), _day(r.joined_on), _day(r.left_on),
        _status(latest.get(r.member_id), "未記録"), _note(latest.get(r.member_id)),
    ]) for r in rows], filters=filters)


def newhire_counts_table(counts: Sequence[tuple[Union, int, Counter[str]]], year: int,
                         filters: Sequence[tuple[str, str]], *, links: bool) -> Table:
    """A branch's unions: the cohort's size and the count of each latest status (no names)."""
    columns = [Column("単組", False), Column("新規採用者"), Column("未記録"),
               *(Column(label) for _, label in NewHireStatus.Status.choices)]

    return Table("newhire-counts", "新規採用者の加入状況（単組別）", columns, [Row([
        Cell(union.name, url=(reverse("members:newhires-union", args=[union.code])
                              + f"?year={year}") if links else ""),
        _count(total), _count(c[""]),
        *(_count(c[value]) for value, _ in NewHireStatus.Status.choices),
    ]) for union, total, c in counts], filters=filters)


def _count(n: int) -> Cell:
    return Cell(format_number(n), n)


def transition_progress_table(progress: Sequence[tuple[str, str, Counter[str]]],
                              filters: Sequence[tuple[str, str]]) -> Table:
    """HQ: per branch (code, name, latest statuses counted, "pending" for none), no names."""
    columns = [Column("県支部", False), Column("対象者"),
               *(Column(label) for _, label in TransitionStatus.Status.choices)]
    return Table("transition-progress", "64歳以上移行確認リスト　県支部別の進捗", columns, [Row([
        Cell(name), _count(sum(counts.values())),
        *(_count(counts[value]) for value, _ in TransitionStatus.Status.choices),
    ]) for _, name, counts in progress], filters=filters)


def inspection_counts_table(counts: Sequence[InspectionCount],
                            filters: Sequence[tuple[str, str]]) -> Table:
    """HQ: per branch and due month, the contracts due, called and informed (counts only)."""
    columns = [Column("県支部", False), Column("車検月", False), Column("対象契約"),
               Column("電話"), Column("案内済")]
    return Table("inspection-counts", "次回車検日 案内リスト　県支部別・月別の件数", columns, [Row([
        Cell(r.branch_name), Cell(r.due_month.label(), str(r.due_month)), _count(r.due),
        _count(r.called), _count(r.informed),
    ]) for r in counts], filters=filters)


def month_span(first: YearMonth, last: YearMonth) -> str:
    """2024年12月～2025年2月."""
    return f"{format_year_month(first)}～{format_year_month(last)}"
