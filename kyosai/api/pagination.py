"""Pages of 100 rows (`?page=N`, `?page_size=` up to 1000); CSV is never paginated."""

from typing import Any

from rest_framework.pagination import PageNumberPagination

__all__ = ["Pagination"]


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        if getattr(request, "accepted_renderer", None) is not None and \
                request.accepted_renderer.format == "csv":
            return None
        return super().paginate_queryset(queryset, request, view)
