"""What a user may see and change, resolved once per request: the one access policy of kyosai.

Every rule of who may read or write what lives here, and views, selectors and templates only ask:

- reading: row predicates (`can_view_branch`, `can_view_union`, `can_view_plan`, `can_view_region`,
  …) and queryset restrictions (`restrict_branches`, `restrict_unions`, `restrict_plans`), always by
  primary key, never by name;
- writing: one `can_edit_*` per kind of write (plans, registers, events, overview, report builds,
  imports, users). A read-only role (viewer) never writes, and nobody writes another's rows.

HQ (admin, staff, and viewers without a branch or union) sees everything. Branch staff see the
national and regional aggregates and only their own branch's detail and unions. A union officer
sees only their union. A missing Access (`NO_ACCESS`, an anonymous user, a user without a
membership) sees nothing. Commands run by an operator on the server read with `SYSTEM`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Q, QuerySet

from kyosai.accounts.models import Membership, Role
from kyosai.org.models import Branch

#: any queryset (BranchQuerySet too): what the restrict_* methods take, they return narrowed
_QS = TypeVar("_QS", bound=QuerySet[Any])

__all__ = ["NO_ACCESS", "SYSTEM", "Access", "access_for"]

#: A region's figures are shown outside HQ only when they cannot narrow to one other branch:
#: the region holds no branch but the viewer's own, or at least this many others.
REGION_MIN_OTHER_BRANCHES = 2

#: The datasets branch staff import on the web (`/imports/`), and so the only ones they may undo.
BRANCH_REVERTIBLE_DATASETS = frozenset({"results", "targets"})


@dataclass(frozen=True, slots=True)
class Access:
    """A user's scope: role plus the branch or union they belong to (None for HQ)."""

    role: Role | None
    branch_id: int | None = None
    union_id: int | None = None
    is_superuser: bool = False
    is_system: bool = False

    # --- who ------------------------------------------------------------------------------------

    @property
    def is_authenticated(self) -> bool:
        return self.role is not None or self.is_superuser or self.is_system

    @property
    def is_hq(self) -> bool:
        """Sees every branch's detail."""
        if self.is_superuser or self.is_system:
            return True
        if self.role in (Role.HQ_ADMIN, Role.HQ_STAFF):
            return True
        return self.role == Role.VIEWER and self.branch_id is None and self.union_id is None

    @property
    def is_hq_admin(self) -> bool:
        return self.is_superuser or self.role == Role.HQ_ADMIN

    @property
    def can_write(self) -> bool:
        """Any write at all: every role but viewer (and no role at all)."""
        return (self.role is not None and self.role != Role.VIEWER) or self.is_superuser

    @property
    def is_branch_staff(self) -> bool:
        """Staff (or a viewer) of one branch, not of a union."""
        return not self.is_hq and self.branch_id is not None and self.union_id is None

    # --- reading: predicates --------------------------------------------------------------------

    @property
    def sees_aggregates(self) -> bool:
        """National and regional aggregates: HQ and branch staff (not union officers)."""
        return self.is_hq or self.is_branch_staff

    def can_view_branch(self, branch_id: int | None) -> bool:
        if branch_id is None:
            return self.is_hq
        return self.is_hq or (self.is_branch_staff and self.branch_id == branch_id)

    def can_view_union(self, union_id: int, union_branch_id: int) -> bool:
        if self.is_hq:
            return True
        if self.union_id is not None:
            return self.union_id == union_id
        return self.branch_id is not None and self.branch_id == union_branch_id

    def can_view_region(self, branch_ids: Iterable[int]) -> bool:
        """A region's aggregate, given the ids of its branches.

        Outside HQ a region's figures must not reveal one other branch's: a region of a single
        branch (北海道地連 is 北海道 alone) is that branch, and a region of two, seen by the staff
        of one, is the other's figures plus their own. So a region is shown only when it holds
        no branch but the viewer's own, or at least REGION_MIN_OTHER_BRANCHES others.
        """
        if self.is_hq:
            return True
        if not self.sees_aggregates:
            return False
        others = set(branch_ids) - {self.branch_id}
        return not others or len(others) >= REGION_MIN_OTHER_BRANCHES

    def can_view_plan(self, owner_id: int, owner_is_hq: bool) -> bool:
        """HQ reads every plan; branch staff HQ's plan and their own branch's."""
        if self.is_hq:
            return True
        return self.is_branch_staff and (owner_is_hq or owner_id == self.branch_id)

    def can_view_register_row(self, branch_id: int | None, union_id: int | None = None,
                              *, derived: bool = False, has_union_column: bool = False) -> bool:
        """A row of an appendix register: HQ all; derived rows (totals) those who see aggregates;
        branch staff their branch's rows; a union officer their union's rows only."""
        if self.is_hq:
            return True
        if derived or branch_id is None:
            return self.sees_aggregates
        if self.union_id is not None:
            return has_union_column and union_id == self.union_id
        return self.is_branch_staff and branch_id == self.branch_id

    @property
    def can_view_events(self) -> bool:
        """HQ's meetings and events are public inside the organisation."""
        return self.is_authenticated

    @property
    def can_view_reports(self) -> bool:
        """The report builds and the overview (section Ⅰ) are HQ's."""
        return self.is_hq

    @property
    def can_view_branch_matrix(self) -> bool:
        """Every branch's plan ratings side by side."""
        return self.is_hq

    # --- reading: querysets ---------------------------------------------------------------------

    def restrict_branches(self, queryset: _QS, field: str = "pk") -> _QS:
        """Only the rows of branches whose detail this user may see (`field` names the branch id)."""
        if self.is_hq:
            return queryset
        if not self.is_branch_staff:
            return queryset.none()
        return queryset.filter(**{field: self.branch_id})

    def restrict_unions(self, queryset: _QS, field: str = "pk",
                        branch_field: str = "branch") -> _QS:
        """Only the rows of unions this user may see (`field` names the union id)."""
        if self.is_hq:
            return queryset
        if self.union_id is not None:
            return queryset.filter(**{field: self.union_id})
        if self.branch_id is not None:
            return queryset.filter(**{branch_field: self.branch_id})
        return queryset.none()

    def restrict_plans(self, queryset: _QS, owner: str = "owner") -> _QS:
        """Only the plans this user may read (see can_view_plan); `owner` names the owning branch."""
        if self.is_hq:
            return queryset
        if not self.is_branch_staff:
            return queryset.none()
        return queryset.filter(Q(**{f"{owner}__kind": Branch.Kind.HQ}) | Q(**{f"{owner}_id": self.branch_id}))

    # --- writing --------------------------------------------------------------------------------

    def can_edit_branch(self, branch_id: int | None) -> bool:
        """Write a branch's own rows: HQ staff any branch's, a branch's staff only their own."""
        if not self.can_write or self.role == Role.UNION_OFFICER:
            return False
        return self.is_hq or (branch_id is not None and self.branch_id == branch_id)

    def can_edit_plan(self, owner_id: int) -> bool:
        """Status entries, ratings, next actions and carry-over of the plan owned by `owner_id`."""
        return self.can_edit_branch(owner_id)

    def can_edit_register(self, branch_id: int | None, *, hq_only: bool = False) -> bool:
        """An appendix register row: HQ's registers and rows without a branch are HQ staff's."""
        if hq_only or branch_id is None:
            return self.is_hq and self.can_write
        return self.can_edit_branch(branch_id)

    def editable_register_branches(self, queryset: _QS, *,
                                   hq_only: bool = False) -> _QS:
        """The branches (a Branch queryset) for which this user may enter register rows."""
        if not self.can_write or (hq_only and not self.is_hq):
            return queryset.none()
        if self.is_hq:
            return queryset
        if self.can_edit_branch(self.branch_id):
            return queryset.filter(pk=self.branch_id)
        return queryset.none()

    @property
    def can_edit_events(self) -> bool:
        """HQ's events are entered by HQ staff and admins (not HQ viewers, branches or unions)."""
        return self.is_hq and self.can_write

    @property
    def can_edit_overview(self) -> bool:
        """Section Ⅰ's topics of the official report."""
        return self.is_hq and self.can_write

    @property
    def can_build_reports(self) -> bool:
        return self.is_hq and self.can_write

    @property
    def can_import(self) -> bool:
        """Upload targets or results: HQ staff any rows, a branch's staff their own branch's."""
        if not self.can_write:
            return False
        return self.is_hq or (self.role == Role.BRANCH_STAFF and self.is_branch_staff)

    def import_branch_ids(self) -> set[int] | None:
        """The branches whose rows this user may import: None for every branch, else their ids."""
        if not self.can_import:
            return set()
        return None if self.is_hq else {self.branch_id}  # type: ignore[arg-type]

    def can_revert_import(self, dataset: str, branch_ids: Iterable[int | None] | None) -> bool:
        """Undo an import (`kyosai imports revert` on the web): HQ admins and staff any import;
        branch staff a targets or results import every row of which — those it wrote and those
        it replaced — is of their own branch (`branch_ids`: those rows' branches, None when not
        known). Nobody else, and nothing whose rows are not known."""
        if self.is_hq:
            return self.can_write
        if not self.can_import or dataset not in BRANCH_REVERTIBLE_DATASETS:
            return False
        if branch_ids is None:
            return False
        branches = set(branch_ids)
        return bool(branches) and branches == {self.branch_id}

    @property
    def can_edit_users(self) -> bool:
        """Create users and change memberships."""
        return self.is_hq_admin

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

    def restrict_personal_data(self, queryset: _QS, union_field: str = "union",
                               branch_field: str = "union__branch") -> _QS:
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
#: Commands an operator runs on the server (`kyosai appendix`, the report build) read everything.
SYSTEM = Access(role=None, is_system=True)


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
