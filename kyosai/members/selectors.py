"""Reads of the roster: 未加入者 lists (personal data) and penetration per union (counts only).

Every selector takes the viewer's Access. Lists of people go through
`Access.restrict_personal_data`; counts go through `Access.restrict_unions` (HQ staff and viewers
see them too). The SQL spells the rules of `kyosai.domain.members` (active, in force, enrolled,
and an age limit as the birth-date cut-off of `latest_birth_date`); ages shown and rates are
computed by the domain functions themselves. A list is filtered, ordered, counted and paged in
SQL (`members_listed`, `member_page`): a page reads its own rows only.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, OrderBy, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from kyosai.accounts.access import Access
from kyosai.catalog.models import Product
from kyosai.catalog.selectors import fiscal_years
from kyosai.domain import members as rules
from kyosai.domain.formatting import format_date
from kyosai.domain.members import EMPLOYMENT_LABELS
from kyosai.domain.periods import YearMonth
from kyosai.members.models import Contract, FollowUp, Member
from kyosai.org.models import Branch, Union
from kyosai.results.models import MonthlyResult, Target, TargetKind

__all__ = [
    "MemberFilters",
    "MemberPage",
    "MemberRow",
    "PenetrationRow",
    "branch_totals",
    "enrolled_ids",
    "in_force_contracts",
    "member_page",
    "member_rows",
    "members_listed",
    "penetration",
    "product_by_word",
]

HOLDINGS = "holdings"  # 件数: the measure a union's target and result of a product are counted in


def product_by_word(word: str, *, access: Access) -> Product | None:
    """The catalog's product named by its code, name or printed label (master data every
    signed-in role shares; None for no access)."""
    word = (word or "").strip()
    if not access.is_authenticated:
        return None
    return Product.objects.filter(Q(code=word) | Q(name=word) | Q(report_label=word)).first()


def active_on(day: date, prefix: str = "") -> Q:
    """rules.is_active in SQL: left_on blank or day < left_on."""
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})


def in_force_contracts(product_id: int, day: date, *, access: Access) -> QuerySet[Contract]:
    """rules.is_enrolled in SQL: the self contracts of the product in force on the day, of the
    members whose personal data `access` may see (Access.restrict_personal_data, by id)."""
    return access.restrict_personal_data(_in_force(product_id, day), union_field="member__union",
                                         branch_field="member__union__branch")


def _in_force(product_id: int, day: date) -> QuerySet[Contract]:
    """Every self contract of the product in force on the day (for counts: see _counts)."""
    return Contract.objects.filter(
        product_id=product_id, insured=rules.Insured.SELF.value, started_on__lte=day,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def enrolled_ids(product_id: int, day: date, members: QuerySet[Member], *,
                 access: Access) -> set[int]:
    """Which of these members (those whose personal data `access` may see) are enrolled: one
    pass over the product's contracts in force (a correlated EXISTS per member lets SQLite pick
    the product index for each: quadratic)."""
    members = access.restrict_personal_data(members)
    if members.query.is_empty():
        return set()
    members_sql, members_params = members.values("pk").order_by().query.sql_with_params()
    sql, params = _by_member_sql(product_id, day, members_sql, members_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _by_member_sql(product_id: int, day: date, members_sql: str,
                   members_params: Iterable[Any]) -> tuple[str, list[Any]]:
    """The members (of `members_sql`) holding a self contract of the product in force on the day,
    found through each member's contracts (the (member, product) index): the cost follows the
    scope's members, not the product's contracts in the whole federation. Without statistics
    SQLite prefers the product index for this, so it is named on SQLite."""
    hint = " INDEXED BY contract_member_product" if connection.vendor == "sqlite" else ""
    quote = connection.ops.quote_name
    day_value = connection.ops.adapt_datefield_value(day)
    return (f"SELECT c.member_id FROM {quote(Contract._meta.db_table)} c{hint} "
            f"WHERE c.member_id IN ({members_sql}) AND c.product_id = %s AND c.insured = %s "
            f"AND c.started_on <= %s AND (c.ended_on IS NULL OR c.ended_on > %s)",
            [*members_params, product_id, rules.Insured.SELF.value, day_value, day_value])


@dataclass(frozen=True, slots=True)
class MemberFilters:
    """The filters of a 未加入者 list (as the command and the page take them)."""

    officers_only: bool = False
    max_age: int | None = None
    hired_before: date | None = None
    unenrolled_only: bool = True

    def describe(self) -> dict[str, Any]:
        """For audit details and export preambles: the filters, never a person's data."""
        return {"officers_only": self.officers_only, "max_age": self.max_age,
                "hired_before": self.hired_before.isoformat() if self.hired_before else None,
                "unenrolled_only": self.unenrolled_only}


@dataclass(frozen=True, slots=True)
class MemberRow:
    member_id: int
    branch: str
    union: str
    member_no: str
    name: str
    age: int | None
    hired_on: date | None
    employment: str
    officer: bool
    enrolled: bool
    mark: str  # FollowUp.Status value of the latest mark for the product, or ""
    marked_on: date | None

    @property
    def employment_label(self) -> str:
        """正規, 再任用・再雇用 …; "" for a code the catalogue does not know."""
        return _EMPLOYMENT_LABELS.get(self.employment, "")

    @property
    def mark_label(self) -> str:
        return _MARK_LABELS.get(self.mark, "")

    @property
    def hired_label(self) -> str:
        """採用日 as the pages print dates (2013年4月1日; "" when unknown)."""
        return format_date(self.hired_on)

    @property
    def marked_label(self) -> str:
        return format_date(self.marked_on)


_EMPLOYMENT_LABELS: dict[str, str] = {str(code): label for code, label in EMPLOYMENT_LABELS.items()}
_MARK_LABELS: dict[str, str] = {str(value): str(label) for value, label in FollowUp.Status.choices}


def _member_key(member_no: str) -> tuple[int, int, str]:
    """Member numbers in numeric order when they are numbers, ASCII digits only (2 before 10;
    `007` and `7` equal in number, then as written); any other number after them, as written.
    _member_order spells the same order in SQL."""
    if member_no.isascii() and member_no.isdigit():
        return (0, int(member_no), member_no)
    return (1, 0, member_no)


def _member_order() -> list[OrderBy]:
    """_member_key in SQL: numbers first, by the length of the number without its leading zeros
    then by those digits (the numeric order without casting: a 32-digit number fits no integer
    column), then as written, in code-point order (PostgreSQL: the "C" collation)."""
    quote = connection.ops.quote_name
    column = f"{quote(Member._meta.db_table)}.{quote('member_no')}"
    if connection.vendor == "postgresql":
        numeric, written = f"{column} ~ '^[0-9]+$'", f'{column} COLLATE "C"'
    else:
        numeric, written = f"({column} <> '' AND {column} NOT GLOB '*[^0-9]*')", column
    digits = f"LTRIM({column}, '0')"
    return [RawSQL(f"CASE WHEN {numeric} THEN 0 ELSE 1 END", ()).asc(),
            RawSQL(f"CASE WHEN {numeric} THEN LENGTH({digits}) ELSE 0 END", ()).asc(),
            RawSQL(f"CASE WHEN {numeric} THEN {digits} ELSE '' END", ()).asc(),
            RawSQL(written, ()).asc()]


def members_listed(product: Product, as_of: date, *, access: Access, union: Union | None = None,
                   branch: Branch | None = None,
                   filters: MemberFilters = MemberFilters()) -> QuerySet[Member]:
    """The members of a 未加入者 list as one query, filtered and ordered in SQL (the page takes a
    slice of it; nothing is filtered in Python): active members (not enrolled in the product,
    unless filters say all) whose personal data the viewer may see, in branch order, union code,
    member_no (_member_key), annotated with `enrolled` (the latest marks: _latest_marks, for
    the rows read). The rules are those of kyosai.domain.members: active_on, _by_member_sql
    (enrolled) and the age as a birth-date cut-off (rules.latest_birth_date); test_list_sql
    holds the query to the rules at their boundaries."""
    members = access.restrict_personal_data(Member.objects.filter(active_on(as_of)))
    if union is not None:
        members = members.filter(union=union)
    if branch is not None:
        members = members.filter(union__branch=branch)
    if filters.officers_only:
        members = members.filter(officer=True)
    if filters.hired_before is not None:
        members = members.filter(hired_on__lt=filters.hired_before)
    if filters.max_age is not None:
        # age_on(b, as_of) <= max_age  ⟺  not (age >= max_age + 1)  ⟺  b > the cut-off
        too_old = rules.latest_birth_date(as_of, filters.max_age + 1)
        members = members.filter(birth_date__isnull=False)
        if too_old is not None:
            members = members.filter(birth_date__gt=too_old)
    if members.query.is_empty():
        return members
    scope_sql, scope_params = members.values("pk").order_by().query.sql_with_params()
    enrolled_sql, enrolled_params = _by_member_sql(product.pk, as_of, scope_sql, scope_params)
    member = connection.ops.quote_name(Member._meta.db_table)
    enrolled = RawSQL(f"{member}.{connection.ops.quote_name('id')} IN ({enrolled_sql})",
                      enrolled_params, output_field=BooleanField())
    if filters.unenrolled_only:  # the list of non-members: the test once, in WHERE only
        members = members.alias(holds=enrolled).filter(holds=False).annotate(
            enrolled=Value(False, output_field=BooleanField()))
    else:
        members = members.annotate(enrolled=enrolled)
    return members.order_by("union__branch__display_order", "union__branch__code", "union__code",
                            *_member_order())


_ROW_FIELDS = ("pk", "union__branch__code", "union__code", "member_no", "name", "birth_date",
               "hired_on", "employment", "officer", "enrolled")


def _rows(values: Iterable[tuple[Any, ...]], product: Product, as_of: date, *,
          chunk: int = 2000) -> Iterator[MemberRow]:
    """MemberRows of members_listed's values_list(*_ROW_FIELDS), `chunk` at a time with their
    latest marks (one query per chunk); the age by rules.age_on."""
    batch: list[tuple[Any, ...]] = []
    for values_row in values:
        batch.append(values_row)
        if len(batch) >= chunk:
            yield from _with_marks(batch, product, as_of)
            batch = []
    if batch:
        yield from _with_marks(batch, product, as_of)


def _with_marks(batch: list[tuple[Any, ...]], product: Product,
                as_of: date) -> Iterator[MemberRow]:
    marks = _latest_marks([values_row[0] for values_row in batch], product)
    for (pk, branch_code, union_code, member_no, name, birth, hired, employment, officer,
         enrolled) in batch:
        mark, marked_on = marks.get(pk, ("", None))
        yield MemberRow(pk, branch_code, union_code, member_no, name,
                        rules.age_on(birth, as_of) if birth is not None else None, hired,
                        employment, officer, bool(enrolled), mark, marked_on)


def _latest_marks(member_ids: list[int], product: Product) -> dict[int, tuple[str, date]]:
    """The latest follow-up mark (status, date) of the product per member: the latest `on`, of
    those the last recorded (the highest id)."""
    latest: dict[int, tuple[str, date]] = {}
    for member_id, status, on in (FollowUp.objects.filter(member_id__in=member_ids,
                                                          product=product)
                                  .order_by("member_id", "-on", "-id")
                                  .values_list("member_id", "status", "on")):
        latest.setdefault(member_id, (status, on))
    return latest


def member_rows(product: Product, as_of: date, *, access: Access, union: Union | None = None,
                branch: Branch | None = None,
                filters: MemberFilters = MemberFilters()) -> list[MemberRow]:
    """Every row of the list (members_listed): the exports and `kyosai members unenrolled`."""
    members = members_listed(product, as_of, access=access, union=union, branch=branch,
                             filters=filters)
    if members.query.is_empty():
        return []
    return list(_rows(members.values_list(*_ROW_FIELDS).iterator(chunk_size=2000), product,
                      as_of))


@dataclass(frozen=True, slots=True)
class MemberPage:
    """One page of a list: its rows, its number (1-based), the pages and the rows in all."""

    rows: list[MemberRow]
    number: int
    num_pages: int
    total: int
    per_page: int

    @property
    def start_index(self) -> int:
        """The 1-based position of the page's first row (0 on an empty list)."""
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.rows) - 1 if self.rows else 0


def member_page(product: Product, as_of: date, page: str | int | None, per_page: int, *,
                access: Access, union: Union | None = None, branch: Branch | None = None,
                filters: MemberFilters = MemberFilters()) -> MemberPage:
    """One page of the list, counted and sliced in SQL (LIMIT/OFFSET): the rows of the other
    pages are never read. A page number that is not one is the first page, one past the end
    the last (as Paginator.get_page)."""
    members = members_listed(product, as_of, access=access, union=union, branch=branch,
                             filters=filters)
    if members.query.is_empty():
        return MemberPage([], 1, 1, 0, per_page)
    found = Paginator(members, per_page).get_page(page)  # counts (COUNT(*)) without the rows
    first = (found.number - 1) * per_page
    values = members.values_list(*_ROW_FIELDS)[first:first + per_page]
    return MemberPage(list(_rows(values, product, as_of)), found.number,
                      found.paginator.num_pages, found.paginator.count, per_page)


@dataclass(frozen=True, slots=True)
class PenetrationRow:
    branch: str
    branch_name: str
    union: str
    union_name: str
    members: int
    enrolled: int
    officers: int
    officers_enrolled: int
    target: int | None
    actual: int | None

    @property
    def rate(self) -> Decimal | None:
        return rules.enrolment_rate(self.enrolled, self.members)

    @property
    def organised(self) -> bool:
        return rules.is_organised(self.enrolled, self.members)

    @property
    def remaining(self) -> int | None:
        return rules.remaining(self.target, self.actual)

    @property
    def unenrolled(self) -> int:
        return self.members - self.enrolled

    @property
    def coverable(self) -> int | None:
        return rules.coverable(self.remaining, self.unenrolled)


def penetration(product: Product, as_of: date, *, access: Access, branch: Branch | None = None,
                union: Union | None = None) -> list[PenetrationRow]:
    """One row per union (that the viewer may see) with at least one active member on as_of."""
    unions = access.restrict_unions(Union.objects.all(), field="pk", branch_field="branch")
    if branch is not None:
        unions = unions.filter(branch=branch)
    if union is not None:
        unions = unions.filter(pk=union.pk)
    if unions.query.is_empty():
        return []
    counts = _counts(product.pk, as_of, unions,
                     scoped=branch is not None or union is not None or not access.is_hq)
    by_union = {row[0]: row for row in counts}
    if not by_union:
        return []
    targets, actuals = _targets_and_actuals(product, as_of, by_union)
    rows = (Union.objects.filter(pk__in=by_union).select_related("branch")
            .order_by("branch__display_order", "branch__code", "code"))
    return [PenetrationRow(u.branch.code, u.branch.name, u.code, u.name, *by_union[u.pk][1:],
                           targets.get(u.pk), actuals.get(u.pk)) for u in rows]


def _counts(product_id: int, day: date, unions: QuerySet[Union],
            scoped: bool = False) -> list[tuple[int, int, int, int, int]]:
    """(union id, active members, enrolled, officers, officers enrolled) of the unions with active
    members. The whole federation: one pass over the product's contracts in force; a branch or a
    union (`scoped`): through its own members' contracts."""
    quote = connection.ops.quote_name
    unions_sql, union_params = unions.values("pk").order_by().query.sql_with_params()
    member = quote(Member._meta.db_table)
    contract_params: Sequence[Any]
    if scoped:
        contracts_sql, contract_params = _by_member_sql(
            product_id, day, f"SELECT id FROM {member} WHERE union_id IN ({unions_sql})",
            union_params)
    else:
        contracts_sql, contract_params = (_in_force(product_id, day)
                                          .values("member_id").order_by().query.sql_with_params())
    day_value = connection.ops.adapt_datefield_value(day)
    # `m.id IN (non-correlated subquery)`: evaluated once into an index (SQLite) or a hash
    # (PostgreSQL); a LEFT JOIN to a derived table made SQLite scan it once per member. The
    # active members and the enrolled ones are counted apart (UNION ALL, per union and officer
    # flag) and added up here: a flag column `m.id IN (…)` summed or grouped on made SQLite build
    # the enrolled list once per reference to it; the members are read from the covering index
    # member_union_active.
    active = (f"FROM {member} m "
              f"WHERE (m.left_on IS NULL OR m.left_on > %s) AND m.union_id IN ({unions_sql})")
    sql = (f"SELECT 0, m.union_id, m.officer, COUNT(*) {active} GROUP BY m.union_id, m.officer "
           f"UNION ALL SELECT 1, m.union_id, m.officer, COUNT(*) {active} "
           f"AND m.id IN ({contracts_sql}) GROUP BY m.union_id, m.officer")
    totals: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [day_value, *union_params, day_value, *union_params,
                             *contract_params])
        for enrolled, union, officer, count in cursor.fetchall():
            total = totals.setdefault(int(union), [0, 0, 0, 0])
            total[1 if enrolled else 0] += count
            if officer:
                total[3 if enrolled else 2] += count
    return [(union, members, enrolled, officers, officers_enrolled)
            for union, (members, enrolled, officers, officers_enrolled) in totals.items()]


def _targets_and_actuals(product: Product, as_of: date,
                         unions: Iterable[int]) -> tuple[dict[int, int], dict[int, int]]:
    """The unions' official 件数 target of the product for as_of's fiscal year, and their 件数
    result of as_of's month."""
    unions = list(unions)
    fy = fiscal_years().registered_year_of(YearMonth.of(as_of))
    common = {"product": product, "measure__code": HOLDINGS}
    targets = {} if fy is None else {
        u: int(v) for u, v in Target.objects.filter(
            fiscal_year__year=fy, kind=TargetKind.OFFICIAL, union__isnull=False, **common)
        .filter(union_id__in=unions).values_list("union_id", "value")}
    actuals = {u: int(v) for u, v in MonthlyResult.objects.filter(
        month=YearMonth.of(as_of).first_day(), union__isnull=False, **common)
        .filter(union_id__in=unions).values_list("union_id", "value")}
    return targets, actuals


@dataclass(frozen=True, slots=True)
class BranchTotal:
    branch: str
    branch_name: str
    unions: int
    organised: int
    members: int
    enrolled: int
    remaining: int | None
    coverable: int | None

    @property
    def rate(self) -> Decimal | None:
        return rules.enrolment_rate(self.enrolled, self.members)

    @property
    def unenrolled(self) -> int:
        return self.members - self.enrolled


def branch_totals(rows: list[PenetrationRow]) -> list[BranchTotal]:
    """The national view: the unions' rows added up per branch (in the rows' branch order)."""
    out: dict[str, list[PenetrationRow]] = {}
    for row in rows:
        out.setdefault(row.branch, []).append(row)

    def total(values: list[int | None]) -> int | None:
        present = [v for v in values if v is not None]
        return sum(present) if present else None

    return [BranchTotal(
        code, group[0].branch_name, len(group), sum(r.organised for r in group),
        sum(r.members for r in group), sum(r.enrolled for r in group),
        total([r.remaining for r in group]), total([r.coverable for r in group]))
        for code, group in out.items()]
