"""`kyosai import plan FILE` and `kyosai plan summary`: counts, tally, idempotency, bad files."""

import io

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.core.models import AuditEntry
from kyosai.plans.models import Chapter, NextAction, Plan, PlanItem, Policy, Section, StatusEntry
from kyosai.plans.tests.conftest import run

pytestmark = pytest.mark.django_db

def failing(*args: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 2
    return f"{err.getvalue()}\n{raised.value}"


def hq_items():
    return PlanItem.objects.filter(plan__owner__code="00")


def test_it_imports_3_sections_12_chapters_30_policies_and_100_items(master_data, seed_plan):
    output = run("import_plan", str(seed_plan), "--no-branch-plans")
    assert "実行計画 100 件（新規 100、更新 0、変更なし 0）" in output
    plan = Plan.objects.get(period="2024H1", owner__code="00")
    assert plan.fiscal_year == 2024
    assert Section.objects.filter(plan=plan).count() == 3
    assert Chapter.objects.filter(section__plan=plan).count() == 12
    assert Policy.objects.filter(chapter__section__plan=plan).count() == 30
    assert hq_items().count() == 100


def test_it_keeps_every_status_and_next_action_of_the_file(master_data, seed_plan):
    data = yaml.safe_load(seed_plan.read_text("utf-8"))
    items = [i for s in data["sections"] for c in s["chapters"] for p in c["policies"]
             for i in p["items"]]
    run("import_plan", str(seed_plan), "--no-branch-plans")
    assert StatusEntry.objects.count() == sum(len(i["status"]) for i in items)
    assert NextAction.objects.count() == sum(len(i["next_actions"]) for i in items)
    fifth = PlanItem.objects.get(plan__owner__code="00", code="Ⅳ-1-1-(5)")
    assert fifth.rating == "△"
    assert [a.text for a in fifth.next_actions.all()] == items[4]["next_actions"]
    first_status = fifth.statuses.first()
    assert first_status is not None
    assert first_status.entered_on.isoformat() == "2024-11-30"


def test_the_summary_prints_the_tally_per_chapter_and_the_total_as_csv(master_data, seed_plan):
    run("import_plan", str(seed_plan), "--no-branch-plans")
    lines = run("plan_summary", "--period", "2024H1", "--format", "csv").splitlines()
    assert lines[0] == "chapter,◎,○,△,×,－,total"
    assert len(lines) == 1 + 12 + 1
    assert lines[1].startswith("Ⅳ-1,")
    assert lines[-1] == "合計,21,64,13,0,2,100"
    rows = [line.split(",") for line in lines[1:-1]]
    for column in range(1, 7):
        assert sum(int(row[column]) for row in rows) == int(lines[-1].split(",")[column])


def test_the_summary_table_names_the_chapters(master_data, seed_plan):
    run("import_plan", str(seed_plan), "--no-branch-plans")
    output = run("plan_summary", "--period", "2024H1", "--owner", "hq")
    assert "自治労県本部と県支部の共同推進の取り組み" in output
    assert output.splitlines()[-1].split() == ["合計", "21", "64", "13", "0", "2", "100"]


def test_importing_the_same_file_twice_changes_nothing_and_writes_no_history(
    master_data, seed_plan
):
    run("import_plan", str(seed_plan))
    history = AuditEntry.objects.exclude(action=AuditEntry.Action.IMPORT)  # each import is logged
    counts = (PlanItem.objects.count(), StatusEntry.objects.count(), NextAction.objects.count(),
              history.count())
    output = run("import_plan", str(seed_plan))
    assert "（新規 0、更新 0、変更なし 100）" in output
    assert "県支部別の実行計画: 新規 0 件" in output
    assert (PlanItem.objects.count(), StatusEntry.objects.count(), NextAction.objects.count(),
            history.count()) == counts
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == 2


def test_a_changed_rating_in_the_file_updates_the_item_and_its_history(
    master_data, seed_plan, tmp_path
):
    run("import_plan", str(seed_plan), "--no-branch-plans")
    text = seed_plan.read_text("utf-8").replace('rating: "△"', 'rating: "×"', 1)
    changed = tmp_path / "plan.yaml"
    changed.write_text(text, "utf-8")
    assert "更新 1、変更なし 99" in run("import_plan", str(changed), "--no-branch-plans")
    item = PlanItem.objects.get(plan__owner__code="00", code="Ⅳ-1-1-(5)")
    assert item.rating == "×"
    entry = AuditEntry.objects.filter(object_id=str(item.pk), action="update").get()
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["rating"], entry.after["rating"], entry.source) == ("△", "×", "cli")


def test_the_import_creates_branch_plans_for_every_branch(master_data, seed_plan):
    output = run("import_plan", str(seed_plan))
    branch_plans = Plan.objects.filter(period="2024H1", owner__kind="branch")
    assert branch_plans.count() == 48
    assert "県支部別の実行計画: 新規 960 件" in output  # 48 × (Ⅳ-2: 13 + Ⅳ-3: 7)
    tokyo = branch_plans.get(owner__name="東京")
    assert sorted({i.code.rsplit("-", 2)[0] for i in tokyo.items.all()}) == ["Ⅳ-2", "Ⅳ-3"]
    assert not tokyo.items.exclude(rating="").exists()


def test_a_plan_can_be_imported_for_a_branch(master_data, seed_plan):
    run("import_plan", str(seed_plan), "--owner", "14")
    assert Plan.objects.get(owner__name="東京").items.count() == 100


def test_a_bad_file_is_refused_with_its_places_and_nothing_is_written(master_data, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "period: 2024H1\nsections:\n  - number: Ⅳ\n    title: 体制\n    chapters:\n"
        "      - number: 1\n        title: 共同\n        policies:\n"
        "          - number: 1\n            text: 方針\n            items:\n"
        "              - {number: 1, plan: 計画, rating: 良}\n"
        "              - {number: 2, rating: ○}\n", "utf-8")
    message = failing("import_plan", str(bad))
    assert f"{bad} Ⅳ-1-1-(1)「rating」: 評価は ◎ ○ △ × － のいずれかです: '良'" in message
    assert f"{bad} Ⅳ-1-1-(2)「plan」: 文字列で記入してください" in message
    assert "2 件のエラーがあります" in message
    assert not Plan.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_file_that_is_not_yaml_names_its_line(master_data, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("period: 2024H1\nsections: [\n", "utf-8")
    assert "YAML として読めません" in failing("import_plan", str(bad))


def test_a_missing_file_and_an_unknown_owner_are_refused(master_data, seed_plan, tmp_path):
    assert "ファイルが見つかりません" in failing("import_plan", str(tmp_path / "none.yaml"))
    assert "県支部が見つかりません" in failing("import_plan", str(seed_plan), "--owner", "99")


def test_the_summary_refuses_a_bad_period_and_a_missing_plan(master_data):
    assert "2024H1 のように" in failing("plan_summary", "--period", "2024")
    assert "計画がありません" in failing("plan_summary", "--period", "2030H1")
