from django.contrib import admin

from kyosai.org.models import Branch, BranchStaffing, Region, Union


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "display_order"]


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin[Branch]):
    list_display = ["code", "name", "kind", "region", "display_order"]
    list_filter = ["kind", "region"]
    list_editable = ["region"]


@admin.register(Union)
class UnionAdmin(admin.ModelAdmin[Union]):
    list_display = ["code", "name", "branch", "members", "active"]
    list_filter = ["branch", "active"]
    search_fields = ["code", "name"]


@admin.register(BranchStaffing)
class BranchStaffingAdmin(admin.ModelAdmin[BranchStaffing]):
    list_display = ["branch", "fiscal_year", "staff"]
    list_filter = ["fiscal_year"]
