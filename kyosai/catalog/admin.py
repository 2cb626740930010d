from django.contrib import admin

from kyosai.catalog.models import FiscalYear, Measure, Product, ProductGroup, ProductMeasure


class ProductMeasureInline(admin.TabularInline[ProductMeasure, Product]):
    model = ProductMeasure
    extra = 0


@admin.register(ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin[ProductGroup]):
    list_display = ["code", "name", "display_order"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    list_display = ["code", "name", "group", "kind", "in_group_totals", "display_order"]
    list_filter = ["group", "kind"]
    inlines = [ProductMeasureInline]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin[Measure]):
    list_display = ["code", "name", "short_name", "kind", "unit", "reporting_lag_months"]


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin[FiscalYear]):
    list_display = ["year", "start_month"]
