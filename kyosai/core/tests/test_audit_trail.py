"""The audit trail is append-only, records admin edits with before and after, and every export
and download."""

import io
import json
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from kyosai.core.admin import AuditedAdmin
from kyosai.core.audit import record_event
from kyosai.core.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db
User = get_user_model()


def _data(value: object) -> dict[str, Any]:
    """An entry's before/after/detail (a JSON object, or None where none was kept)."""
    assert isinstance(value, dict)
    return value


@pytest.fixture
def entry():
    return record_event(AuditEntry.Action.EXPORT, object_type="web.table", object_id="t",
                        detail={"rows": 3})


@pytest.fixture
def root(client):
    user = User.objects.create_superuser("root", "root@example.org", "a-long-Passphrase-9")
    client.force_login(user)
    return user


# --- append-only ---------------------------------------------------------------------------------

def test_an_entry_cannot_be_saved_again_or_deleted(entry):
    entry.action = AuditEntry.Action.VIEW
    with pytest.raises(AppendOnlyError, match="追記のみ"):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditEntry.Action.EXPORT


def test_querysets_refuse_update_and_delete(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="view")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert AuditEntry.objects.filter(pk=entry.pk, action="export").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize("sql", ["UPDATE core_auditentry SET action = 'view'",
                                 "DELETE FROM core_auditentry"])
def test_on_postgresql_a_trigger_refuses_sql_update_and_delete(entry, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEntry.objects.filter(pk=entry.pk, action="export").exists()


def test_a_user_with_entries_cannot_be_deleted():
    user = User.objects.create_user("someone", password="a-long-Passphrase-9")
    record_event(AuditEntry.Action.EXPORT, user=user, object_type="web.table")
    with pytest.raises(ProtectedError):
        user.delete()
    assert AuditEntry.objects.filter(user=user).count() == 1


def test_the_admin_shows_entries_but_cannot_add_change_or_delete_them(client, root, entry):
    base = "/admin/core/auditentry/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}{entry.pk}/change/").status_code == 200  # read-only view
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{entry.pk}/change/", {"action": "view"}).status_code == 403
    assert client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(base, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert AuditEntry.objects.filter(pk=entry.pk, action="export").exists()


# --- admin edits ---------------------------------------------------------------------------------

def test_every_model_in_the_admin_is_audited():
    for model, model_admin in admin.site._registry.items():
        if model is not AuditEntry:
            assert isinstance(model_admin, AuditedAdmin), model


def test_admin_additions_changes_and_deletions_are_audited_with_before_and_after(client, root):
    client.post("/admin/auth/group/add/", {"name": "監査係"})
    group = Group.objects.get(name="監査係")
    client.post(f"/admin/auth/group/{group.pk}/change/", {"name": "監査担当"})
    client.post(f"/admin/auth/group/{group.pk}/delete/", {"post": "yes"})
    assert not Group.objects.exists()
    entries = list(AuditEntry.objects.filter(object_type="auth.group").order_by("id"))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert all(e.user == root and e.object_id == str(group.pk) for e in entries)
    created, changed, deleted = entries
    assert (created.before, _data(created.after)["name"]) == (None, "監査係")
    assert (_data(changed.before)["name"], _data(changed.after)["name"]) == ("監査係", "監査担当")
    assert (_data(deleted.before)["name"], deleted.after) == ("監査担当", None)


def test_a_bulk_delete_in_the_admin_is_audited_row_by_row(client, root):
    groups = [Group.objects.create(name=name) for name in ("a", "b")]
    client.post("/admin/auth/group/", {"action": "delete_selected", "post": "yes",
                                        "_selected_action": [g.pk for g in groups]})
    assert not Group.objects.exists()
    deleted = AuditEntry.objects.filter(object_type="auth.group", action="delete")
    assert sorted(_data(e.before)["name"] for e in deleted) == ["a", "b"]


def test_a_password_change_in_the_admin_is_audited_without_the_password(client, root):
    user = User.objects.create_user("clerk", password="old-Passphrase-77")
    old_hash = user.password
    response = client.post(f"/admin/auth/user/{user.pk}/password/", {
        "password1": "new-Passphrase-88", "password2": "new-Passphrase-88",
        "usable_password": "true"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-Passphrase-88")
    entry = AuditEntry.objects.get(object_type="auth.user", object_id=str(user.pk),
                                   action="update")
    assert entry.user == root
    assert _data(entry.before)["username"] == _data(entry.after)["username"] == "clerk"
    text = json.dumps([entry.before, entry.after])
    for secret in ("password", old_hash, user.password, "new-Passphrase-88"):
        assert secret not in text


# --- exports and downloads ---------------------------------------------------------------------------

def test_a_web_table_export_says_who_what_scope_and_rows(federation, login):
    client = login("branch-14")
    response = client.get("/branches/14/", {"export": "csv", "as_of": "2024-11"})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.user is not None
    assert entry.user.username == "branch-14"
    assert entry.object_type == "web.table"
    lines = response.content.decode("utf-8-sig").splitlines()
    header = next(i for i, line in enumerate(lines) if i > 0 and line and not lines[i - 1])
    assert _data(entry.detail)["rows"] == len(lines) - header - 1
    assert _data(entry.detail)["page"] == "/branches/14/"
    assert _data(entry.detail)["format"] == "csv"
    assert _data(entry.detail)["as_of"] == "2024-11"
    assert _data(entry.detail)["table"] == entry.object_id


def test_a_refused_export_leaves_no_export_entry(federation, login):
    assert login("branch-01").get("/branches/14/", {"export": "csv"}).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_an_import_template_download_is_audited(federation, login):
    response = login("hq").get("/imports/templates/results.xlsx")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DOWNLOAD)
    assert entry.user is not None
    assert (entry.user.username, entry.object_id) == ("hq", "results")
    assert _data(entry.detail)["format"] == "xlsx"


def test_the_export_command_is_audited_with_the_rows_it_wrote(federation):
    out = io.StringIO()
    call_command("export_results", "--month", "2024-11", "--branch", "14", stdout=out)
    written = len(out.getvalue().splitlines()) - 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.source == AuditEntry.Source.CLI
    assert entry.user is None
    assert "os_user" in _data(entry.detail)
    assert _data(entry.detail)["rows"] == written > 0
    assert (_data(entry.detail)["month"], _data(entry.detail)["branch"]) == ("2024-11", "14")
