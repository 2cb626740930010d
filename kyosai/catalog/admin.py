from django.contrib import admin
from django.http import HttpRequest

from kyosai.accounts.access import access_for
from kyosai.catalog.models import (
    FiscalYear,
    GuidanceBand,
    Measure,
    Product,
    ProductGroup,
    ProductMeasure,
)


class ProductMeasureInline(admin.TabularInline[ProductMeasure, Product]):
    model = ProductMeasure
    extra = 0


@admin.register(ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin[ProductGroup]):
    list_display = ["code", "name", "display_order"]


def _hq_admin(request: HttpRequest) -> bool:
    return access_for(request.user).is_hq_admin


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    """HQ admins edit a product's 退職後の案内 (the lifecycle master data); the rest of the
    catalogue stays a superuser's."""

    list_display = ["code", "name", "group", "kind", "in_group_totals", "display_order",
                    "after_retirement"]
    list_filter = ["group", "kind"]
    inlines = [ProductMeasureInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Product | None = None) -> list[str]:
        if request.user.is_superuser:
            return []
        return [f.name for f in Product._meta.get_fields()
                if f.concrete and f.editable and f.name not in ("id", "after_retirement")]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _hq_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Product | None = None) -> bool:
        return _hq_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Product | None = None) -> bool:
        return _hq_admin(request)


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin[Measure]):
    list_display = ["code", "name", "short_name", "kind", "unit", "reporting_lag_months"]


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin[FiscalYear]):
    list_display = ["year", "start_month"]


@admin.register(GuidanceBand)
class GuidanceBandAdmin(admin.ModelAdmin[GuidanceBand]):
    """プレ印字申込書's age bands: one row per band, so every edit has its own history and audit."""

    list_display = ["product", "min_age", "max_age", "plan"]
    list_filter = ["product"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _hq_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: GuidanceBand | None = None) -> bool:
        return _hq_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _hq_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: GuidanceBand | None = None) -> bool:
        return _hq_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: GuidanceBand | None = None) -> bool:
        return _hq_admin(request)
