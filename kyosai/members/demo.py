"""The demo roster: fictional members and contracts consistent with the demo results.

For every chosen union and every product with a union 件数 row for 2024-11, the contracts in force
on 2024-11-30 are exactly that 件数 (self contracts of active members first, then spouse and
child contracts). Around them: members who left (their contracts ended on the day they left,
some exactly on 2024-11-30), contracts that ended earlier and contracts starting in December, so
every boundary of the rules is in the data. Names come from Faker's ja_JP provider with a fixed
seed, combined at random: obviously made up, never real records.

By default (`make demo`) only a subset is generated — the demo officers' unions and the two
smallest unions of each branch; `kyosai demo-data --members all` generates every union.
"""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from tqdm import tqdm

from kyosai.catalog.models import Measure, Product
from kyosai.members.models import (
    Contract,
    FollowUp,
    InspectionCall,
    Member,
    NewHireStatus,
    ReplacedContract,
    ReplacedMember,
    TransitionStatus,
)
from kyosai.members.services import SQLValue
from kyosai.org.models import Branch, Union
from kyosai.results.models import MonthlyResult

__all__ = ["AS_OF", "MONTH", "DemoRoster", "chosen_unions", "load_demo"]

AS_OF = date(2024, 11, 30)
MONTH = date(2024, 11, 1)
BATCH = 20_000
#: Share of active members holding the product themselves (the rest of 件数: family contracts).
SELF_SHARE = {"general": (60, 95), "group_life": (70, 98), "mycar": (35, 70)}
DEFAULT_SELF_SHARE = (5, 40)
SMALL_PER_BRANCH = 2


@dataclass(frozen=True, slots=True)
class DemoRoster:
    unions: int
    members: int
    contracts: int


def chosen_unions(scope: str) -> list[Union]:
    """`all`: every active union; `subset`: the demo officers' unions and the smallest per branch."""
    unions = Union.objects.filter(active=True).select_related("branch").order_by("code")
    if scope == "all":
        return list(unions)
    from kyosai.accounts.services import DEMO_UNION_BRANCHES

    chosen: dict[str, Union] = {}
    for branch in Branch.objects.prefectural():
        mine = [u for u in unions if u.branch_id == branch.pk]
        if not mine:
            continue
        if branch.code in DEMO_UNION_BRANCHES:
            chosen[mine[0].code] = mine[0]
        for union in sorted(mine, key=lambda u: (u.members or 0, u.code))[:SMALL_PER_BRANCH]:
            chosen[union.code] = union
    return sorted(chosen.values(), key=lambda u: u.code)


#: (kanji, kana) of a family or given name, as Faker's ja_JP *_pair() gives them
NamePair = tuple[str, str]
NamePools = tuple[list[NamePair], list[NamePair], list[NamePair]]


def _name_pools(seed: int) -> NamePools:
    from faker import Faker

    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    last = sorted({fake.last_name_pair()[:2] for _ in range(600)})
    male = sorted({fake.first_name_male_pair()[:2] for _ in range(400)})
    female = sorted({fake.first_name_female_pair()[:2] for _ in range(400)})
    return last, male, female


def _holdings(unions: Iterable[Union]) -> dict[int, dict[int, int]]:
    """union id → product id → 件数 of 2024-11 (the union rows the demo stores)."""
    measure = Measure.objects.get(code="holdings")
    out: dict[int, dict[int, int]] = {}
    ids = [u.pk for u in unions]
    for start in range(0, len(ids), 500):
        for union_id, product_id, value in MonthlyResult.objects.filter(
                month=MONTH, measure=measure, union_id__in=ids[start:start + 500]).values_list(
                "union_id", "product_id", "value"):
            out.setdefault(union_id, {})[product_id] = int(value)
    return out


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def load_demo(scope: str = "subset", seed: int = 0, progress: bool = False,
              codes: Iterable[str] | None = None) -> DemoRoster:
    """Replace the roster and contracts with the demo's (`scope`: subset | all | none; `codes`
    names the unions instead)."""
    with transaction.atomic():
        for model in (InspectionCall, NewHireStatus, TransitionStatus, FollowUp, Contract,
                      Member, ReplacedContract, ReplacedMember):
            model.objects.all()._raw_delete(model.objects.db)
        if scope == "none":
            return DemoRoster(0, 0, 0)
        unions = (chosen_unions(scope) if codes is None else list(
            Union.objects.filter(code__in=list(codes)).select_related("branch").order_by("code")))
        holdings = _holdings(unions)
        products = {p.pk: p.code for p in Product.objects.all()}
        pools = _name_pools(seed)
        members = contracts = 0
        for union in tqdm(unions, desc="名簿", unit="単組", disable=not progress):
            rng = random.Random(f"{seed}:{union.code}")
            m, c = _union_roster(union, holdings.get(union.pk, {}), products, pools, rng)
            members += m
            contracts += c
        from kyosai.members.demo_lifecycle import load_lifecycle_demo

        load_lifecycle_demo(unions, seed=seed)
    return DemoRoster(len(unions), members, contracts)


def _union_roster(union: Union, holdings: dict[int, int], products: dict[int, str],
                  pools: NamePools, rng: random.Random) -> tuple[int, int]:
    last, male, female = pools
    needed = max([0, *[_self_count(h, products[p], 10**9, rng) for p, h in holdings.items()]])
    active = max(union.members or 0, needed, 3)
    leavers = max(1, active // 30)
    officers = min(active, max(union.officers or 0, 1))
    rows = []
    adapt = connection.ops.adapt_datefield_value
    for n in range(1, active + leavers + 1):
        gender = rng.choice(("male", "female"))
        family = rng.choice(last)
        given = rng.choice(male if gender == "male" else female)
        employment = rng.choices(("regular", "reemployed", "appointee", "other"),
                                 weights=(80, 8, 10, 2))[0]
        age = rng.randint(60, 64) if employment == "reemployed" else rng.randint(19, 63)
        birth = _day(rng, date(2024 - age - 1, 12, 1), date(2024 - age, 11, 30))
        if n == 1:
            birth = date(2000, 2, 29)  # a leap-day birthday in every union
        hired = _day(rng, date(birth.year + 18, 4, 1), date(2024, 4, 1)).replace(day=1)
        hired = max(hired, birth + timedelta(days=18 * 366))
        left = None
        if n > active:  # the leavers: one of them exactly on the as-of day
            left = AS_OF if n == active + 1 else _day(rng, date(2020, 4, 1), AS_OF)
            left = max(left, hired + timedelta(days=1))
        ends = date(2024 + rng.randint(1, 4), 3, 31) if employment == "reemployed" else None
        rows.append((union.pk, f"{n:06d}", f"{family[0]} {given[0]}", f"{family[1]} {given[1]}",
                     adapt(birth), gender, adapt(hired), None, employment, adapt(ends),
                     n <= officers and left is None, adapt(left)))
    _insert("members_member", ["union_id", "member_no", "name", "kana", "birth_date", "gender",
                               "hired_on", "joined_on", "employment", "reemployment_ends_on",
                               "officer", "left_on"], rows)
    ids = list(Member.objects.filter(union=union).order_by("member_no").values_list(
        "pk", "left_on", "hired_on"))
    # every demo member has a hire date (inserted above)
    current = [(pk, hired) for pk, left, hired in ids
               if hired is not None and (left is None or left > AS_OF)]
    gone = [(pk, left, hired) for pk, left, hired in ids
            if hired is not None and left is not None and left <= AS_OF]
    contracts = []
    serial = 0

    def contract(member: int, product: int, insured: str, start: date, end: date | None) -> None:
        nonlocal serial
        serial += 1
        mycar = products[product] == "mycar"
        registered = date(rng.randint(2008, 2024), rng.randint(1, 12), 1) if mycar else None
        contracts.append((f"D{union.code}-{serial:07d}", member, product, insured, adapt(start),
                          adapt(end), rng.randint(1, 5), rng.randint(1, 60) * 100,
                          adapt(registered), adapt(_day(rng, date(2023, 1, 1), date(2024, 11, 1))
                                                if mycar and rng.random() < .7 else None)))

    for product, count in sorted(holdings.items()):
        selves = min(_self_count(count, products[product], len(current), rng), len(current))
        holders = rng.sample(current, selves)
        for member, hired in holders:
            contract(member, product, "self", _day(rng, max(hired, date(2000, 1, 1)), AS_OF), None)
        for _ in range(count - selves):  # family contracts of holders (or of anyone)
            member, hired = rng.choice(holders or current)
            contract(member, product, rng.choice(("spouse", "child")),
                     _day(rng, max(hired, date(2005, 1, 1)), AS_OF), None)
        for member, left, hired in gone[:3]:  # ended when they left: never in force on AS_OF
            contract(member, product, "self", _day(rng, hired, left - timedelta(days=1)), left)
        if current:  # one ending on the day, one starting the day after: both not in force
            member, hired = rng.choice(current)
            contract(member, product, "spouse", _day(rng, hired, AS_OF - timedelta(days=1)),
                     AS_OF)
            contract(member, product, "child", AS_OF + timedelta(days=1), None)
    _insert("members_contract", ["contract_no", "member_id", "product_id", "insured",
                                 "started_on", "ended_on", "units", "premium",
                                 "vehicle_registered", "vehicle_inspected_on"], contracts)
    return len(rows), len(contracts)


def _self_count(holdings: int, product: str, active: int, rng: random.Random) -> int:
    low, high = SELF_SHARE.get(product, DEFAULT_SELF_SHARE)
    share = rng.randint(low, high)
    return min(holdings, holdings * share // 100 + (holdings * (100 - share) // 100) // 2,
               active)


def _insert(table: str, columns: list[str], rows: Sequence[Sequence[SQLValue]]) -> None:
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])
