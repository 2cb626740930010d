"""The results and web selectors restrict by the viewer's Access (issue 11, item 1).

A branch's staff given another branch's scope get nothing; breakdowns keep only the rows the
viewer may see; a missing access (NO_ACCESS) reads nothing. Compared with what SYSTEM reads.
"""

import pytest

from kyosai.accounts.access import NO_ACCESS, SYSTEM, Access
from kyosai.accounts.models import Role
from kyosai.org.models import Branch, Union
from kyosai.results import selectors
from kyosai.web import selectors as web_selectors
from kyosai.web.tests.federation import AS_OF, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def federation() -> dict[str, Union]:
    return build()


def _staff(code: str) -> Access:
    return Access(role=Role.BRANCH_STAFF, branch_id=Branch.objects.get(code=code).pk)


def _officer(code: str) -> Access:
    union = Union.objects.get(code=code)
    return Access(role=Role.UNION_OFFICER, branch_id=union.branch_id, union_id=union.pk)


def test_another_branch_scorecard_is_empty_for_branch_staff(federation):
    hokkaido = _staff("01")
    assert selectors.scorecard(AS_OF, branch="14", access=SYSTEM)  # there is something to hide
    assert selectors.scorecard(AS_OF, branch="14", access=hokkaido) == []
    assert selectors.scorecard(AS_OF, branch="14", by="product", access=hokkaido) == []
    assert selectors.scorecard(AS_OF, union="14001", access=hokkaido) == []


def test_own_branch_scorecard_equals_what_system_reads(federation):
    tokyo = _staff("14")
    assert selectors.scorecard(AS_OF, branch="14", access=tokyo) == selectors.scorecard(
        AS_OF, branch="14", access=SYSTEM)
    assert selectors.scorecard(AS_OF, union="14002", access=tokyo) == selectors.scorecard(
        AS_OF, union="14002", access=SYSTEM)


def test_union_officer_reads_only_their_union(federation):
    officer = _officer("14001")
    assert selectors.scorecard(AS_OF, union="14001", access=officer) == selectors.scorecard(
        AS_OF, union="14001", access=SYSTEM)
    assert selectors.scorecard(AS_OF, union="14002", access=officer) == []
    assert selectors.scorecard(AS_OF, branch="14", access=officer) == []
    assert selectors.scorecard(AS_OF, access=officer) == []  # no national aggregates


def test_missing_access_reads_nothing(federation):
    assert selectors.scorecard(AS_OF, access=NO_ACCESS) == []
    assert selectors.product_scores(AS_OF, [("general", "holdings")], access=NO_ACCESS) == []
    assert selectors.branch_breakdown(AS_OF, "general", "holdings", access=NO_ACCESS) == []
    assert selectors.region_breakdown(AS_OF, "general", "holdings", access=NO_ACCESS) == []
    assert selectors.union_breakdown(AS_OF, "14", "general", "holdings", access=NO_ACCESS) == []
    assert selectors.latest_month(access=NO_ACCESS) is None
    assert selectors.latest_month(access=SYSTEM) == AS_OF  # the federation's last month
    assert selectors.branch_ranks(AS_OF, "general", "holdings", access=NO_ACCESS) == \
        selectors.BranchRanks({}, {})
    with pytest.raises(selectors.UnknownScope):
        selectors.monthly_series("general", "holdings", 2024, access=NO_ACCESS)


def test_branch_breakdown_keeps_only_the_viewers_branch(federation):
    every = selectors.branch_breakdown(AS_OF, "general", "holdings", access=SYSTEM)
    own = selectors.branch_breakdown(AS_OF, "general", "holdings", access=_staff("14"))
    assert [row.code for row in own] == ["14"]
    assert own == [row for row in every if row.code == "14"]


def test_union_breakdown_of_another_branch_is_empty(federation):
    assert selectors.union_breakdown(AS_OF, "14", "general", "holdings", access=SYSTEM)
    assert selectors.union_breakdown(AS_OF, "14", "general", "holdings",
                                     access=_staff("01")) == []
    officer = selectors.union_breakdown(AS_OF, "14", "general", "holdings",
                                        access=_officer("14002"))
    assert [row.code for row in officer] == ["14002"]


def test_monthly_series_of_another_branch_is_refused_as_unknown(federation):
    assert selectors.monthly_series("general", "holdings", 2024, branch="14",
                                    access=_staff("14")).actual
    with pytest.raises(selectors.UnknownScope):
        selectors.monthly_series("general", "holdings", 2024, branch="14", access=_staff("01"))
    with pytest.raises(selectors.UnknownScope):
        selectors.monthly_series("general", "holdings", 2024, union="14001",
                                 access=_staff("13"))


def test_region_of_one_other_branch_is_hidden(federation):
    """北海道地連 is 北海道 alone: its figures are 北海道's, hidden from 東京's staff."""
    hokkaido_region = Branch.objects.get(code="01").region
    assert hokkaido_region is not None
    tokyo = _staff("14")
    assert selectors.scorecard(AS_OF, region=hokkaido_region.code, access=tokyo) == []
    codes = {row.code for row in selectors.region_breakdown(AS_OF, "general", "holdings",
                                                           access=tokyo)}
    assert hokkaido_region.code not in codes
    assert hokkaido_region.code in {row.code for row in selectors.region_breakdown(
        AS_OF, "general", "holdings", access=SYSTEM)}


def test_branch_ranks_are_among_every_branch_but_only_the_viewers(federation):
    every = selectors.branch_ranks(AS_OF, "general", "holdings", access=SYSTEM)
    own = selectors.branch_ranks(AS_OF, "general", "holdings", access=_staff("13"))
    assert own.achievement == {"13": every.achievement["13"]}
    assert own.change == {"13": every.change["13"]}


def test_web_catalogue_selectors_need_an_access(federation):
    assert web_selectors.available_months(access=NO_ACCESS) == []
    assert web_selectors.available_months(access=_staff("14"))[0] == AS_OF
    assert web_selectors.item_name("general", "product", access=NO_ACCESS) is None
    assert web_selectors.item_measures("general", "product", access=NO_ACCESS) == []
    assert web_selectors.measure_names(access=NO_ACCESS) == {}
    assert web_selectors.measure_names(access=_officer("14001"))["holdings"]
