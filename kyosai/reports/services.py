"""Writing the report: generate the files, run builds on the worker (`kyosai worker`), edit the overview."""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry, record_change
from kyosai.domain.periods import YearMonth
from kyosai.domain.reporting import HalfYear, Report
from kyosai.reports.builder import STEPS, build_report
from kyosai.reports.inputs import EditionText, ReportSources
from kyosai.reports.models import FORMATS, Narrative, OverviewTopic, ReportBuild, ReportEdition

__all__ = [
    "FORMATS",
    "OverviewChanges",
    "TopicText",
    "delete_overview_topic",
    "generate_report",
    "parse_formats",
    "replace_overview",
    "run_build",
    "run_build_task",
    "save_edition",
    "save_narrative",
    "save_overview_topic",
    "start_build",
    "start_edition",
    "step_count",
]

Progress = Callable[[str], None]


def parse_formats(text: str) -> list[str]:
    """pdf,xlsx,html (any order, any subset); ValueError naming an unknown one."""
    wanted = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [part for part in wanted if part not in FORMATS]
    if unknown or not wanted:
        raise ValueError(f"形式は pdf, xlsx, html から選んでください: {', '.join(unknown) or text!r}")
    return [fmt for fmt in FORMATS if fmt in wanted]


def step_count(formats: list[str]) -> int:
    return len(STEPS) + len(formats)


def write_formats(report: Report, out: Path, formats: list[str],
                  progress: Progress | None = None) -> dict[str, Path]:
    """Write each format to out/report.<fmt>; returns the paths and timings are the caller's."""
    from kyosai.reports.html import render_html
    from kyosai.reports.pdf import write_pdf
    from kyosai.reports.xlsx import write_xlsx

    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for fmt in formats:
        path = out / f"report.{fmt}"
        partial = out / f".report.{fmt}.partial"
        if fmt == "html":
            partial.write_text(render_html(report), encoding="utf-8")
        elif fmt == "pdf":
            write_pdf(report, partial)
        else:
            write_xlsx(report, partial)
        partial.replace(path)  # never leave a half-written file under the final name
        written[fmt] = path
        if progress:
            progress(fmt.upper())
    return written


def generate_report(as_of: YearMonth, period: HalfYear, out: Path, formats: list[str], *,
                    sources: ReportSources | None = None,
                    progress: Progress | None = None,
                    edition: EditionText | None = None) -> dict[str, Path]:
    """Build the report from the database (or `sources`) and write the formats into `out`."""
    if sources is None:
        from kyosai.reports.sources import DatabaseSources

        sources = DatabaseSources()
    report = build_report(as_of, period, sources, progress, edition)
    return write_formats(report, out, formats, progress)


# --- background builds -----------------------------------------------------------------------

def _launch(build: ReportBuild) -> None:
    """Queue the build for `kyosai worker`: the web process is never blocked by WeasyPrint."""
    run_build_task.enqueue(build.pk)


@transaction.atomic
def start_build(*, user: Any, as_of: YearMonth, period: HalfYear,
                formats: list[str]) -> ReportBuild:
    """Record the request and queue it for the worker once the row is committed."""
    build = ReportBuild.objects.create(
        period=str(period), as_of=str(as_of), formats=",".join(formats),
        requested_by=user if getattr(user, "is_authenticated", False) else None,
    )
    record_change(build, action="create", before=None, user=user)
    record_event(AuditEntry.Action.BUILD, user=user, object_type="reports.reportbuild",
                 object_id=str(build.pk), object_repr=f"報告書 {period} {as_of}",
                 detail={"period": str(period), "as_of": str(as_of), "formats": list(formats)})
    transaction.on_commit(lambda: _launch(build))
    return build


def run_build(pk: int, *, sources: ReportSources | None = None) -> ReportBuild:
    """Do a queued build (in the worker process), updating its progress row as it goes."""
    build = ReportBuild.objects.get(pk=pk)
    formats = build.format_list()
    total = step_count(formats)
    done = 0
    last_saved = 0.0

    def progress(step: str) -> None:
        nonlocal done, last_saved
        done += 1
        now = time.monotonic()
        if now - last_saved > 0.2 or done == total:
            ReportBuild.objects.filter(pk=pk).update(
                progress=min(99, done * 100 // total), step=step)
            last_saved = now

    ReportBuild.objects.filter(pk=pk).update(status=ReportBuild.Status.RUNNING, step="開始")
    try:
        from kyosai.accounts.access import SYSTEM
        from kyosai.reports.selectors import edition_text

        text = edition_text(build.edition, access=SYSTEM) if build.edition is not None else None
        generate_report(YearMonth.parse(build.as_of), HalfYear.parse(build.period),
                        build.directory, formats, sources=sources, progress=progress,
                        edition=text)
    except Exception as exc:
        ReportBuild.objects.filter(pk=pk).update(
            status=ReportBuild.Status.FAILED, error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now())
        raise
    ReportBuild.objects.filter(pk=pk).update(
        status=ReportBuild.Status.DONE, progress=100, step="完了", finished_at=timezone.now())
    build.refresh_from_db()
    return build


# --- the overview (Ⅰ) ------------------------------------------------------------------------

@transaction.atomic
def save_overview_topic(*, user: Any, period: HalfYear, heading: str, body: str,
                        achievements: str = "", challenges: str = "", notes: str = "",
                        position: int | None = None, topic: OverviewTopic | None = None,
                        source: str = AuditEntry.Source.WEB) -> OverviewTopic:
    """Create or update one topic of Ⅰ, with its audit entry."""
    before = topic.snapshot() if topic is not None else None
    if topic is None:
        topic = OverviewTopic(period=str(period))
        if position is None:
            last = OverviewTopic.objects.filter(period=str(period)).order_by("-position").first()
            position = (last.position + 1) if last else 1
    topic.heading = heading.strip()
    topic.body = body.strip()
    topic.achievements = achievements.strip()
    topic.challenges = challenges.strip()
    topic.notes = notes.strip()
    if position is not None:
        topic.position = position
    topic.full_clean()
    topic.save()
    record_change(topic, action="update" if before else "create", before=before, user=user,
                  source=source)
    return topic


@transaction.atomic
def delete_overview_topic(*, user: Any, topic: OverviewTopic,
                          source: str = AuditEntry.Source.WEB) -> None:
    before = topic.snapshot()
    record_change(topic, action="delete", before=before, user=user, source=source)
    topic.delete()


@dataclass(frozen=True, slots=True)
class TopicText:
    """One topic of Ⅰ as the edit form holds it: paragraphs split by blank lines, one item a line."""

    heading: str
    body: str
    achievements: str = ""
    challenges: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class OverviewChanges:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def _same(topic: OverviewTopic, text: TopicText, position: int) -> bool:
    return (topic.position, topic.heading, topic.body, topic.achievements, topic.challenges,
            topic.notes) == (position, text.heading.strip(), text.body.strip(),
                             text.achievements.strip(), text.challenges.strip(), text.notes.strip())


@transaction.atomic
def replace_overview(*, user: Any, period: HalfYear, topics: Sequence[TopicText],
                     source: str = AuditEntry.Source.CLI) -> OverviewChanges:
    """Make Ⅰ of `period` exactly `topics`, in order, through save/delete_overview_topic.

    Topics already equal are left alone (no audit entry), so a second run changes nothing.
    """
    existing = list(OverviewTopic.objects.filter(period=str(period)).order_by("position", "pk"))
    created = updated = unchanged = 0
    for position, text in enumerate(topics, start=1):
        topic = existing[position - 1] if position <= len(existing) else None
        if topic is not None and _same(topic, text, position):
            unchanged += 1
            continue
        save_overview_topic(user=user, period=period, heading=text.heading, body=text.body,
                            achievements=text.achievements, challenges=text.challenges,
                            notes=text.notes, position=position, topic=topic, source=source)
        if topic is None:
            created += 1
        else:
            updated += 1
    extra = existing[len(topics):]
    for topic in extra:
        delete_overview_topic(user=user, topic=topic, source=source)
    return OverviewChanges(created, updated, len(extra), unchanged)


# --- editions and their narratives -------------------------------------------------------------

@transaction.atomic
def save_edition(*, user: Any, period: HalfYear, as_of: YearMonth,
                 product_months: dict[str, str] | None = None,
                 layout: dict[str, Any] | None = None,  # (JSON)
                 source: str = AuditEntry.Source.WEB) -> ReportEdition:
    """Create or update the edition of `period` (audited; an unchanged edition is left alone)."""
    edition = ReportEdition.objects.filter(period=str(period)).first()
    before = edition.snapshot() if edition is not None else None
    if edition is None:
        edition = ReportEdition(period=str(period))
    edition.as_of = str(as_of)
    if product_months is not None:
        edition.product_months = {code: str(YearMonth.parse(month))
                                  for code, month in product_months.items()}
    if layout is not None:
        edition.layout = layout
    edition.full_clean()
    if before is not None and edition.snapshot() == before:
        return edition
    edition.save()
    record_change(edition, action="update" if before else "create", before=before, user=user,
                  source=source)
    return edition


@transaction.atomic
def save_narrative(*, user: Any, edition: ReportEdition, key: str, text: str,
                   source: str = AuditEntry.Source.WEB) -> Narrative | None:
    """Write the narrative at `key` (audited); empty text removes it. None when nothing changed."""
    text = text.replace("\r\n", "\n").strip()
    narrative = Narrative.objects.filter(edition=edition, key=key).first()
    if narrative is None:
        if not text:
            return None
        narrative = Narrative(edition=edition, key=key, text=text)
        narrative.full_clean()
        narrative.save()
        record_change(narrative, action="create", before=None, user=user, source=source)
        return narrative
    if narrative.text == text:
        return None
    before = narrative.snapshot()
    if not text:
        record_change(narrative, action="delete", before=before, user=user, source=source)
        narrative.delete()
        return None
    narrative.text = text
    narrative.save()
    record_change(narrative, action="update", before=before, user=user, source=source)
    return narrative


@transaction.atomic
def start_edition(*, user: Any, period: HalfYear, as_of: YearMonth,
                  source: str = AuditEntry.Source.WEB) -> ReportEdition:
    """A new edition as a draft: the previous edition's layout and text, to be rewritten."""
    if ReportEdition.objects.filter(period=str(period)).exists():
        raise ValueError(f"{period} の版はすでにあります")
    previous = ReportEdition.objects.filter(period__lt=str(period)).order_by("-period").first()
    edition = ReportEdition(period=str(period), as_of=str(as_of), previous=previous,
                            layout=previous.layout if previous else {},
                            status=ReportEdition.Status.DRAFT)
    edition.full_clean()
    edition.save()
    record_change(edition, action="create", before=None, user=user, source=source)
    if previous is not None:
        for narrative in previous.narratives.order_by("key"):
            save_narrative(user=user, edition=edition, key=narrative.key, text=narrative.text,
                           source=source)
    return edition


# --- the worker's task (django-tasks; `kyosai worker` runs it from the database queue) --------
# Defined beside what it runs, so that queueing it needs no import of a module importing back.

@task()
def run_build_task(build_id: int) -> str:
    return run_build(build_id).status
