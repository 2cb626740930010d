"""Reads of the report's own data: overview topics and builds."""

from django.db.models import QuerySet

from kyosai.reports.models import OverviewTopic, ReportBuild

__all__ = ["get_build", "overview_periods", "overview_topics", "recent_builds"]


def overview_topics(period: str) -> QuerySet[OverviewTopic]:
    return OverviewTopic.objects.filter(period=period).order_by("position", "pk")


def overview_periods() -> list[str]:
    return sorted(set(OverviewTopic.objects.values_list("period", flat=True)), reverse=True)


def recent_builds(limit: int = 20) -> QuerySet[ReportBuild]:
    return ReportBuild.objects.select_related("requested_by").order_by("-created", "-pk")[:limit]


def get_build(pk: int) -> ReportBuild:
    """Raises ReportBuild.DoesNotExist."""
    return ReportBuild.objects.get(pk=pk)
