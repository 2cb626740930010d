"""The roster selectors read only the members whose personal data the viewer may see
(issue 11 item 1): another union's officer, another branch's staff and HQ staff get nothing."""

from datetime import date

from kyosai.accounts.access import NO_ACCESS, SYSTEM, Access
from kyosai.accounts.models import Role
from kyosai.members.models import Member
from kyosai.members.selectors import enrolled_ids, in_force_contracts, product_by_word
from kyosai.org.models import Branch, Union

DAY = date(2024, 11, 30)
HQ_ADMIN = Access(role=Role.HQ_ADMIN)  # sees every member (SYSTEM reads no personal data)


def _officer(code: str) -> Access:
    return Access(role=Role.UNION_OFFICER, union_id=Union.objects.get(code=code).pk)


def _members_of(contracts) -> set[tuple[str, str]]:
    return {(c.member.union.code, c.member.member_no) for c in contracts.select_related(
        "member__union")}


def test_contracts_in_force_only_of_the_viewers_own_union(roster):
    general = product_by_word("general", access=SYSTEM)
    assert general is not None
    assert _members_of(in_force_contracts(general.pk, DAY, access=HQ_ADMIN)) == {
        ("14001", "1"), ("14001", "11"), ("14001", "12"), ("14002", "1"), ("14002", "2")}
    assert _members_of(in_force_contracts(general.pk, DAY, access=_officer("14002"))) == {
        ("14002", "1"), ("14002", "2")}
    assert _members_of(in_force_contracts(general.pk, DAY, access=_officer("01001"))) == set()
    assert _members_of(in_force_contracts(general.pk, DAY,
                                          access=Access(role=Role.HQ_STAFF))) == set()


def test_enrolled_ids_only_of_the_members_the_viewer_may_see(roster):
    general = product_by_word("general", access=SYSTEM)
    assert general is not None
    everyone = Member.objects.all()
    ours = {m.pk for m in Member.objects.filter(union__code="14001", member_no__in=["1", "11", "12"])}
    assert enrolled_ids(general.pk, DAY, everyone, access=_officer("14001")) == ours
    assert enrolled_ids(general.pk, DAY, everyone, access=_officer("01001")) == set()
    branch = Union.objects.get(code="14001").branch
    other = Branch.objects.exclude(pk=branch.pk).exclude(kind=Branch.Kind.HQ).first()
    assert other is not None
    staff = Access(role=Role.BRANCH_STAFF, branch_id=other.pk)
    assert not enrolled_ids(general.pk, DAY, everyone, access=staff) & ours


def test_the_catalog_is_for_signed_in_users_only(roster):
    found = product_by_word("総合共済", access=_officer("01001"))
    assert found is not None
    assert found.code == "general"
    assert product_by_word("general", access=NO_ACCESS) is None
