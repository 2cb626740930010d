"""Target revisions (第 1 次, 第 2 次 … 事業目標): which one is in effect in a month, what changed.

Revision 1 applies from the fiscal year's first month; a later revision from the month stored in
TargetRevision. For a month, each target (scope × product × measure) takes the latest revision
in effect that has a row for it, so a revision that changes only some targets leaves the others
as they were.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kyosai.domain.importing import TargetGroup
from kyosai.domain.periods import YearMonth
from kyosai.results.models import Target, TargetRevision, month_date, year_month

__all__ = ["RevisionChange", "RevisionHistory", "eligible_revisions", "history", "latest_by_key",
           "record_revisions",
           "revision_changes", "revisions"]


def record_revisions(groups: Iterable[TargetGroup]) -> list[tuple[int, str, int]]:
    """Store the month each imported revision (>1) applies from: (year, kind, revision, month);
    returns the revisions (>1) the file held, for the import's report."""
    touched = []
    for year, kind, revision, effective, *_ in groups:
        if revision > 1:
            TargetRevision.objects.update_or_create(
                fiscal_year=year, kind=kind, revision=revision,
                defaults={"effective_from": month_date(effective)})
            touched.append((year, kind, revision))
    return sorted(set(touched))


def revisions(fiscal_year: int, kind: str) -> list[tuple[int, YearMonth | None]]:
    """(revision, month it applies from; None = the year's first month) of a year's targets."""
    stored = set(Target.objects.filter(fiscal_year__year=fiscal_year, kind=kind)
                 .values_list("revision", flat=True).distinct())
    months = {r.revision: year_month(r.effective_from) for r in
              TargetRevision.objects.filter(fiscal_year=fiscal_year, kind=kind)}
    return [(revision, months.get(revision)) for revision in sorted(stored | {1})]


def eligible_revisions(years: Iterable[int], kind: str, as_of: YearMonth,
                       revision: int | None = None) -> dict[int, set[int]]:
    """Per fiscal year, the revisions a scorecard may use: those in effect by `as_of`, or when
    `revision` is given, every revision up to it (whatever month it applies from)."""
    out: dict[int, set[int]] = {}
    for year in years:
        if revision is not None:
            out[year] = set(range(1, revision + 1))
            continue
        allowed = {1}
        for rev in TargetRevision.objects.filter(fiscal_year=year, kind=kind):
            if year_month(rev.effective_from) <= as_of:
                allowed.add(rev.revision)
        out[year] = allowed
    return out


def latest_by_key(rows: Iterable[tuple[Any, ...]],  # (rows of the database: values_list)
                  allowed: dict[int, set[int]]) -> list[tuple[Any, ...]]:
    """Rows (*key, fiscal year, revision, value) → (*key, fiscal year, value) with, for each key
    and year, the value of the highest allowed revision."""
    best: dict[tuple[Any, ...], tuple[int, Any]] = {}
    for *key, year, revision, value in rows:
        if revision not in allowed.get(year, ()):
            continue
        slot = (*key, year)
        if slot not in best or revision > best[slot][0]:
            best[slot] = (revision, value)
    return [(*slot, value) for slot, (_, value) in best.items()]


@dataclass(frozen=True, slots=True)
class RevisionChange:
    """A target whose value differs between two revisions (None: not in that revision)."""

    branch: str
    union: str
    product: str
    measure: str
    before: Decimal | None
    after: Decimal | None


def revision_changes(fiscal_year: int, kind: str, revision: int) -> list[RevisionChange]:
    """What revision `revision` changed against the targets in effect before it (its keys only)."""
    rows = (Target.objects.filter(fiscal_year__year=fiscal_year, kind=kind,
                                  revision__lte=revision)
            .values_list("branch__name", "union__code", "product__name", "measure__name",
                         "revision", "value"))
    before: dict[tuple[str, str, str, str], tuple[int, Decimal]] = {}
    after: dict[tuple[str, str, str, str], Decimal] = {}
    for branch, union, product, measure, rev, value in rows:
        key = (branch or "全国", union or "", product, measure)
        if rev == revision:
            after[key] = value
        elif key not in before or rev > before[key][0]:
            before[key] = (rev, value)
    changes = []
    for key, value in after.items():
        old = before.get(key, (None, None))[1]
        if old != value:
            changes.append(RevisionChange(*key, old, value))
    return sorted(changes, key=lambda c: (c.branch, c.union, c.product, c.measure))


@dataclass(frozen=True, slots=True)
class RevisionHistory:
    """One revision of a year's targets: from when it applies and what it changed."""

    revision: int
    effective_from: YearMonth
    rows: int
    changes: list[RevisionChange]


def history(fiscal_year: int, kind: str) -> list[RevisionHistory]:
    """Every revision of a year's targets in order, each with its changes against the one before."""
    from kyosai.catalog.models import FiscalYear

    fy = FiscalYear.objects.filter(year=fiscal_year).first()
    first = fy.first_month if fy is not None else YearMonth(fiscal_year, 6)
    out = []
    for revision, month in revisions(fiscal_year, kind):
        count = Target.objects.filter(fiscal_year__year=fiscal_year, kind=kind,
                                      revision=revision).count()
        if count == 0:
            continue
        changes = revision_changes(fiscal_year, kind, revision) if revision > 1 else []
        out.append(RevisionHistory(revision, month or first, count, changes))
    return out
