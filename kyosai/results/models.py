"""Targets and monthly results, their branch-level rollups, and the log of every import.

Values: counts (件, 口) and money in yen are whole numbers; a rate (付帯率) is a Decimal in %.
Scope: a row belongs to a union (its branch is stored beside it), to a branch (union empty), or —
for rates only — to the nation (branch and union empty).
"""

from typing import TypedDict

from django.conf import settings
from django.db import models
from django.db.models import Q

from kyosai.catalog.models import FiscalYear, Measure, Product
from kyosai.org.models import Branch, Union

__all__ = [
    "BranchResult",
    "BranchTarget",
    "ImportLog",
    "ImportSnapshot",
    "MonthlyResult",
    "ReplacedValue",
    "Target",
    "TargetKind",
    "TargetRevision",
]

class _Digits(TypedDict):
    max_digits: int
    decimal_places: int


VALUE_DIGITS: _Digits = {"max_digits": 18, "decimal_places": 2}


class TargetKind(models.TextChoices):
    OFFICIAL = "official", "目標（機関決定）"
    OWN = "own", "自主目標"


class Target(models.Model):
    """目標: a fiscal year's target for a union, a branch or (rates only) the nation."""

    fiscal_year = models.ForeignKey(FiscalYear, verbose_name="事業年度", on_delete=models.PROTECT)
    kind = models.CharField("目標の種類", max_length=8, choices=TargetKind.choices,
                            default=TargetKind.OFFICIAL)
    branch = models.ForeignKey(Branch, verbose_name="県支部", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    union = models.ForeignKey(Union, verbose_name="単組", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, verbose_name="共済制度", on_delete=models.PROTECT,
                                related_name="+")
    measure = models.ForeignKey(Measure, verbose_name="指標", on_delete=models.PROTECT,
                                related_name="+")
    value = models.DecimalField("目標値", **VALUE_DIGITS)
    revision = models.PositiveSmallIntegerField("改定", default=1, db_default=1,
                                                help_text="1 = 第 1 次, 2 = 第 2 次 …")
    last_import = models.BigIntegerField("最終取込番号", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "目標"
        verbose_name_plural = "目標"
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "kind", "revision", "union", "product", "measure"],
                condition=Q(union__isnull=False), name="unique_union_target"),
            models.UniqueConstraint(
                fields=["fiscal_year", "kind", "revision", "branch", "product", "measure"],
                condition=Q(union__isnull=True, branch__isnull=False), name="unique_branch_target"),
            models.UniqueConstraint(
                fields=["fiscal_year", "kind", "revision", "product", "measure"],
                condition=Q(union__isnull=True, branch__isnull=True), name="unique_national_target"),
        ]
        indexes = [models.Index(fields=["branch", "fiscal_year"], name="target_branch_fy")]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.product} {self.measure} 目標"


class MonthlyResult(models.Model):
    """実績: a month's figure for a union, a branch or (rates only) the nation.

    Stocks are the month-end figure; flows are cumulative from the fiscal year's first month.
    """

    month = models.DateField("年月")
    branch = models.ForeignKey(Branch, verbose_name="県支部", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", db_index=False)
    union = models.ForeignKey(Union, verbose_name="単組", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+", db_index=False)
    product = models.ForeignKey(Product, verbose_name="共済制度", on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    measure = models.ForeignKey(Measure, verbose_name="指標", on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    value = models.DecimalField("実績値", **VALUE_DIGITS)
    # The import that last wrote this value (empty: demo data or written otherwise); no index, so
    # imports stay as fast as a bare insert — only a revert looks rows up by it.
    last_import = models.BigIntegerField("最終取込番号", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "実績"
        verbose_name_plural = "実績"
        constraints = [
            models.UniqueConstraint(
                fields=["union", "product", "measure", "month"],
                condition=Q(union__isnull=False), name="unique_union_result"),
            models.UniqueConstraint(
                fields=["month", "branch", "product", "measure"],
                condition=Q(union__isnull=True, branch__isnull=False), name="unique_branch_result"),
            models.UniqueConstraint(
                fields=["month", "product", "measure"],
                condition=Q(union__isnull=True, branch__isnull=True), name="unique_national_result"),
        ]
        # Few indexes on the biggest table (millions of union rows): unique_union_result serves a
        # union's rows, result_branch a branch's; foreign keys get no index of their own.
        indexes = [
            models.Index(fields=["branch", "product", "measure", "month"], name="result_branch"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.product} {self.measure} 実績"


class BranchResult(models.Model):
    """Rollup: a branch's resolved monthly figure (branch row, else the sum of its unions).

    Maintained by the import service and demo-data, so national and branch scorecards read a few
    thousand rows instead of the union detail. A row without a branch is a national rate.
    """

    month = models.DateField("年月")
    branch = models.ForeignKey(Branch, verbose_name="県支部", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, verbose_name="共済制度", on_delete=models.CASCADE,
                                related_name="+")
    measure = models.ForeignKey(Measure, verbose_name="指標", on_delete=models.CASCADE,
                                related_name="+")
    value = models.DecimalField("実績値", **VALUE_DIGITS)

    class Meta:
        verbose_name = "県支部別実績（集計）"
        verbose_name_plural = "県支部別実績（集計）"
        constraints = [
            models.UniqueConstraint(fields=["month", "branch", "product", "measure"],
                                    condition=Q(branch__isnull=False),
                                    name="unique_branch_rollup"),
            models.UniqueConstraint(fields=["month", "product", "measure"],
                                    condition=Q(branch__isnull=True),
                                    name="unique_national_rollup"),
        ]
        indexes = [models.Index(fields=["product", "measure", "month"], name="rollup_pm_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.branch_id} {self.product_id} {self.measure_id}"


class BranchTarget(models.Model):
    """Rollup: a branch's resolved target (branch row, else the sum of its unions' targets)."""

    fiscal_year = models.PositiveSmallIntegerField("事業年度")
    kind = models.CharField("目標の種類", max_length=8, choices=TargetKind.choices)
    branch = models.ForeignKey(Branch, verbose_name="県支部", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, verbose_name="共済制度", on_delete=models.CASCADE,
                                related_name="+")
    measure = models.ForeignKey(Measure, verbose_name="指標", on_delete=models.CASCADE,
                                related_name="+")
    value = models.DecimalField("目標値", **VALUE_DIGITS)
    revision = models.PositiveSmallIntegerField("改定", default=1, db_default=1)

    class Meta:
        verbose_name = "県支部別目標（集計）"
        verbose_name_plural = "県支部別目標（集計）"
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "kind", "revision", "branch", "product",
                                            "measure"],
                                    condition=Q(branch__isnull=False),
                                    name="unique_branch_target_rollup"),
            models.UniqueConstraint(fields=["fiscal_year", "kind", "revision", "product", "measure"],
                                    condition=Q(branch__isnull=True),
                                    name="unique_national_target_rollup"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.branch_id} {self.product_id} {self.measure_id}"


class TargetRevision(models.Model):
    """A revision of a fiscal year's targets (第 2 次事業目標 …) and the month it applies from.

    Revision 1 applies from the fiscal year's first month without a row of its own.
    """

    fiscal_year = models.PositiveSmallIntegerField("事業年度")
    kind = models.CharField("目標の種類", max_length=8, choices=TargetKind.choices)
    revision = models.PositiveSmallIntegerField("改定")
    effective_from = models.DateField("適用開始月")

    class Meta:
        verbose_name = "目標の改定"
        verbose_name_plural = "目標の改定"
        ordering = ["fiscal_year", "kind", "revision"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "kind", "revision"],
                                               name="unique_target_revision")]

    def __str__(self) -> str:
        return f"{self.fiscal_year}年度 第{self.revision}次 {self.get_kind_display()}"


class ImportLog(models.Model):
    """取込履歴: who imported which file when, its SHA-256, and how many rows it added/replaced.

    The file itself is kept under $KYOSAI_HOME/imports/<sha256[:2]>/<sha256> (core.filestore) and
    the values it replaced in ReplacedValue, so that `kyosai imports revert ID` can undo it.
    """

    class Dataset(models.TextChoices):
        TARGETS = "targets", "目標"
        RESULTS = "results", "実績"
        UNIONS = "unions", "単組"
        MEMBERS = "members", "組合員"
        CONTRACTS = "contracts", "契約"
        APPENDIX = "appendix", "資料編"
        PLAN = "plan", "事業推進計画"
        EVENTS = "events", "会議・行事"
        ACTIVITY_LOG = "activity_log", "活動記録"
        SUPPORT = "support", "支援台帳"

    class Source(models.TextChoices):
        WEB = "web", "画面"
        CLI = "cli", "コマンド"
        DEMO = "demo", "デモデータ"
        API = "api", "API"

    timestamp = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="利用者", null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField("利用者名", max_length=150, blank=True)
    source = models.CharField("経路", max_length=8, choices=Source.choices, default=Source.CLI)
    dataset = models.CharField("データ", max_length=16, choices=Dataset.choices)
    file_name = models.CharField("ファイル名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    rows_total = models.PositiveIntegerField("行数", default=0)
    rows_added = models.PositiveIntegerField("追加", default=0)
    rows_replaced = models.PositiveIntegerField("置換", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)
    reverted_at = models.DateTimeField("取消日時", null=True, blank=True)
    reverted_by = models.CharField("取消した利用者", max_length=150, blank=True)

    class Meta:
        verbose_name = "取込履歴"
        verbose_name_plural = "取込履歴"
        ordering = ["-timestamp", "-id"]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.get_dataset_display()} {self.file_name}"

    def snapshot(self) -> dict[str, object]:
        return {"dataset": self.dataset, "file_name": self.file_name, "sha256": self.sha256,
                "rows_total": self.rows_total, "rows_added": self.rows_added,
                "rows_replaced": self.rows_replaced, "warnings": self.warnings,
                "reverted_at": self.reverted_at.isoformat() if self.reverted_at else None}


class ReplacedValue(models.Model):
    """A stored row as it was before an import replaced its value: the row (of MonthlyResult or
    Target, after the import's dataset), its value, its branch (a union that moved takes its rows
    along) and the import that had written it. Rows the import added are those whose
    `last_import` is the import and that have no ReplacedValue."""

    import_log = models.ForeignKey(ImportLog, verbose_name="取込", on_delete=models.CASCADE,
                                   related_name="+")
    row_id = models.BigIntegerField("行ID")
    branch_id = models.BigIntegerField("県支部ID", null=True, blank=True)
    value = models.DecimalField("置換前の値", **VALUE_DIGITS)
    last_import = models.BigIntegerField("置換前の取込番号", null=True, blank=True)

    class Meta:
        verbose_name = "置換前の値"
        verbose_name_plural = "置換前の値"

    def __str__(self) -> str:
        return f"{self.import_log_id}: {self.row_id}"


class ImportSnapshot(models.Model):
    """The rows of one scope of a small dataset's import (appendix table, plan, events, activity
    log, support ledger) as they were before it wrote, and the fingerprint of the same scope as
    it left them (kyosai.results.snapshots): what `kyosai imports revert ID` puts back.

    The scope is the rows of `model` matching every lookup: `{field: [values]}` means
    `field__in=values`. A scope whose rows the import created (unions named by an appendix
    table, new ledger entries) starts empty."""

    import_log = models.ForeignKey(ImportLog, verbose_name="取込", on_delete=models.CASCADE,
                                   related_name="+")
    position = models.PositiveSmallIntegerField("順序")
    model = models.CharField("モデル", max_length=100)
    lookups = models.JSONField("範囲")
    rows = models.JSONField("取込前の行")
    fingerprint = models.CharField("取込後の指紋", max_length=64, blank=True)

    class Meta:
        verbose_name = "取込前の行"
        verbose_name_plural = "取込前の行"
        ordering = ["import_log", "position"]
        constraints = [models.UniqueConstraint(fields=["import_log", "position"],
                                               name="unique_import_snapshot_position")]

    def __str__(self) -> str:
        return f"{self.import_log_id}: {self.model}"
