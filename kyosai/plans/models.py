"""PDCA plans: plan → section (Ⅳ) → chapter (１．) → policy (事業推進方針) → plan item (実行計画).

An item has status entries (実行状況, each with its 【N月確認】 month), a rating (◎○△×－) and next
actions (今後の取り組み). HQ's plan is owned by the HQ row (本部, code 00); a branch plan holds the
chapters every branch carries out, each item pointing at the HQ item it copies (`source_item`).
"""

from typing import Any

from django.conf import settings
from django.db import models

from kyosai.core.models import TimeStampedModel
from kyosai.domain.evaluation import Rating
from kyosai.domain.periods import YearMonth
from kyosai.domain.plans import HalfYear, item_code
from kyosai.org.models import Branch

__all__ = ["Chapter", "NextAction", "Plan", "PlanItem", "Policy", "Section", "StatusEntry"]

RATING_CHOICES = [(r.value, f"{r.value} {r.label}") for r in Rating]


class Plan(TimeStampedModel):
    """事業推進計画 of one owner (本部 or a 県支部) for one half-year period."""

    fiscal_year = models.PositiveSmallIntegerField("事業年度")
    period = models.CharField("期間", max_length=8, db_index=True)  # 2024H1
    owner = models.ForeignKey(
        Branch, verbose_name="所管", on_delete=models.PROTECT, related_name="plans"
    )
    carried_from = models.ForeignKey(
        "self", verbose_name="繰越元", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="carried_to",
    )

    class Meta:
        verbose_name = "事業推進計画"
        verbose_name_plural = "事業推進計画"
        ordering = ["period", "owner__display_order", "owner__code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "owner"], name="unique_plan_per_owner_period"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.plan_period.label()}"

    @property
    def plan_period(self) -> HalfYear:
        return HalfYear.parse(self.period)

    @property
    def is_hq(self) -> bool:
        return self.owner.is_hq


class Section(models.Model):
    """Ⅳ．事業推進体制の強化・確立 and its siblings."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField("番号", max_length=4)
    title = models.CharField("表題", max_length=200)
    position = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "章"
        verbose_name_plural = "章"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_section_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.number}．{self.title}"


class Chapter(models.Model):
    """１．自治労本部と自治労共済推進本部の共同推進の取り組み, and so on."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveSmallIntegerField("番号")
    title = models.CharField("表題", max_length=200)
    carried_by_branches = models.BooleanField("全県支部で実施", default=False)

    class Meta:
        verbose_name = "節"
        verbose_name_plural = "節"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="unique_chapter_per_section"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"{self.section.number}-{self.number}"


class Policy(models.Model):
    """事業推進方針."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="policies")
    number = models.PositiveSmallIntegerField("番号")
    text = models.TextField("事業推進方針")

    class Meta:
        verbose_name = "事業推進方針"
        verbose_name_plural = "事業推進方針"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "number"], name="unique_policy_per_chapter"),
        ]

    def __str__(self) -> str:
        return f"事業推進方針{self.number}"


class PlanItem(TimeStampedModel):
    """実行計画: what the owner plans to do, rated ◎○△×－ at the period's end."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField("番号")
    code = models.CharField("項番", max_length=30)  # Ⅳ-1-1-(5)
    text = models.TextField("実行計画")
    rating = models.CharField("評価", max_length=1, choices=RATING_CHOICES, blank=True)
    source_item = models.ForeignKey(
        "self", verbose_name="本部の実行計画", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="branch_items",
    )
    carried_from = models.ForeignKey(
        "self", verbose_name="前期の実行計画", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="carried_to",
    )

    class Meta:
        verbose_name = "実行計画"
        verbose_name_plural = "実行計画"
        ordering = ["policy__chapter__section__position", "policy__chapter__number",
                    "policy__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="unique_item_per_policy"),
        ]
        indexes = [models.Index(fields=["plan", "rating"])]

    def __str__(self) -> str:
        return f"{self.plan.owner} {self.plan.period} {self.code}"

    @staticmethod
    def code_for(section: str, chapter: int, policy: int, number: int) -> str:
        return item_code(section, chapter, policy, number)

    @property
    def rating_value(self) -> Rating | None:
        return Rating(self.rating) if self.rating else None

    def snapshot(self) -> dict[str, Any]:
        """Everything the history compares: rating, plan text, status entries, next actions."""
        return {
            "code": self.code,
            "text": self.text,
            "rating": self.rating,
            "statuses": [entry.as_data() for entry in self.statuses.all()],
            "next_actions": [action.text for action in self.next_actions.all()],
        }


class StatusEntry(TimeStampedModel):
    """実行状況: what was done, dated, by whom, and the month it was confirmed (【N月確認】)."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="statuses")
    position = models.PositiveSmallIntegerField("順序", default=0)
    text = models.TextField("実行状況")
    entered_on = models.DateField("記入日")
    confirmed_month = models.DateField("確認月", null=True, blank=True)  # the month's 1st day
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="記入者", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = "実行状況"
        verbose_name_plural = "実行状況"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def confirmed(self) -> YearMonth | None:
        if self.confirmed_month is None:
            return None
        return YearMonth(self.confirmed_month.year, self.confirmed_month.month)

    def as_data(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "confirmed": str(self.confirmed) if self.confirmed else None,
            "entered_on": self.entered_on.isoformat(),
            "author": self.author.get_username() if self.author is not None else None,
        }


class NextAction(models.Model):
    """今後の取り組み, one line each (ａ, ｂ, …)."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="next_actions")
    position = models.PositiveSmallIntegerField("順序", default=0)
    text = models.TextField("今後の取り組み")

    class Meta:
        verbose_name = "今後の取り組み"
        verbose_name_plural = "今後の取り組み"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:40]
