"""The upload page /imports/: preview before applying, for HQ and branch staff only (else 404)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from kyosai.accounts.models import Membership, Role
from kyosai.org.models import Branch, Union
from kyosai.results.models import ImportLog, MonthlyResult

pytestmark = pytest.mark.django_db

CSV = ("month,branch,union,product,measure,value\n"
       "2024-11,14,140001,general,holdings,120\n")


@pytest.fixture
def personas(settings, tmp_path):
    settings.KYOSAI_HOME = tmp_path
    call_command("init", stdout=io.StringIO())
    tokyo, saitama = Branch.objects.get(code="14"), Branch.objects.get(code="13")
    union = Union.objects.create(code="140001", name="東京都職員労働組合", branch=tokyo)
    Union.objects.create(code="130001", name="埼玉県職員労働組合", branch=saitama)

    def make(name, role, **place):
        user = get_user_model().objects.create_user(name, password=None)
        if role:
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
        "no_membership": make("stranger", None),
    }


def upload(client, text, dataset="results"):
    file = SimpleUploadedFile("results.csv", text.encode(), content_type="text/csv")
    return client.post("/imports/", {"dataset": dataset, "file": file})


@pytest.mark.parametrize("role", ["hq_admin", "hq_staff", "branch_staff"])
def test_it_shows_the_page_to_importers(client, personas, role):
    client.force_login(personas[role])
    response = client.get("/imports/")
    assert response.status_code == 200
    assert "目標・実績の取込" in response.content.decode()


@pytest.mark.parametrize("role", ["hq_viewer", "branch_viewer", "union_officer", "no_membership"])
def test_it_hides_the_page_from_everyone_else(client, personas, role):
    client.force_login(personas[role])
    assert client.get("/imports/").status_code == 404
    assert upload(client, CSV).status_code == 404
    assert client.get("/imports/templates/results.csv").status_code == 404
    assert MonthlyResult.objects.count() == 0


def test_it_sends_anonymous_users_to_the_login(client, personas):
    assert client.get("/imports/").status_code == 302


def test_it_previews_then_applies(client, personas):
    client.force_login(personas["hq_staff"])
    response = upload(client, CSV)
    page = response.content.decode()
    assert "取り込める行: 1 行（追加 1、置換 0）" in page
    assert MonthlyResult.objects.count() == 0  # a preview writes nothing
    token = client.session["pending_import"]["token"]
    response = client.post("/imports/apply/", {"token": token})
    assert response.status_code == 302
    assert MonthlyResult.objects.get().value == 120
    log = ImportLog.objects.get()
    assert (log.source, log.user, log.file_name) == ("web", personas["hq_staff"], "results.csv")


def test_it_shows_errors_per_row_and_column_and_offers_no_apply(client, personas):
    client.force_login(personas["hq_staff"])
    page = upload(client, CSV.replace("general", "nosuch")).content.decode()
    assert "エラーが 1 件あります" in page
    assert "共済制度が見つかりません" in page
    assert "この内容で取り込む" not in page


def test_branch_staff_may_import_only_their_own_branch(client, personas):
    client.force_login(personas["other_branch"])
    page = upload(client, CSV).content.decode()
    assert "権限がありません" in page
    assert "pending_import" not in client.session
    client.force_login(personas["branch_staff"])
    upload(client, CSV)
    client.post("/imports/apply/", {"token": client.session["pending_import"]["token"]})
    assert MonthlyResult.objects.count() == 1


def test_an_apply_without_a_preview_does_nothing(client, personas):
    client.force_login(personas["hq_staff"])
    response = client.post("/imports/apply/", {"token": "forged"})
    assert response.status_code == 302
    assert MonthlyResult.objects.count() == 0


@pytest.mark.parametrize(("dataset", "fmt"), [("results", "csv"), ("targets", "xlsx")])
def test_the_templates_can_be_downloaded_and_read_back(client, personas, dataset, fmt):
    from pathlib import Path

    from kyosai.core.tabular import read_table

    client.force_login(personas["hq_admin"])
    response = client.get(f"/imports/templates/{dataset}.{fmt}")
    assert response.status_code == 200
    header, rows = read_table(Path(f"t.{fmt}"), response.content)
    assert header[-1] == "value"
    assert len(rows) >= 2


def test_an_applied_upload_keeps_its_file_and_a_revert_shows_on_the_page(client, personas,
                                                                          tmp_path):
    from kyosai.results.revert import revert_import

    client.force_login(personas["hq_admin"])
    page = upload(client, CSV).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    client.post("/imports/apply/", {"token": token})
    log = ImportLog.objects.get()
    assert (tmp_path / "imports" / log.sha256[:2] / log.sha256).read_bytes() == CSV.encode()
    revert_import(log.pk, user=personas["hq_admin"])
    assert not MonthlyResult.objects.exists()
    body = client.get("/imports/").content.decode()
    assert f"<td>{log.pk}</td>" in body
    assert "取消済" in body
