"""Undoing an import on the web (/imports/ID/revert/): the checks of `kyosai imports revert ID
--dry-run` on GET, the revert itself on POST (as the command does it, audited with source web),
for HQ admins and staff any import and for branch staff their own branch's rows only (else 404)."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import transaction

from kyosai.accounts.models import Membership, Role
from kyosai.catalog.models import Measure, Product
from kyosai.core.models import AuditEntry
from kyosai.org.models import Branch, Union
from kyosai.results.models import ImportLog, MonthlyResult
from kyosai.results.services import import_file
from kyosai.results.tests.test_revert import HEADER, revert, state

pytestmark = pytest.mark.django_db

#: 東京's rows only: replaces 140001's value (stored first by BASE), adds a branch row.
TOKYO = HEADER + "2024-11,14,140001,general,holdings,120\n2024-11,14,,general,holdings,5\n"
BASE = HEADER + "2024-11,14,140001,general,holdings,100\n"


@pytest.fixture
def people(settings, tmp_path):
    settings.KYOSAI_HOME = tmp_path
    call_command("init", stdout=io.StringIO())
    tokyo, saitama = Branch.objects.get(code="14"), Branch.objects.get(code="13")
    union = Union.objects.create(code="140001", name="第一単組", branch=tokyo)
    Union.objects.create(code="130001", name="第三単組", branch=saitama)

    def make(name, role, **place):
        user = get_user_model().objects.create_user(name, password=None)
        Membership.objects.create(user=user, role=role, **place)
        return user

    return {
        "hq_admin": make("hq-admin", Role.HQ_ADMIN),
        "hq_staff": make("hq-staff", Role.HQ_STAFF),
        "hq_viewer": make("hq-viewer", Role.VIEWER),
        "branch_staff": make("tokyo-staff", Role.BRANCH_STAFF, branch=tokyo),
        "other_branch": make("saitama-staff", Role.BRANCH_STAFF, branch=saitama),
        "branch_viewer": make("tokyo-viewer", Role.VIEWER, branch=tokyo),
        "union_officer": make("officer", Role.UNION_OFFICER, branch=tokyo, union=union),
    }


def run(text: str, user=None, source: str = ImportLog.Source.CLI) -> ImportLog:
    outcome = import_file("results", "r.csv", text.encode(), user=user, source=source)
    assert outcome.ok, outcome.errors
    assert outcome.log is not None
    return outcome.log


def url(log: ImportLog) -> str:
    return f"/imports/{log.pk}/revert/"


def reverts() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT_REVERT))


def test_the_confirmation_page_shows_what_the_dry_run_counts_and_writes_nothing(client, people):
    run(BASE)
    log = run(TOKYO, user=people["branch_staff"], source=ImportLog.Source.WEB)
    before = state()
    client.force_login(people["hq_staff"])
    page = client.get(url(log)).content.decode()
    # the file added one row (the branch row) and replaced one (140001's)
    assert "追加した 1 行を削除し、置き換えた 1 行を元の値に戻します" in page
    assert '<button type="submit">取り消す</button>' in page
    assert "csrfmiddlewaretoken" in page
    assert state() == before
    assert not reverts()
    assert ImportLog.objects.get(pk=log.pk).reverted_at is None


def test_a_post_reverts_exactly_as_the_command_does_and_is_audited_as_the_web(client, people):
    run(BASE)
    before_import = state()
    log = run(TOKYO)
    with transaction.atomic():  # what the command leaves, then undone
        revert(log.pk)
        by_command = state()
        transaction.set_rollback(True)
    assert by_command == before_import
    assert ImportLog.objects.get(pk=log.pk).reverted_at is None
    client.force_login(people["hq_staff"])
    response = client.post(url(log))
    assert response.status_code == 302
    assert response["Location"] == "/imports/"
    assert state() == by_command
    [entry] = reverts()
    assert (entry.source, entry.user, entry.object_id) == ("web", people["hq_staff"], str(log.pk))
    detail = entry.detail
    assert detail is not None
    assert (detail["rows_deleted"], detail["rows_restored"]) == (1, 1)
    assert detail["branch_ids"] == [Branch.objects.get(code="14").pk]
    log.refresh_from_db()
    assert log.reverted_by == "hq-staff"
    assert log.reverted_at is not None
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"取込番号 {log.pk}" in message
    assert "削除 1 行、復元 1 行" in message


def test_an_import_already_reverted_shows_who_and_when_and_a_second_post_is_refused(client,
                                                                                  people):
    log = run(TOKYO, user=people["branch_staff"], source=ImportLog.Source.WEB)
    client.force_login(people["branch_staff"])
    assert client.post(url(log)).status_code == 302
    after = state()
    response = client.post(url(log))  # the form sent twice
    assert response.status_code == 302
    assert response["Location"] == "/imports/"
    *_, message = [str(m) for m in get_messages(response.wsgi_request)]  # after the first's
    assert message.startswith("取り消せませんでした: ")
    assert "取り消し済み" in message
    assert state() == after
    assert len(reverts()) == 1
    page = client.get(url(log)).content.decode()  # their own branch's rows: the audit kept them
    assert "取り消し済み" in page
    assert "tokyo-staff" in page
    assert "<form" not in page.split("<main", 1)[-1].split("取込に戻る")[0]
    listing = client.get("/imports/").content.decode()
    assert "取消済（tokyo-staff・" in listing
    assert f'href="/imports/{log.pk}/revert/"' not in listing


def test_a_refused_revert_says_why_and_writes_nothing(client, people):
    first = run(TOKYO)
    later = run(HEADER + "2024-11,14,140001,general,holdings,130\n")  # covers the same key
    client.force_login(people["hq_admin"])
    page = client.get(url(first)).content.decode()
    assert f"後の取込（取込番号 {later.pk}）" in page
    assert "何も変更していません" in page
    assert '<button type="submit">取り消す</button>' not in page
    before = state()
    response = client.post(url(first))
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("取り消せませんでした: ")
    assert "先に後の取込を取り消してください" in message
    assert state() == before
    assert ImportLog.objects.get(pk=first.pk).reverted_at is None
    assert not reverts()


def test_the_demo_data_and_a_missing_import(client, people):
    demo = ImportLog.objects.create(dataset="results", file_name="demo", sha256="0" * 64,
                                    source=ImportLog.Source.DEMO)
    client.force_login(people["hq_admin"])
    assert "デモデータの読み込みのため取り消せません" in client.get(url(demo)).content.decode()
    assert f'href="{url(demo)}"' not in client.get("/imports/").content.decode()
    assert client.get("/imports/999/revert/").status_code == 404
    assert client.post("/imports/999/revert/").status_code == 404


@pytest.mark.parametrize("role", ["hq_viewer", "branch_viewer", "union_officer", "other_branch"])
def test_everyone_else_gets_404_and_nothing_changes(client, people, role):
    log = run(TOKYO, user=people["branch_staff"], source=ImportLog.Source.WEB)
    before = state()
    client.force_login(people[role])
    assert client.get(url(log)).status_code == 404
    assert client.post(url(log)).status_code == 404
    assert state() == before
    assert not reverts()


def test_anonymous_users_are_sent_to_the_login(client, people):
    log = run(TOKYO)
    response = client.post(url(log))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not reverts()


def test_the_list_offers_to_undo_what_the_viewer_may(client, people):
    own = run(TOKYO, user=people["branch_staff"], source=ImportLog.Source.WEB)
    client.force_login(people["branch_staff"])
    assert f'href="{url(own)}">取り消す</a>' in client.get("/imports/").content.decode()
    client.force_login(people["hq_staff"])
    assert f'href="{url(own)}">取り消す</a>' in client.get("/imports/").content.decode()


def test_branch_staff_may_not_undo_an_import_that_touched_another_branch(client, people):
    """A file of 東京's rows whose union's row was stored under 埼玉 (the union moved since):
    the revert would put a row back under 埼玉, so it is HQ's, even if they imported it."""
    saitama = Branch.objects.get(code="13")
    MonthlyResult.objects.create(
        month=date(2024, 11, 1), branch=saitama, union=Union.objects.get(code="140001"),
        product=Product.objects.get(code="general"), measure=Measure.objects.get(code="holdings"),
        value=90)
    log = run(HEADER + "2024-11,14,140001,general,holdings,120\n", user=people["branch_staff"],
              source=ImportLog.Source.WEB)
    assert MonthlyResult.objects.get().branch_id == Branch.objects.get(code="14").pk  # moved
    client.force_login(people["branch_staff"])
    assert f'href="{url(log)}"' not in client.get("/imports/").content.decode()
    assert client.get(url(log)).status_code == 404
    assert client.post(url(log)).status_code == 404
    assert ImportLog.objects.get(pk=log.pk).reverted_at is None
    client.force_login(people["hq_admin"])
    assert client.post(url(log)).status_code == 302
    assert MonthlyResult.objects.get().branch_id == saitama.pk  # back under 埼玉


def test_branch_staff_may_not_undo_a_national_row(client, people):
    log = run(HEADER + "2024-11,,,vehicle_damage,付帯率,58.92\n")
    client.force_login(people["branch_staff"])
    assert client.get(url(log)).status_code == 404
    client.force_login(people["hq_staff"])
    assert client.get(url(log)).status_code == 200


def test_branch_staff_see_why_their_import_is_refused(client, people):
    """Some of its rows rewritten by a later import (its rows are then told apart by reading the
    whole table): still 東京's alone, so they see the refusal, not a 404."""
    first = run(TOKYO, user=people["branch_staff"], source=ImportLog.Source.WEB)
    later = run(HEADER + "2024-11,14,140001,general,holdings,130\n")
    client.force_login(people["branch_staff"])
    page = client.get(url(first)).content.decode()
    assert f"後の取込（取込番号 {later.pk}）" in page
    assert f'href="{url(first)}">取り消す</a>' in client.get("/imports/").content.decode()
    before = state()
    assert client.post(url(first)).status_code == 302
    assert state() == before
