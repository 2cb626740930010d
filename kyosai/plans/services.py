"""Writes to PDCA plans: import, branch plans, status entries, ratings, next actions, carry-over.

Every change to an item is written to the audit trail as one AuditEntry on the item, whose
before/after snapshots hold the rating, the status entries and the next actions.
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from kyosai.accounts.access import SYSTEM
from kyosai.catalog.selectors import fiscal_years
from kyosai.core.models import AuditEntry, record_change
from kyosai.domain.evaluation import Rating
from kyosai.domain.periods import YearMonth
from kyosai.domain.plans import (
    HalfYear,
    ItemNode,
    PlanTree,
    carry_over_item,
)
from kyosai.org.models import Branch
from kyosai.plans.models import Chapter, NextAction, Plan, PlanItem, Policy, Section, StatusEntry
from kyosai.plans.selectors import hq_branch, item_node
from kyosai.results.models import ImportLog
from kyosai.results.snapshots import Scope, begin_import

__all__ = [
    "ImportResult",
    "PlanAlreadyExists",
    "add_status",
    "carry_over_period",
    "carry_over_plan",
    "delete_status",
    "ensure_branch_plans",
    "import_plan_document",
    "new_batch_id",
    "plan_scopes",
    "set_next_actions",
    "set_rating",
    "update_status",
]

CLI = AuditEntry.Source.CLI
WEB = AuditEntry.Source.WEB


class PlanAlreadyExists(ValueError):
    """The period a plan would be carried over to already has a plan of that owner."""


@dataclass(slots=True)
class ImportResult:
    """What an import did: items created, updated and left as they were."""

    plan: Plan
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    branch_items: int = 0
    log: ImportLog | None = None


def new_batch_id() -> str:
    return uuid.uuid4().hex


def _first_day(month: YearMonth | None) -> date | None:
    return month.first_day() if month else None


# --- import ---------------------------------------------------------------------------------


@transaction.atomic
def import_plan_document(
    document: PlanTree, owner: Branch, *, user: Any = None, source: str = CLI,
    batch_id: str = "", branch_plans: bool = False, file_name: str = "", data: bytes = b"",
    demo: bool = False,
) -> ImportResult:
    """Create or update `owner`'s plan from a plan file; the file wins for every item it names.
    With `branch_plans` (HQ's plan), every branch then gets its copy (ensure_branch_plans).

    Importing the same file again changes nothing and writes no history. The import is logged
    (ImportLog, dataset plan, the file `data` kept by content) with the plan as it was — with
    `branch_plans`, every plan of the period — so `kyosai imports revert ID` can undo it;
    `demo` logs a demo load, which keeps nothing and cannot be undone.
    """
    batch_id = batch_id or new_batch_id()
    period = document.period
    recorder = begin_import(
        ImportLog.Dataset.PLAN, file_name or f"plan-{period}.yaml", data,
        plan_scopes(str(period), None if branch_plans else owner), user=user, source=source,
        demo=demo)
    result = _import_plan(document, owner, user=user, source=source, batch_id=batch_id)
    if branch_plans:
        result.branch_items = ensure_branch_plans(result.plan, user=user, source=source,
                                                  batch_id=batch_id)
    counts = document.counts()
    result.log = recorder.finish(rows_total=counts["items"],
                                 rows_added=result.created + result.branch_items,
                                 rows_replaced=result.updated)
    return result


def plan_scopes(period: str, owner: Branch | None) -> list[Scope]:
    """What an import may change: the owner's plan of the period (None: every plan of the
    period), parents before children."""
    plan: dict[str, list[Any]] = {"period": [period]}
    if owner is not None:
        plan["owner_id"] = [owner.pk]
    paths: tuple[tuple[type[models.Model], str], ...] = (
        (Plan, ""), (Section, "plan__"), (Chapter, "section__plan__"),
        (Policy, "chapter__section__plan__"), (PlanItem, "plan__"), (StatusEntry, "item__plan__"),
        (NextAction, "item__plan__"))
    return [Scope(model, {prefix + name: values for name, values in plan.items()})
            for model, prefix in paths]


def _import_plan(
    document: PlanTree, owner: Branch, *, user: Any, source: str, batch_id: str,
) -> ImportResult:
    period = document.period
    plan, created = Plan.objects.get_or_create(
        period=str(period), owner=owner, defaults={"fiscal_year": period.fiscal_year}
    )
    if created:
        record_change(plan, action="create", before=None, user=user, source=source,
                      batch_id=batch_id)
    entered_on = period.last_day(fiscal_years().calendar(period.fiscal_year))
    existing = {
        (item.policy_id, item.number): item
        for item in plan.items.prefetch_related("statuses", "next_actions")
    }
    result = ImportResult(plan)
    for position, section_draft in enumerate(document.sections, start=1):
        section, _ = Section.objects.update_or_create(
            plan=plan, number=section_draft.number,
            defaults={"title": section_draft.title, "position": position},
        )
        for chapter_draft in section_draft.chapters:
            chapter, _ = Chapter.objects.update_or_create(
                section=section, number=chapter_draft.number,
                defaults={"title": chapter_draft.title,
                          "carried_by_branches": chapter_draft.carried_by_branches},
            )
            for policy_draft in chapter_draft.policies:
                policy, _ = Policy.objects.update_or_create(
                    chapter=chapter, number=policy_draft.number,
                    defaults={"text": policy_draft.text},
                )
                for item_draft in policy_draft.items:
                    outcome = _upsert_item(
                        plan, policy, existing.get((policy.pk, item_draft.number)), item_draft,
                        entered_on, user=user, source=source, batch_id=batch_id,
                    )
                    setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def _item_state(item: PlanItem) -> tuple[Any, ...]:
    statuses = tuple((s.text, s.confirmed) for s in item.statuses.all())
    actions = tuple(a.text for a in item.next_actions.all())
    return (item.text, item.rating, statuses, actions)


def _draft_state(draft: ItemNode) -> tuple[Any, ...]:
    statuses = tuple((s.text, s.confirmed) for s in draft.statuses)
    rating = draft.rating.value if draft.rating else ""
    return (draft.text, rating, statuses, draft.next_actions)


def _upsert_item(
    plan: Plan, policy: Policy, item: PlanItem | None, draft: ItemNode, entered_on: date,
    **audit: Any,
) -> str:
    if item is not None and _item_state(item) == _draft_state(draft):
        return "unchanged"
    before = item.snapshot() if item is not None else None
    if item is None:
        item = PlanItem(plan=plan, policy=policy, number=draft.number)
    item.code = PlanItem.code_for(policy.chapter.section.number, policy.chapter.number,
                                  policy.number, draft.number)
    item.text = draft.text
    item.rating = draft.rating.value if draft.rating else ""
    item.save()
    if before is not None:
        item.statuses.all().delete()
    StatusEntry.objects.bulk_create(
        StatusEntry(item=item, position=n, text=s.text, entered_on=entered_on,
                    confirmed_month=_first_day(s.confirmed))
        for n, s in enumerate(draft.statuses, start=1)
    )
    _replace_actions(item, draft.next_actions, new=before is None)
    if before is not None:
        item = PlanItem.objects.get(pk=item.pk)  # drop the prefetched statuses and actions
    record_change(item, action="create" if before is None else "update", before=before, **audit)
    return "created" if before is None else "updated"


def _replace_actions(
    item: PlanItem, texts: tuple[str, ...] | list[str], *, new: bool = False
) -> None:
    if not new:
        item.next_actions.all().delete()
    NextAction.objects.bulk_create(
        NextAction(item=item, position=n, text=text) for n, text in enumerate(texts, start=1)
    )


# --- branch plans ---------------------------------------------------------------------------


@transaction.atomic
def ensure_branch_plans(
    hq_plan: Plan, branches: QuerySet[Branch] | None = None, *, user: Any = None,
    source: str = CLI, batch_id: str = "",
) -> int:
    """Give every branch its own copy of the chapters all branches carry out; return new items.

    Existing branch items are never touched (each branch rates its own); missing ones are added.
    Works level by level in bulk, so 48 branches cost a handful of queries per level.
    """
    batch_id = batch_id or new_batch_id()
    hq_chapters = list(
        Chapter.objects.filter(section__plan=hq_plan, carried_by_branches=True)
        .select_related("section").prefetch_related("policies__items")
    )
    if not hq_chapters:
        return 0
    targets = list((branches if branches is not None else Branch.objects.prefectural())
                   .exclude(kind=Branch.Kind.HQ))
    plans = _ensure_plans(hq_plan, targets, user=user, source=source, batch_id=batch_id)
    sections, _ = _ensure(
        Section, "plan_id", "number",
        {(p.pk, c.section.number): {"title": c.section.title, "position": c.section.position}
         for p in plans for c in hq_chapters},
    )
    chapters, _ = _ensure(
        Chapter, "section_id", "number",
        {(sections[(p.pk, c.section.number)], c.number):
         {"title": c.title, "carried_by_branches": True} for p in plans for c in hq_chapters},
    )
    policies, _ = _ensure(
        Policy, "chapter_id", "number",
        {(chapters[(sections[(p.pk, c.section.number)], c.number)], pol.number): {"text": pol.text}
         for p in plans for c in hq_chapters for pol in c.policies.all()},
    )
    wanted = {}
    for p in plans:
        for c in hq_chapters:
            chapter_id = chapters[(sections[(p.pk, c.section.number)], c.number)]
            for pol in c.policies.all():
                for i in pol.items.all():
                    wanted[(policies[(chapter_id, pol.number)], i.number)] = {
                        "plan_id": p.pk, "code": i.code, "text": i.text, "source_item_id": i.pk}
    return _ensure(PlanItem, "policy_id", "number", wanted)[1]


def _ensure_plans(
    hq_plan: Plan, branches: list[Branch], **audit: Any
) -> list[Plan]:
    existing = {p.owner_id: p for p in Plan.objects.filter(period=hq_plan.period,
                                                           owner__in=branches)}
    new = [Plan(period=hq_plan.period, owner=b, fiscal_year=hq_plan.fiscal_year)
           for b in branches if b.pk not in existing]
    Plan.objects.bulk_create(new)
    for plan in new:
        record_change(plan, action="create", before=None, **audit)
    return [*existing.values(), *new]


def _ensure(
    model: Any, parent: str, number: str, wanted: dict[tuple[int, Any], dict[str, Any]]
) -> tuple[dict[tuple[int, Any], int], int]:
    """Rows keyed (parent id, number): create the missing ones in bulk; return every wanted
    key's id and how many rows were created."""
    parents = {key[0] for key in wanted}
    found = {
        (row[parent], row[number]): row["pk"]
        for row in model.objects.filter(**{f"{parent}__in": parents}).values("pk", parent, number)
    }
    new = [model(**{parent: key[0], number: key[1], **fields})
           for key, fields in wanted.items() if key not in found]
    model.objects.bulk_create(new)
    ids = dict(found)
    ids.update({(getattr(obj, parent), getattr(obj, number)): obj.pk for obj in new})
    return ids, len(new)


# --- edits from the web ---------------------------------------------------------------------


def _fresh(item: PlanItem) -> PlanItem:
    return PlanItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def add_status(
    item: PlanItem, *, text: str, confirmed: YearMonth | None, user: Any,
    entered_on: date | None = None, source: str = WEB,
) -> StatusEntry:
    """Add a status entry (実行状況) to an item, dated today unless told otherwise."""
    item = _fresh(item)
    before = item.snapshot()
    last = item.statuses.order_by("-position").values_list("position", flat=True).first() or 0
    entry = StatusEntry.objects.create(
        item=item, position=last + 1, text=text.strip(),
        entered_on=entered_on or timezone.localdate(), confirmed_month=_first_day(confirmed),
        author=user if getattr(user, "is_authenticated", False) else None,
    )
    item.save(update_fields=["last_updated"])
    record_change(item, action="update", before=before, user=user, source=source)
    return entry


@transaction.atomic
def update_status(
    entry: StatusEntry, *, text: str, confirmed: YearMonth | None, user: Any, source: str = WEB
) -> StatusEntry:
    """Correct a status entry's text or confirmation month."""
    item = _fresh(entry.item)
    before = item.snapshot()
    entry.text = text.strip()
    entry.confirmed_month = _first_day(confirmed)
    entry.save(update_fields=["text", "confirmed_month", "last_updated"])
    item.save(update_fields=["last_updated"])
    record_change(item, action="update", before=before, user=user, source=source)
    return entry


@transaction.atomic
def delete_status(entry: StatusEntry, *, user: Any, source: str = WEB) -> None:
    """Remove a status entry; the item's history keeps its text."""
    item = _fresh(entry.item)
    before = item.snapshot()
    entry.delete()
    item.save(update_fields=["last_updated"])
    record_change(item, action="update", before=before, user=user, source=source)


@transaction.atomic
def set_rating(item: PlanItem, rating: Rating | None, *, user: Any, source: str = WEB) -> PlanItem:
    """Rate an item (None clears the rating); no history when nothing changes."""
    item = _fresh(item)
    value = rating.value if rating else ""
    if item.rating == value:
        return item
    before = item.snapshot()
    item.rating = value
    item.save(update_fields=["rating", "last_updated"])
    record_change(item, action="update", before=before, user=user, source=source)
    return item


@transaction.atomic
def set_next_actions(
    item: PlanItem, texts: list[str], *, user: Any, source: str = WEB
) -> PlanItem:
    """Replace an item's next actions (今後の取り組み) with `texts`, blank lines dropped."""
    item = _fresh(item)
    cleaned = [t.strip() for t in texts if t.strip()]
    if [a.text for a in item.next_actions.all()] == cleaned:
        return item
    before = item.snapshot()
    _replace_actions(item, cleaned)
    item.save(update_fields=["last_updated"])
    record_change(item, action="update", before=before, user=user, source=source)
    return item


# --- carry-over -----------------------------------------------------------------------------


@transaction.atomic
def carry_over_plan(
    plan: Plan, *, user: Any = None, include_done: bool = True, source: str = WEB,
    batch_id: str = "",
) -> Plan:
    """Start the next period's plan from this one: same items, this period's next actions as
    the starting next actions, no status or rating yet (domain.plans.carry_over_item)."""
    target_period: HalfYear = plan.plan_period.next()
    if Plan.objects.filter(period=str(target_period), owner=plan.owner_id).exists():
        raise PlanAlreadyExists(f"{plan.owner} の {target_period.label()}の計画はすでにあります。")
    new_plan = Plan.objects.create(
        period=str(target_period), owner=plan.owner, fiscal_year=target_period.fiscal_year,
        carried_from=plan,
    )
    hq_next = _next_hq_items(plan, target_period)
    for section in plan.sections.prefetch_related("chapters__policies"):
        new_section = Section.objects.create(
            plan=new_plan, number=section.number, title=section.title, position=section.position
        )
        for chapter in section.chapters.all():
            new_chapter = Chapter.objects.create(
                section=new_section, number=chapter.number, title=chapter.title,
                carried_by_branches=chapter.carried_by_branches,
            )
            for policy in chapter.policies.all():
                new_policy = Policy.objects.create(
                    chapter=new_chapter, number=policy.number, text=policy.text
                )
                _carry_items(policy, new_plan, new_policy, hq_next, include_done)
    if plan.is_hq:
        _link_branch_items(new_plan)
    record_change(new_plan, action="create", before=None, user=user, source=source,
                  batch_id=batch_id)
    return new_plan


def _link_branch_items(new_hq_plan: Plan) -> None:
    """Branches that carried their plan over before HQ did: point their items at HQ's new ones."""
    new_by_old = {old: new for old, new in new_hq_plan.items.values_list("carried_from_id", "pk")
                  if old is not None}
    orphans = list(PlanItem.objects.filter(
        plan__period=new_hq_plan.period, source_item__isnull=True,
        carried_from__source_item__in=list(new_by_old),
    ).select_related("carried_from"))
    for item in orphans:
        carried_from = item.carried_from
        assert carried_from is not None  # the filter above
        assert carried_from.source_item_id is not None
        item.source_item_id = new_by_old[carried_from.source_item_id]
    PlanItem.objects.bulk_update(orphans, ["source_item"])


def _next_hq_items(plan: Plan, target: HalfYear) -> dict[int, PlanItem]:
    """For a branch plan: the next period's HQ items, by the HQ item they were carried from."""
    if plan.is_hq:
        return {}
    items = PlanItem.objects.filter(
        plan__period=str(target), plan__owner=hq_branch(access=SYSTEM), carried_from__isnull=False
    )
    return {item.carried_from_id: item for item in items if item.carried_from_id is not None}


def _carry_items(
    policy: Policy, new_plan: Plan, new_policy: Policy, hq_next: dict[int, PlanItem],
    include_done: bool,
) -> None:
    items = policy.items.prefetch_related("statuses__author", "next_actions")
    for item in items:
        draft = carry_over_item(item_node(item), include_done=include_done)
        if draft is None:
            continue
        new_item = PlanItem.objects.create(
            plan=new_plan, policy=new_policy, number=draft.number, code=item.code,
            text=draft.text, carried_from=item,
            source_item=hq_next.get(item.source_item_id) if item.source_item_id is not None else None,
        )
        _replace_actions(new_item, draft.next_actions, new=True)


@transaction.atomic
def carry_over_period(
    period: HalfYear, *, user: Any = None, include_done: bool = True, source: str = CLI,
    progress: Callable[[list[Plan]], Iterable[Plan]] = iter,
) -> list[Plan]:
    """Carry every plan of a period over (HQ first, so branch items find their HQ item).

    `progress` wraps the list of plans (the command passes a tqdm bar); all or nothing.
    """
    batch_id = new_batch_id()
    plans = Plan.objects.filter(period=str(period)).select_related("owner")
    ordered = sorted(plans, key=lambda p: (not p.is_hq, p.owner.display_order, p.owner.code))
    return [
        carry_over_plan(p, user=user, include_done=include_done, source=source, batch_id=batch_id)
        for p in progress(ordered)
    ]
