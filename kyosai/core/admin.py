"""The audit trail in the admin (read only), and every admin edit written into it.

`AuditedAdmin` writes `record_change` with the object's state before (read when the admin loads
the object) and after, for additions, changes (also a user's password change, without the
password) and deletions (one by one or by the bulk action). `audit_every_admin()` (called from
CoreConfig.ready, after the admin has discovered every app's admin module) gives it to every
model registered on the admin site, so no model can be edited there without a trace.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import models
from django.http import HttpRequest

from kyosai.core.models import AuditEntry, record_change, snapshot_of

__all__ = ["AuditEntryAdmin", "AuditedAdmin", "audit_every_admin"]

BEFORE = "_kyosai_audit_before"

if TYPE_CHECKING:  # the mixin goes before a ModelAdmin, whose methods it extends
    _AdminBase = admin.ModelAdmin[models.Model]
else:
    _AdminBase = object


class AuditedAdmin(_AdminBase):
    """ModelAdmin mixin: additions, changes and deletions in the admin go into the audit trail."""

    kyosai_audited = True

    def get_object(self, request: HttpRequest, object_id: str,
                   from_field: str | None = None) -> models.Model | None:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            setattr(obj, BEFORE, snapshot_of(obj))  # before any form touches it
        return obj

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> LogEntry:
        record_change(obj, action=AuditEntry.Action.CREATE, before=None, user=request.user)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> LogEntry:
        record_change(obj, action=AuditEntry.Action.UPDATE, before=getattr(obj, BEFORE, None),
                      user=request.user)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest,
                      queryset: models.QuerySet[models.Model]) -> list[LogEntry] | LogEntry:
        for obj in queryset:  # called before the deletion, inside the admin's transaction
            record_change(obj, action=AuditEntry.Action.DELETE, before=snapshot_of(obj),
                          user=request.user)
        return super().log_deletions(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read only: nobody, not even a superuser, adds, changes or deletes an entry here."""

    list_display = ["timestamp", "user", "source", "object_type", "object_repr", "action"]
    list_filter = ["source", "action", "object_type"]
    search_fields = ["user__username", "object_repr", "object_id"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def audit_every_admin(site: admin.AdminSite = admin.site) -> None:
    """Re-register every model of `site` with its ModelAdmin plus AuditedAdmin (idempotent)."""
    for model, model_admin in list(site._registry.items()):
        if model is AuditEntry or getattr(model_admin, "kyosai_audited", False):
            continue
        base = type(model_admin)
        audited = type(f"Audited{base.__name__}", (AuditedAdmin, base), {"__module__": base.__module__})
        site.unregister(model)
        site.register(model, audited)
