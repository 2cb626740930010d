"""The activity log (one row per meeting, visit or consultation) and the support ledger.

Both are kept per branch and dated; the fiscal year is stored beside the date so that a year's
figures are one indexed filter. Notes may name people: they never go into logs or audit details.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from kyosai.core.models import TimeStampedModel
from kyosai.domain.activity_log import (
    AMOUNT_INTEGER_DIGITS,
    AMOUNT_PLACES,
    KINDS,
    NOTE_MAX,
    REF_MAX,
)
from kyosai.org.models import Branch, Union

__all__ = ["ActivityEntry", "LedgerImport", "SupportEntry"]


class ActivityEntry(TimeStampedModel):
    """活動記録: one meeting, union visit, study session or consultation of a branch."""

    # the functional API's (name, (value, label)) form, which django-stubs' overloads leave out
    Kind = models.TextChoices(  # type: ignore[call-overload]
        "Kind", [(kind.code.upper(), (kind.code, kind.label)) for kind in KINDS])

    branch = models.ForeignKey(Branch, verbose_name="県支部", on_delete=models.PROTECT,
                               related_name="activity_entries")
    union = models.ForeignKey(Union, verbose_name="単組", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="activity_entries")
    date = models.DateField("実施日")
    fiscal_year = models.PositiveSmallIntegerField("事業年度")
    kind = models.CharField("活動の種類", max_length=24, choices=Kind.choices)
    participants = models.PositiveIntegerField("参加者数", null=True, blank=True,
                                               help_text="参加役員数または参加組合員数")
    organisers_pref = models.PositiveIntegerField("オルグ者数（県本部役員）", null=True, blank=True)
    organisers_branch = models.PositiveIntegerField("オルグ者数（県支部職員）", null=True, blank=True)
    organisers_zenrosai = models.PositiveIntegerField("オルグ者数（全労済職員）", null=True,
                                                      blank=True)
    note = models.CharField("備考", max_length=NOTE_MAX, blank=True)
    ref = models.CharField("整理番号", max_length=REF_MAX, blank=True,
                           help_text="県支部の整理番号（同じ番号の行は取込で置き換わります）")

    class Meta:
        verbose_name = "活動記録"
        verbose_name_plural = "活動記録"
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["fiscal_year", "kind", "date"], name="activity_fy_kind"),
                   models.Index(fields=["branch", "date"], name="activity_branch_date")]
        constraints = [models.UniqueConstraint(fields=["branch", "ref"], condition=~Q(ref=""),
                                               name="unique_activity_ref")]

    def __str__(self) -> str:
        return f"{self.branch} {self.date:%Y-%m-%d} {self.get_kind_display()}"


class SupportEntry(TimeStampedModel):
    """支援台帳: support a designated branch received (特別運営費, 派遣, 本部代行)."""

    class Kind(models.TextChoices):
        SPECIAL_FUND = "special_fund", "特別運営費"
        STAFF_DISPATCH = "staff_dispatch", "派遣"
        HQ_WORK = "hq_work", "本部代行"

    class Work(models.TextChoices):
        MYCAR_ESTIMATE = "mycar_estimate", "マイカー見積"
        APPLICATION_FORMS = "application_forms", "申込書作成"
        OTHER = "other", "その他"

    branch = models.ForeignKey(Branch, verbose_name="県支部", on_delete=models.PROTECT,
                               related_name="support_entries")
    date = models.DateField("日付")
    fiscal_year = models.PositiveSmallIntegerField("事業年度")
    kind = models.CharField("支援の種類", max_length=16, choices=Kind.choices)
    work = models.CharField("代行の内容", max_length=20, choices=Work.choices, blank=True)
    amount = models.DecimalField("数量", max_digits=AMOUNT_INTEGER_DIGITS + AMOUNT_PLACES,
                                 decimal_places=AMOUNT_PLACES,
                                 help_text="特別運営費は円、派遣は人日、本部代行は件数")
    note = models.CharField("備考", max_length=NOTE_MAX, blank=True)

    class Meta:
        verbose_name = "支援台帳"
        verbose_name_plural = "支援台帳"
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["fiscal_year", "branch"], name="support_fy_branch")]

    def __str__(self) -> str:
        return f"{self.branch} {self.date:%Y-%m-%d} {self.get_kind_display()}"


class LedgerImport(models.Model):
    """A file imported into the log or the ledger: its SHA-256 refuses a second import."""

    class Dataset(models.TextChoices):
        ACTIVITY_LOG = "activity_log", "活動記録"
        SUPPORT = "support", "支援台帳"

    timestamp = models.DateTimeField("日時", auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="利用者", null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    dataset = models.CharField("データ", max_length=16, choices=Dataset.choices)
    file_name = models.CharField("ファイル名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    rows_total = models.PositiveIntegerField("行数", default=0)
    rows_added = models.PositiveIntegerField("追加", default=0)
    rows_replaced = models.PositiveIntegerField("置換", default=0)

    class Meta:
        verbose_name = "活動記録・支援台帳の取込履歴"
        verbose_name_plural = verbose_name
        ordering = ["-timestamp", "-id"]

    def __str__(self) -> str:
        return f"{self.get_dataset_display()} {self.file_name}"

    def snapshot(self) -> dict[str, object]:
        return {"dataset": self.dataset, "file_name": self.file_name, "sha256": self.sha256,
                "rows_total": self.rows_total, "rows_added": self.rows_added,
                "rows_replaced": self.rows_replaced}
