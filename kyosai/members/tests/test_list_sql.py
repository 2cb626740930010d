"""The member lists and counts are computed in SQL (filtered, ordered, counted and paged in the
query): they must say what the rules of kyosai.domain.members say, computed here in Python from
the same rows, at the boundaries — the birthday on the as-of date (29 February too), left_on =
the as-of date, a contract ending or starting on the day, 80 % exactly for 組織加入 — and the
member numbers in the order of selectors._member_key."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kyosai.accounts.access import Access
from kyosai.accounts.models import Role
from kyosai.catalog.models import Product
from kyosai.domain import members as rules
from kyosai.members.models import Contract, FollowUp, Member
from kyosai.members.selectors import (
    MemberFilters,
    _member_key,
    member_page,
    member_rows,
    penetration,
)
from kyosai.org.models import Union

pytestmark = pytest.mark.django_db

HQ_ADMIN = Access(role=Role.HQ_ADMIN)
DAYS = [date(2024, 11, 30), date(2024, 2, 28), date(2024, 2, 29), date(2025, 2, 28),
        date(2025, 3, 1)]

#: product, insured, started_on, ended_on
Terms = tuple[str, str, date, date | None]
#: member_no, birth date, hired on, officer, left_on, contracts
PEOPLE: list[tuple[str, date | None, date | None, bool, date | None, list[Terms]]] = [
    ("2", date(1990, 11, 30), date(2013, 4, 1), True, None,
     [("general", "self", date(2015, 6, 1), date(2024, 11, 30))]),  # ends on the day
    ("10", date(1990, 12, 1), date(2014, 4, 1), False, None,
     [("general", "self", date(2024, 11, 30), None)]),  # starts on the day
    ("007", date(2000, 2, 29), date(2022, 4, 1), False, None,
     [("general", "spouse", date(2020, 1, 1), None)]),  # spouse only: never enrolled
    ("7", date(2001, 2, 28), date(2023, 4, 1), True, None,
     [("general", "self", date(2024, 2, 29), date(2025, 3, 1))]),
    ("0", date(2001, 3, 1), None, False, date(2024, 11, 30), []),  # left on the day
    ("00", None, date(2010, 4, 1), False, date(2024, 12, 1),  # leaves the day after
     [("group_life", "self", date(2010, 1, 1), None)]),
    ("A1", date(1960, 11, 30), date(1983, 4, 1), False, None,
     [("general", "self", date(2000, 1, 1), date(2024, 2, 29))]),
    ("b", date(1964, 2, 29), date(1987, 4, 1), True, None, []),
    ("１２", date(1999, 1, 1), date(2021, 4, 1), False, None, []),  # full-width: not a number
    ("99999999999999999999999999999999", date(1980, 5, 5), date(2002, 4, 1), False, None, []),
]


@pytest.fixture
def boundary_roster(roster):
    union = Union.objects.get(code="14001")
    Member.objects.filter(union=union).delete()
    products = {p.code: p for p in Product.objects.filter(code__in=["general", "group_life"])}
    number = 0
    for member_no, born, hired, officer, left_on, contracts in PEOPLE:
        member = Member.objects.create(union=union, member_no=member_no, name=f"境界 {member_no}",
                                       birth_date=born, hired_on=hired, officer=officer,
                                       left_on=left_on)
        for product, insured, started, ended in contracts:
            number += 1
            Contract.objects.create(contract_no=f"B{number:03d}", member=member,
                                    product=products[product], insured=insured,
                                    started_on=started, ended_on=ended)
    return union, products["general"]


def _expected(union: Union, product: Product, day: date,
              filters: MemberFilters) -> list[tuple[str, int | None, bool]]:
    """The list by the domain rules alone: (member_no, age, enrolled), in _member_key order."""
    out = []
    for member in Member.objects.filter(union=union).prefetch_related("contracts__product"):
        terms = [rules.ContractTerms(c.product.code, rules.Insured(c.insured), c.started_on,
                                     c.ended_on) for c in member.contracts.all()]
        enrolled = rules.is_enrolled(terms, product.code, day)
        age = rules.age_on(member.birth_date, day) if member.birth_date else None
        if not rules.is_active(member.left_on, day):
            continue
        if filters.unenrolled_only and enrolled:
            continue
        if filters.officers_only and not member.officer:
            continue
        if filters.hired_before is not None and not (
                member.hired_on is not None and member.hired_on < filters.hired_before):
            continue
        if filters.max_age is not None and (age is None or age > filters.max_age):
            continue
        out.append((member.member_no, age, enrolled))
    return sorted(out, key=lambda row: _member_key(row[0]))


FILTERS = [MemberFilters(), MemberFilters(unenrolled_only=False),
           MemberFilters(unenrolled_only=False, officers_only=True),
           MemberFilters(unenrolled_only=False, hired_before=date(2014, 4, 1))] + [
    MemberFilters(unenrolled_only=False, max_age=age) for age in (0, 22, 23, 24, 25, 33, 34, 60, 64)]


@pytest.mark.parametrize("day", DAYS)
def test_the_sql_list_is_the_domain_rules(boundary_roster, day):
    union, general = boundary_roster
    for filters in FILTERS:
        rows = member_rows(general, day, union=union, access=HQ_ADMIN, filters=filters)
        assert [(r.member_no, r.age, r.enrolled) for r in rows] == _expected(
            union, general, day, filters), filters


def test_the_boundaries_themselves(boundary_roster):
    union, general = boundary_roster
    day = date(2024, 11, 30)
    everyone = {r.member_no: r for r in member_rows(
        general, day, union=union, access=HQ_ADMIN, filters=MemberFilters(unenrolled_only=False))}
    assert "0" not in everyone  # left on the day
    assert "00" in everyone  # leaves tomorrow
    assert not everyone["2"].enrolled  # the contract ends on the day
    assert everyone["10"].enrolled  # the contract starts on the day
    assert not everyone["007"].enrolled  # a spouse's contract
    assert everyone["2"].age == 34  # the birthday is the as-of date
    thirty_four = member_rows(general, day, union=union, access=HQ_ADMIN,
                              filters=MemberFilters(unenrolled_only=False, max_age=34))
    thirty_three = member_rows(general, day, union=union, access=HQ_ADMIN,
                               filters=MemberFilters(unenrolled_only=False, max_age=33))
    assert "2" in {r.member_no for r in thirty_four}
    assert "2" not in {r.member_no for r in thirty_three}
    assert "10" in {r.member_no for r in thirty_three}  # 34 tomorrow
    # 29 February 2000: 24 on 2024-02-29, still 24 on 2025-02-28, 25 on 2025-03-01
    for on, in_24, in_25 in ((date(2024, 2, 28), True, True), (date(2024, 2, 29), True, True),
                             (date(2025, 2, 28), True, True), (date(2025, 3, 1), False, True)):
        for max_age, expected in ((24, in_24), (25, in_25)):
            listed = {r.member_no for r in member_rows(
                general, on, union=union, access=HQ_ADMIN,
                filters=MemberFilters(unenrolled_only=False, max_age=max_age))}
            assert ("007" in listed) is expected, (on, max_age)


def test_member_numbers_in_number_order_then_as_written(boundary_roster):
    union, general = boundary_roster
    rows = member_rows(general, date(2024, 11, 30), union=union, access=HQ_ADMIN,
                       filters=MemberFilters(unenrolled_only=False))
    assert [r.member_no for r in rows] == [
        "00", "2", "007", "7", "10", "99999999999999999999999999999999", "A1", "b", "１２"]


def test_the_pages_are_the_list_in_slices(boundary_roster):
    union, general = boundary_roster
    day = date(2024, 11, 30)
    filters = MemberFilters(unenrolled_only=False)
    everything = member_rows(general, day, union=union, access=HQ_ADMIN, filters=filters)
    assert len(everything) == 9
    pages = [member_page(general, day, number, 3, union=union, access=HQ_ADMIN, filters=filters)
             for number in (1, 2, 3)]
    assert [row for page in pages for row in page.rows] == everything
    assert [(p.number, p.num_pages, p.total, p.start_index, p.end_index) for p in pages] == [
        (1, 3, 9, 1, 3), (2, 3, 9, 4, 6), (3, 3, 9, 7, 9)]
    # not a number: the first page; past the end: the last (as Paginator.get_page)
    assert member_page(general, day, "x", 3, union=union, access=HQ_ADMIN,
                       filters=filters).number == 1
    assert member_page(general, day, 99, 3, union=union, access=HQ_ADMIN,
                       filters=filters).rows == everything[6:]
    # someone who may see nobody gets an empty first page
    empty = member_page(general, day, 1, 3, union=union, access=Access(role=Role.HQ_STAFF))
    assert (empty.rows, empty.number, empty.num_pages, empty.total) == ([], 1, 1, 0)


def test_the_latest_mark_of_the_product_per_row(boundary_roster):
    union, general = boundary_roster
    day = date(2024, 11, 30)
    member = Member.objects.get(union=union, member_no="7")
    group_life = Product.objects.get(code="group_life")
    FollowUp.objects.create(member=member, product=general, status="contacted",
                            on=day - timedelta(days=3))
    FollowUp.objects.create(member=member, product=general, status="declined",
                            on=day - timedelta(days=1))
    FollowUp.objects.create(member=member, product=general, status="applied",
                            on=day - timedelta(days=1))  # same day, recorded later: this one
    FollowUp.objects.create(member=member, product=group_life, status="declined", on=day)
    everyone = MemberFilters(unenrolled_only=False)
    rows = {r.member_no: r for r in member_rows(general, day, union=union, access=HQ_ADMIN,
                                                filters=everyone)}
    assert (rows["7"].mark, rows["7"].marked_on, rows["7"].mark_label) == (
        "applied", day - timedelta(days=1), "申込済")
    assert (rows["b"].mark, rows["b"].marked_on, rows["b"].mark_label) == ("", None, "")
    page = member_page(general, day, 1, 100, union=union, access=HQ_ADMIN, filters=everyone)
    assert {r.member_no: r.mark for r in page.rows} == {n: r.mark for n, r in rows.items()}


def _counts_by_rules(union: Union, product: Product, day: date) -> tuple[int, int, int, int]:
    members = enrolled = officers = officers_enrolled = 0
    for member in Member.objects.filter(union=union).prefetch_related("contracts__product"):
        if not rules.is_active(member.left_on, day):
            continue
        holds = rules.is_enrolled([rules.ContractTerms(
            c.product.code, rules.Insured(c.insured), c.started_on, c.ended_on)
            for c in member.contracts.all()], product.code, day)
        members += 1
        enrolled += holds
        officers += member.officer
        officers_enrolled += member.officer and holds
    return members, enrolled, officers, officers_enrolled


@pytest.mark.parametrize("day", DAYS)
def test_the_sql_counts_are_the_domain_rules(boundary_roster, day):
    union, general = boundary_roster
    expected = {u.code: _counts_by_rules(u, general, day) for u in Union.objects.all()}
    # a union, a branch (through their members' contracts) and the whole federation (one pass
    # over the product's contracts in force): three queries, the same counts
    scoped = penetration(general, day, union=union, access=HQ_ADMIN)
    by_branch = penetration(general, day, branch=union.branch, access=HQ_ADMIN)
    national = penetration(general, day, access=HQ_ADMIN)
    for rows in (scoped, by_branch, national):
        for row in rows:
            assert (row.members, row.enrolled, row.officers, row.officers_enrolled) == expected[
                row.union]
    assert {r.union for r in national} == {code for code, counts in expected.items() if counts[0]}


def test_organised_at_80_percent_exactly(roster):
    union = Union.objects.get(code="14002")  # 2 members, both enrolled in general
    general = Product.objects.get(code="general")
    day = date(2024, 11, 30)
    for number, ends in ((3, None), (4, None), (5, day)):  # no. 5's contract ends on the day
        member = Member.objects.create(union=union, member_no=str(number), name="境界")
        if number != 3:
            Contract.objects.create(contract_no=f"O{number}", member=member, product=general,
                                    started_on=date(2020, 1, 1), ended_on=ends)
    [row] = penetration(general, day, union=union, access=HQ_ADMIN)
    assert (row.members, row.enrolled) == (5, 3)
    assert (row.rate, row.organised) == (Decimal("60.0"), False)
    [row] = penetration(general, day - timedelta(days=1), union=union, access=HQ_ADMIN)
    assert (row.members, row.enrolled) == (5, 4)  # the day before: 4 of 5, 80 % exactly
    assert (row.rate, row.organised) == (Decimal("80.0"), True)
