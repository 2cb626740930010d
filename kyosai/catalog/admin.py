from django.contrib import admin

from kyosai.catalog.models import (
    FiscalYear,
    GuidanceBand,
    Measure,
    Product,
    ProductGroup,
    ProductMeasure,
)


class ProductMeasureInline(admin.TabularInline):
    model = ProductMeasure
    extra = 0


@admin.register(ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "display_order"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "kind", "in_group_totals", "display_order",
                    "after_retirement"]
    list_filter = ["group", "kind"]
    inlines = [ProductMeasureInline]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "kind", "unit", "reporting_lag_months"]


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "start_month"]


@admin.register(GuidanceBand)
class GuidanceBandAdmin(admin.ModelAdmin):
    """プレ印字申込書's age bands: one row per band, so every edit has its own history and audit."""

    list_display = ["product", "min_age", "max_age", "plan"]
    list_filter = ["product"]
