"""The organisation: regions (地連), branches (県支部, plus the HQ row 本部), unions (単組)."""

from decimal import Decimal

from django.db import models

from kyosai.core.models import TimeStampedModel
from kyosai.domain.codes import UNION_CODE_MAX, UNION_NAME_MAX

__all__ = ["Branch", "BranchStaffing", "Region", "Union"]


class Region(TimeStampedModel):
    """地連: a regional bloc of branches; membership is editable master data."""

    code = models.CharField("コード", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50)
    display_order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "地連"
        verbose_name_plural = "地連"
        ordering = ["display_order", "code"]

    def __str__(self) -> str:
        return self.name


class BranchQuerySet(models.QuerySet["Branch"]):
    def prefectural(self) -> "BranchQuerySet":
        """The 48 branches, without the HQ row."""
        return self.filter(kind=Branch.Kind.BRANCH)


class Branch(TimeStampedModel):
    """県支部, with the report's two-digit code and order (appendix table 5); 本部 is code 00."""

    class Kind(models.TextChoices):
        BRANCH = "branch", "県支部"
        HQ = "hq", "本部"

    code = models.CharField("コード", max_length=2, unique=True)
    name = models.CharField("名称", max_length=20, unique=True)
    kind = models.CharField("種別", max_length=8, choices=Kind.choices, default=Kind.BRANCH)
    region = models.ForeignKey(
        Region, verbose_name="地連", null=True, blank=True, on_delete=models.PROTECT,
        related_name="branches",
    )
    display_order = models.PositiveSmallIntegerField("表示順", default=0)

    objects = BranchQuerySet.as_manager()

    class Meta:
        verbose_name = "県支部"
        verbose_name_plural = "県支部"
        ordering = ["display_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_hq(self) -> bool:
        return self.kind == self.Kind.HQ


class Union(TimeStampedModel):
    """単組: a local union under one branch; its members enrol in the products."""

    code = models.CharField("コード", max_length=UNION_CODE_MAX, unique=True)
    name = models.CharField("名称", max_length=UNION_NAME_MAX)
    branch = models.ForeignKey(
        Branch, verbose_name="県支部", on_delete=models.PROTECT, related_name="unions"
    )
    members = models.PositiveIntegerField("組合員数", null=True, blank=True)
    officers = models.PositiveIntegerField("役員数", null=True, blank=True)
    active = models.BooleanField("有効", default=True)
    merged_into = models.ForeignKey(
        "self", verbose_name="統合先", null=True, blank=True, on_delete=models.PROTECT,
        related_name="merged_from", help_text="産別統合・単組統合で統合された先の単組",
    )

    class Meta:
        verbose_name = "単組"
        verbose_name_plural = "単組"
        ordering = ["branch__display_order", "code"]
        indexes = [models.Index(fields=["branch", "code"])]

    def __str__(self) -> str:
        return self.name


class BranchStaffing(TimeStampedModel):
    """県支部の体制 (staff count) at a fiscal year's start; below 2.0 makes a 支援県支部."""

    branch = models.ForeignKey(Branch, verbose_name="県支部", on_delete=models.CASCADE)
    fiscal_year = models.PositiveSmallIntegerField("事業年度")
    staff = models.DecimalField("人員", max_digits=5, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = "県支部体制"
        verbose_name_plural = "県支部体制"
        constraints = [
            models.UniqueConstraint(fields=["branch", "fiscal_year"], name="unique_branch_staffing"),
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.fiscal_year}年度 {self.staff}人"
