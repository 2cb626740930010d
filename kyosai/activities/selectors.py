"""Reads of the appendix registers: the recomputed tables, restricted to what a user may see.

`appendix_table(kind, access=SYSTEM)` is the table exactly as `kyosai appendix KIND` prints it;
the half-year report uses it with `list_kinds()`. Every read takes the viewer's Access and keeps
only the rows it may see, by the ids of their branch and union.
"""

from collections.abc import Mapping
from typing import Any

from kyosai.accounts.access import SYSTEM, Access
from kyosai.activities.registers import BINDINGS, binding_for
from kyosai.domain.appendix import Context, compute_table, format_cell, spec_for
from kyosai.domain.designations import Holdings, priority_branches, supported_branches
from kyosai.domain.periods import YearMonth
from kyosai.org.models import Branch, BranchStaffing

__all__ = [
    "DESIGNATIONS",
    "appendix_rows",
    "appendix_table",
    "designations",
    "fiscal_years",
    "list_kinds",
    "meeting_context",
    "register_records",
]

DESIGNATIONS = "designations"
DESIGNATION_HEADER = ["branch", "staff", "supported", "supported_reason", "priority",
                      "priority_reason", "support"]
_GROUP_COLUMNS = ("effective_month", "survey_group", "topic")


def list_kinds() -> list[tuple[str, str]]:
    """Every appendix kind with its printed title, in the report's order, then designations."""
    kinds = [(kind, spec_for(kind).title) for kind in BINDINGS]
    return [*kinds, (DESIGNATIONS, "支援県支部・団体生命共済重点県支部の指定")]


def meeting_context(*, access: Access) -> Context:
    """The bases (全単組数 …) of every registered year, for the meetings ratios.

    National figures: for those who see aggregates (Access.sees_aggregates); nobody else any."""
    from kyosai.activities.models import MeetingBase

    bases: dict[tuple[int, str], int] = {}
    if not access.sees_aggregates:
        return Context(bases=bases)
    for base in MeetingBase.objects.all():
        for name in ("all_unions", "all_officers", "all_members"):
            if getattr(base, name):
                bases[(base.year, name)] = getattr(base, name)
    return Context(bases=bases)


def _years(kind: str) -> list[int]:
    """Every fiscal year the register holds rows for, newest first (the table's own default)."""
    binding = binding_for(kind)
    if not binding.per_year:
        return []
    years = binding.model._default_manager.values_list("fiscal_year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def fiscal_years(kind: str, *, access: Access) -> list[int]:
    """The fiscal years of a register `access` may see figures of, newest first.

    Those who see aggregates see every year's (its totals at least); a union officer the years
    holding a row of their own union (Access.can_view_register_row, by id); nobody else any."""
    if access.sees_aggregates:
        return _years(kind)
    binding = binding_for(kind)
    if not binding.per_year or not access.is_authenticated:
        return []
    names = {field.name for field in binding.model._meta.get_fields()}
    ids = [f"{name}_id" for name in ("branch", "union") if name in names]
    visible: set[int] = set()
    for pk, year, *refs in binding.model._default_manager.values_list("pk", "fiscal_year", *ids):
        record = {"_pk": pk, **{f"_{name}": ref for name, ref in zip(ids, refs, strict=True)}}
        if _visible(access, kind, record):
            visible.add(year)
    return sorted(visible, reverse=True)


def _latest(kind: str) -> int | None:
    years = _years(kind)
    return years[0] if years else None


def register_records(kind: str, fiscal_year: int | None = None, *,
                     access: Access) -> list[dict[str, Any]]:
    """The entered rows of a register `access` may see (by the ids of their branch and union),
    as table records in the report's order."""
    return [record for record in _records(kind, fiscal_year)
            if _visible(access, kind, record)]


def _records(kind: str, fiscal_year: int | None = None) -> list[dict[str, Any]]:
    """Every entered row of a register as table records, in the report's order: the whole
    table's figures (its totals), which appendix_rows restricts row by row afterwards."""
    binding = binding_for(kind)
    queryset = binding.model._default_manager.all()
    if binding.per_year:
        year = fiscal_year if fiscal_year is not None else _latest(kind)
        queryset = queryset.filter(fiscal_year=year)
    names = {field.name for field in binding.model._meta.get_fields()}
    if "branch" in names:
        queryset = queryset.select_related("branch")
    if "union" in names:
        queryset = queryset.select_related("union")
    objects = list(queryset.order_by("pk"))
    group = next((column for column in _GROUP_COLUMNS if column in names), None)
    first_seen: dict[Any, int] = {}
    for position, obj in enumerate(objects):
        first_seen.setdefault(getattr(obj, group) if group else None, position)

    def order(obj: Any) -> tuple[Any, ...]:
        group_rank = first_seen[getattr(obj, group)] if group else 0
        if "position" in names:
            return (group_rank, obj.position, obj.pk)
        if "branch" in names:
            return (group_rank, obj.branch.is_hq, obj.branch.display_order, obj.pk)
        return (group_rank, obj.pk)

    return [{**binding.record_of(obj), "_pk": obj.pk, "_branch_id": getattr(obj, "branch_id", None),
             "_union_id": getattr(obj, "union_id", None)} for obj in sorted(objects, key=order)]


def _visible(access: Access, kind: str, row: Mapping[str, Any]) -> bool:
    """Access.can_view_register_row for a computed row, by the ids of its branch and union."""
    spec = spec_for(kind)
    derived = spec.branch_column is None or row.get("_pk") is None
    return access.can_view_register_row(row.get("_branch_id"), row.get("_union_id"),
                                        derived=derived,
                                        has_union_column=spec.union_column is not None)


def appendix_rows(
    kind: str, fiscal_year: int | None = None, *, access: Access,
    as_of: YearMonth | None = None,
) -> list[dict[str, Any]]:
    """The recomputed table (typed cells; entered rows keep their `_pk`) a user may see.

    Entered rows are restricted by the id of their branch and union; derived rows (合計)
    only go to those who see aggregates. The meetings table takes its national figures from the
    activity log when the year has one (up to `as_of`, by default the month the stored table is
    printed for)."""
    spec = spec_for(kind)
    records = _records(kind, fiscal_year)
    if kind == "meetings_stats":
        from kyosai.workbench.selectors import meetings_from_log

        year = fiscal_year if fiscal_year is not None else _latest(kind)
        records = meetings_from_log(records, year, as_of, access=access)
    rows = compute_table(spec, records, meeting_context(access=SYSTEM) if kind == "meetings_stats" else None)
    return [row for row in rows if _visible(access, kind, row)]


def appendix_table(
    kind: str, fiscal_year: int | None = None, *, access: Access,
    as_of: YearMonth | None = None,
) -> tuple[list[str], list[list[str]]]:
    """(header, rows as text) exactly as `kyosai appendix KIND --format csv` prints them."""
    if kind == DESIGNATIONS:
        rows = designations(fiscal_year, access=access)
        return DESIGNATION_HEADER, [[format_cell(row[name]) for name in DESIGNATION_HEADER]
                                    for row in rows]
    header = spec_for(kind).header
    return header, [[format_cell(row.get(name)) for name in header]
                    for row in appendix_rows(kind, fiscal_year, access=access, as_of=as_of)]


def _group_life_holdings() -> Mapping[str, Holdings] | None:
    """Per-branch group-life (現職) holdings now and a year earlier, at the latest results month."""
    from kyosai.results.selectors import branch_breakdown, latest_month

    month = latest_month(access=SYSTEM)
    if month is None:
        return None
    rows = branch_breakdown(month, "group_life", "holdings", access=SYSTEM)
    prefectural = set(Branch.objects.prefectural().values_list("name", flat=True))
    return {row.label: Holdings(int(row.previous), int(row.actual)) for row in rows
            if row.label in prefectural and row.actual is not None and row.previous is not None}


def designations(
    fiscal_year: int | None = None, holdings: Mapping[str, Holdings] | None = None, *,
    access: Access,
) -> list[dict[str, Any]]:
    """支援県支部 and 団体生命共済・重点県支部 for every branch, with the reason for each.

    Every branch's row for HQ; a branch's staff only their own (by id); nobody else any."""
    year = fiscal_year or _latest_staffing_year()
    branches = list(Branch.objects.prefectural())
    staffing = {s.branch_id: s.staff for s in (
        BranchStaffing.objects.filter(fiscal_year=year) if year is not None
        else BranchStaffing.objects.none())}
    supported = {d.branch: d for d in supported_branches(
        {branch.name: staffing.get(branch.pk) for branch in branches})}
    figures = holdings if holdings is not None else _group_life_holdings()
    priority = {d.branch: d for d in priority_branches(figures)} if figures else {}
    from kyosai.workbench.selectors import support_by_branch, support_text

    support = support_by_branch(year, access=access)
    rows = []
    for branch in branches:
        if not access.can_view_branch(branch.pk):
            continue
        rows.append({
            "branch": branch.name,
            "staff": staffing.get(branch.pk),
            "supported": supported[branch.name].designated,
            "supported_reason": supported[branch.name].reason,
            "priority": branch.name in priority and priority[branch.name].designated,
            "priority_reason": priority[branch.name].reason if branch.name in priority
            else "団体生命共済の保有実績が未登録です",
            "support": support_text(support.get(branch.name, ())),
        })
    return rows


def _latest_staffing_year() -> int | None:
    return BranchStaffing.objects.order_by("-fiscal_year").values_list(
        "fiscal_year", flat=True).first()
