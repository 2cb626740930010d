"""The access policy itself: every kind of write for every role, and reading with no access."""

import pytest

from kyosai.accounts.access import NO_ACCESS, SYSTEM, Access
from kyosai.accounts.models import Role

OWN, OTHER, UNION = 14, 1, 140001

PERSONAS = {
    "hq_admin": Access(role=Role.HQ_ADMIN),
    "hq_staff": Access(role=Role.HQ_STAFF),
    "hq_viewer": Access(role=Role.VIEWER),
    "branch_staff": Access(role=Role.BRANCH_STAFF, branch_id=OWN),
    "branch_viewer": Access(role=Role.VIEWER, branch_id=OWN),
    "union_officer": Access(role=Role.UNION_OFFICER, branch_id=OWN, union_id=UNION),
    "nobody": NO_ACCESS,
}

#: persona → (plan of own branch, plan of another, HQ register, own register row, events,
#:            overview, report builds, imports, users)
WRITES = {
    "hq_admin": (True, True, True, True, True, True, True, True, True),
    "hq_staff": (True, True, True, True, True, True, True, True, False),
    "hq_viewer": (False,) * 9,
    "branch_staff": (True, False, False, True, False, False, False, True, False),
    "branch_viewer": (False,) * 9,
    "union_officer": (False,) * 9,
    "nobody": (False,) * 9,
}


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_every_kind_of_write_is_decided_by_access(persona):
    access = PERSONAS[persona]
    got = (access.can_edit_plan(OWN), access.can_edit_plan(OTHER),
           access.can_edit_register(None, hq_only=True), access.can_edit_register(OWN),
           access.can_edit_events, access.can_edit_overview, access.can_build_reports,
           access.can_import, access.can_edit_users)
    assert got == WRITES[persona]


def test_imports_are_limited_to_the_branches_by_id():
    assert PERSONAS["hq_staff"].import_branch_ids() is None
    assert PERSONAS["branch_staff"].import_branch_ids() == {OWN}
    assert PERSONAS["branch_viewer"].import_branch_ids() == set()
    assert PERSONAS["union_officer"].import_branch_ids() == set()


#: persona → may undo (results of own branch's rows, targets of own branch's, results that also
#: touched another branch, results with a national row, rows not known, an appendix import)
REVERTS = {
    "hq_admin": (True,) * 6,
    "hq_staff": (True,) * 6,
    "hq_viewer": (False,) * 6,
    "branch_staff": (True, True, False, False, False, False),
    "branch_viewer": (False,) * 6,
    "union_officer": (False,) * 6,
    "nobody": (False,) * 6,
}


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_undoing_an_import_is_decided_by_the_branches_of_its_rows(persona):
    access = PERSONAS[persona]
    got = (access.can_revert_import("results", {OWN}), access.can_revert_import("targets", [OWN]),
           access.can_revert_import("results", {OWN, OTHER}),
           access.can_revert_import("results", {OWN, None}),
           access.can_revert_import("results", None), access.can_revert_import("appendix", {OWN}))
    assert got == REVERTS[persona]
    assert not access.can_revert_import("results", set()) or access.is_hq  # no rows: HQ only


def test_a_missing_access_reads_nothing_and_the_system_reads_everything():
    for predicate in ("sees_aggregates", "can_view_events", "can_view_reports",
                      "is_authenticated"):
        assert getattr(NO_ACCESS, predicate) is False, predicate
        assert getattr(SYSTEM, predicate) is True, predicate
    assert not NO_ACCESS.can_view_branch(OWN)
    assert not NO_ACCESS.can_view_union(UNION, OWN)
    assert not NO_ACCESS.can_view_plan(OWN, owner_is_hq=True)
    assert not NO_ACCESS.can_view_register_row(None, derived=True)
    assert SYSTEM.can_view_branch(OTHER)
    assert not SYSTEM.can_write  # SYSTEM reads; commands write through the services


def test_register_rows_are_read_by_the_ids_of_their_branch_and_union():
    staff, officer = PERSONAS["branch_staff"], PERSONAS["union_officer"]
    assert staff.can_view_register_row(OWN, UNION, has_union_column=True)
    assert not staff.can_view_register_row(OTHER)
    assert staff.can_view_register_row(None, derived=True)  # 合計: an aggregate
    assert officer.can_view_register_row(OWN, UNION, has_union_column=True)
    assert not officer.can_view_register_row(OWN, UNION + 1, has_union_column=True)
    assert not officer.can_view_register_row(OWN)  # a branch row without a union column
    assert not officer.can_view_register_row(None, derived=True)
