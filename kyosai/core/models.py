"""Shared model machinery: time stamps and the audit trail written explicitly by services."""

from typing import Any

from django.conf import settings
from django.db import models
from django.forms.models import model_to_dict

__all__ = ["AuditEntry", "TimeStampedModel", "record_change"]


class TimeStampedModel(models.Model):
    """A model that knows when it was created and last changed."""

    created = models.DateTimeField("作成日時", auto_now_add=True)
    last_updated = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        abstract = True

    def snapshot(self) -> dict[str, Any]:
        """The field values as JSON-safe data, for an AuditEntry's before/after."""
        data = model_to_dict(self)
        return {key: _jsonable(value) for key, value in data.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


class AuditEntry(models.Model):
    """変更履歴: who changed what, when, before and after; one import or request = one batch.

    Changes are written by `record_change`; everything else that must be traced (exports,
    downloads, logins, prints, views of personal data, reverts) by `kyosai.core.audit.record_event`.
    """

    class Action(models.TextChoices):
        CREATE = "create", "作成"
        UPDATE = "update", "更新"
        DELETE = "delete", "削除"
        EXPORT = "export", "出力"
        DOWNLOAD = "download", "ダウンロード"
        VIEW = "view", "閲覧"
        PRINT = "print", "印刷"
        LOGIN = "login", "ログイン"
        LOGIN_FAILED = "login_failed", "ログイン失敗"
        LOGOUT = "logout", "ログアウト"
        IMPORT = "import", "取込"
        IMPORT_REVERT = "import_revert", "取込の取消"
        BUILD = "build", "作成（報告書）"
        PURGE = "purge", "個人情報の削除"
        MERGE = "merge", "統合"
        SEND = "send", "送信"

    class Source(models.TextChoices):
        WEB = "web", "画面"
        CLI = "cli", "コマンド"
        API = "api", "API"

    timestamp = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="利用者", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    source = models.CharField("経路", max_length=8, choices=Source.choices, default=Source.WEB)
    batch_id = models.CharField("一括ID", max_length=64, blank=True, db_index=True)
    object_type = models.CharField("対象", max_length=100, db_index=True)
    object_id = models.CharField("対象ID", max_length=64, db_index=True)
    object_repr = models.CharField("表示名", max_length=255, blank=True)
    action = models.CharField("操作", max_length=32, db_index=True)  # see Action
    before = models.JSONField("変更前", null=True, blank=True)
    after = models.JSONField("変更後", null=True, blank=True)
    detail = models.JSONField("詳細", null=True, blank=True)  # export/download/login: scope, rows, …

    class Meta:
        verbose_name = "変更履歴"
        verbose_name_plural = "変更履歴"
        ordering = ["-timestamp", "-id"]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.object_repr} {self.action}"


def record_change(
    obj: models.Model,
    *,
    action: str,
    before: dict[str, Any] | None,
    user: Any = None,
    source: str = AuditEntry.Source.WEB,
    batch_id: str = "",
) -> AuditEntry:
    """Write the audit entry for a change a service has just made (never from a signal)."""
    after = obj.snapshot() if action != "delete" and hasattr(obj, "snapshot") else None
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        source=source,
        batch_id=batch_id,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        action=action,
        before=before,
        after=after,
    )
