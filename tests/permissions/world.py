"""One small organisation with a row of every kind, for the permission matrix and the bad-input test.

The tiny web federation (unions 14001, 14002, 01001, 13001 with results) and the demo users
(hq, hq-staff, viewer, branch-CODE, union-14001 …), plus: HQ's plan with the plans of 東京 (14)
and 北海道 (01), a status entry on 東京's item, an event, register rows of 東京, an overview topic
and a finished report build. "own" rows are 東京's (branch-14); branch-01 is the other branch.
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import connection

from kyosai.accounts.services import create_demo_users
from kyosai.activities.models import NewHireResult
from kyosai.domain.events import EVENT_KINDS
from kyosai.events.models import Event
from kyosai.org.models import Branch
from kyosai.plans.files import read_plan_document
from kyosai.plans.models import Plan, PlanItem, StatusEntry
from kyosai.plans.services import add_status, ensure_branch_plans, import_plan_document
from kyosai.reports.models import OverviewTopic, ReportBuild, ReportEdition
from kyosai.web.tests.federation import build

__all__ = ["World", "build_world", "snapshot"]

PLAN = {
    "fiscal_year": 2024, "period": "2024H1",
    "sections": [{"number": "Ⅳ", "title": "事業推進体制の強化・確立", "chapters": [
        {"number": 1, "title": "本部の取り組み", "policies": [{"number": 1, "text": "本部の方針", "items": [
            {"number": 1, "plan": "本部委員会を開催します。", "status": ["開催しました。"],
             "rating": "◎", "next_actions": ["引き続き開催します。"]},
        ]}]},
        {"number": 2, "title": "県本部と県支部の共同推進", "policies": [{"number": 1, "text": "県の方針", "items": [
            {"number": 1, "plan": "県本部委員会を開催します。", "status": [], "rating": "○",
             "next_actions": []},
        ]}]},
    ]}],
}


@dataclass(frozen=True, slots=True)
class World:
    tokyo: Branch
    hokkaido: Branch
    plan: Plan  # 東京's plan
    item: PlanItem  # 東京's item Ⅳ-2-1-(1)
    status: StatusEntry  # on that item
    event: Event
    new_hire: NewHireResult  # 東京's row
    topic: OverviewTopic
    build: ReportBuild  # finished, with report.html
    edition: ReportEdition  # 2024H1, with one narrative (Ⅱ.2 受入共済掛金's next steps)


def build_world(media_root: Path) -> World:
    build()
    create_demo_users()
    tokyo, hokkaido = Branch.objects.get(code="14"), Branch.objects.get(code="01")
    hq_plan = import_plan_document(read_plan_document(PLAN), Branch.objects.get(code="00")).plan
    ensure_branch_plans(hq_plan, Branch.objects.filter(pk__in=[tokyo.pk, hokkaido.pk]))
    item = PlanItem.objects.get(plan__owner=tokyo, code="Ⅳ-2-1-(1)")
    add_status(item, text="県本部委員会を開催した。", confirmed=None, user=None)
    event = Event.objects.create(kind=EVENT_KINDS[0].code, title="本部共済推進委員会",
                                 report_period="2024H1", held_period="2024H1",
                                 starts_on=date(2024, 7, 1))
    new_hire = NewHireResult.objects.create(branch=tokyo, coop_joined_cur=10, coop_joined_prev=9,
                                            life_joined_cur=3, life_joined_prev=2)
    topic = OverviewTopic.objects.create(period="2024H1", heading="見出し", body="本文。")
    report = ReportBuild.objects.create(period="2024H1", as_of="2024-11", formats="html",
                                        status=ReportBuild.Status.DONE, progress=100)
    assert str(report.directory).startswith(str(media_root))
    report.directory.mkdir(parents=True, exist_ok=True)
    (report.directory / "report.html").write_text("<html>報告書</html>", encoding="utf-8")
    edition = ReportEdition.objects.create(period="2024H1", as_of="2024-11")
    edition.narratives.create(key="Ⅱ.2.premiums", text="今後の取り組み。")
    return World(tokyo=tokyo, hokkaido=hokkaido, plan=item.plan, item=item,
                 status=item.statuses.get(), event=event, new_hire=new_hire, topic=topic,
                 build=report, edition=edition)


#: Tables a request may touch without writing anything of the organisation's.
NOT_DATA = {"django_session"}


def snapshot() -> dict[str, str]:
    """Every table's rows, hashed: equal snapshots mean nothing was added, changed or removed."""
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in NOT_DATA or table.startswith("axes_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            out[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return out
