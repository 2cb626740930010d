"""組合員 (the roster), 契約 (contracts) and the follow-up marks of non-members.

Personal data (name, kana, birth date, and who holds what) lives only here. Its `__str__` and
`snapshot()` never include a name, kana or birth date, so nothing personal reaches the audit
trail, logs or error pages (`kyosai.core.audit`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from kyosai.catalog.models import Product
from kyosai.domain.members import EMPLOYMENT_LABELS, INSURED_LABELS
from kyosai.org.models import Union
from kyosai.results.models import ImportLog

__all__ = ["Contract", "FollowUp", "InspectionCall", "Member", "NewHireStatus", "ReplacedContract",
           "ReplacedMember", "RetentionRun", "TransitionStatus"]


class Member(models.Model):
    """組合員: one person on a union's roster, keyed by the union's own member number."""

    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"
        UNKNOWN = "", "－"

    EMPLOYMENT_CHOICES = [(str(code), label) for code, label in EMPLOYMENT_LABELS.items()]

    union = models.ForeignKey(Union, verbose_name="単組", on_delete=models.PROTECT,
                              related_name="roster", db_index=False)
    member_no = models.CharField("組合員番号", max_length=32)
    name = models.CharField("氏名", max_length=100)
    kana = models.CharField("フリガナ", max_length=100, blank=True)
    birth_date = models.DateField("生年月日", null=True, blank=True)
    gender = models.CharField("性別", max_length=8, choices=Gender.choices, blank=True)
    hired_on = models.DateField("採用日", null=True, blank=True)
    joined_on = models.DateField("生協加入日", null=True, blank=True)
    employment = models.CharField("雇用区分", max_length=12, choices=EMPLOYMENT_CHOICES,
                                  default="regular")
    reemployment_ends_on = models.DateField("再任用終了日", null=True, blank=True)
    officer = models.BooleanField("役員", default=False)
    left_on = models.DateField("脱退日", null=True, blank=True,
                               help_text="組合員でなくなった最初の日。在籍中は空欄")
    #: the import (ImportLog id) that last wrote the row; empty when written another way
    last_import = models.BigIntegerField("最終取込番号", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "組合員"
        verbose_name_plural = "組合員"
        constraints = [
            models.UniqueConstraint(fields=["union", "member_no"], name="unique_member_no"),
        ]
        indexes = [models.Index(fields=["left_on"], name="member_left_on")]

    def __str__(self) -> str:  # never the name: this is what audit entries and errors show
        return f"組合員 {self.member_no}"

    def snapshot(self) -> dict[str, object]:
        return {"union": self.union_id, "member_no": self.member_no}


class Contract(models.Model):
    """契約: one contract of a product; `ended_on` is the first day it is no longer in force."""

    INSURED_CHOICES = [(str(code), label) for code, label in INSURED_LABELS.items()]

    contract_no = models.CharField("契約番号", max_length=32, unique=True)
    member = models.ForeignKey(Member, verbose_name="組合員", on_delete=models.CASCADE,
                               related_name="contracts", db_index=False)
    product = models.ForeignKey(Product, verbose_name="共済制度", on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    insured = models.CharField("被共済者", max_length=8, choices=INSURED_CHOICES, default="self")
    started_on = models.DateField("発効日")
    ended_on = models.DateField("消滅日", null=True, blank=True,
                                help_text="効力がなくなった最初の日。継続中は空欄")
    units = models.PositiveIntegerField("口数", default=0)
    premium = models.PositiveIntegerField("月額掛金（円）", default=0)
    vehicle_registered = models.DateField("初度登録年月", null=True, blank=True)
    vehicle_inspected_on = models.DateField("前回車検日", null=True, blank=True)
    #: the import (ImportLog id) that last wrote the row; empty when written another way
    last_import = models.BigIntegerField("最終取込番号", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "契約"
        verbose_name_plural = "契約"
        indexes = [
            # enrolment: a member's contracts of a product (EXISTS per member) …
            models.Index(fields=["member", "product"], name="contract_member_product"),
            # … and a product's contracts in force for the penetration of every union
            models.Index(fields=["product", "insured", "started_on"], name="contract_product"),
        ]

    def __str__(self) -> str:
        return f"契約 {self.contract_no}"


class FollowUp(models.Model):
    """A union officer's mark on a listed non-member: 声かけ済 / 申込済 / 辞退, with its date."""

    class Status(models.TextChoices):
        CONTACTED = "contacted", "声かけ済"
        APPLIED = "applied", "申込済"
        DECLINED = "declined", "辞退"

    member = models.ForeignKey(Member, verbose_name="組合員", on_delete=models.CASCADE,
                               related_name="follow_ups")
    product = models.ForeignKey(Product, verbose_name="共済制度", on_delete=models.PROTECT,
                                related_name="+")
    status = models.CharField("状況", max_length=12, choices=Status.choices)
    on = models.DateField("日付")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="記録者", null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField("記録日時", auto_now_add=True)

    class Meta:
        verbose_name = "声かけ記録"
        verbose_name_plural = "声かけ記録"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["member", "product", "-on"], name="followup_latest")]
        constraints = [models.CheckConstraint(
            condition=Q(status__in=["contacted", "applied", "declined"]),
            name="followup_status")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.on:%Y-%m-%d}"

    def snapshot(self) -> dict[str, object]:
        return {"member": self.member_id, "product": self.product_id, "status": self.status,
                "on": self.on.isoformat(), "user": self.user_id}


class TransitionStatus(models.Model):
    """A follow-up on the 64歳以上移行確認リスト: 未案内 / 案内済 / 移行済 / 辞退 for a member in a
    fiscal year, with its date and a note (the latest one counts)."""

    class Status(models.TextChoices):
        PENDING = "pending", "未案内"
        INFORMED = "informed", "案内済"
        MIGRATED = "migrated", "移行済"
        DECLINED = "declined", "辞退"

    member = models.ForeignKey(Member, verbose_name="組合員", on_delete=models.CASCADE,
                               related_name="transition_statuses")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状況", max_length=12, choices=Status.choices)
    on = models.DateField("日付")
    note = models.CharField("メモ", max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="記録者", null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField("記録日時", auto_now_add=True)

    class Meta:
        verbose_name = "移行確認の状況"
        verbose_name_plural = "移行確認の状況"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["member", "fiscal_year", "-on"], name="transition_latest")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.on:%Y-%m-%d}"

    def snapshot(self) -> dict[str, object]:  # never the note: it may name the person
        return {"member": self.member_id, "fiscal_year": self.fiscal_year,
                "status": self.status, "on": self.on.isoformat(), "user": self.user_id}


class InspectionCall(models.Model):
    """A mark on the 次回車検日 call list: 電話 (called) or 案内済 (informed) for a マイカー共済
    contract at one due month, with its date, a note and who set it."""

    class Kind(models.TextChoices):
        CALLED = "called", "電話"
        INFORMED = "informed", "案内済"

    contract = models.ForeignKey(Contract, verbose_name="契約", on_delete=models.CASCADE,
                                 related_name="inspection_calls")
    due_month = models.DateField("車検月", help_text="車検月の1日")
    kind = models.CharField("区分", max_length=12, choices=Kind.choices)
    on = models.DateField("日付")
    note = models.CharField("メモ", max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="記録者", null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField("記録日時", auto_now_add=True)

    class Meta:
        verbose_name = "車検案内の記録"
        verbose_name_plural = "車検案内の記録"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["contract", "due_month"], name="inspection_call")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=["called", "informed"]),
                                              name="inspection_call_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"

    def snapshot(self) -> dict[str, object]:  # never the note: it may name the person
        return {"contract": self.contract_id, "due_month": self.due_month.strftime("%Y-%m"),
                "kind": self.kind, "on": self.on.isoformat(), "user": self.user_id}


class NewHireStatus(models.Model):
    """A new hire's step in the campaign of a year: 説明会参加 / 申込書配布 / 回収 / 加入 / 辞退,
    with its date and a note (the latest one counts)."""

    class Status(models.TextChoices):
        BRIEFED = "briefed", "説明会参加"
        FORM_GIVEN = "form_given", "申込書配布"
        COLLECTED = "collected", "回収"
        JOINED = "joined", "加入"
        DECLINED = "declined", "辞退"

    member = models.ForeignKey(Member, verbose_name="組合員", on_delete=models.CASCADE,
                               related_name="new_hire_statuses")
    year = models.PositiveSmallIntegerField("採用年")
    status = models.CharField("状況", max_length=12, choices=Status.choices)
    on = models.DateField("日付")
    note = models.CharField("メモ", max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="記録者", null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField("記録日時", auto_now_add=True)

    class Meta:
        verbose_name = "新採用者の状況"
        verbose_name_plural = "新採用者の状況"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["member", "year", "-on"], name="new_hire_latest")]
        constraints = [models.CheckConstraint(
            condition=Q(status__in=["briefed", "form_given", "collected", "joined", "declined"]),
            name="new_hire_status")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.on:%Y-%m-%d}"

    def snapshot(self) -> dict[str, object]:  # never the note: it may name the person
        return {"member": self.member_id, "year": self.year, "status": self.status,
                "on": self.on.isoformat(), "user": self.user_id}


# --- what an import replaced (kyosai imports revert) --------------------------------------------

class ReplacedMember(models.Model):
    """A roster row as it was before an import replaced it: every column the members import
    writes, the row's id and the import that had written it (`last_import`). As personal as the
    row itself: `kyosai members purge` removes it with its member (members.services)."""

    import_log = models.ForeignKey(ImportLog, verbose_name="取込",
                                   on_delete=models.CASCADE, related_name="+")
    row_id = models.BigIntegerField("行ID")
    name = models.CharField("氏名", max_length=100)
    kana = models.CharField("フリガナ", max_length=100, blank=True)
    birth_date = models.DateField("生年月日", null=True, blank=True)
    gender = models.CharField("性別", max_length=8, blank=True)
    hired_on = models.DateField("採用日", null=True, blank=True)
    joined_on = models.DateField("生協加入日", null=True, blank=True)
    employment = models.CharField("雇用区分", max_length=12)
    reemployment_ends_on = models.DateField("再任用終了日", null=True, blank=True)
    officer = models.BooleanField("役員")
    left_on = models.DateField("脱退日", null=True, blank=True)
    last_import = models.BigIntegerField("置換前の取込番号", null=True, blank=True)

    class Meta:
        verbose_name = "置換前の組合員"
        verbose_name_plural = "置換前の組合員"

    def __str__(self) -> str:  # never the name
        return f"{self.import_log_id}: 組合員 {self.row_id}"


class ReplacedContract(models.Model):
    """A contract as it was before an import replaced it: every column the contracts import
    writes (its member too: a file may give a contract number to another member), the row's id
    and the import that had written it."""

    import_log = models.ForeignKey(ImportLog, verbose_name="取込",
                                   on_delete=models.CASCADE, related_name="+")
    row_id = models.BigIntegerField("行ID")
    member_id = models.BigIntegerField("組合員ID")
    product_id = models.BigIntegerField("共済制度ID")
    insured = models.CharField("被共済者", max_length=8)
    started_on = models.DateField("発効日")
    ended_on = models.DateField("消滅日", null=True, blank=True)
    units = models.PositiveIntegerField("口数")
    premium = models.PositiveIntegerField("月額掛金（円）")
    vehicle_registered = models.DateField("初度登録年月", null=True, blank=True)
    vehicle_inspected_on = models.DateField("前回車検日", null=True, blank=True)
    last_import = models.BigIntegerField("置換前の取込番号", null=True, blank=True)

    class Meta:
        verbose_name = "置換前の契約"
        verbose_name_plural = "置換前の契約"

    def __str__(self) -> str:
        return f"{self.import_log_id}: 契約 {self.row_id}"


class RetentionRun(models.Model):
    """A day on which `kyosai worker` applied the retention policy (KYOSAI_PERSONAL_DATA_RETENTION_DAYS):
    one row per local day, claimed before the purge (the unique day keeps a restart or a second
    worker from purging twice that day) and removed again when the purge failed, so that it is
    retried. Counts only, never a person."""

    day = models.DateField("実行日", unique=True)
    started_at = models.DateTimeField("開始日時", auto_now_add=True)
    retention_days = models.PositiveIntegerField("保存期間（日）")
    left_before = models.DateField("削除対象（この日より前に脱退）")
    members = models.PositiveIntegerField("削除した組合員", null=True, blank=True)

    class Meta:
        verbose_name = "保存期間による削除"
        verbose_name_plural = "保存期間による削除"
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.left_before} より前に脱退（{self.retention_days} 日）"
