"""Reads of the report's own data: overview topics and builds, for those who may read them."""

from django.db.models import QuerySet

from kyosai.accounts.access import Access
from kyosai.reports.models import OverviewTopic, ReportBuild

__all__ = ["get_build", "get_topic", "overview_periods", "overview_topics", "recent_builds"]


def overview_topics(period: str, *, access: Access) -> QuerySet[OverviewTopic]:
    topics = OverviewTopic.objects.filter(period=period).order_by("position", "pk")
    return topics if access.can_view_reports else topics.none()


def overview_periods(*, access: Access) -> list[str]:
    if not access.can_view_reports:
        return []
    return sorted(set(OverviewTopic.objects.values_list("period", flat=True)), reverse=True)


def recent_builds(limit: int = 20, *, access: Access) -> QuerySet[ReportBuild]:
    builds = ReportBuild.objects.select_related("requested_by").order_by("-created", "-pk")
    return (builds if access.can_view_reports else builds.none())[:limit]


def get_topic(pk: int, *, access: Access) -> OverviewTopic:
    """Raises OverviewTopic.DoesNotExist (also when `access` may not read the report)."""
    topics = OverviewTopic.objects.all() if access.can_view_reports else OverviewTopic.objects.none()
    return topics.get(pk=pk)


def get_build(pk: int, *, access: Access) -> ReportBuild:
    """Raises ReportBuild.DoesNotExist (also when `access` may not read the report)."""
    builds = ReportBuild.objects.all() if access.can_view_reports else ReportBuild.objects.none()
    return builds.get(pk=pk)
