from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kyosai.accounts.access import access_for
from kyosai.accounts.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    """Memberships decide what a user sees: only Access.can_edit_users reads or changes them."""

    list_display = ["user", "role", "branch", "union"]
    list_filter = ["role", "branch"]
    search_fields = ["user__username"]

    def _allowed(self, request: HttpRequest) -> bool:
        return access_for(request.user).can_edit_users

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)
