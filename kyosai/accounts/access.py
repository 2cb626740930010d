"""What a user may see and edit, resolved once per request; every view and export asks here.

HQ (admin, staff, and viewers without a branch or union) sees everything. Branch staff see the
national and regional aggregates and only their own branch's detail and unions. A union officer
sees only their union. Viewers see what their place allows but never edit.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from kyosai.accounts.models import Membership, Role

__all__ = ["Access", "access_for"]


@dataclass(frozen=True, slots=True)
class Access:
    """A user's scope: role plus the branch or union they belong to (None for HQ)."""

    role: Role | None
    branch_id: int | None = None
    union_id: int | None = None
    is_superuser: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.role is not None or self.is_superuser

    @property
    def is_hq(self) -> bool:
        """Sees every branch's detail."""
        if self.is_superuser:
            return True
        if self.role in (Role.HQ_ADMIN, Role.HQ_STAFF):
            return True
        return self.role == Role.VIEWER and self.branch_id is None and self.union_id is None

    @property
    def is_hq_admin(self) -> bool:
        return self.is_superuser or self.role == Role.HQ_ADMIN

    @property
    def can_write(self) -> bool:
        return (self.role is not None and self.role != Role.VIEWER) or self.is_superuser

    @property
    def sees_aggregates(self) -> bool:
        """National and regional aggregates: HQ and branch staff (not union officers)."""
        return self.is_hq or (self.branch_id is not None and self.union_id is None)

    def can_view_branch(self, branch_id: int) -> bool:
        return self.is_hq or (self.union_id is None and self.branch_id == branch_id)

    def can_view_union(self, union_id: int, union_branch_id: int) -> bool:
        if self.is_hq:
            return True
        if self.union_id is not None:
            return self.union_id == union_id
        return self.branch_id == union_branch_id

    def can_edit_branch(self, branch_id: int) -> bool:
        """Write a branch's own rows (plans, registers, results): HQ staff or that branch's staff."""
        if not self.can_write or self.role == Role.UNION_OFFICER:
            return False
        return self.is_hq or self.branch_id == branch_id

    def restrict_branches(self, queryset: QuerySet[Any], field: str = "pk") -> QuerySet[Any]:
        """Only the rows of branches whose detail this user may see (`field` names the branch)."""
        if self.is_hq:
            return queryset
        if self.union_id is not None or self.branch_id is None:
            return queryset.none()
        return queryset.filter(**{field: self.branch_id})

    def restrict_unions(self, queryset: QuerySet[Any], field: str = "pk",
                        branch_field: str = "branch") -> QuerySet[Any]:
        """Only the rows of unions this user may see (`field` names the union)."""
        if self.is_hq:
            return queryset
        if self.union_id is not None:
            return queryset.filter(**{field: self.union_id})
        if self.branch_id is not None:
            return queryset.filter(**{branch_field: self.branch_id})
        return queryset.none()

    # --- personal data (組合員・契約): issue 14 -------------------------------------------------

    def can_view_personal_data(self, union_id: int, union_branch_id: int) -> bool:
        """Names and contracts of a union's members: HQ admins all; branch staff their branch's
        unions; a union officer their own union. HQ staff and viewers see counts only."""
        if self.is_hq_admin:
            return True
        if self.role == Role.UNION_OFFICER:
            return self.union_id is not None and self.union_id == union_id
        if self.role == Role.BRANCH_STAFF:
            return self.branch_id is not None and self.branch_id == union_branch_id
        return False

    @property
    def sees_personal_data(self) -> bool:
        """Sees some union's members by name at all (else counts and rates only)."""
        return self.is_hq_admin or (self.role == Role.UNION_OFFICER and self.union_id is not None
                                    ) or (self.role == Role.BRANCH_STAFF
                                          and self.branch_id is not None)

    def restrict_personal_data(self, queryset: QuerySet[Any], union_field: str = "union",
                               branch_field: str = "union__branch") -> QuerySet[Any]:
        """Only the rows of members (or their contracts) whose personal data this user may see."""
        if self.is_hq_admin:
            return queryset
        if self.role == Role.UNION_OFFICER and self.union_id is not None:
            return queryset.filter(**{union_field: self.union_id})
        if self.role == Role.BRANCH_STAFF and self.branch_id is not None:
            return queryset.filter(**{branch_field: self.branch_id})
        return queryset.none()

    def can_mark_members(self, union_id: int) -> bool:
        """Record 声かけ済 / 申込済 / 辞退 on the union's non-members: its own officers."""
        return self.role == Role.UNION_OFFICER and self.union_id == union_id


NO_ACCESS = Access(role=None)


def access_for(user: Any) -> Access:
    """The Access of a (possibly anonymous) user."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_ACCESS
    try:
        membership = user.membership
    except Membership.DoesNotExist:
        return Access(role=None, is_superuser=bool(user.is_superuser))
    return Access(
        role=Role(membership.role), branch_id=membership.branch_id, union_id=membership.union_id,
        is_superuser=bool(user.is_superuser),
    )
