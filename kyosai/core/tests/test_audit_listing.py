"""`kyosai audit` and the /audit/ page: the same filters; only HQ administrators read the trail."""

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from kyosai.accounts.audit_views import PER_PAGE
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")
ROLES = ["hq", "hq-staff", "viewer", "branch-14", "branch-01", "union-14001", None]


def at(when: datetime, action: str, user=None, **fields) -> AuditEntry:
    with time_machine.travel(when, tick=False):
        return record_event(action, user=user, object_type=fields.pop("object_type", "web.table"),
                            **fields)


@pytest.fixture
def trail(federation):
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["hq", "branch-14"])}
    return [
        at(datetime(2024, 11, 30, 23, 59, 59, tzinfo=TOKYO), "export", users["branch-14"],
           object_id="before-day"),
        at(datetime(2024, 12, 1, 0, 0, 0, tzinfo=TOKYO), "export", users["branch-14"],
           object_id="first-second"),
        at(datetime(2024, 12, 1, 12, 0, tzinfo=TOKYO), "download", users["hq"],
           object_id="template"),
        at(datetime(2024, 12, 2, 9, 0, tzinfo=TOKYO), "login_failed", None,
           object_type="auth.user", object_repr="branch-14",
           detail={"username": "branch-14", "locked": False}),
    ]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


# --- the command ---------------------------------------------------------------------------------

def test_since_starts_at_local_midnight_of_that_day(trail):
    rows = json.loads(run("--since", "2024-12-01", "--until", "2024-12-31", "--format", "json"))
    assert [r["object_id"] for r in rows] == ["", "template", "first-second"]


def test_until_includes_the_whole_last_day(trail):
    rows = json.loads(run("--until", "2024-11-30", "--format", "json"))
    assert [r["object_id"] for r in rows] == ["before-day"]


def test_user_matches_the_user_and_the_login_id_of_failed_logins(trail):
    rows = json.loads(run("--user", "branch-14", "--since", "2024-11-01", "--format", "json"))
    assert [r["action"] for r in rows] == ["login_failed", "export", "export"]


def test_user_also_finds_what_an_operating_system_user_ran_on_the_command_line(trail):
    record_event("export", object_type="results.results", object_id="cli-export",
                 source=AuditEntry.Source.CLI, detail={"os_user": "operator1"})
    rows = json.loads(run("--user", "operator1", "--format", "json"))
    assert [(r["object_id"], r["source"]) for r in rows] == [("cli-export", "cli")]
    assert json.loads(run("--user", "operator2", "--format", "json")) == []


def test_action_filters_and_csv_has_the_before_and_after_columns(trail):
    text = run("--action", "download", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["利用者"], r["操作"], r["対象ID"]) for r in rows] == [("hq", "download", "template")]
    assert {"変更前", "変更後"} <= set(rows[0])


def test_the_table_is_in_japanese_and_says_when_nothing_matches(trail):
    text = run("--action", "download")
    assert "ダウンロード" in text
    assert "2024-12-01 12:00:00" in text
    assert run("--action", "purge").strip() == "該当する監査ログはありません。"


@pytest.mark.parametrize(("args", "message"), [
    (["--action", "erase"], "操作 'erase' はありません"),
    (["--since", "2024-13-01"], "開始日 は YYYY-MM-DD"),
    (["--since", "2024-12-02", "--until", "2024-12-01"], "終了日が開始日より前"),
    (["--limit", "0"], "--limit"),
])
def test_bad_filters_exit_2_with_a_japanese_message(trail, args, message):
    with pytest.raises(CommandError, match=message) as error:
        run(*args)
    assert error.value.returncode == 2


# --- the page ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_only_the_hq_administrator_sees_the_page_get_and_post(federation, client, role):
    client.logout()
    if role is not None:
        client.force_login(get_user_model().objects.get(username=role))
    get, post = client.get("/audit/"), client.post("/audit/", {"action": "export"})
    if role == "hq":
        assert (get.status_code, post.status_code) == (200, 405)
        assert "監査ログ" in get.content.decode()
    else:
        assert (get.status_code, post.status_code) == (404, 404)
        assert "監査ログ" not in get.content.decode()


def test_the_page_filters_like_the_command(trail, login):
    page = login("hq").get("/audit/", {"since": "2024-12-01", "until": "2024-12-01",
                                       "user": "branch-14"}).content.decode()
    assert "first-second" in page
    assert "before-day" not in page
    assert "template" not in page
    assert "2024年12月1日 00:00:00" in page


def test_the_page_is_paginated_and_keeps_the_filters(federation, login):
    client = login("hq")
    for i in range(PER_PAGE + 1):
        record_event("export", object_type="web.table", object_id=f"n{i}")
    first = client.get("/audit/", {"action": "export"}).content.decode()
    assert f"{PER_PAGE + 1} 件" in first
    assert "action=export&amp;page=2" in first
    second = client.get("/audit/", {"action": "export", "page": "2"}).content.decode()
    assert "#n0</td>" in second
    assert "#n0</td>" not in first
    assert "#n100</td>" in first


def test_a_bad_filter_on_the_page_is_a_400_in_japanese(federation, login):
    response = login("hq").get("/audit/", {"since": "2024-99-99"})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()
