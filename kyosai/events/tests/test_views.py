"""The events pages: who reads, who writes, search, and the forms with inline rows."""

from collections.abc import Mapping

import pytest
from django.urls import reverse

from kyosai.core.models import AuditEntry
from kyosai.events.models import Event

pytestmark = pytest.mark.django_db

READERS = ["hq_admin", "hq_staff", "hq_viewer", "branch_staff", "branch_viewer", "union_officer"]
EDITORS = ["hq_admin", "hq_staff"]
NOT_EDITORS = ["hq_viewer", "branch_staff", "branch_viewer", "union_officer", "no_membership"]


def _form_data(**overrides) -> dict[str, str]:
    data = {
        "event-kind": "hq_committee", "event-title": "第6回本部共済推進委員会",
        "event-report_period": "", "event-minutes": "",
        "dates-TOTAL_FORMS": "1", "dates-INITIAL_FORMS": "0",
        "dates-0-day": "2025-02-17", "dates-0-label": "",
        "venues-TOTAL_FORMS": "2", "venues-INITIAL_FORMS": "0",
        "venues-0-name": "主会場（東京）", "venues-0-attendance": "40",
        "venues-1-name": "各県拠点", "venues-1-attendance": "12",
        "agenda-TOTAL_FORMS": "3", "agenda-INITIAL_FORMS": "0",
        "agenda-0-text": "第5回本部共済推進委員会 議事要録",
        "agenda-1-text": "分科会", "agenda-2-text": "分科会Ⅰ", "agenda-2-is_sub": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", READERS)
def test_every_member_reads_the_list_and_the_detail(client, personas, imported, role):
    client.force_login(personas[role])
    response = client.get(reverse("events:list"), {"period": "2024H1"})
    assert response.status_code == 200
    assert response.context["count"] == 20
    rally = Event.objects.get(kind="national_rally")
    detail = client.get(reverse("events:detail", args=[rally.pk]))
    assert detail.status_code == 200
    assert "647人" in detail.content.decode()


def test_an_anonymous_visitor_is_sent_to_login(client, imported):
    response = client.get(reverse("events:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_user_outside_the_organisation_gets_404(client, personas, imported):
    client.force_login(personas["no_membership"])
    assert client.get(reverse("events:list")).status_code == 404
    event = Event.objects.first()
    assert event is not None
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404


@pytest.mark.parametrize("role", NOT_EDITORS)
def test_only_hq_staff_may_create_or_edit(client, personas, imported, role):
    client.force_login(personas[role])
    event = Event.objects.first()
    assert event is not None
    assert client.get(reverse("events:create")).status_code == 404
    assert client.post(reverse("events:create"), _form_data()).status_code == 404
    assert client.get(reverse("events:edit", args=[event.pk])).status_code == 404
    assert client.post(reverse("events:edit", args=[event.pk]), _form_data()).status_code == 404
    assert Event.objects.count() == 20
    assert not Event.objects.filter(title="第6回本部共済推進委員会").exists()


@pytest.mark.parametrize("role", NOT_EDITORS[:-1])
def test_the_pages_offer_no_edit_link_to_readers(client, personas, imported, role):
    client.force_login(personas[role])
    event = Event.objects.first()
    assert event is not None
    assert "編集する" not in client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "登録する" not in client.get(reverse("events:list")).content.decode()


def test_the_change_history_is_shown_to_hq_only(client, personas, imported):
    event = Event.objects.first()
    assert event is not None
    client.force_login(personas["hq_viewer"])
    assert "変更履歴" in client.get(reverse("events:detail", args=[event.pk])).content.decode()
    client.force_login(personas["branch_staff"])
    assert "変更履歴" not in client.get(reverse("events:detail", args=[event.pk])).content.decode()


def test_an_unknown_event_is_404(client, personas, imported):
    client.force_login(personas["hq_admin"])
    assert client.get(reverse("events:detail", args=[99999])).status_code == 404
    assert client.get(reverse("events:edit", args=[99999])).status_code == 404


@pytest.mark.parametrize("role", EDITORS)
def test_hq_staff_create_an_event_with_inline_rows_and_an_audit_entry(client, personas, db, role):
    user = personas[role]
    client.force_login(user)
    response = client.post(reverse("events:create"), _form_data())
    event = Event.objects.get(title="第6回本部共済推進委員会")
    assert response.status_code == 302
    assert response["Location"] == reverse("events:detail", args=[event.pk])
    assert (event.held_period, event.report_period, str(event.starts_on)) == ("2024H2", "2024H2", "2025-02-17")
    assert event.attendance() == 52
    assert [(label, item.text) for label, item in event.labelled_agenda()] == [
        ("ア", "第5回本部共済推進委員会 議事要録"), ("イ", "分科会"), ("a", "分科会Ⅰ"),
    ]
    entry = AuditEntry.objects.get(object_type="events.event", object_id=str(event.pk))
    assert (entry.action, entry.user, entry.source, entry.before) == ("create", user, "web", None)
    assert entry.after is not None
    assert entry.after["venues"] == [["主会場（東京）", 40], ["各県拠点", 12]]


def _resubmit(page, changes: Mapping[str, str | None]) -> dict[str, str]:
    """What the browser posts back from an edit page: every bound value, then `changes`."""
    data: dict[str, str | None] = {}
    forms = [page.context["form"]]
    for name in ("dates", "venues", "agenda"):
        formset = page.context[name]
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for bound in form:
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            else:
                data[bound.html_name] = "" if value is None else str(value)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_editing_records_what_changed(client, personas, imported):
    user = personas["hq_staff"]
    client.force_login(user)
    event = Event.objects.get(kind="labour_school")
    page = client.get(reverse("events:edit", args=[event.pk]))
    assert page.status_code == 200
    assert page.context["agenda"].initial[0]["text"] == "県本部、単組役（職）員が解決すべき課題とは？"
    changes = {"event-minutes": "講演を行った。", "dates-2-DELETE": "on", "dates-3-DELETE": "on",
               "venues-0-name": "主会場", "venues-0-attendance": "120"}
    changes.update({f"agenda-{n}-DELETE": "on" for n in range(10) if n != 5})
    response = client.post(reverse("events:edit", args=[event.pk]), _resubmit(page, changes))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.date_text() == "2024年7月17日・18日"
    assert event.attendance() == 120
    entry = AuditEntry.objects.filter(object_id=str(event.pk), action="update").get()
    assert entry.before is not None
    assert entry.after is not None
    assert entry.user == user
    assert len(entry.before["agenda"]) == 10
    assert entry.after["agenda"] == [[0, "自治労共済の推進と自治労運動"]]
    assert entry.before["minutes"] != entry.after["minutes"]
    assert entry.after["minutes"] == "講演を行った。"
    assert entry.after["dates"] == [["2024-07-17", ""], ["2024-07-18", ""]]
    assert event.import_key == "2024h1-labour-school-01"


def test_saving_an_unchanged_form_keeps_the_event_as_it_was(client, personas, imported):
    client.force_login(personas["hq_admin"])
    rally = Event.objects.get(kind="national_rally")
    before = rally.to_draft()
    page = client.get(reverse("events:edit", args=[rally.pk]))
    response = client.post(reverse("events:edit", args=[rally.pk]), _resubmit(page, {}))
    assert response.status_code == 302
    assert Event.objects.get(pk=rally.pk).to_draft() == before


def test_deleted_rows_are_dropped(client, personas, imported):
    client.force_login(personas["hq_admin"])
    response = client.post(reverse("events:create"), _form_data(**{"venues-1-DELETE": "on"}))
    assert response.status_code == 302
    event = Event.objects.get(title="第6回本部共済推進委員会")
    assert [venue.name for venue in event.venues.all()] == ["主会場（東京）"]


@pytest.mark.parametrize(("overrides", "message"), [
    ({"dates-0-day": "", "dates-0-label": ""}, "開催日を1日以上"),
    ({"agenda-0-is_sub": "on"}, "前に議題がありません"),
    ({"event-report_period": "2025H1"}, "開催は2024年度下半期"),
    ({"event-report_period": "24上"}, "2024H1 のように"),
    ({"venues-0-attendance": "-3"}, "0"),
])
def test_a_bad_form_is_shown_again_and_nothing_is_saved(client, personas, db, overrides, message):
    client.force_login(personas["hq_admin"])
    response = client.post(reverse("events:create"), _form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()
    assert not AuditEntry.objects.filter(object_type="events.event").exists()


def test_the_list_searches_title_agenda_minutes_and_venues(client, personas, imported):
    client.force_login(personas["union_officer"])

    def titles(query: str) -> list[str]:
        response = client.get(reverse("events:list"), {"period": "2024H1", "q": query})
        return [e.title for s in response.context["sections"] for k in s.kinds for e in k.events]

    rally_related = titles("全国共済集会")  # the rally itself and the meetings that discussed it
    assert "第10回じちろう全国共済集会" in rally_related
    assert "2024年度第10回本部共済推進委員会" in rally_related  # agenda エ．
    assert "第55期中央労働学校" not in rally_related
    assert "第10回じちろう全国共済集会" in titles("主会場")
    assert titles("LGBTQ") == ["第55期中央労働学校"]
    assert titles("ｌｇｂｔｑ") == ["第55期中央労働学校"]
    assert titles("九州地連") == ["2024年6月共済推進県本部・県支部合同会議（ブロック別・地連別）"]
    assert titles("後日視聴") == ["新任担当者研修会"]
    assert titles("第1回 代表者会議") == [  # 第2回's agenda イ．is the 代表者会議's 議事要録
        "2025年度第１回本部共済推進委員会", "第2回本部共済推進委員会",
        "2025年度第1回共済推進県本部代表者会議",
    ]
    assert titles("存在しない議題") == []


def test_the_list_defaults_to_the_latest_period_and_can_show_all(client, personas, imported, db):
    client.force_login(personas["hq_admin"])
    client.post(reverse("events:create"), _form_data())
    latest = client.get(reverse("events:list"))
    assert str(latest.context["period"]) == "2024H2"
    assert latest.context["count"] == 1
    everything = client.get(reverse("events:list"), {"period": "all"})
    assert everything.context["period"] is None
    assert everything.context["count"] == 21
