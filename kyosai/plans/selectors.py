"""Reads of PDCA plans: who sees which plan, the plan tree, the rating tally, the branch matrix.

The half-year report uses `plan_tree` and `rating_tally`; the web app the rest. Trees and tallies
are plain dataclasses (no querysets), so renderers need not know the ORM.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from kyosai.accounts.access import Access
from kyosai.core.models import AuditEntry
from kyosai.domain.codes import branch_code
from kyosai.domain.evaluation import Rating
from kyosai.domain.periods import YearMonth
from kyosai.domain.plans import (
    ATTENTION_RATINGS,
    ChapterNode,
    FieldChange,
    HalfYear,
    ItemNode,
    PlanTree,
    PolicyNode,
    RatingTally,
    SectionNode,
    StatusNode,
    describe_changes,
    parse_rating,
    tally,
)
from kyosai.org.models import Branch
from kyosai.plans.models import Chapter, NextAction, Plan, PlanItem, Policy, Section, StatusEntry

__all__ = [
    "BRANCHES",
    "BranchMatrix",
    "HistoryEntry",
    "MatrixColumn",
    "MatrixRow",
    "TallyRow",
    "TallyTable",
    "UnknownOwner",
    "branch_matrix",
    "filter_items",
    "get_plan",
    "hq_branch",
    "item_history",
    "item_node",
    "item_state",
    "plan_tree",
    "rating_tally",
    "resolve_owner",
    "tally_of_plan",
    "tree_of",
    "visible_items",
    "visible_plans",
]

#: `owner` value of rating_tally() that adds up every branch plan of the period.
BRANCHES = "branches"


class UnknownOwner(LookupError):
    """No branch (or HQ) answers to the owner given."""


def hq_branch(*, access: Access) -> Branch:
    """The HQ row (本部, code 00) that owns HQ's plan (every reader of plans reads HQ's);
    UnknownOwner for those who read no plan, the same answer as when it is missing."""
    try:
        hq = Branch.objects.get(kind=Branch.Kind.HQ)
    except Branch.DoesNotExist:
        raise UnknownOwner("本部が登録されていません（kyosai init を実行してください）") from None
    if not access.can_view_plan(hq.pk, owner_is_hq=True):
        raise UnknownOwner("本部が見つかりません")
    return hq


def resolve_owner(owner: "str | Branch | None", *, access: Access) -> Branch:
    """HQ for None, 'hq' or '本部'; otherwise a branch by code ('13', '1' → '01') or name.

    Only an owner whose plan `access` may read (Access.can_view_plan, by id): any other is
    UnknownOwner, the same answer as for an owner that does not exist."""
    if isinstance(owner, Branch):
        branch: Branch | None = owner
        text = owner.code
    else:
        text = (owner or "hq").strip()
        if text.lower() == "hq" or text == "本部":
            return hq_branch(access=access)
        code = branch_code(text)
        branch = Branch.objects.filter(Q(code=code) | Q(name=text)).first()
    if branch is None or not access.can_view_plan(branch.pk, branch.is_hq):
        raise UnknownOwner(f"県支部が見つかりません: {text!r}（hq または県支部コードを指定してください）")
    return branch


# --- access ---------------------------------------------------------------------------------


def visible_plans(*, access: Access) -> QuerySet[Plan]:
    """Plans a user may read (Access.restrict_plans): HQ every plan; a branch HQ's and its own."""
    return access.restrict_plans(Plan.objects.select_related("owner"))


def visible_items(*, access: Access) -> QuerySet[PlanItem]:
    return PlanItem.objects.filter(plan__in=visible_plans(access=access)).select_related(
        "plan__owner", "policy__chapter__section"
    )


def get_plan(period: "HalfYear | str", owner: "str | Branch | None" = None, *,
             access: Access) -> Plan | None:
    """The owner's plan of the period ('hq' by default); UnknownOwner for an owner `access` may
    not read (see resolve_owner), None when there is no such plan."""
    return visible_plans(access=access).filter(
        period=str(period), owner=resolve_owner(owner, access=access)).first()


def filter_items(
    items: QuerySet[PlanItem], *, access: Access, attention: bool = False,
    unconfirmed_in: YearMonth | None = None,
) -> QuerySet[PlanItem]:
    """Those of `items` in plans `access` may read, rated △ or × (`attention`), and/or with no
    status entry confirmed in a month."""
    items = access.restrict_plans(items, owner="plan__owner")
    if attention:
        items = items.filter(rating__in=[r.value for r in ATTENTION_RATINGS])
    if unconfirmed_in is not None:
        confirmed = StatusEntry.objects.filter(item=OuterRef("pk"),
                                               confirmed_month=unconfirmed_in.first_day())
        items = items.filter(~Exists(confirmed))
    return items


# --- the tree -------------------------------------------------------------------------------


def item_node(item: PlanItem) -> ItemNode:
    """The stored item as the plan's tree holds it (prefetch its statuses, their authors and its
    next actions when reading many)."""
    statuses = tuple(
        StatusNode(
            id=entry.pk, text=entry.text, confirmed=entry.confirmed,
            entered_on=entry.entered_on,
            author=entry.author.get_username() if entry.author is not None else "",
        )
        for entry in item.statuses.all()
    )
    return ItemNode(
        id=item.pk, code=item.code, number=item.number, text=item.text,
        rating=item.rating_value, statuses=statuses,
        next_actions=tuple(a.text for a in item.next_actions.all()),
        source_item_id=item.source_item_id,
    )


def _readable(plan: Plan, access: Access) -> bool:
    return access.can_view_plan(plan.owner_id, plan.owner.is_hq)


def tree_of(plan: Plan, items: QuerySet[PlanItem] | None = None, *, access: Access) -> PlanTree:
    """The plan's tree; with `items`, only those items (and the policies that still hold some).
    An empty tree (no sections) for a plan `access` may not read."""
    if not _readable(plan, access):
        return PlanTree(plan.plan_period, (), plan_id=plan.pk, owner_code=plan.owner.code,
                        owner_name=plan.owner.name)
    chosen = (items if items is not None else PlanItem.objects.all()).filter(plan=plan)
    chosen = chosen.order_by("number").prefetch_related(
        Prefetch("statuses", StatusEntry.objects.select_related("author")),
        Prefetch("next_actions", NextAction.objects.all()),
    )
    sections = Section.objects.filter(plan=plan).prefetch_related(
        Prefetch("chapters", Chapter.objects.order_by("number")),
        Prefetch("chapters__policies", Policy.objects.order_by("number")),
        Prefetch("chapters__policies__items", chosen),
    )
    nodes = []
    for section in sections:
        chapters = []
        for chapter in section.chapters.all():
            policies = tuple(
                PolicyNode(p.number, p.text, tuple(item_node(i) for i in p.items.all()))
                for p in chapter.policies.all()
            )
            if items is not None:
                policies = tuple(p for p in policies if p.items)
            chapters.append(ChapterNode(chapter.number, chapter.title,
                                        chapter.carried_by_branches, policies,
                                        code=f"{section.number}-{chapter.number}"))
        if items is not None:
            chapters = [c for c in chapters if c.policies]
        nodes.append(SectionNode(section.number, section.title, tuple(chapters)))
    if items is not None:
        nodes = [s for s in nodes if s.chapters]
    return PlanTree(plan.plan_period, tuple(nodes), plan_id=plan.pk, owner_code=plan.owner.code,
                    owner_name=plan.owner.name)


def plan_tree(period: "HalfYear | str", owner: "str | Branch | None" = None, *,
              access: Access) -> PlanTree | None:
    """Sections → chapters → policies → items with statuses, rating and next actions.

    `owner` is 'hq' (default), a branch code or a Branch; None when there is no such plan,
    UnknownOwner for an owner `access` may not read.
    """
    plan = get_plan(period, owner, access=access)
    return tree_of(plan, access=access) if plan else None


# --- the tally ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TallyRow:
    chapter: str  # Ⅳ-1
    title: str
    tally: RatingTally


@dataclass(frozen=True, slots=True)
class TallyTable:
    """The rating tally per chapter and the total (合計)."""

    period: str
    owner: str
    rows: tuple[TallyRow, ...]

    @property
    def total(self) -> RatingTally:
        result = RatingTally()
        for row in self.rows:
            result = result + row.tally
        return result


def _tally_rows(items: QuerySet[PlanItem]) -> tuple[TallyRow, ...]:
    keyed: dict[tuple[int, int], list[str]] = defaultdict(list)
    titles: dict[tuple[int, int], tuple[str, str]] = {}
    values = items.values_list(
        "policy__chapter__section__position", "policy__chapter__section__number",
        "policy__chapter__number", "policy__chapter__title", "rating",
    )
    for position, section, chapter, title, rating in values:
        key = (position, chapter)
        keyed[key].append(rating)
        titles[key] = (f"{section}-{chapter}", title)
    return tuple(
        TallyRow(titles[key][0], titles[key][1], tally(keyed[key])) for key in sorted(keyed)
    )


def tally_of_plan(plan: Plan, *, access: Access) -> TallyTable:
    """The plan's rating tally per chapter; no rows for a plan `access` may not read."""
    items = plan.items.all() if _readable(plan, access) else PlanItem.objects.none()
    return TallyTable(plan.period, plan.owner.name, _tally_rows(items))


def rating_tally(period: "HalfYear | str", owner: "str | Branch | None" = None, *,
                 access: Access) -> TallyTable:
    """The rating tally per chapter of one plan ('hq' by default, or a branch code), or of every
    branch plan of the period added up (owner=BRANCHES).

    Only of a plan `access` may read (branch staff: HQ's and their own; the branches' sum only
    for those who see the branch matrix); UnknownOwner otherwise, the same answer as for an
    owner that does not exist."""
    if owner == BRANCHES:
        if not access.can_view_branch_matrix:
            raise UnknownOwner("県支部計は本部のみ閲覧できます。")
        items = PlanItem.objects.filter(plan__period=str(period), plan__owner__kind=Branch.Kind.BRANCH)
        return TallyTable(str(period), "県支部計", _tally_rows(items))
    branch = resolve_owner(owner, access=access)
    items = PlanItem.objects.filter(plan__period=str(period), plan__owner=branch)
    return TallyTable(str(period), branch.name, _tally_rows(items))



# --- the branches × items matrix ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatrixColumn:
    """One HQ item every branch carries out, with the branches' roll-up."""

    item_id: int
    code: str
    text: str
    tally: RatingTally
    attention: tuple[str, ...]  # branches that rated it △ or ×, in the report's order


@dataclass(frozen=True, slots=True)
class MatrixCell:
    item_id: int | None
    rating: Rating | None


@dataclass(frozen=True, slots=True)
class MatrixRow:
    branch_code: str
    branch_name: str
    plan_id: int
    cells: tuple[MatrixCell, ...]

    @property
    def tally(self) -> RatingTally:
        return tally(cell.rating for cell in self.cells if cell.item_id is not None)


@dataclass(frozen=True, slots=True)
class BranchMatrix:
    period: str
    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...] = field(default=())

    @property
    def total(self) -> RatingTally:
        result = RatingTally()
        for column in self.columns:
            result = result + column.tally
        return result


def branch_matrix(period: "HalfYear | str", *, access: Access) -> BranchMatrix:
    """Branches × HQ items of the chapters every branch carries out, cells = each branch's rating.

    Only the branches whose plans `access` may read have a row (HQ: every branch)."""
    hq_items = list(
        PlanItem.objects.filter(
            plan__period=str(period), plan__owner__kind=Branch.Kind.HQ,
            policy__chapter__carried_by_branches=True,
        ).select_related("policy__chapter__section")
    )
    branch_items = PlanItem.objects.filter(
        plan__in=access.restrict_plans(Plan.objects.all()),
        plan__period=str(period), plan__owner__kind=Branch.Kind.BRANCH,
        source_item__in=[i.pk for i in hq_items],
    ).values_list("plan_id", "source_item_id", "pk", "rating")
    cells: dict[tuple[int, int], tuple[int, str]] = {
        (plan_id, source): (pk, rating) for plan_id, source, pk, rating in branch_items
    }
    plans = list(
        access.restrict_plans(Plan.objects.filter(period=str(period), owner__kind=Branch.Kind.BRANCH))
        .select_related("owner").order_by("owner__display_order", "owner__code")
    )
    rows = tuple(
        MatrixRow(plan.owner.code, plan.owner.name, plan.pk, tuple(
            MatrixCell(*_cell(cells.get((plan.pk, item.pk)))) for item in hq_items
        ))
        for plan in plans
    )
    columns = []
    for index, item in enumerate(hq_items):
        ratings = [row.cells[index].rating for row in rows if row.cells[index].item_id]
        attention = tuple(row.branch_name for row in rows
                          if row.cells[index].rating in ATTENTION_RATINGS)
        columns.append(MatrixColumn(item.pk, item.code, item.text, tally(ratings), attention))
    return BranchMatrix(str(period), tuple(columns), rows)


def _cell(found: tuple[int, str] | None) -> tuple[int | None, Rating | None]:
    if found is None:
        return None, None
    pk, rating = found
    return pk, Rating(rating) if rating else None


# --- history --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change of an item: when, who, how (画面/コマンド), what."""

    timestamp: Any
    user: str
    source: str
    action: str
    changes: tuple[FieldChange, ...]


def item_state(snapshot: Mapping[str, Any] | None) -> ItemNode | None:
    """The item as an audit entry recorded it (`PlanItem.snapshot()`), None when it did not exist.

    Snapshots keep 【N月確認】 as YYYY-MM; an unreadable month or rating (an old entry edited by
    hand) is left out rather than stopping the history.
    """
    if snapshot is None:
        return None
    statuses = []
    for entry in snapshot.get("statuses") or []:
        confirmed = entry.get("confirmed")
        try:
            month = YearMonth.parse(str(confirmed)) if confirmed else None
        except ValueError:
            month = None
        statuses.append(StatusNode(str(entry.get("text") or ""), month))
    try:
        rating = parse_rating(snapshot.get("rating"))
    except ValueError:
        rating = None
    return ItemNode(
        number=0, text=str(snapshot.get("text") or ""), statuses=tuple(statuses), rating=rating,
        next_actions=tuple(str(action) for action in snapshot.get("next_actions") or []),
    )


def item_history(item: PlanItem, *, access: Access) -> list[HistoryEntry]:
    """The item's change history, newest first; none for an item of a plan `access` may not
    read."""
    if not _readable(item.plan, access):
        return []
    entries = AuditEntry.objects.filter(
        object_type=PlanItem._meta.label_lower, object_id=str(item.pk)
    ).select_related("user")
    return [
        HistoryEntry(
            timestamp=entry.timestamp,
            user=entry.user.get_username() if entry.user is not None else "",
            source=entry.get_source_display(),
            action={"create": "登録", "update": "変更", "delete": "削除"}.get(entry.action,
                                                                          entry.action),
            changes=tuple(describe_changes(item_state(entry.before), item_state(entry.after))),
        )
        for entry in entries
    ]
