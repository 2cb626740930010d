"""The register selectors read only what the viewer's Access may see (issue 11 item 1)."""

import pytest

from kyosai.accounts.access import NO_ACCESS, SYSTEM, Access
from kyosai.accounts.models import Role
from kyosai.activities.models import MeetingBase, NewHireResult, SmallLotHolding
from kyosai.activities.selectors import fiscal_years, meeting_context, register_records
from kyosai.org.models import Branch, Union
from kyosai.org.services import load_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    load_organisation()
    aomori, iwate = Branch.objects.get(name="青森"), Branch.objects.get(name="岩手")
    ours = Union.objects.create(code="U1", name="大間町職員労働組合", branch=aomori)
    theirs = Union.objects.create(code="U2", name="むつ市職員労働組合", branch=aomori)
    NewHireResult.objects.create(branch=aomori, fiscal_year=2023, coop_joined_cur=1)
    NewHireResult.objects.create(branch=iwate, fiscal_year=2024, coop_joined_cur=2)
    SmallLotHolding.objects.create(branch=aomori, union=ours, fiscal_year=2023, holdings=4)
    SmallLotHolding.objects.create(branch=aomori, union=theirs, fiscal_year=2024, holdings=7)
    MeetingBase.objects.create(year=2024, all_unions=1200)
    return {"aomori": aomori, "iwate": iwate, "ours": ours, "theirs": theirs}


def _branches(records):
    return sorted(record["_branch_id"] for record in records)


def test_another_branchs_staff_get_none_of_its_rows(world):
    iwate_staff = Access(role=Role.BRANCH_STAFF, branch_id=world["iwate"].pk)
    assert register_records("new_hires", 2023, access=iwate_staff) == []
    assert _branches(register_records("new_hires", 2023, access=SYSTEM)) == [world["aomori"].pk]
    assert _branches(register_records("new_hires", 2024, access=iwate_staff)) == [world["iwate"].pk]


def test_another_unions_officer_gets_none_of_its_rows_nor_years(world):
    officer = Access(role=Role.UNION_OFFICER, branch_id=world["aomori"].pk, union_id=world["theirs"].pk)
    assert register_records("small_lot_life", 2023, access=officer) == []
    assert [r["_union_id"] for r in register_records("small_lot_life", 2024, access=officer)] == [
        world["theirs"].pk]
    assert fiscal_years("small_lot_life", access=officer) == [2024]
    assert fiscal_years("new_hires", access=officer) == []  # no union column: none of its rows
    assert fiscal_years("small_lot_life", access=SYSTEM) == [2024, 2023]


def test_the_meeting_bases_are_aggregates(world):
    officer = Access(role=Role.UNION_OFFICER, branch_id=world["aomori"].pk, union_id=world["ours"].pk)
    staff = Access(role=Role.BRANCH_STAFF, branch_id=world["iwate"].pk)
    assert meeting_context(access=staff).bases == {(2024, "all_unions"): 1200}
    assert meeting_context(access=officer).bases == {}
    assert meeting_context(access=NO_ACCESS).bases == {}
    assert fiscal_years("new_hires", access=NO_ACCESS) == []
