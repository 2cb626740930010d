"""The navigation every page shows: which links the user's role opens, who is logged in."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from kyosai.accounts.access import access_for
from kyosai.accounts.models import Role
from kyosai.org.models import Branch, Union

__all__ = ["navigation"]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    access = access_for(user)
    branch = Branch.objects.filter(pk=access.branch_id).first() if access.branch_id else None
    union = Union.objects.filter(pk=access.union_id).first() if access.union_id else None
    branch_url = ""
    if access.is_hq:
        branch_url = reverse("web:branches")
    elif branch is not None and access.union_id is None:
        branch_url = reverse("web:branch", args=[branch.code])
    path = request.path.strip("/").split("/")
    return {"nav": {
        "access": access,
        "sees_aggregates": access.sees_aggregates,
        "branch_url": branch_url,
        "union_url": reverse("web:union", args=[union.code]) if union is not None else "",
        "can_import": access.can_import,
        "can_view_reports": access.can_view_reports,
        "role_label": Role(access.role).label if access.role else "管理者",
        "place": str(union or branch or ""),
        "section": path[0] if path else "",
    }}
