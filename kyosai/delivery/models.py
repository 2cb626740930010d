"""Subscriptions (a page mailed to its subscriber), alert rules, their firings, notifications and
the deliveries (one mail each, retried with backoff)."""

from django.conf import settings
from django.db import models

from kyosai.org.models import Branch, Region, Union

__all__ = ["AlertFiring", "AlertRule", "Delivery", "Notification", "Subscription"]


class Subscription(models.Model):
    """A page the user can see, mailed as xlsx, pdf or a link, after each new results month or
    monthly on a day."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel"
        PDF = "pdf", "PDF"
        LINK = "link", "リンク"

    class Trigger(models.TextChoices):
        IMPORT = "import", "新しい月の実績の取込後"
        MONTHLY = "monthly", "毎月（日を指定）"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="利用者",
                             on_delete=models.CASCADE, related_name="subscriptions")
    path = models.CharField("ページ", max_length=200, help_text="/branches/14/ など")
    title = models.CharField("表題", max_length=100)
    table = models.CharField("表", max_length=40, blank=True, help_text="Excel に出力する表（既定: 最初の表）")
    format = models.CharField("形式", max_length=4, choices=Format.choices, default=Format.XLSX)
    trigger = models.CharField("契機", max_length=8, choices=Trigger.choices, default=Trigger.IMPORT)
    day = models.PositiveSmallIntegerField("送信日", null=True, blank=True)
    last_month = models.CharField("最後に送った実績月", max_length=7, blank=True)
    last_sent_on = models.DateField("最後の月次送信日", null=True, blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = "購読"
        verbose_name_plural = "購読"
        ordering = ["user_id", "pk"]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_format_display()}、{self.get_trigger_display()}）"

    def snapshot(self) -> dict[str, object]:
        return {"user": self.user.get_username(), "path": self.path, "table": self.table,
                "format": self.format, "trigger": self.trigger, "day": self.day}


class AlertRule(models.Model):
    """Scope (branch, region or union) × item (product or group) × measure × condition."""

    class Condition(models.TextChoices):
        MARK_POOR = "mark=×", "評価が×"
        MARK_PARTIAL = "mark=△", "評価が△または×"
        BELOW_PACE = "below_pace", "到達率が到達目安を N ポイント超えて下回る"
        YOY_NEGATIVE = "yoy<0", "前年同期比の増減がマイナス"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="利用者",
                             on_delete=models.CASCADE, related_name="alert_rules")
    branch = models.ForeignKey(Branch, verbose_name="県支部", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, verbose_name="地連", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    union = models.ForeignKey(Union, verbose_name="単組", null=True, blank=True,
                              on_delete=models.CASCADE, related_name="+")
    item = models.CharField("制度・グループ", max_length=30, default="total",
                            help_text="制度グループのコード・total（合計）、または制度コード")
    by = models.CharField("区分", max_length=8, default="group",
                          choices=[("group", "制度グループ"), ("product", "制度")])
    measure = models.CharField("指標", max_length=30, default="holdings")
    condition = models.CharField("条件", max_length=12, choices=Condition.choices,
                                 default=Condition.MARK_POOR)
    points = models.DecimalField("ポイント", max_digits=6, decimal_places=2, null=True, blank=True)
    is_default = models.BooleanField("既定のルール", default=False)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = "アラート"
        verbose_name_plural = "アラート"
        ordering = ["user_id", "pk"]

    def __str__(self) -> str:
        return f"アラート{self.pk}"

    def snapshot(self) -> dict[str, object]:
        return {"user": self.user.get_username(), "scope": self.scope_text(), "item": self.item,
                "by": self.by, "measure": self.measure, "condition": self.condition,
                "points": str(self.points) if self.points is not None else None}

    def scope_text(self) -> str:
        if self.branch is not None:
            return f"branch:{self.branch.code}"
        if self.region is not None:
            return f"region:{self.region.code}"
        if self.union is not None:
            return f"union:{self.union.code}"
        return "nation"


class AlertFiring(models.Model):
    """A rule that fired for a month: at most once per rule and month."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="firings")
    month = models.CharField("実績月", max_length=7)
    message = models.CharField("内容", max_length=300)
    link = models.CharField("ページ", max_length=200)
    created_at = models.DateTimeField("日時", auto_now_add=True)

    class Meta:
        verbose_name = "アラートの発生"
        verbose_name_plural = "アラートの発生"
        constraints = [models.UniqueConstraint(fields=["rule", "month"],
                                               name="alert_fires_once_per_month")]

    def __str__(self) -> str:
        return f"アラート{self.rule_id} {self.month}"


class Notification(models.Model):
    """What the app lists for a user (an alert's figure and a link to its page)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications")
    firing = models.ForeignKey(AlertFiring, null=True, blank=True, on_delete=models.CASCADE)
    message = models.CharField("内容", max_length=300)
    link = models.CharField("ページ", max_length=200, blank=True)
    created_at = models.DateTimeField("日時", auto_now_add=True)
    read_at = models.DateTimeField("既読", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"通知{self.pk}"


class Delivery(models.Model):
    """One mail to one user; failures retry with backoff up to MAX_ATTEMPTS."""

    class Status(models.TextChoices):
        PENDING = "pending", "送信待ち"
        RETRYING = "retrying", "再試行待ち"
        SENT = "sent", "送信済み"
        FAILED = "failed", "失敗"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="deliveries")
    subscription = models.ForeignKey(Subscription, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="deliveries")
    firing = models.ForeignKey(AlertFiring, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="deliveries")
    key = models.CharField("識別", max_length=80, unique=True)
    month = models.CharField("実績月", max_length=7, blank=True)
    status = models.CharField("状態", max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("試行回数", default=0)
    next_attempt_at = models.DateTimeField("次の試行", null=True, blank=True)
    last_error = models.CharField("最後のエラー", max_length=300, blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    sent_at = models.DateTimeField("送信日時", null=True, blank=True)

    class Meta:
        verbose_name = "配信"
        verbose_name_plural = "配信"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"配信{self.pk}"
