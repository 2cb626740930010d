"""Undoing a `kyosai import unions` (the union master), for `kyosai imports revert ID`.

The unions import writes one audit entry per union it creates or changes, in the batch
`import-<ID>`, with the union's state before and after: these are the values it replaced. To
revert it, every union it changed gets its state before back (a union it moved to another branch
goes back with its results and targets, and the rollups of both branches are recomputed), and
every union it created is deleted. Refused, with the reason, when that would not give back the
state before the import: a union is no longer as the import left it (a later import or an edit
changed it), or a union it created has rows of its own since (results, targets, members …).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.db.models.fields.reverse_related import ForeignObjectRel

from kyosai.core.models import AuditEntry, record_change
from kyosai.org.models import Union
from kyosai.results.models import ImportLog, MonthlyResult, Target

__all__ = ["UnionChanges", "apply_union_revert", "plan_union_revert"]

#: The fields the import writes; the audit entries' before/after hold them.
FIELDS = ("name", "branch", "members", "officers", "active")


class UnionRevertRefused(Exception):
    """The unions import cannot be reverted; the message (Japanese, one line) says why."""


@dataclass(frozen=True, slots=True)
class UnionChanges:
    created: list[Union]
    changed: list[tuple[Union, dict[str, Any]]]  # the union now, its state before the import


def _state(union: Union) -> dict[str, Any]:
    return {"name": union.name, "branch": union.branch_id, "members": union.members,
            "officers": union.officers, "active": union.active}


def _fields(snapshot: dict[str, Any] | None) -> dict[str, Any]:
    return {name: (snapshot or {}).get(name) for name in FIELDS}


def _rows_of(union: Union) -> list[str]:
    """The kinds of rows (verbose names) that refer to the union: results, targets, members …"""
    used = []
    for related in Union._meta.get_fields(include_hidden=True):
        if not isinstance(related, ForeignObjectRel):
            continue
        model = related.related_model
        if isinstance(model, type) and issubclass(model, Model) and model._default_manager.filter(
                **{related.field.name: union.pk}).exists():
            used.append(str(model._meta.verbose_name))
    return used


def plan_union_revert(log: ImportLog) -> UnionChanges:
    """What reverting the unions import `log` changes, or UnionRevertRefused (nothing written)."""
    entries = list(AuditEntry.objects.filter(batch_id=f"import-{log.pk}",
                                             object_type=Union._meta.label_lower)
                   .order_by("pk"))
    unions = Union.objects.in_bulk([int(entry.object_id) for entry in entries])
    created: list[Union] = []
    changed: list[tuple[Union, dict[str, Any]]] = []
    for entry in entries:
        union = unions.get(int(entry.object_id))
        if union is None or _state(union) != _fields(entry.after):
            raise UnionRevertRefused(
                f"取込番号 {log.pk} の後に単組（{entry.object_id} 番）が変更されているため取り消せません。"
                "先に後の取込を取り消してください。")
        if entry.action == AuditEntry.Action.CREATE:
            used = _rows_of(union)
            if used:
                raise UnionRevertRefused(
                    f"取込番号 {log.pk} で追加した単組 {union.code} に{'・'.join(sorted(set(used)))}が"
                    "登録されているため取り消せません。")
            created.append(union)
        else:
            changed.append((union, _fields(entry.before)))
    return UnionChanges(created, changed)


def apply_union_revert(changes: UnionChanges, *, user: Any, source: str,
                       batch_id: str) -> set[int]:
    """Put the changed unions back and delete the created ones (audited); returns the branches
    whose rollups must be recomputed (those a moved union leaves and returns to)."""
    moved: set[int] = set()
    for union, before in changes.changed:
        state = union.snapshot()
        if union.branch_id != before["branch"]:
            moved |= {union.branch_id, before["branch"]}
            MonthlyResult.objects.filter(union=union).update(branch_id=before["branch"])
            Target.objects.filter(union=union).update(branch_id=before["branch"])
        union.name, union.branch_id = before["name"], before["branch"]
        union.members, union.officers, union.active = (before["members"], before["officers"],
                                                       before["active"])
        union.save()
        record_change(union, action=AuditEntry.Action.UPDATE, before=state, user=user,
                      source=source, batch_id=batch_id)
    for union in changes.created:
        state = union.snapshot()
        pk = union.pk
        union.delete()
        union.pk = pk
        record_change(union, action=AuditEntry.Action.DELETE, before=state, user=user,
                      source=source, batch_id=batch_id)
    return moved
