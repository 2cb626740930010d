"""Reads of the report's own data: overview topics, editions with their narratives, and builds,
for those who may read them."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from kyosai.accounts.access import Access
from kyosai.domain.periods import YearMonth
from kyosai.reports.inputs import Chapter, EditionText, Subject, SubjectParagraph
from kyosai.reports.models import OverviewTopic, ReportBuild, ReportEdition

if TYPE_CHECKING:
    from kyosai.core.models import AuditEntry
    from kyosai.reports.narratives import Slot

__all__ = [
    "edition_for",
    "edition_slots",
    "edition_text",
    "editions",
    "get_build",
    "get_topic",
    "narrative_history",
    "overview_periods",
    "overview_topics",
    "recent_builds",
    "section3_products",
]


def overview_topics(period: str, *, access: Access) -> QuerySet[OverviewTopic]:
    topics = OverviewTopic.objects.filter(period=period).order_by("position", "pk")
    return topics if access.can_view_reports else topics.none()


def overview_periods(*, access: Access) -> list[str]:
    if not access.can_view_reports:
        return []
    return sorted(set(OverviewTopic.objects.values_list("period", flat=True)), reverse=True)


def recent_builds(limit: int = 20, *, access: Access) -> QuerySet[ReportBuild]:
    builds = ReportBuild.objects.select_related("requested_by", "edition").order_by(
        "-created", "-pk")
    return (builds if access.can_view_reports else builds.none())[:limit]


def get_topic(pk: int, *, access: Access) -> OverviewTopic:
    """Raises OverviewTopic.DoesNotExist (also when `access` may not read the report)."""
    topics = OverviewTopic.objects.all() if access.can_view_reports else OverviewTopic.objects.none()
    return topics.get(pk=pk)


def get_build(pk: int, *, access: Access) -> ReportBuild:
    """Raises ReportBuild.DoesNotExist (also when `access` may not read the report)."""
    builds = ReportBuild.objects.all() if access.can_view_reports else ReportBuild.objects.none()
    return builds.get(pk=pk)


def editions(*, access: Access) -> QuerySet[ReportEdition]:
    found = ReportEdition.objects.select_related("previous").order_by("-period")
    return found if access.can_view_reports else found.none()


def edition_for(period: str, *, access: Access) -> ReportEdition | None:
    """The period's edition, or None (also when `access` may not read the report)."""
    if not access.can_view_reports:
        return None
    return ReportEdition.objects.filter(period=period).first()


def narrative_history(edition: ReportEdition, key: str, *,
                      access: Access) -> list["AuditEntry"]:
    """The audit entries of one narrative, newest first (who changed it, when, before/after)."""
    from kyosai.core.models import AuditEntry

    if not access.can_view_reports:
        return []

    def about(state: object) -> bool:  # an entry's before/after (JSON)
        return (isinstance(state, dict) and state.get("key") == key
                and state.get("edition") == edition.pk)

    entries = AuditEntry.objects.filter(object_type="reports.narrative").select_related(
        "user").order_by("-pk")
    return [entry for entry in entries if about(entry.before) or about(entry.after)]


def edition_text(edition: ReportEdition, *, access: Access) -> EditionText:
    """What the builder needs from an edition already read: months, subjects, chapters, text
    (nothing, an empty EditionText, when `access` may not read the report)."""
    if not access.can_view_reports:
        return EditionText()
    layout = edition.layout or {}
    subjects = {
        measure: tuple(
            SubjectParagraph(
                tuple(Subject(str(item["code"]), str(item.get("label", "")))
                      for item in paragraph.get("products", [])),
                bool(paragraph.get("listing", False)))
            for paragraph in paragraphs)
        for measure, paragraphs in (layout.get("subjects") or {}).items()
    }
    chapters = tuple(Chapter(str(chapter["title"]), tuple(chapter.get("products", [])))
                     for chapter in layout.get("chapters") or [])
    narratives = {n.key: n.paragraphs() for n in edition.narratives.all()}
    return EditionText(
        product_months={code: YearMonth.parse(month)
                        for code, month in (edition.product_months or {}).items()},
        narratives=narratives, subjects=subjects, chapters=chapters,
        own_targets=tuple(layout.get("own_targets") or ()),
        appendix_titles={str(k): str(v) for k, v in (layout.get("appendix_titles") or {}).items()},
    )


def section3_products(*, access: Access) -> list[tuple[str, str]]:
    """(code, label) of every product section Ⅲ prints, in the catalog's order (master data),
    for those who may read the report (none for anyone else)."""
    from kyosai.catalog.models import Product

    if not access.can_view_reports:
        return []

    products = Product.objects.filter(productmeasure__in_section3=True).distinct().order_by(
        "display_order", "code")
    return [(p.code, p.label) for p in products]


def edition_slots(edition: ReportEdition, *, access: Access) -> list["Slot"]:
    """Every place the edition can hold a narrative (Ⅲ: its chapters, or one per product);
    none when `access` may not read the report."""
    from kyosai.reports.narratives import slots

    if not access.can_view_reports:
        return []
    layout = edition.layout or {}
    chapters = layout.get("chapters") or [
        {"title": label, "products": [code]} for code, label in section3_products(access=access)]
    return slots(layout.get("subjects") or {}, chapters)
