from django.contrib import admin

from kyosai.accounts.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "branch", "union"]
    list_filter = ["role", "branch"]
    search_fields = ["user__username"]
