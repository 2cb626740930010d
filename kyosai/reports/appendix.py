"""資料編 Ⅰ as the report lays it out: each register's rows as the original's tables.

Only what the organisation prints: grouped header rows, each label once per group, formatted
figures with their units, the table's title and as-of month, the original's order. Columns that
only describe an import (source lines, character counts, remarks about the source) and the
registers the report does not print (アンケート回収状況, 配置定数, 周知活動の母数) are left out
here; `kyosai appendix KIND` still shows them.
"""

from collections.abc import Callable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from kyosai.domain.appendix import YearLabels, format_printed
from kyosai.domain.formatting import format_year_month, paren_number
from kyosai.domain.periods import YearMonth
from kyosai.domain.reporting import CellKind, Column, Heading, ReportTable, TableRow

__all__ = ["LAYOUTS", "PRINTED_KINDS", "appendix_blocks"]

Row = dict[str, Any]
Block = Heading | ReportTable

#: The registers the report prints, in the original's order (資料編 Ⅰ．１ … １０).
PRINTED_KINDS = (
    "case_reports", "model_unions_tiers", "model_unions_detail", "meetings_stats", "new_hires",
    "small_lot_life", "spot_campaigns", "effective_month_results", "mycar_estimates",
    "no_coverage_campaign",
)

def _n(label: str, *, suffix: str = "", width: int = 8) -> Column:
    return Column(label, CellKind.NUMBER, width=width, suffix=suffix)


def _pct(label: str, places: int, width: int = 8) -> Column:
    return Column(label, CellKind.PCT, places, width=width)


def _t(label: str, width: int = 10) -> Column:
    return Column(label, width=width)


def _month(value: Any) -> str:
    """'2024-06' → 2024年6月発効."""
    text = str(value or "")
    if len(text) >= 7 and text[4] == "-":
        return format_year_month(YearMonth(int(text[:4]), int(text[5:7]))) + "発効"
    return text


def _table(key: str, title: str, columns: tuple[Column, ...], rows: list[TableRow], *,
           groups: tuple[tuple[str, int], ...] = (), caption: str = "") -> ReportTable:
    return ReportTable(key=f"資料Ⅰ {key}", title=title, columns=columns, rows=tuple(rows),
                       header_groups=groups, caption=caption)


def _by(rows: list[Row], name: str) -> dict[Any, list[Row]]:
    groups: dict[Any, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.get(name), []).append(row)
    return groups


def _is_total(row: Row, label_column: str, labels: tuple[str, ...] = ("合計", "総合計")) -> bool:
    return str(row.get(label_column) or "") in labels


# １．特徴的な取り組み ---------------------------------------------------------------------------

def _case_reports(rows: list[Row], title: str, _years: YearLabels) -> list[Block]:
    blocks: list[Block] = [Heading(title, level=3)]
    for number, (topic, members) in enumerate(_by(rows, "topic").items(), start=1):
        heading = paren_number(number) + topic
        table_rows = []
        for row in members:
            place = row.get("prefecture") or ""
            if row.get("union"):
                place = f"{place}\n{row['union']}"
            body = "\n".join(part for part in (
                row.get("reason") or "",
                f"{row.get('text') or ''}{row.get('confirmed_month') or ''}") if part)
            table_rows.append(TableRow((place, body)))
        blocks.append(_table(f"1-{number} {topic}", heading,
                             (_t("県支部", 10), _t("《上段》ヒアリング理由、《下段》取り組み内容", 70)),
                             table_rows))
    return blocks


# ２．加入拡大モデル単組 ------------------------------------------------------------------------------

def _model_unions_tiers(rows: list[Row], title: str, _years: YearLabels) -> list[Block]:
    blocks: list[Block] = [Heading(title, level=3)]
    for tier, members in _by(rows, "tier").items():
        label = str(members[0].get("tier_label") or "")
        heading = paren_number(tier) + label
        table_rows = []
        previous = None
        for row in members:  # the prefecture once per group (愛媛: 八幡浜市…, 松前町…)
            prefecture = row.get("prefecture")
            starts = prefecture != previous
            previous = prefecture
            table_rows.append(TableRow((prefecture if starts else "", row.get("union"),
                                        row.get("achievement_pct")), group_start=starts))
        blocks.append(_table(f"2-{tier} モデル単組", heading,
                             (_t("県", 8), _t("単組", 30), _pct("達成率", 1)), table_rows))
    return blocks


def _model_unions_detail(rows: list[Row], title: str, _years: YearLabels) -> list[Block]:
    # the union (the row's key) on one line: 14 characters (公立八女総合病院職員労働組合)
    columns = (_t("県支部", 8), _t("単組", 26), _n("目標", width=5), _n("実績", width=5),
               _pct("到達率", 1, 7), _t("取り組み内容", 49))
    table_rows = [TableRow((r.get("prefecture"), r.get("union"), r.get("target"), r.get("actual"),
                            r.get("achievement_pct"),
                            f"{r.get('text') or ''}{r.get('confirmed_month') or ''}"))
                  for r in rows]
    return [_table("2 特徴的な取り組み", title, columns, table_rows)]


# ３．会議の開催状況・４．単組・組合員への周知活動 ---------------------------------------------------------

def _places(value: Any) -> int:
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return 0


def _printed(value: Any, unit: str) -> str:
    """The figure with its unit as one printed cell (147回, △0.4回, 124.7%, △13.8P)."""
    if value is None:
        return ""
    return format_printed(value, unit, _places(value)).replace(" ", "")


def _meetings(rows: list[Row], _title: str, _years: YearLabels) -> list[Block]:
    blocks: list[Block] = []
    for section, in_section in _by(rows, "section").items():
        blocks.append(Heading(str(section), level=3))
        for subsection, members in _by(in_section, "subsection").items():
            first = members[0]
            nested = any(row.get("measure") for row in members)
            columns = ((_t("", 12),) if nested else ()) + (
                _t("", 14), _n(str(first.get("cur_label") or "当年度"), width=12),
                _n(str(first.get("prev_label") or "前年度"), width=12), _n("増減", width=12))
            table_rows = []
            previous = None
            for row in members:
                measure = row.get("measure") or ""
                starts = measure != previous
                previous = measure
                unit = str(row.get("unit") or "")
                label = (measure if starts else "",) if nested else ()
                table_rows.append(TableRow((
                    *label, row.get("sub_measure") or "",
                    _printed(row.get("value_cur"), unit), _printed(row.get("value_prev"), unit),
                    _printed(row.get("change"), str(row.get("change_unit") or unit)),
                ), total=str(row.get("sub_measure") or "").replace(" ", "") == "合計",
                    group_start=starts and nested))
            blocks.append(_table(f"{str(section)[:2]}{subsection}", str(subsection),
                                 columns, table_rows))
    return blocks


# ５．新規採用者対策 ----------------------------------------------------------------------------------

def _new_hires(rows: list[Row], title: str, years: YearLabels) -> list[Block]:
    cur, prev = years.fill("{cur}年度"), years.fill("{prev}年度")
    columns = (_t("CD", 4), _t("名称", 8), _t("発効月", 10),
               _n(cur), _n(prev), _n(cur), _n(prev), _pct(cur, 1), _pct(prev, 1))
    table_rows = [TableRow((r.get("code") or "", r.get("branch"), r.get("effective_months") or "",
                            r.get("coop_joined_cur"), r.get("coop_joined_prev"),
                            r.get("life_joined_cur"), r.get("life_joined_prev"),
                            r.get("rate_cur_pct"), r.get("rate_prev_pct")),
                           total=_is_total(r, "branch"))
                  for r in rows]
    return [_table("5 新規採用者対策", title, columns, table_rows,
                   groups=(("県支部", 3), ("生協加入数", 2), ("団生加入数", 2), ("加入率", 2)))]


# ６．会計年度任用職員対策 ------------------------------------------------------------------------------

def _small_lot_life(rows: list[Row], title: str, _years: YearLabels) -> list[Block]:
    previous = None
    table_rows = []
    for row in rows:
        prefecture = row.get("prefecture")
        starts = prefecture != previous
        previous = prefecture
        table_rows.append(TableRow((prefecture if starts else "", row.get("holdings"),
                                    row.get("union") or ""),
                                   total=_is_total(row, "prefecture"), group_start=starts))
    return [Heading("６．会計年度任用職員（臨時・非常勤等職員）対策の実行状況", level=3),
            _table("6 小口型団生", title, (_t("県名", 8), _n("保有件数", suffix="件"),
                                          _t("単組", 36)), table_rows)]


# ７．スポット募集・８．発効月別 ------------------------------------------------------------------------

def _spot_campaigns(rows: list[Row], title: str, _years: YearLabels) -> list[Block]:
    blocks: list[Block] = [Heading(title, level=3)]
    columns = (_t("県名", 8), _t("対象単組", 10), _n("目標件数"), _n("新契約実績"),
               _t("対象単組", 10), _n("新契約実績"), _n("増減"))
    for month, members in _by(rows, "effective_month").items():
        table_rows = [TableRow((r.get("prefecture"), r.get("target_unions") or "",
                                r.get("target_count"), r.get("new_contracts"),
                                r.get("prev_target_unions") or "", r.get("prev_new_contracts"),
                                r.get("change")), total=_is_total(r, "prefecture"))
                      for r in members]
        blocks.append(_table(f"7 {month}", _month(month), columns, table_rows,
                             groups=(("", 1), ("当年実績", 3), ("前年実績", 2), ("", 1))))
    return blocks


def _effective_month_results(rows: list[Row], title: str, _years: YearLabels) -> list[Block]:
    blocks: list[Block] = [Heading(title, level=3)]
    for month, members in _by(rows, "effective_month").items():
        first = members[0]
        prev = str(first.get("prev_year_label") or "前年")
        cur = str(first.get("cur_year_label") or "当年")
        pair = f"{prev.rstrip('年')}・{cur}比較"
        before = _earlier_pair(prev, cur)
        columns = (_t("県名", 8), _n(prev), _n(cur), _n(pair, width=10), _n(before, width=10),
                   _n(prev), _n(cur), _n(pair, width=10), _n(before, width=10), _pct("継続率", 1))
        table_rows = [TableRow((r.get("prefecture"), r.get("new_prev"), r.get("new_cur"),
                                r.get("new_change"), r.get("new_change_prev_period"),
                                r.get("holdings_prev"), r.get("holdings_cur"),
                                r.get("holdings_change"), r.get("holdings_change_prev_period"),
                                r.get("continuation_pct")), total=_is_total(r, "prefecture"))
                      for r in members]
        heading = str(first.get("effective_month_printed") or _month(month)).replace(" ", "")
        blocks.append(_table(f"8 {month}", heading, columns, table_rows,
                             groups=(("", 1), ("新契約実績", 4), ("保有件数実績", 4), ("", 1))))
    return blocks


def _earlier_pair(prev: str, cur: str) -> str:
    """23年/24年 → 22・23年比較 (the same comparison a year earlier)."""
    try:
        first = int(prev.rstrip("年"))
    except ValueError:
        return "前年度比較"
    return f"{first - 1}・{first}年比較"


# ９．マイカー見積もり・１０．無保障者をなくす取り組み ------------------------------------------------------------

def _mycar_estimates(rows: list[Row], title: str, years: YearLabels) -> list[Block]:
    columns = (_t("県支部名", 8), _n(years.fill("基本型加入者数（{as_of}）"), width=12),
               _n(years.fill("マイカー新契約（{prior_end}）"), width=12),
               _n(years.fill("見積り数（{prior_end_month}月末）"), width=10),
               _n(years.fill("マイカー新契約（{as_of}）"), width=12),
               _n(years.fill("見積り数（{as_of_month}月末現在）"), width=10))
    table_rows = [TableRow((r.get("branch"), r.get("basic_members_cur"),
                            r.get("new_contracts_prev"), r.get("estimates_prev"),
                            r.get("new_contracts_cur"), r.get("estimates_cur")),
                           total=_is_total(r, "branch")) for r in rows]
    return [_table("9 マイカー見積もり", title, columns, table_rows,
                   groups=(("", 2), (years.fill("{prev_yy}年度"), 2),
                           (years.fill("{cur_yy}年度"), 2)))]


def _no_coverage(rows: list[Row], title: str, _years: YearLabels) -> list[Block]:
    columns = (_t("県支部", 6), _n("見積目標", width=6), _n("合計", width=6),
               _n("火災共済新契約", width=6), _n("見積等計", width=6),
               _n("計", width=5), _n("県支部", width=5), _n("推進本部", width=5),
               _n("計", width=5), _n("県支部", width=5), _n("推進本部", width=5),
               _pct("到達率", 2, 7),
               _n("計", width=5), _n("県支部", width=5), _n("推進本部", width=5))
    table_rows = [TableRow((r.get("branch"), r.get("estimate_target"), r.get("total"),
                            r.get("fire_new_contracts"), r.get("estimates_total"),
                            r.get("quotes_total"), r.get("quotes_branch"), r.get("quotes_promo_hq"),
                            r.get("premium_guides_total"), r.get("premium_guides_branch"),
                            r.get("premium_guides_promo_hq"), r.get("achievement_pct"),
                            r.get("seminars_total"), r.get("seminars_branch"),
                            r.get("seminars_promo_hq")), total=_is_total(r, "branch"))
                  for r in rows]
    return [_table("10 無保障者をなくす取り組み", title, columns, table_rows,
                   groups=(("", 5), ("見積書作成数", 3), ("掛金案内数（見積書作成なし）", 3), ("", 1),
                           ("学習会・セミナー開催回数", 3)))]


LAYOUTS: Mapping[str, Callable[[list[Row], str, YearLabels], list[Block]]] = {
    "case_reports": _case_reports,
    "model_unions_tiers": _model_unions_tiers,
    "model_unions_detail": _model_unions_detail,
    "meetings_stats": _meetings,
    "new_hires": _new_hires,
    "small_lot_life": _small_lot_life,
    "spot_campaigns": _spot_campaigns,
    "effective_month_results": _effective_month_results,
    "mycar_estimates": _mycar_estimates,
    "no_coverage_campaign": _no_coverage,
}


def appendix_blocks(
    tables: Mapping[str, list[Row]], titles: Mapping[str, str], years: YearLabels,
    notes: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Block]:
    """The printed registers in the original's order; `titles` as the edition dates them,
    `years` the tables' fiscal year and months for the column headings (2024年度, 2024年11月),
    `notes` printed under a register's first table (※ 組織加入県…)."""
    blocks: list[Block] = []
    for kind in PRINTED_KINDS:
        rows = tables.get(kind)
        if rows:
            laid_out = LAYOUTS[kind](rows, titles.get(kind, ""), years)
            kind_notes = (notes or {}).get(kind)
            for index, block in enumerate(laid_out if kind_notes else ()):
                if isinstance(block, ReportTable):
                    laid_out[index] = replace(block, notes=block.notes + tuple(kind_notes or ()))
                    break
            blocks.extend(laid_out)
    return blocks
