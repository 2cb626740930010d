"""３．会議の開催状況／４．周知活動: counts are entered; 県平均, ratios and 合計 are derived (§3).

Entered rows: 全国計 and the organisers by affiliation (県本部役員 / 県支部職員 / 全労済職員).
Derived rows follow the report's layout: after a 全国計 in 回 comes its 県平均; after a 全国計 of
単組 / 参加役員数 / 参加組合員数 comes its ratio to all unions / officers / members; after the
organiser rows comes their 合計. Ratios need the year's base (全単組数 …), a separate register.
"""

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kyosai.domain.appendix import rules
from kyosai.domain.appendix.spec import ColumnSpec, Context, Row, TableSpec, format_printed

__all__ = ["BASE_KINDS", "DERIVED_SUB_MEASURES", "MEETINGS_STATS", "compute_meetings", "label_year"]

NATIONAL = "全国計"
AVERAGE = "県平均"
TOTAL = "合計"
ORGANISERS = "オルグ者数"
#: ratio row label → the base it divides by (a key of the meeting_bases register).
BASE_KINDS = {"全単組数比": "all_unions", "全役員数比": "all_officers", "全組合員数比": "all_members"}
DERIVED_SUB_MEASURES = frozenset({AVERAGE, TOTAL, *BASE_KINDS})
_YEAR = re.compile(r"(\d{4})")


def label_year(label: str) -> int | None:
    """The year of a printed column header such as '2024 年度'."""
    match = _YEAR.search(label or "")
    return int(match.group(1)) if match else None


def _ratio_label(record: Row) -> str | None:
    if record["unit"] == "単組":
        return "全単組数比"
    return {"参加役員数": "全役員数比", "参加組合員数": "全組合員数比"}.get(record["measure"] or "")


def _count_row(record: Row) -> Row:
    row = dict(record)
    row["change"] = row["value_cur"] - row["value_prev"]
    row["change_unit"] = row["unit"]
    return _printed(row, places=0)


def _printed(row: Row, places: int) -> Row:
    unit, change_unit = row["unit"], row["change_unit"]
    for column, value, shown in (("value_cur_printed", row["value_cur"], unit),
                                 ("value_prev_printed", row["value_prev"], unit),
                                 ("change_printed", row["change"], change_unit)):
        row[column] = None if value is None else format_printed(value, shown, places)
    return row


def _derived_row(record: Row, sub_measure: str, unit: str, change_unit: str) -> Row:
    row = {key: record[key] for key in ("section", "subsection", "measure", "cur_label",
                                        "prev_label")}
    row.update(sub_measure=sub_measure, unit=unit, change_unit=change_unit)
    return row


def _average(record: Row, count: int) -> Row:
    row = _derived_row(record, AVERAGE, record["unit"], record["unit"])
    row["value_cur"] = _plain_zero(rules.branch_average(record["value_cur"], count))
    row["value_prev"] = _plain_zero(rules.branch_average(record["value_prev"], count))
    row["change"] = rules.average_change(record["value_cur"], record["value_prev"], count)
    return _printed(row, places=1)


def _plain_zero(value: Decimal) -> Decimal:
    """The report prints an average of nothing as '0', not '0.0' (3(3) 2023 年度)."""
    return Decimal(0) if value == 0 else value


def _share(record: Row, label: str, bases: Mapping[tuple[int, str], int]) -> Row:
    row = _derived_row(record, label, "%", "P")
    base_kind = BASE_KINDS[label]
    base_cur = bases.get((label_year(record["cur_label"]) or 0, base_kind))
    base_prev = bases.get((label_year(record["prev_label"]) or 0, base_kind))
    row["value_cur"] = rules.share_pct(record["value_cur"], base_cur)
    row["value_prev"] = rules.share_pct(record["value_prev"], base_prev)
    row["change"] = rules.share_change_points(
        record["value_cur"], base_cur, record["value_prev"], base_prev)
    return _printed(row, places=1)


def _organiser_total(block: list[Row]) -> Row:
    row = _derived_row(block[0], TOTAL, block[0]["unit"], block[0]["unit"])
    for column in ("value_cur", "value_prev"):
        row[column] = sum(record[column] for record in block)
    row["change"] = row["value_cur"] - row["value_prev"]
    return _printed(row, places=0)


def compute_meetings(records: list[Row], context: Context) -> list[Row]:
    """The entered counts in order, each followed by the rows the report derives from it."""
    out: list[Row] = []
    organisers: list[Row] = []
    for index, record in enumerate(records):
        out.append(_count_row(record))
        if record["sub_measure"] == NATIONAL:
            if record["unit"] == "回":
                out.append(_average(record, context.prefecture_count))
            elif (label := _ratio_label(record)) is not None:
                out.append(_share(record, label, context.bases))
        if record["measure"] == ORGANISERS:
            organisers.append(record)
            following = records[index + 1] if index + 1 < len(records) else None
            if following is None or _block(following) != _block(record):
                out.append(_organiser_total(organisers))
                organisers = []
    return out


def _block(record: Row) -> tuple[Any, Any]:
    return record["subsection"], record["measure"]


def _is_derived(cells: Mapping[str, str]) -> bool:
    return (cells.get("sub_measure") or "").strip() in DERIVED_SUB_MEASURES


def _text(name: str, required: bool = True, label: str = "") -> ColumnSpec:
    return ColumnSpec(name, "text", required=required, label=label)


MEETINGS_STATS = TableSpec(
    kind="meetings_stats",
    title="３．会議の開催状況／４．単組・組合員への周知活動",
    columns=(
        _text("section", label="項目"), _text("subsection", label="会議・活動"),
        _text("measure", required=False, label="指標"), _text("sub_measure", label="区分"),
        _text("unit", label="単位"),
        ColumnSpec("value_cur", "int", label="当年度"),
        ColumnSpec("value_prev", "int", label="前年度"),
        ColumnSpec("change", "int", derived=True, required=False, label="増減"),
        ColumnSpec("change_unit", "text", derived=True, required=False, label="増減の単位"),
        _text("cur_label", required=False, label="当年度の表記"),
        _text("prev_label", required=False, label="前年度の表記"),
        ColumnSpec("value_cur_printed", "text", derived=True, required=False, label="当年度（表記）"),
        ColumnSpec("value_prev_printed", "text", derived=True, required=False, label="前年度（表記）"),
        ColumnSpec("change_printed", "text", derived=True, required=False, label="増減（表記）"),
    ),
    key=("subsection", "measure", "sub_measure"), branch_column=None,
    compute=compute_meetings, derived_rows=_is_derived,
    legacy=(("value_{cur}", "value_cur"), ("value_{cur}_printed", "value_cur_printed")),
)
