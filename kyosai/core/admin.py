from django.contrib import admin

from kyosai.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "user", "source", "object_type", "object_repr", "action"]
    list_filter = ["source", "object_type", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
