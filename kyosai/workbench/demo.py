"""The demo federation's activity log and support ledger, deterministic.

The log is spread over the 48 branches so that its national totals are exactly the figures of the
stored meetings table (資料編 Ⅰ-3/Ⅰ-4) for the period June–November of FY2024 (当年度) and of
FY2023 (前年度): the demo's appendix and report print the same numbers from the log as from the
stored table. 13 branches hold the 14 制度学習会 of FY2024, so 35 branches have held none, as the
report says. The support ledger gives every designated branch (支援県支部・重点県支部) some support.
"""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from kyosai.accounts.access import SYSTEM
from kyosai.activities.models import MeetingStat
from kyosai.domain.activity_log import COUNTED, KINDS, UNION_LEVEL, meeting_cell
from kyosai.org.models import Branch, Union
from kyosai.workbench.models import ActivityEntry, SupportEntry

__all__ = ["DEMO_AS_OF_MONTH", "load_demo"]

DEMO_FISCAL_YEAR = 2024
DEMO_AS_OF_MONTH = 11
REF_PREFIX = "demo-"
#: Branches holding FY2024's 制度学習会 (48 − 35 = 13, as the report's 「35 県で未開催」).
STUDY_BRANCHES_2024 = 13


def _stored_totals() -> dict[int, dict[tuple[str, str], int]]:
    """The stored table's national figures per year and (kind, column)."""
    totals: dict[int, dict[tuple[str, str], int]] = {DEMO_FISCAL_YEAR: {},
                                                      DEMO_FISCAL_YEAR - 1: {}}
    for stat in MeetingStat.objects.filter(fiscal_year=DEMO_FISCAL_YEAR):
        cell = meeting_cell(stat.subsection, stat.measure, stat.sub_measure)
        if cell is not None:
            totals[DEMO_FISCAL_YEAR][cell] = stat.value_cur
            totals[DEMO_FISCAL_YEAR - 1][cell] = stat.value_prev
    return totals


def _spread(total: int, weights: list[float]) -> list[int]:
    """`total` split by weights, whole numbers adding up exactly (largest remainder)."""
    if total == 0 or not weights:
        return [0] * len(weights)
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)] if parts else []


def _entries(year: int, figures: dict[tuple[str, str], int], branches: list[Branch],
             unions: dict[int, list[Union]], rng: random.Random) -> list[ActivityEntry]:
    first, last = date(year, 6, 1), date(year, DEMO_AS_OF_MONTH, 30)
    days = (last - first).days + 1
    entries = []
    for kind in KINDS:
        events = figures.get((kind.code, "events"), 0)
        if kind.union_level:
            pool = [b for b in branches if unions.get(b.pk)]
            weights = [len(unions[b.pk]) * rng.uniform(0.6, 1.4) for b in pool]
        elif kind.code == "study_session" and year == DEMO_FISCAL_YEAR:
            pool = rng.sample(branches, min(STUDY_BRANCHES_2024, len(branches)))
            weights = [1.0] * len(pool)
        else:
            pool = branches
            weights = [rng.uniform(0.5, 1.5) for _ in pool]
        per_branch = _spread(events, weights)
        if kind.code == "study_session" and year == DEMO_FISCAL_YEAR:
            per_branch = _split(events, len(pool))  # every one of them held at least one
        kind_entries = []
        for branch, count in zip(pool, per_branch, strict=True):
            for index in range(count):
                day = first + timedelta(days=(index * days // max(count, 1)
                                              + rng.randrange(max(days // max(count, 1), 1))) % days)
                union = rng.choice(unions[branch.pk]) if kind.code in UNION_LEVEL else None
                kind_entries.append(ActivityEntry(
                    branch=branch, union=union, date=day, fiscal_year=year, kind=kind.code))
        rng.shuffle(kind_entries)
        for name in COUNTED:
            total = figures.get((kind.code, name))
            if total is None:
                continue
            for entry, value in zip(kind_entries, _split(total, len(kind_entries)), strict=True):
                setattr(entry, name, value)
        entries += kind_entries
    return entries


def _support(year: int) -> list[SupportEntry]:
    from kyosai.activities.selectors import designations

    rows = designations(year, access=SYSTEM)
    out = []
    for index, row in enumerate(r for r in rows if r["supported"] or r["priority"]):
        branch = Branch.objects.get(name=row["branch"])
        month = 6 + index % 6
        if row["supported"]:
            out.append(SupportEntry(branch=branch, date=date(year, month, 10), fiscal_year=year,
                                    kind="special_fund", amount=Decimal(300_000 + 50_000 * (index % 3)),
                                    note="上期 特別運営費"))
            out.append(SupportEntry(branch=branch, date=date(year, month, 20), fiscal_year=year,
                                    kind="staff_dispatch", amount=Decimal("2.5") + index % 3,
                                    note="推進本部から派遣"))
        out.append(SupportEntry(branch=branch, date=date(year, 9 + index % 3, 5), fiscal_year=year,
                                kind="hq_work", work="mycar_estimate", amount=Decimal(10 + 3 * index),
                                note="マイカー見積の本部代行"))
        if row["priority"]:
            out.append(SupportEntry(branch=branch, date=date(year, 10, 15), fiscal_year=year,
                                    kind="hq_work", work="application_forms",
                                    amount=Decimal(20 + 2 * index), note="団体生命共済 申込書作成"))
    return out


@transaction.atomic
def load_demo(seed: int = 0) -> str:
    """Replace the demo log and ledger (idempotent); a one-line summary in Japanese."""
    if not MeetingStat.objects.filter(fiscal_year=DEMO_FISCAL_YEAR).exists():
        return "会議の開催状況が未登録のため、活動記録のデモデータは作成しません"
    rng = random.Random(seed)
    branches = list(Branch.objects.prefectural().order_by("display_order", "code"))
    unions: dict[int, list[Union]] = defaultdict(list)
    for union in Union.objects.filter(branch__in=branches).order_by("code"):
        unions[union.branch_id].append(union)
    ActivityEntry.objects.filter(ref__startswith=REF_PREFIX).delete()
    entries = []
    for year, figures in sorted(_stored_totals().items()):
        entries += _entries(year, figures, branches, unions, rng)
    for number, entry in enumerate(entries, start=1):
        entry.ref = f"{REF_PREFIX}{number:06d}"
    ActivityEntry.objects.bulk_create(entries, batch_size=2000)
    SupportEntry.objects.filter(fiscal_year=DEMO_FISCAL_YEAR).delete()
    support = SupportEntry.objects.bulk_create(_support(DEMO_FISCAL_YEAR))
    return f"活動記録 {len(entries):,} 件、支援台帳 {len(support)} 件"
