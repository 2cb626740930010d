"""Products (共済制度), their groups, the measures they are counted by, and fiscal years."""

from django.db import models

from kyosai.core.models import TimeStampedModel
from kyosai.domain.measures import MeasureKind, MeasureSpec, Unit
from kyosai.domain.periods import FiscalCalendar, YearMonth

__all__ = ["FiscalYear", "GuidanceBand", "Measure", "Product", "ProductGroup", "ProductMeasure"]


class ProductGroup(TimeStampedModel):
    """A group of the national table: 総合共済, 団体生命共済, マイカー共済, 自賠責共済, その他."""

    code = models.CharField("コード", max_length=30, unique=True)
    name = models.CharField("名称", max_length=50)
    display_order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "制度グループ"
        verbose_name_plural = "制度グループ"
        ordering = ["display_order", "code"]

    def __str__(self) -> str:
        return self.name


class Measure(TimeStampedModel):
    """A measure (件数, 口数, 掛金 …) with its kind, unit and reporting lag."""

    code = models.CharField("コード", max_length=30, unique=True)
    name = models.CharField("名称", max_length=50)
    short_name = models.CharField("略称", max_length=20)
    kind = models.CharField(
        "種類", max_length=8,
        choices=[(k.value, label) for k, label in
                 ((MeasureKind.STOCK, "残高（保有）"), (MeasureKind.FLOW, "累計（年度累計）"),
                  (MeasureKind.RATE, "率"))],
    )
    unit = models.CharField("単位", max_length=4, choices=[(u.value, u.value) for u in Unit])
    reporting_lag_months = models.PositiveSmallIntegerField("報告の遅れ（月）", default=0)
    display_order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "指標"
        verbose_name_plural = "指標"
        ordering = ["display_order", "code"]

    def __str__(self) -> str:
        return self.short_name

    def to_domain(self) -> MeasureSpec:
        return MeasureSpec(
            code=self.code, name=self.name, short_name=self.short_name,
            kind=MeasureKind(self.kind), unit=Unit(self.unit),
            reporting_lag_months=self.reporting_lag_months,
        )


class Product(TimeStampedModel):
    """共済制度: a product, a rider of another (車両損害補償) or a composite row (団体生命 計)."""

    class Kind(models.TextChoices):
        PLAIN = "plain", "制度"
        RIDER = "rider", "特約"
        COMPOSITE = "composite", "合算"

    code = models.CharField("コード", max_length=30, unique=True)
    name = models.CharField("名称", max_length=60)
    report_label = models.CharField("報告書の表記", max_length=60, blank=True)
    group = models.ForeignKey(
        ProductGroup, verbose_name="制度グループ", null=True, blank=True,
        on_delete=models.PROTECT, related_name="products",
    )
    kind = models.CharField("種別", max_length=10, choices=Kind.choices, default=Kind.PLAIN)
    parent = models.ForeignKey(
        "self", verbose_name="主契約", null=True, blank=True, on_delete=models.PROTECT,
        related_name="riders",
    )
    components = models.ManyToManyField(
        "self", verbose_name="合算する制度", symmetrical=False, blank=True,
        related_name="composites",
    )
    in_group_totals = models.BooleanField(
        "グループ合計に含める", default=True,
        help_text="特約・合算・参考の行はグループ合計に含めません。",
    )
    is_reference = models.BooleanField("参考表示", default=False)
    measures: models.ManyToManyField["Measure", "ProductMeasure"] = models.ManyToManyField(
        "Measure", through="ProductMeasure", verbose_name="指標")
    display_order = models.PositiveSmallIntegerField("表示順", default=0)
    after_retirement = models.CharField(
        "退職後の案内", max_length=30, blank=True,
        help_text="64歳以上移行確認リストで、この制度の加入者に退職後に案内する制度のコード"
                  "（例: 団体生命共済 → retiree_group_life）。空欄は案内なし。",
    )

    class Meta:
        verbose_name = "共済制度"
        verbose_name_plural = "共済制度"
        ordering = ["display_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name the report's section Ⅲ prints."""
        return self.report_label or self.name


class ProductMeasure(models.Model):
    """A measure a product is counted by (a rider has 付帯率, 退職後共済 has 移行契約)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, verbose_name="共済制度")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, verbose_name="指標")
    in_section3 = models.BooleanField("制度別の目標到達状況に掲載", default=False)

    class Meta:
        verbose_name = "制度の指標"
        verbose_name_plural = "制度の指標"
        constraints = [
            models.UniqueConstraint(fields=["product", "measure"], name="unique_product_measure"),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.measure}"


class FiscalYear(TimeStampedModel):
    """事業年度 with its own start month (June for FY2024); named by its first month's year."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    start_month = models.PositiveSmallIntegerField("開始月", default=6)

    class Meta:
        verbose_name = "事業年度"
        verbose_name_plural = "事業年度"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年度"

    @property
    def calendar(self) -> FiscalCalendar:
        return FiscalCalendar(self.start_month)

    @property
    def first_month(self) -> YearMonth:
        return YearMonth(self.year, self.start_month)

    @property
    def last_month(self) -> YearMonth:
        return self.first_month.shift(11)

    def contains(self, month: YearMonth) -> bool:
        return self.first_month <= month <= self.last_month


class GuidanceBand(TimeStampedModel):
    """プレ印字申込書's suggested plan for an age band of a product (ages inclusive, the age on
    the form's date; no upper bound when `max_age` is blank)."""

    product = models.ForeignKey(Product, verbose_name="共済制度", on_delete=models.CASCADE,
                                related_name="guidance_bands")
    min_age = models.PositiveSmallIntegerField("年齢（から）", default=0)
    max_age = models.PositiveSmallIntegerField("年齢（まで）", null=True, blank=True,
                                               help_text="空欄は上限なし")
    plan = models.CharField("おすすめプラン", max_length=120)

    class Meta:
        verbose_name = "年齢帯別のおすすめプラン"
        verbose_name_plural = "年齢帯別のおすすめプラン"
        ordering = ["product__display_order", "min_age"]
        constraints = [models.UniqueConstraint(fields=["product", "min_age"],
                                               name="unique_guidance_band")]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.max_age is not None and self.max_age < self.min_age:
            raise ValidationError({"max_age": "年齢（まで）は年齢（から）以上にしてください。"})

    def __str__(self) -> str:
        upper = "" if self.max_age is None else str(self.max_age)
        return f"{self.product.code} {self.min_age}～{upper}歳"
