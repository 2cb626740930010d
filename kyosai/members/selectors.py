"""Reads of the roster: 未加入者 lists (personal data) and penetration per union (counts only).

Every selector takes the viewer's Access. Lists of people go through
`Access.restrict_personal_data`; counts go through `Access.restrict_unions` (HQ staff and viewers
see them too). The SQL spells the rules of `kyosai.domain.members` (active, in force, enrolled);
ages and rates are computed by the domain functions themselves.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery

from kyosai.accounts.access import Access
from kyosai.catalog.models import Product
from kyosai.catalog.selectors import fiscal_years
from kyosai.domain import members as rules
from kyosai.domain.periods import YearMonth
from kyosai.members.models import Contract, FollowUp, Member
from kyosai.org.models import Branch, Union
from kyosai.results.models import MonthlyResult, Target, TargetKind

__all__ = [
    "MemberFilters",
    "MemberRow",
    "PenetrationRow",
    "branch_totals",
    "enrolled_ids",
    "in_force_contracts",
    "member_rows",
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


def _member_key(member_no: str) -> tuple[int, int, str]:
    """Member numbers in numeric order when they are numbers (2 before 10)."""
    return (0, int(member_no), member_no) if member_no.isdigit() else (1, 0, member_no)


def member_rows(product: Product, as_of: date, *, access: Access, union: Union | None = None,
                branch: Branch | None = None,
                filters: MemberFilters = MemberFilters()) -> list[MemberRow]:
    """Active members (not enrolled in the product, unless filters say all) whose personal data
    the viewer may see, in branch order, union code, member_no."""
    members = access.restrict_personal_data(Member.objects.filter(active_on(as_of)))
    if union is not None:
        members = members.filter(union=union)
    if branch is not None:
        members = members.filter(union__branch=branch)
    if filters.officers_only:
        members = members.filter(officer=True)
    if filters.hired_before is not None:
        members = members.filter(hired_on__lt=filters.hired_before)
    enrolled_set = enrolled_ids(product.pk, as_of, members, access=access)
    latest = FollowUp.objects.filter(member=OuterRef("pk"), product=product).order_by("-on", "-id")
    members = members.annotate(mark=Subquery(latest.values("status")[:1]),
                               marked_on=Subquery(latest.values("on")[:1]))
    rows = []
    for values in members.values_list(
            "pk", "union__branch__display_order", "union__branch__code", "union__code",
            "member_no", "name", "birth_date", "hired_on", "employment", "officer",
            "mark", "marked_on").iterator(chunk_size=5000):
        (pk, order, branch_code, union_code, member_no, name, birth, hired, employment, officer,
         mark, marked_on) = values
        enrolled = pk in enrolled_set
        if enrolled and filters.unenrolled_only:
            continue
        age = rules.age_on(birth, as_of) if birth is not None else None
        if filters.max_age is not None and (age is None or age > filters.max_age):
            continue
        rows.append(((order, branch_code, union_code, _member_key(member_no)), MemberRow(
            pk, branch_code, union_code, member_no, name, age, hired, employment, officer,
            bool(enrolled), mark or "", marked_on)))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


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
    # (PostgreSQL); a LEFT JOIN to a derived table made SQLite scan it once per member.
    sql = (f"SELECT union_id, COUNT(*), SUM(enrolled), SUM(officer), "
           f"SUM(CASE WHEN officer = 1 AND enrolled = 1 THEN 1 ELSE 0 END) FROM ("
           f"SELECT m.union_id AS union_id, CASE WHEN m.officer THEN 1 ELSE 0 END AS officer, "
           f"CASE WHEN m.id IN ({contracts_sql}) THEN 1 ELSE 0 END AS enrolled "
           f"FROM {member} m "
           f"WHERE (m.left_on IS NULL OR m.left_on > %s) AND m.union_id IN ({unions_sql})"
           f") counted GROUP BY union_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*contract_params, day_value, *union_params])
        return [(int(union or 0), int(members or 0), int(enrolled or 0), int(officers or 0),
                 int(officers_enrolled or 0))
                for union, members, enrolled, officers, officers_enrolled in cursor.fetchall()]


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
