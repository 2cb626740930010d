"""The report's written parts (Ⅰ overview, edited by HQ in the app) and background builds."""

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models

from kyosai.core.models import TimeStampedModel

__all__ = ["Narrative", "OverviewTopic", "ReportBuild", "ReportEdition"]

_LEADING_MARKER = re.compile(r"^\s*(?:[①-⑳]|\(\d+\)|\d+[.．、]|[・\-*])\s*")
FORMATS = ("pdf", "xlsx", "html")


class OverviewTopic(TimeStampedModel):
    """Ⅰ: one topic (【団体生命共済・退職者団体生命共済の推進】): paragraphs, two lists, footnotes."""

    period = models.CharField("期", max_length=7, db_index=True, help_text="例: 2024H1")
    position = models.PositiveSmallIntegerField("順序", default=1)
    heading = models.CharField("見出し", max_length=100)
    body = models.TextField("本文", help_text="段落は空行で区切ります（段落番号は自動で付きます）。")
    achievements = models.TextField("主な成果", blank=True, help_text="1行に1項目（①… は自動）")
    challenges = models.TextField("今後の取り組み・課題", blank=True,
                                  help_text="1行に1項目（①… は自動）")
    notes = models.TextField("注", blank=True,
                             help_text="本文の脚注。1行に1つ、本文の印とあわせて書きます（例: ※1 …）。")

    class Meta:
        verbose_name = "概況の項目"
        verbose_name_plural = "概況の項目"
        ordering = ["period", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.period} {self.heading}"

    def paragraphs(self) -> tuple[str, ...]:
        blocks = re.split(r"\n\s*\n", self.body.replace("\r\n", "\n").strip())
        return tuple("".join(line.strip() for line in block.splitlines()) for block in blocks
                     if block.strip())

    @staticmethod
    def _items(text: str) -> tuple[str, ...]:
        return tuple(_LEADING_MARKER.sub("", line).strip() for line in text.splitlines()
                     if line.strip())

    def achievement_items(self) -> tuple[str, ...]:
        return self._items(self.achievements)

    def challenge_items(self) -> tuple[str, ...]:
        return self._items(self.challenges)

    def note_lines(self) -> tuple[str, ...]:
        """The footnotes as written, marks kept (※1 …)."""
        return tuple(line.strip() for line in self.notes.splitlines() if line.strip())


class ReportEdition(TimeStampedModel):
    """A report HQ prepares for a period: Ⅱ's month, each Ⅲ product's month, its narratives.

    `product_months` maps a product code to the month Ⅲ reports it at ("2024-12"); a product not
    named is reported at `as_of`. `layout` holds what the edition names in its commentary:
    ``{"subjects": {measure: [[product, …], …]}, "chapters": [{"title": …, "products": […]}]}``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "下書き"
        FINAL = "final", "確定"

    period = models.CharField("期", max_length=7, unique=True, help_text="例: 2024H1")
    as_of = models.CharField("基準月", max_length=7, help_text="Ⅱの実績の基準月（例: 2024-11）")
    product_months = models.JSONField("制度別の基準月", default=dict, blank=True)
    layout = models.JSONField("構成", default=dict, blank=True)
    status = models.CharField("状態", max_length=5, choices=Status.choices, default=Status.DRAFT)
    previous = models.ForeignKey(
        "self", verbose_name="前の版", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "報告書の版"
        verbose_name_plural = "報告書の版"
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"{self.period}（{self.as_of}現在・{self.get_status_display()}）"

    def snapshot(self) -> dict[str, Any]:
        """As the audit records it, the JSON fields kept as JSON (not their repr)."""
        data = super().snapshot()
        data["product_months"] = dict(self.product_months or {})
        data["layout"] = self.layout or {}
        return data


class Narrative(TimeStampedModel):
    """A paragraph group HQ writes where the data cannot speak (keys: `kyosai.reports.narratives`)."""

    edition = models.ForeignKey(ReportEdition, verbose_name="版", on_delete=models.CASCADE,
                                related_name="narratives")
    key = models.CharField("位置", max_length=60)
    text = models.TextField("本文", blank=True, help_text="段落は空行で区切ります。")

    class Meta:
        verbose_name = "報告書の本文"
        verbose_name_plural = "報告書の本文"
        ordering = ["edition", "key"]
        constraints = [models.UniqueConstraint(fields=["edition", "key"],
                                               name="reports_narrative_unique_key")]

    def __str__(self) -> str:
        return f"{self.edition.period} {self.key}"

    def paragraphs(self) -> tuple[str, ...]:
        blocks = re.split(r"\n\s*\n", self.text.replace("\r\n", "\n").strip())
        return tuple("".join(line.strip() for line in block.splitlines()) for block in blocks
                     if block.strip())


class ReportBuild(TimeStampedModel):
    """One build of the report requested in the app; a separate process does the work."""

    class Status(models.TextChoices):
        QUEUED = "queued", "待機中"
        RUNNING = "running", "作成中"
        DONE = "done", "完了"
        FAILED = "failed", "失敗"

    period = models.CharField("期", max_length=7)
    edition = models.ForeignKey(ReportEdition, verbose_name="版", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="builds")
    as_of = models.CharField("基準月", max_length=7)
    formats = models.CharField("形式", max_length=20, default="pdf,xlsx,html")
    status = models.CharField("状態", max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("進捗（%）", default=0)
    step = models.CharField("作業中の工程", max_length=100, blank=True)
    error = models.TextField("エラー", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="依頼者", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    finished_at = models.DateTimeField("完了日時", null=True, blank=True)

    class Meta:
        verbose_name = "報告書の作成"
        verbose_name_plural = "報告書の作成"
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.period} {self.as_of} ({self.get_status_display()})"

    @property
    def directory(self) -> Path:
        return Path(settings.MEDIA_ROOT) / "reports" / f"build-{self.pk}"

    def format_list(self) -> list[str]:
        return [f for f in self.formats.split(",") if f in FORMATS]

    def files(self) -> list[tuple[str, Path]]:
        """The finished files, by format."""
        found = [(fmt, self.directory / f"report.{fmt}") for fmt in self.format_list()]
        return [(fmt, path) for fmt, path in found if path.is_file()]

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
