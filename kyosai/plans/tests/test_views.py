"""The plan pages at work: forms, filters, the matrix, carry-over and the Excel export."""

import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from kyosai.core.models import AuditEntry
from kyosai.domain.evaluation import Rating
from kyosai.plans import services
from kyosai.plans.export import COLUMNS
from kyosai.plans.models import Plan, PlanItem

pytestmark = pytest.mark.django_db


def item_of(owner: str, code: str = "Ⅳ-2-1-(1)") -> PlanItem:
    return PlanItem.objects.get(plan__period="2024H1", plan__owner__name=owner, code=code)


@pytest.fixture
def tokyo_client(client, personas):
    client.force_login(personas["tokyo_staff"])
    return client


@pytest.fixture
def hq_client(client, personas):
    client.force_login(personas["hq_staff"])
    return client


def test_a_confirmation_mark_typed_in_the_text_becomes_the_confirmed_month(tokyo_client,
                                                                            small_plan):
    item = item_of("東京")
    response = tokyo_client.post(reverse("plans:status_add", args=[item.pk]),
                                 {"text": "学習会を開催した。【1 月確認】", "confirmed_month": ""})
    assert response.status_code == 302
    entry = item.statuses.get()
    assert entry.author is not None
    assert (entry.text, str(entry.confirmed), entry.author.username) == (
        "学習会を開催した。", "2025-01", "tokyo_staff")


def test_a_bad_month_or_an_empty_text_is_refused_and_nothing_is_saved(tokyo_client, small_plan):
    item = item_of("東京")
    url = reverse("plans:status_add", args=[item.pk])
    response = tokyo_client.post(url, {"text": "開催した。", "confirmed_month": "2024/11"})
    assert response.status_code == 400
    assert "年月は YYYY-MM 形式で指定してください" in response.content.decode()
    assert tokyo_client.post(url, {"text": "  ", "confirmed_month": ""}).status_code == 400
    assert not item.statuses.exists()


def test_a_rating_outside_the_legend_is_refused(tokyo_client, small_plan):
    item = item_of("東京")
    response = tokyo_client.post(reverse("plans:rating", args=[item.pk]), {"rating": "A"})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.rating == ""


def test_the_item_page_shows_the_status_history_with_who_changed_what(tokyo_client, small_plan):
    item = item_of("東京")
    tokyo_client.post(reverse("plans:rating", args=[item.pk]), {"rating": "△"})
    tokyo_client.post(reverse("plans:next_actions", args=[item.pk]),
                      {"text": "単組訪問を増やします。\n学習会を開きます。"})
    page = tokyo_client.get(reverse("plans:item", args=[item.pk])).content.decode()
    assert "変更履歴" in page
    assert "△ 十分に実行できているとはいえない" in page
    assert "ｂ 学習会を開きます。" in page
    assert page.count("tokyo_staff") >= 2


@time_machine.travel("2024-08-20 10:00 +0900", tick=False)
def test_the_plan_page_filters_triangles_and_items_not_confirmed_this_month(hq_client,
                                                                            small_plan):
    def shown(**filters: str) -> list[str]:
        page = hq_client.get(reverse("plans:plan", args=[small_plan.pk]), filters).content
        return [code for code in ("Ⅳ-1-1-(1)", "Ⅳ-2-1-(1)", "Ⅳ-2-1-(2)")
                if f'id="item-{item_of("本部", code).pk}"' in page.decode()]

    assert shown() == ["Ⅳ-1-1-(1)", "Ⅳ-2-1-(1)", "Ⅳ-2-1-(2)"]
    assert shown(attention="1") == ["Ⅳ-2-1-(2)"]
    assert shown(unconfirmed="1") == ["Ⅳ-2-1-(1)", "Ⅳ-2-1-(2)"]  # Ⅳ-1-1-(1) has 【8月確認】
    assert shown(unconfirmed="1", month="2024-09") == ["Ⅳ-1-1-(1)", "Ⅳ-2-1-(1)", "Ⅳ-2-1-(2)"]


def test_hq_sees_the_matrix_with_the_branches_that_rated_triangle_or_cross(hq_client,
                                                                           small_plan):
    services.set_rating(item_of("東京", "Ⅳ-2-1-(2)"), Rating.NO_PROGRESS, user=None)
    page = hq_client.get(reverse("plans:matrix", args=["2024H1"])).content.decode()
    assert "Ⅳ-2-1-(2)" in page
    assert "<td>東京</td>" in page
    assert hq_client.get(reverse("plans:matrix", args=["2024"])).status_code == 404


def test_a_branch_carries_its_own_plan_over_to_the_next_period(tokyo_client, small_plan):
    plan = Plan.objects.get(period="2024H1", owner__name="東京")
    response = tokyo_client.post(reverse("plans:carry_over", args=[plan.pk]), {})
    new = Plan.objects.get(period="2024H2", owner__name="東京")
    assert response["Location"] == reverse("plans:plan", args=[new.pk])
    assert new.items.count() == plan.items.count()
    again = tokyo_client.post(reverse("plans:carry_over", args=[plan.pk]), {})
    assert again.status_code == 302
    assert Plan.objects.filter(period="2024H2", owner__name="東京").count() == 1


def test_the_excel_export_has_the_reports_four_columns_on_a4(hq_client, small_plan):
    response = hq_client.get(reverse("plans:export", args=[small_plan.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["実行計画"]
    rows = [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]
    assert tuple(COLUMNS) in rows
    assert ("(1) 本部委員会を開催します。", "① 開催しました。 【8月確認】", "◎",
            "ａ 引き続き開催します。") in rows
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.cell(row=rows.index(tuple(COLUMNS)) + 2, column=2).alignment.wrap_text
    tally = list(workbook["評価集計"].iter_rows(values_only=True))
    assert tally[-1] == ("合計", None, 1, 1, 1, 0, 0, 3)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert (entry.object_type, entry.object_id) == ("plans.plan", str(small_plan.pk))
    assert entry.user_id == int(hq_client.session["_auth_user_id"])
    assert entry.detail is not None
    assert entry.detail["rows"] == small_plan.items.count()
    assert entry.detail["format"] == "xlsx"


def test_only_hq_gets_the_branches_sheet_in_hqs_export(client, personas, small_plan):
    services.set_rating(item_of("東京"), Rating.NOT_ENOUGH, user=None)
    url = reverse("plans:export", args=[small_plan.pk])
    client.force_login(personas["hq_viewer"])
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
    rows = list(workbook["県支部別評価"].iter_rows(values_only=True))
    assert rows[0][:3] == ("県支部", "Ⅳ-2-1-(1)", "Ⅳ-2-1-(2)")
    assert rows[2][:3] == ("東京", "△", None)
    assert rows[-1][:2] == ("△・×の県支部", "東京")
    client.force_login(personas["tokyo_staff"])
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
    assert workbook.sheetnames == ["実行計画", "評価集計"]
