"""Access to personal data (issue 14): who may see a union's members by name, and mark them."""

import pytest

from kyosai.accounts.access import NO_ACCESS, Access
from kyosai.accounts.models import Role
from kyosai.members.models import Member

pytestmark = pytest.mark.django_db

UNION, BRANCH, OTHER_UNION, OTHER_BRANCH = 7, 3, 8, 4

CASES = [  # access, sees union 7 of branch 3, sees union 8 of branch 3, sees a union of branch 4
    (Access(role=Role.HQ_ADMIN), True, True, True),
    (Access(role=None, is_superuser=True), True, True, True),
    (Access(role=Role.HQ_STAFF), False, False, False),
    (Access(role=Role.VIEWER), False, False, False),
    (Access(role=Role.VIEWER, branch_id=BRANCH), False, False, False),
    (Access(role=Role.BRANCH_STAFF, branch_id=BRANCH), True, True, False),
    (Access(role=Role.UNION_OFFICER, union_id=UNION), True, False, False),
    (Access(role=Role.UNION_OFFICER, union_id=None), False, False, False),
    (NO_ACCESS, False, False, False),
]


@pytest.mark.parametrize(("access", "own", "sibling", "elsewhere"), CASES)
def test_can_view_personal_data(access, own, sibling, elsewhere):
    assert access.can_view_personal_data(UNION, BRANCH) is own
    assert access.can_view_personal_data(OTHER_UNION, BRANCH) is sibling
    assert access.can_view_personal_data(UNION + 100, OTHER_BRANCH) is elsewhere
    assert access.sees_personal_data is (own or sibling or elsewhere)


def test_only_the_unions_own_officers_mark(db):
    assert Access(role=Role.UNION_OFFICER, union_id=UNION).can_mark_members(UNION)
    assert not Access(role=Role.UNION_OFFICER, union_id=UNION).can_mark_members(OTHER_UNION)
    for access in (Access(role=Role.HQ_ADMIN), Access(role=Role.BRANCH_STAFF, branch_id=BRANCH)):
        assert not access.can_mark_members(UNION)


def test_the_queryset_restriction_matches_the_rule(roster):
    every = list(Member.objects.select_related("union"))
    for access, *_ in [*CASES, (Access(role=Role.BRANCH_STAFF), False, False, False)]:
        if access.union_id is not None or access.branch_id is not None:
            # the cases use made-up ids: point them at the roster's own unions and branches
            member = every[0]
            access = Access(role=access.role, union_id=member.union_id if access.union_id else None,
                            branch_id=member.union.branch_id if access.branch_id else None)
        allowed = set(access.restrict_personal_data(Member.objects.all())
                      .values_list("pk", flat=True))
        expected = {m.pk for m in every
                    if access.can_view_personal_data(m.union_id, m.union.branch_id)}
        assert allowed == expected, access
