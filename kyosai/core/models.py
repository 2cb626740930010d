"""Shared model machinery: time stamps and the audit trail written explicitly by services."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms.models import model_to_dict

__all__ = ["AppendOnlyError", "AuditEntry", "TimeStampedModel", "record_change", "snapshot_of"]

#: Never copied into the audit trail, whatever the model.
SECRET_FIELDS = frozenset({"password"})


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


def snapshot_of(obj: models.Model) -> dict[str, Any]:
    """What the audit trail keeps of an object: its own snapshot(), else its editable fields as
    JSON-safe data, never a password (hash or not)."""
    own: Callable[[], dict[str, Any]] | None = getattr(obj, "snapshot", None)
    if own is not None:
        return own()
    data = model_to_dict(obj)
    return {key: _jsonable(value) for key, value in data.items() if key not in SECRET_FIELDS}


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


class AppendOnlyError(PermissionDenied):
    """The audit trail is only ever added to."""

    def __init__(self, what: str = "変更") -> None:
        super().__init__(f"変更履歴（監査ログ）は追記のみです。{what}はできません。")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """No bulk update or delete of audit entries."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("更新")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("削除")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnlyError("更新")


class AuditEntry(models.Model):
    """変更履歴: who changed what, when, before and after; one import or request = one batch.

    Changes are written by `record_change`; everything else that must be traced (exports,
    downloads, logins, prints, views of personal data, reverts) by `kyosai.core.audit.record_event`.
    Append-only: an existing entry can be neither saved again nor deleted, here, in a queryset, in
    the admin, or (on PostgreSQL) in SQL: a trigger refuses UPDATE and DELETE (migration 0003).
    A user who has entries cannot be deleted (deactivate them instead).
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
        on_delete=models.PROTECT, related_name="+",
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

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "変更履歴"
        verbose_name_plural = "変更履歴"
        ordering = ["-timestamp", "-id"]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.object_repr} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("更新")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("削除")


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
    after = snapshot_of(obj) if action != "delete" else None
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
