"""kyosai import plan is logged and undone: the plans of the scope (HQ's and, when it made them,
every branch's of the period) come back with their items, 実行状況 and next actions."""

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management.base import CommandError

from kyosai.core.models import AuditEntry
from kyosai.domain.evaluation import Rating
from kyosai.plans.models import Chapter, NextAction, Plan, PlanItem, Policy, Section, StatusEntry
from kyosai.plans.services import set_rating
from kyosai.plans.tests.conftest import SMALL_PLAN, run
from kyosai.results.models import ImportLog, ImportSnapshot
from tests.reverting import assert_file_kept, last_import_id, refused, revert, rows_of

pytestmark = pytest.mark.django_db

TABLES = (Plan, Section, Chapter, Policy, PlanItem, StatusEntry, NextAction)


@pytest.fixture(autouse=True)
def home(settings, tmp_path):
    settings.KYOSAI_HOME = tmp_path / "home"


def changed_plan() -> dict[str, Any]:
    """SMALL_PLAN with a rating, a status and the next actions changed and one item added in the
    chapter every branch carries out."""
    plan: dict[str, Any] = copy.deepcopy(SMALL_PLAN)
    items = plan["sections"][0]["chapters"][1]["policies"][0]["items"]
    items[0].update(rating="◎", status=["全県で開催しました。【9 月確認】"], next_actions=[])
    items.append({"number": 3, "plan": "学習会を開催します。", "status": ["開催しました。"],
                  "rating": "○", "next_actions": ["続けます。"]})
    return plan


def write(tmp_path: Path, name: str, plan: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return path


def run_import(path: Path, *options: str) -> int:
    run("import_plan", str(path), *options)
    return last_import_id()


def test_reverting_the_later_import_gives_back_every_plan_after_the_first(master_data, tmp_path):
    run_import(write(tmp_path, "a.yaml", SMALL_PLAN))
    after_first = rows_of(*TABLES)
    second = write(tmp_path, "b.yaml", changed_plan())
    log_id = run_import(second)
    assert rows_of(*TABLES) != after_first
    log = ImportLog.objects.get(pk=log_id)
    branches = Plan.objects.exclude(owner__code="00").count()
    assert branches > 40
    assert (log.dataset, log.rows_added, log.rows_replaced) == ("plan", 1 + branches, 1)
    assert_file_kept(log_id, second.read_bytes())
    revert(log_id)
    assert rows_of(*TABLES) == after_first  # every field of every row, ids and timestamps included


def test_the_first_import_of_a_period_is_undone_to_no_plan(master_data, tmp_path):
    log_id = run_import(write(tmp_path, "a.yaml", SMALL_PLAN))
    revert(log_id)
    assert all(not table.objects.exists() for table in TABLES)


def test_a_dry_run_writes_nothing(master_data, tmp_path):
    run_import(write(tmp_path, "a.yaml", SMALL_PLAN))
    log_id = run_import(write(tmp_path, "b.yaml", changed_plan()))
    before = rows_of(*TABLES, ImportLog, AuditEntry)
    assert "書き込みはしていません" in revert(log_id, "--dry-run")
    assert rows_of(*TABLES, ImportLog, AuditEntry) == before


def test_refused_after_a_later_import_of_the_period(master_data, tmp_path):
    first = run_import(write(tmp_path, "a.yaml", SMALL_PLAN))
    other_period = copy.deepcopy(SMALL_PLAN) | {"period": "2024H2"}
    run_import(write(tmp_path, "h2.yaml", other_period), "--no-branch-plans")  # no obstacle
    later = run_import(write(tmp_path, "tokyo.yaml", changed_plan()), "--owner", "13",
                       "--no-branch-plans")  # a branch's plan of the same period
    assert f"後の取込（取込番号 {later}）" in refused(first)
    revert(later)
    revert(first)
    assert list(Plan.objects.values_list("period", flat=True)) == ["2024H2"]


def test_refused_after_a_branch_rated_its_item_on_the_web(master_data, tmp_path):
    log_id = run_import(write(tmp_path, "a.yaml", SMALL_PLAN))
    item = PlanItem.objects.filter(plan__owner__code="13").order_by("pk")[0]
    set_rating(item, Rating.DONE if item.rating != Rating.DONE.value else Rating.ON_TRACK,
               user=None)
    before = rows_of(*TABLES)
    assert "取込以外の方法" in refused(log_id)
    assert rows_of(*TABLES) == before


def test_an_unreadable_file_leaves_no_log_and_no_snapshot(master_data, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("period: [", encoding="utf-8")
    with pytest.raises(CommandError):
        run_import(path)
    assert not ImportLog.objects.exists()
    assert not ImportSnapshot.objects.exists()


def test_refused_when_a_later_plan_was_carried_over_from_the_items_it_would_delete(
        master_data, tmp_path):
    from kyosai.plans.services import carry_over_plan

    log_id = run_import(write(tmp_path, "a.yaml", SMALL_PLAN), "--no-branch-plans")
    carry_over_plan(Plan.objects.get(period="2024H1"))  # 2024H2's items point at 2024H1's
    before = rows_of(*TABLES)
    assert "他のデータが参照している" in refused(log_id)
    assert rows_of(*TABLES) == before
