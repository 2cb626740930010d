"""Demo data for plans: HQ's 2024H1 plan as printed, and every branch's plan with varied ratings.

Deterministic: a branch's ratings follow from its code and the item's code (crc32), so two runs
of `kyosai demo-data` give the same federation. Idempotent: a branch item already rated keeps
its rating.
"""

import zlib
from pathlib import Path

from django.db import transaction

from kyosai.accounts.access import SYSTEM
from kyosai.catalog.selectors import fiscal_years
from kyosai.core.models import AuditEntry
from kyosai.domain.evaluation import Rating
from kyosai.domain.plans import HalfYear
from kyosai.org.models import Branch
from kyosai.plans.files import read_plan_file
from kyosai.plans.models import PlanItem, StatusEntry
from kyosai.plans.selectors import hq_branch
from kyosai.plans.services import import_plan_document, new_batch_id

__all__ = ["PLAN_FILE", "load_demo"]

PLAN_FILE = Path(__file__).parent / "data" / "plan-2024H1.yaml"

# Out of 20: ◎ 3, ○ 11, △ 4, × 1, － 1 — close to HQ's own spread (◎21 ○64 △13 ×0 －2).
_WEIGHTS = (
    (Rating.DONE, 3), (Rating.ON_TRACK, 11), (Rating.NOT_ENOUGH, 4), (Rating.NO_PROGRESS, 1),
    (Rating.NOT_YET_DUE, 1),
)
_STATUS = {
    Rating.DONE: "県本部・県推進本部と連携し、計画どおり実施しました。",
    Rating.ON_TRACK: "県本部と日程を確認し、計画に沿って取り組んでいます。",
    Rating.NOT_ENOUGH: "一部の単組で実施しましたが、全単組への展開には至っていません。",
    Rating.NO_PROGRESS: "県本部との協議がまとまらず、着手できていません。",
}


def demo_rating(branch_code: str, item_code: str) -> Rating:
    """The demo's rating of one branch item, stable across runs and machines."""
    draw = zlib.crc32(f"{branch_code}:{item_code}".encode()) % sum(w for _, w in _WEIGHTS)
    for rating, weight in _WEIGHTS:
        if draw < weight:
            return rating
        draw -= weight
    return Rating.ON_TRACK  # pragma: no cover - the weights cover every draw


@transaction.atomic
def load_demo() -> str:
    """Load HQ's plan from the shipped plan file and rate every branch's plan; say what was done."""
    document = read_plan_file(PLAN_FILE)
    batch_id = new_batch_id()
    result = import_plan_document(document, hq_branch(access=SYSTEM), source=AuditEntry.Source.CLI,
                                  batch_id=batch_id, branch_plans=True, demo=True)
    rated = _rate_branch_items(document.period)
    branches = Branch.objects.prefectural().count()
    return (
        f"PDCA計画: 本部 {document.period.label()} 実行計画 {document.counts()['items']} 件"
        f"（新規 {result.created}）、県支部 {branches} 支部の実行計画に評価 {rated} 件を登録しました。"
    )


def _rate_branch_items(period: HalfYear) -> int:
    calendar = fiscal_years().calendar(period.fiscal_year)
    months = period.months(calendar)
    entered_on = period.last_day(calendar)
    items = list(
        PlanItem.objects.filter(plan__period=str(period), plan__owner__kind=Branch.Kind.BRANCH,
                                rating="").select_related("plan__owner")
    )
    entries = []
    for item in items:
        rating = demo_rating(item.plan.owner.code, item.code)
        item.rating = rating.value
        if rating in _STATUS:
            month = months[zlib.crc32(item.code.encode()) % len(months)]
            entries.append(StatusEntry(
                item=item, position=1, text=_STATUS[rating], entered_on=entered_on,
                confirmed_month=f"{month}-01",
            ))
    PlanItem.objects.bulk_update(items, ["rating"])
    StatusEntry.objects.bulk_create(entries)
    return len(items)
