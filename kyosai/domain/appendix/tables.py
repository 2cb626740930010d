"""The appendix tables: which columns are entered, which are derived, and how totals are built.

A table is computed from its entered figures only: derived columns and 合計 rows are always
recomputed here (RULES-appendix.md), never taken from a file.
"""

import re
from collections.abc import Callable, Sequence
from typing import Any

from kyosai.domain.appendix import rules
from kyosai.domain.appendix.spec import ColumnSpec, Context, Row, TableSpec

__all__ = [
    "BRANCH_STAFFING",
    "CASE_REPORTS",
    "EFFECTIVE_MONTH_RESULTS",
    "MEETING_BASES",
    "MEMBER_SURVEY",
    "MODEL_UNIONS_DETAIL",
    "MODEL_UNIONS_TIERS",
    "MYCAR_ESTIMATES",
    "NEW_HIRES",
    "NO_COVERAGE_CAMPAIGN",
    "SMALL_LOT_LIFE",
    "SPOT_CAMPAIGNS",
    "confirmation_month",
]


def _text(name: str, *, required: bool = True, printed: bool = True, label: str = "") -> ColumnSpec:
    return ColumnSpec(name, "text", required=required, printed=printed, label=label)


def _int(name: str, label: str = "", *, required: bool = True) -> ColumnSpec:
    return ColumnSpec(name, "int", required=required, label=label)


def _derived(name: str, kind: str = "int", label: str = "") -> ColumnSpec:
    return ColumnSpec(name, kind, derived=True, required=False, label=label)


def _with_totals(
    records: list[Row], *, label_column: str, total_label: str, sum_columns: Sequence[str],
    derive: Callable[[Row], None], group_column: str | None = None,
    copy_columns: Sequence[str] = (),
) -> list[Row]:
    """Each row with its derived cells, then a total row per group (or one at the end)."""
    groups: dict[Any, list[Row]] = {}
    for record in records:
        groups.setdefault(record.get(group_column) if group_column else None, []).append(record)
    out: list[Row] = []
    for group, members in groups.items():
        for record in members:
            row = dict(record)
            derive(row)
            out.append(row)
        total: Row = {column: members[0].get(column) for column in copy_columns}
        total.update(rules.column_sums(members, sum_columns))
        total[label_column] = total_label
        if group_column:
            total[group_column] = group
        derive(total)
        out.append(total)
    return out


# ５．新規採用者対策 ------------------------------------------------------------------------------

def _new_hire_rates(row: Row) -> None:
    row["rate_cur_pct"] = rules.join_rate_pct(row["life_joined_cur"], row["coop_joined_cur"])
    row["rate_prev_pct"] = rules.join_rate_pct(row["life_joined_prev"], row["coop_joined_prev"])


NEW_HIRE_COUNTS = ("coop_joined_cur", "coop_joined_prev", "life_joined_cur", "life_joined_prev")

NEW_HIRES = TableSpec(
    kind="new_hires",
    title="５．新規採用者対策の実行状況（各年度 5 月～12 月の実績）",
    columns=(
        _text("code", required=False, label="CD"), _text("branch", label="名称"),
        _text("effective_months", required=False, label="発効月"),
        _int("coop_joined_cur", "生協加入数 {cur}"), _int("coop_joined_prev", "生協加入数 {prev}"),
        _int("life_joined_cur", "団生加入数 {cur}"), _int("life_joined_prev", "団生加入数 {prev}"),
        _derived("rate_cur_pct", "pct", "加入率 {cur}"), _derived("rate_prev_pct", "pct", "加入率 {prev}"),
    ),
    key=("branch",), branch_column="branch", total_label="合計",
    legacy=(("coop_joined_{cur}", "coop_joined_cur"), ("coop_joined_{prev}", "coop_joined_prev"),
            ("life_joined_{cur}", "life_joined_cur"), ("life_joined_{prev}", "life_joined_prev"),
            ("rate_{cur}_pct", "rate_cur_pct"), ("rate_{prev}_pct", "rate_prev_pct")),
    compute=lambda records, _ctx: _with_totals(
        records, label_column="branch", total_label="合計", sum_columns=NEW_HIRE_COUNTS,
        derive=_new_hire_rates,
    ),
)


# ６．（１）小口型団生保有実績 --------------------------------------------------------------------

SMALL_LOT_LIFE = TableSpec(
    kind="small_lot_life",
    title="６．（１）小口型団生保有実績",
    columns=(_text("prefecture", label="県名"), _int("holdings", "保有件数"),
             _text("union", label="単組")),
    key=("prefecture", "union"), branch_column="prefecture", union_column="union",
    total_label="合計",
    compute=lambda records, _ctx: _with_totals(
        records, label_column="prefecture", total_label="合計", sum_columns=("holdings",),
        derive=lambda row: None,
    ) if records else [],
)


# ７．スポット募集 ---------------------------------------------------------------------------------

def _spot_change(row: Row) -> None:
    row["change"] = row["new_contracts"] - row["prev_new_contracts"]


SPOT_CAMPAIGNS = TableSpec(
    kind="spot_campaigns",
    title="７．団体生命共済等のスポット募集の実行状況",
    columns=(
        ColumnSpec("effective_month", "month", label="発効月"), _text("prefecture", label="県名"),
        _text("target_unions", required=False, label="当年 対象単組"),
        _int("target_count", "当年 目標件数"), _int("new_contracts", "当年 新契約実績"),
        _text("prev_target_unions", required=False, label="前年 対象単組"),
        _int("prev_new_contracts", "前年 新契約実績"), _derived("change", label="増減"),
    ),
    key=("effective_month", "prefecture"), branch_column="prefecture", total_label="合計",
    compute=lambda records, _ctx: _with_totals(
        records, label_column="prefecture", total_label="合計", group_column="effective_month",
        sum_columns=("target_count", "new_contracts", "prev_new_contracts"), derive=_spot_change,
    ),
)


# ８．団体生命共済の発効月別の実績 -------------------------------------------------------------------

def _effective_derived(row: Row) -> None:
    row["new_change"] = row["new_cur"] - row["new_prev"]
    row["holdings_change"] = row["holdings_cur"] - row["holdings_prev"]
    row["continuation_pct"] = rules.continuation_pct(
        row["holdings_cur"], row["new_cur"], row["holdings_prev"])


EFFECTIVE_MONTH_RESULTS = TableSpec(
    kind="effective_month_results",
    title="８．団体生命共済の発効月別の実績",
    columns=(
        ColumnSpec("effective_month", "month", label="発効月"),
        _text("effective_month_printed", required=False, label="発効月（表記）"),
        _text("prefecture", label="県名"),
        _text("prev_year_label", required=False, label="前年"),
        _text("cur_year_label", required=False, label="当年"),
        _int("new_prev", "新契約 前年"), _int("new_cur", "新契約 当年"),
        _derived("new_change", label="新契約 増減"),
        _int("new_change_prev_period", "新契約 前年度比較", required=False),
        _int("holdings_prev", "保有 前年"), _int("holdings_cur", "保有 当年"),
        _derived("holdings_change", label="保有 増減"),
        _int("holdings_change_prev_period", "保有 前年度比較", required=False),
        _derived("continuation_pct", "pct", "継続率"),
        _text("note", required=False, label="備考"),
    ),
    key=("effective_month", "prefecture"), branch_column="prefecture", total_label="合計",
    compute=lambda records, _ctx: _with_totals(
        records, label_column="prefecture", total_label="合計", group_column="effective_month",
        sum_columns=("new_prev", "new_cur", "new_change_prev_period", "holdings_prev",
                     "holdings_cur", "holdings_change_prev_period"),
        derive=_effective_derived,
        copy_columns=("effective_month_printed", "prev_year_label", "cur_year_label", "note"),
    ),
)


# ９．マイカー共済の見積もりキャンペーン -------------------------------------------------------------

#: 基本型加入者数 and this year's figures are as of the half-year's last month (November), last
#: year's as of the previous fiscal year's last month (May).
MYCAR_COUNTS = ("basic_members_cur", "new_contracts_prev", "estimates_prev", "new_contracts_cur",
                "estimates_cur")

MYCAR_ESTIMATES = TableSpec(
    kind="mycar_estimates",
    title="９．マイカー共済の見積もりキャンペーンの実行状況",
    columns=(
        _text("branch", label="県支部名"), _int("basic_members_cur", "基本型加入者数"),
        _int("new_contracts_prev", "{prev_yy}年度 マイカー新契約"),
        _int("estimates_prev", "{prev_yy}年度 見積り数"),
        _int("new_contracts_cur", "{cur_yy}年度 マイカー新契約"),
        _int("estimates_cur", "{cur_yy}年度 見積り数"),
    ),
    key=("branch",), branch_column="branch", total_label="総合計",
    legacy=(("basic_members_{cur}_11", "basic_members_cur"),
            ("new_contracts_{cur}_05", "new_contracts_prev"), ("estimates_05_end", "estimates_prev"),
            ("new_contracts_{cur}_11", "new_contracts_cur"), ("estimates_11_end", "estimates_cur")),
    compute=lambda records, _ctx: _with_totals(
        records, label_column="branch", total_label="総合計", sum_columns=MYCAR_COUNTS,
        derive=lambda row: None,
    ),
)


# １０．住まいる共済 無保障者をなくす取り組み --------------------------------------------------------

NO_COVERAGE_INPUTS = ("estimate_target", "fire_new_contracts", "quotes_branch", "quotes_promo_hq",
                      "premium_guides_branch", "premium_guides_promo_hq", "seminars_branch",
                      "seminars_promo_hq")


def _no_coverage_derived(row: Row) -> None:
    row["quotes_total"] = row["quotes_branch"] + row["quotes_promo_hq"]
    row["premium_guides_total"] = row["premium_guides_branch"] + row["premium_guides_promo_hq"]
    row["estimates_total"] = row["quotes_total"] + row["premium_guides_total"]
    row["total"] = row["fire_new_contracts"] + row["estimates_total"]
    row["seminars_total"] = row["seminars_branch"] + row["seminars_promo_hq"]
    row["achievement_pct"] = rules.estimate_achievement_pct(row["total"], row["estimate_target"])


NO_COVERAGE_CAMPAIGN = TableSpec(
    kind="no_coverage_campaign",
    title="１０．住まいる共済 無保障者をなくす取り組み状況",
    columns=(
        _text("branch", label="県支部"), _int("estimate_target", "見積目標"),
        _derived("total", label="合計"), _int("fire_new_contracts", "火災共済新契約"),
        _derived("estimates_total", label="見積等計"), _derived("quotes_total", label="見積書作成数"),
        _int("quotes_branch", "見積書作成数 県支部"), _int("quotes_promo_hq", "見積書作成数 推進本部"),
        _derived("premium_guides_total", label="掛金案内数"),
        _int("premium_guides_branch", "掛金案内数 県支部"),
        _int("premium_guides_promo_hq", "掛金案内数 推進本部"),
        _derived("achievement_pct", "pct", "到達率"),
        _derived("seminars_total", label="学習会・セミナー開催回数"),
        _int("seminars_branch", "学習会 県支部"), _int("seminars_promo_hq", "学習会 推進本部"),
    ),
    key=("branch",), branch_column="branch", total_label="合計",
    compute=lambda records, _ctx: _with_totals(
        records, label_column="branch", total_label="合計", sum_columns=NO_COVERAGE_INPUTS,
        derive=_no_coverage_derived,
    ),
)


# ２．加入拡大モデル単組 ----------------------------------------------------------------------------

def _detail_derived(row: Row) -> None:
    row["achievement_pct"] = rules.model_union_achievement_pct(row["actual"], row["target"])
    if row.get("text"):
        row["text_chars"] = len(row["text"])


MODEL_UNIONS_DETAIL = TableSpec(
    kind="model_unions_detail",
    title="＜特徴的な取り組み＞（実績は5月からの累積）",
    columns=(
        _text("prefecture", label="県支部"), _text("union", label="単組"),
        _int("target", "目標"), _int("actual", "実績"), _derived("achievement_pct", "pct", "到達率"),
        _text("confirmed_month", required=False, label="確認月"),
        _int("text_chars", "取り組み内容の文字数", required=False),
        _text("text", required=False, printed=False, label="取り組み内容"),
    ),
    key=("prefecture", "union"), branch_column="prefecture", union_column="union",
    compute=lambda records, _ctx: [_apply(record, _detail_derived) for record in records],
)


def _apply(record: Row, derive: Callable[[Row], None]) -> Row:
    row = dict(record)
    derive(row)
    return row


def _tiers(records: list[Row], _ctx: Context) -> list[Row]:
    banded: dict[rules.ModelUnionTier, list[Row]] = {tier: [] for tier in rules.ModelUnionTier}
    for record in records:
        tier = rules.tier_for(record["achievement_pct"])
        if tier is not None:
            banded[tier].append(record)
    out: list[Row] = []
    for tier, members in banded.items():
        for record in members:
            out.append({**record, "tier": int(tier), "tier_label": tier.heading(len(members))})
    return out


MODEL_UNIONS_TIERS = TableSpec(
    kind="model_unions_tiers",
    title="２．加入拡大モデル単組の取り組み状況",
    columns=(
        _derived("tier", label="区分"), _derived("tier_label", "text", "区分名"),
        _text("prefecture", label="県"), _text("union", label="単組"),
        ColumnSpec("achievement_pct", "pct", label="達成率"),
    ),
    key=("prefecture", "union"), branch_column="prefecture", union_column="union",
    compute=_tiers,
)


# 組合員アンケート回収率 (goal 70 %) ----------------------------------------------------------------

def _survey_derived(row: Row) -> None:
    row["collection_pct"] = rules.collection_pct(row["collected"], row["distributed"])
    met = rules.survey_goal_met(row["collection_pct"])
    row["goal_met"] = "" if met is None else ("達成" if met else "未達")


MEMBER_SURVEY = TableSpec(
    kind="member_survey",
    title="じちろう共済に関する組合員アンケートの回収状況（目標 70％）",
    columns=(
        _text("survey_group", label="実施グループ"), _text("branch", label="県支部"),
        _int("distributed", "配布数"), _int("collected", "回収数"),
        _derived("collection_pct", "pct", "回収率"), _derived("goal_met", "text", "目標70％"),
    ),
    key=("survey_group", "branch"), branch_column="branch", total_label="合計",
    compute=lambda records, _ctx: _with_totals(
        records, label_column="branch", total_label="合計", group_column="survey_group",
        sum_columns=("distributed", "collected"), derive=_survey_derived,
    ),
)


# １．特徴的な取り組み (case reports) -----------------------------------------------------------------

_CONFIRMED = re.compile(r"【\s*(\d{1,2})\s*月確認(中?)】")


def confirmation_month(tag: str) -> tuple[int | None, bool]:
    """The month of a 【N月確認】 tag and whether it is still 確認中."""
    match = _CONFIRMED.search(tag or "")
    if not match:
        return None, False
    return int(match.group(1)), match.group(2) == "中"


def _case_derived(row: Row) -> None:
    row["text_chars"] = len(row.get("text") or "")


CASE_REPORTS = TableSpec(
    kind="case_reports",
    title="１．特徴的な取り組み",
    columns=(
        _text("topic", label="取り組み"), _text("prefecture", label="県支部"),
        _text("union", required=False, label="単組"), _text("reason", required=False, label="ヒアリング理由"),
        _text("text", label="取り組み内容"), _text("confirmed_month", required=False, label="確認月"),
        _derived("text_chars", label="文字数"),
    ),
    key=("topic", "prefecture", "union"), branch_column="prefecture", union_column="union",
    compute=lambda records, _ctx: [_apply(record, _case_derived) for record in records],
)


# 県支部体制 (staffing at the fiscal year's start) ----------------------------------------------------

BRANCH_STAFFING = TableSpec(
    kind="branch_staffing",
    title="県支部職員の配置定数（年度始期）",
    columns=(_text("branch", label="県支部"), ColumnSpec("staff", "pct", label="配置定数")),
    key=("branch",), branch_column="branch",
    compute=lambda records, _ctx: [dict(record) for record in records],
)


# 会議の母数 (全単組数・全役員数・全組合員数 per year) ---------------------------------------------------

MEETING_BASES = TableSpec(
    kind="meeting_bases",
    title="周知活動の母数（全単組数・全役員数・全組合員数）",
    columns=(_int("year", "年度"), _int("all_unions", "全単組数", required=False),
             _int("all_officers", "全役員数", required=False),
             _int("all_members", "全組合員数", required=False),
             _text("note", required=False, label="備考")),
    key=("year",), branch_column=None,
    compute=lambda records, _ctx: [dict(record) for record in records],
)
