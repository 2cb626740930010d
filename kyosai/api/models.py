"""Personal API tokens: only a SHA-256 of the secret is stored; the secret is shown once."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = ["ApiToken"]


class ApiToken(models.Model):
    """A user's token for /api/v1/: `prefix` finds the row, `digest` proves the secret."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="利用者",
                             on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名前", max_length=100, blank=True)
    prefix = models.CharField("識別子", max_length=12, unique=True)
    digest = models.CharField("ハッシュ", max_length=64)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    expires_on = models.DateField("有効期限", null=True, blank=True)
    last_used_at = models.DateTimeField("最終利用", null=True, blank=True)
    revoked_at = models.DateTimeField("失効日時", null=True, blank=True)

    class Meta:
        verbose_name = "APIトークン"
        verbose_name_plural = "APIトークン"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…（{self.name or '無名'}）"

    def is_active(self, today: datetime.date | None = None) -> bool:
        """Not revoked and not past its expiry (the expiry day itself is still valid)."""
        if self.revoked_at is not None:
            return False
        today = today or timezone.localdate()
        return self.expires_on is None or today <= self.expires_on

    def snapshot(self) -> dict[str, str | None]:
        """What the audit trail keeps (never the secret or its hash)."""
        return {"user": self.user.get_username(), "name": self.name, "prefix": self.prefix,
                "expires_on": self.expires_on.isoformat() if self.expires_on else None,
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None}
