"""The appendix registers (資料編): only entered figures are stored, derived cells never are.

Field names are the column names of the report's CSVs (RULES-appendix.md), so a register row
and a table row map one to one; 合計 rows and derived columns are recomputed by the domain.
"""

from typing import Literal, overload

from django.db import models

from kyosai.core.models import TimeStampedModel
from kyosai.org.models import Branch, Union

__all__ = [
    "CaseReport",
    "EffectiveMonthResult",
    "MeetingBase",
    "MeetingStat",
    "MemberSurvey",
    "ModelUnion",
    "ModelUnionStanding",
    "MyCarEstimate",
    "NewHireResult",
    "NoCoverageCampaign",
    "SmallLotHolding",
    "SpotCampaign",
]

DEFAULT_FISCAL_YEAR = 2024


class Register(TimeStampedModel):
    """A row of an appendix register, for one fiscal year."""

    fiscal_year = models.PositiveSmallIntegerField("事業年度", default=DEFAULT_FISCAL_YEAR)

    class Meta:
        abstract = True


# Field factories, typed so that a row's attributes are (Branch, Union | None, int …); the
# annotations are quoted so that the generic fields are never subscripted at import time.
def _branch() -> "models.ForeignKey[Branch, Branch]":
    return models.ForeignKey(Branch, verbose_name="県支部", on_delete=models.PROTECT,
                             related_name="+")


@overload
def _union(null: Literal[False] = False) -> "models.ForeignKey[Union, Union]": ...
@overload
def _union(null: Literal[True]) -> "models.ForeignKey[Union | None, Union | None]": ...
def _union(null: bool = False) -> "models.ForeignKey[Union, Union | None]":
    return models.ForeignKey(Union, verbose_name="単組", on_delete=models.PROTECT, related_name="+",
                             null=null, blank=null)


@overload
def _count(label: str, null: Literal[False] = False) -> "models.IntegerField[int, int]": ...
@overload
def _count(label: str, null: Literal[True]) -> "models.IntegerField[int | None, int | None]": ...
def _count(label: str, null: bool = False) -> "models.IntegerField[int, int | None]":
    return models.IntegerField(label, null=null, blank=null, default=None if null else 0)


class MeetingStat(Register):
    """３．会議の開催状況／４．周知活動: a national count (全国計, or organisers by affiliation)."""

    position = models.PositiveIntegerField("表示順", default=0)
    section = models.CharField("項目", max_length=100)
    subsection = models.CharField("会議・活動", max_length=100)
    measure = models.CharField("指標", max_length=20, blank=True)
    sub_measure = models.CharField("区分", max_length=20)
    unit = models.CharField("単位", max_length=8)
    value_2024 = _count("当年度")
    value_prev = _count("前年度")
    cur_label = models.CharField("当年度の表記", max_length=20, blank=True, default="2024 年度")
    prev_label = models.CharField("前年度の表記", max_length=20, blank=True, default="2023 年度")

    class Meta:
        verbose_name = "会議・周知活動の実績"
        verbose_name_plural = verbose_name
        ordering = ["fiscal_year", "position", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["fiscal_year", "subsection", "measure", "sub_measure"], name="unique_meeting_stat")]

    def __str__(self) -> str:
        return f"{self.subsection} {self.measure} {self.sub_measure}".replace("  ", " ")


class MeetingBase(TimeStampedModel):
    """The bases of the ratios: 全単組数・全役員数・全組合員数 of a year (not printed in the report)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    all_unions = _count("全単組数", null=True)
    all_officers = _count("全役員数", null=True)
    all_members = _count("全組合員数", null=True)
    note = models.CharField("備考", max_length=200, blank=True)

    class Meta:
        verbose_name = "周知活動の母数"
        verbose_name_plural = verbose_name
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年度の母数"


class NewHireResult(Register):
    """５．新規採用者対策: 生協加入数 and 団生加入数 of a branch, this year and last."""

    branch = _branch()
    effective_months = models.CharField("発効月", max_length=40, blank=True)
    coop_joined_2024 = _count("生協加入数（当年度）")
    coop_joined_2023 = _count("生協加入数（前年度）")
    life_joined_2024 = _count("団生加入数（当年度）")
    life_joined_2023 = _count("団生加入数（前年度）")

    class Meta:
        verbose_name = "新規採用者対策"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "branch"],
                                               name="unique_new_hire_result")]

    def __str__(self) -> str:
        return f"{self.branch} {self.fiscal_year}年度 新規採用者対策"


class SmallLotHolding(Register):
    """６．（１）小口型団生保有実績: holdings of one union."""

    branch = _branch()
    union = _union()
    holdings = _count("保有件数")

    class Meta:
        verbose_name = "小口型団生保有実績"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "union"],
                                               name="unique_small_lot_holding")]

    def __str__(self) -> str:
        return f"{self.union} 小口型団生 {self.holdings}件"


class SpotCampaign(Register):
    """７．スポット募集: one branch's campaign for one effective month, and last year's."""

    effective_month = models.CharField("発効月", max_length=7)
    branch = _branch()
    target_unions = models.CharField("当年 対象単組", max_length=20, blank=True)
    target_count = _count("当年 目標件数")
    new_contracts = _count("当年 新契約実績")
    prev_target_unions = models.CharField("前年 対象単組", max_length=20, blank=True)
    prev_new_contracts = _count("前年 新契約実績")

    class Meta:
        verbose_name = "スポット募集"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["effective_month", "branch"],
                                               name="unique_spot_campaign")]

    def __str__(self) -> str:
        return f"{self.effective_month} {self.branch} スポット募集"


class EffectiveMonthResult(Register):
    """８．発効月別の実績: group-life new contracts and holdings of one effective month."""

    effective_month = models.CharField("発効月", max_length=7)
    effective_month_printed = models.CharField("発効月（表記）", max_length=30, blank=True)
    branch = _branch()
    prev_year_label = models.CharField("前年の表記", max_length=10, blank=True)
    cur_year_label = models.CharField("当年の表記", max_length=10, blank=True)
    new_prev = _count("新契約 前年")
    new_cur = _count("新契約 当年")
    new_change_prev_period = _count("新契約 前年度比較", null=True)
    holdings_prev = _count("保有 前年")
    holdings_cur = _count("保有 当年")
    holdings_change_prev_period = _count("保有 前年度比較", null=True)
    note = models.TextField("備考", blank=True)

    class Meta:
        verbose_name = "団体生命共済の発効月別実績"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "effective_month", "branch"],
                                               name="unique_effective_month_result")]

    def __str__(self) -> str:
        return f"{self.effective_month} {self.branch} 発効月別実績"


class MyCarEstimate(Register):
    """９．マイカー共済の見積もりキャンペーン (本部 is a row like the branches)."""

    branch = _branch()
    basic_members_2024_11 = _count("基本型加入者数")
    new_contracts_2024_05 = _count("前年度 マイカー新契約")
    estimates_05_end = _count("前年度 見積り数")
    new_contracts_2024_11 = _count("当年度 マイカー新契約")
    estimates_11_end = _count("当年度 見積り数")

    class Meta:
        verbose_name = "マイカー共済見積もりキャンペーン"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "branch"],
                                               name="unique_mycar_estimate")]

    def __str__(self) -> str:
        return f"{self.branch} マイカー見積もり"


class NoCoverageCampaign(Register):
    """１０．住まいる共済 無保障者をなくす取り組み: the entered counts; totals and 到達率 derived."""

    branch = _branch()
    estimate_target = _count("見積目標")
    fire_new_contracts = _count("火災共済新契約")
    quotes_branch = _count("見積書作成数（県支部）")
    quotes_promo_hq = _count("見積書作成数（推進本部）")
    premium_guides_branch = _count("掛金案内数（県支部）")
    premium_guides_promo_hq = _count("掛金案内数（推進本部）")
    seminars_branch = _count("学習会・セミナー（県支部）")
    seminars_promo_hq = _count("学習会・セミナー（推進本部）")

    class Meta:
        verbose_name = "無保障者をなくす取り組み"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "branch"],
                                               name="unique_no_coverage_campaign")]

    def __str__(self) -> str:
        return f"{self.branch} 無保障者をなくす取り組み"


class ModelUnion(Register):
    """加入拡大モデル単組: target and cumulative result, with its 特徴的な取り組み."""

    branch = _branch()
    union = _union()
    target = _count("目標")
    actual = _count("実績")
    confirmed_month = models.CharField("確認月", max_length=20, blank=True)
    text = models.TextField("取り組み内容", blank=True)
    text_chars = _count("取り組み内容の文字数", null=True)

    class Meta:
        verbose_name = "加入拡大モデル単組"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "union"],
                                               name="unique_model_union")]

    def __str__(self) -> str:
        return f"{self.union} モデル単組"


class ModelUnionStanding(Register):
    """A model union's 達成率 as listed by tier at a later month (the tier is derived)."""

    branch = _branch()
    union = _union()
    achievement_pct = models.DecimalField("達成率", max_digits=7, decimal_places=1)

    class Meta:
        verbose_name = "モデル単組の達成状況"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "union"],
                                               name="unique_model_union_standing")]

    def __str__(self) -> str:
        return f"{self.union} {self.achievement_pct}%"


class MemberSurvey(Register):
    """組合員アンケート: distributed and collected per branch and survey group (goal 70 %)."""

    survey_group = models.CharField("実施グループ", max_length=40)
    branch = _branch()
    distributed = _count("配布数")
    collected = _count("回収数")

    class Meta:
        verbose_name = "組合員アンケート"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "survey_group", "branch"],
                                               name="unique_member_survey")]

    def __str__(self) -> str:
        return f"{self.survey_group} {self.branch} アンケート"


class CaseReport(Register):
    """特徴的な取り組み: what a branch (or union) did, why HQ heard it, when it was confirmed."""

    topic = models.CharField("取り組み", max_length=60)
    branch = _branch()
    union = _union(null=True)
    reason = models.TextField("ヒアリング理由", blank=True)
    text = models.TextField("取り組み内容")
    confirmed_month = models.CharField("確認月", max_length=20, blank=True)

    class Meta:
        verbose_name = "特徴的な取り組み"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "topic", "branch", "union"],
                                               name="unique_case_report")]

    def __str__(self) -> str:
        return f"{self.topic} {self.branch}"
