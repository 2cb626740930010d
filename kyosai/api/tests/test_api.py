"""/api/v1/: tokens, scoping like the pages, the scorecard as `kyosai scorecard` computes it,
lists with CSV, and the import endpoint."""

import datetime
import io
import json

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from kyosai.accounts.access import SYSTEM
from kyosai.api.models import ApiToken
from kyosai.api.tokens import create_token, find_token, revoke_token
from kyosai.core.models import AuditEntry
from kyosai.results import selectors
from kyosai.results.models import ImportLog, MonthlyResult
from kyosai.web.tests.federation import AS_OF

pytestmark = pytest.mark.django_db
JST = datetime.timezone(datetime.timedelta(hours=9))

ROLES = ["hq", "hq-staff", "viewer", "branch-14", "branch-01", "union-14001", None]
#: role (None: anonymous) → expected status
Expected = dict[str | None, int]
HQ: Expected = {"hq": 200, "hq-staff": 200, "viewer": 200}
AGG: Expected = {**HQ, "branch-14": 200, "branch-01": 200, "union-14001": 404, None: 401}
EVERYONE: Expected = {**HQ, "branch-14": 200, "branch-01": 200, "union-14001": 200, None: 401}
IMPORTERS: Expected = {"hq": 200, "hq-staff": 200, "viewer": 404, "branch-14": 200, "branch-01": 200,
             "union-14001": 404, None: 401}

#: every endpoint × role (GET); the POST rows are in test_the_import_matrix
MATRIX: dict[str, Expected] = {
    "/api/v1/scorecard/": AGG,
    "/api/v1/scorecard/?region=kantoko": AGG,
    "/api/v1/scorecard/?branch=14": {**HQ, "branch-14": 200, "branch-01": 404,
                                     "union-14001": 404, None: 401},
    "/api/v1/scorecard/?branch=01": {**HQ, "branch-14": 404, "branch-01": 200,
                                     "union-14001": 404, None: 401},
    "/api/v1/scorecard/?union=14001": {**HQ, "branch-14": 200, "branch-01": 404,
                                       "union-14001": 200, None: 401},
    "/api/v1/scorecard/?union=14002": {**HQ, "branch-14": 200, "branch-01": 404,
                                       "union-14001": 404, None: 401},
    "/api/v1/branches/": EVERYONE,
    "/api/v1/unions/": EVERYONE,
    "/api/v1/products/": EVERYONE,
    "/api/v1/plans/2024H1/items/": EVERYONE,
    "/api/v1/imports/": IMPORTERS,
    "/api/schema/": EVERYONE,
    "/api/docs/": EVERYONE,
}


def test_the_matrix_names_every_api_route():
    from kyosai.api import urls

    routes = {str(p.pattern) for p in urls.urlpatterns}
    covered = {route for route in routes for url in MATRIX
               if url.split("?")[0] == "/api/" + route.replace("<str:period>", "2024H1")}
    posted = {"v1/imports/results/", "v1/imports/targets/"}
    assert covered | posted == routes


@pytest.mark.parametrize("url", list(MATRIX))
def test_every_role_gets_what_the_matrix_says(federation, api, url):
    for role in ROLES:
        response = api(role).get(url)
        assert response.status_code == MATRIX[url][role], (url, role, response.status_code)
        if url.startswith("/api/v1/scorecard/") and response.status_code != 200:
            assert b"results" not in response.content


@pytest.mark.parametrize("dataset", ["results", "targets"])
def test_the_import_matrix(federation, api, dataset):
    for role in ROLES:
        response = api(role).post(f"/api/v1/imports/{dataset}/", {})
        expected = IMPORTERS[role] if IMPORTERS[role] != 200 else 400  # no file: 400
        assert response.status_code == expected, (role, response.status_code)
    for role in ROLES:  # GET is not allowed on the write endpoints
        response = api(role).get(f"/api/v1/imports/{dataset}/")
        assert response.status_code in (401, 404, 405), (role, response.status_code)
        assert response.status_code != 200


def test_the_scorecard_rows_are_kyosai_scorecards(federation, api):
    body = api("hq").get("/api/v1/scorecard/", {"as_of": str(AS_OF), "by": "product",
                                                "branch": "14"}).json()
    expected = selectors.scorecard(AS_OF, branch="14", by="product", access=SYSTEM)
    assert body["scope"] == "branch:14"
    assert len(body["results"]) == len(expected)
    for got, row in zip(body["results"], expected, strict=True):
        assert (got["code"], got["measure"]) == (row.code, row.measure)
        for name in ("actual", "target", "previous", "change", "achievement_pct", "yoy_pct"):
            value = getattr(row, name)
            assert got[name] == (None if value is None else float(value)), name
            assert got[name] is None or isinstance(got[name], int | float)
        assert got["mark"] == (row.mark.value if row.mark else None)


def test_the_scorecard_defaults_to_the_latest_month_and_refuses_bad_input(federation, api):
    client = api("hq")
    assert client.get("/api/v1/scorecard/").json()["as_of"] == str(AS_OF)
    assert client.get("/api/v1/scorecard/", {"as_of": "2024-13"}).status_code == 400
    assert client.get("/api/v1/scorecard/", {"by": "nope"}).status_code == 400
    assert client.get("/api/v1/scorecard/", {"branch": "14", "union": "14001"}).status_code == 400
    assert client.get("/api/v1/scorecard/", {"branch": "99"}).status_code == 404


def test_a_branch_token_sees_only_its_own_branch_and_unions(federation, api):
    client = api("branch-14")
    branches = client.get("/api/v1/branches/").json()["results"]
    assert [b["code"] for b in branches] == ["14"]
    unions = client.get("/api/v1/unions/").json()["results"]
    assert sorted(u["code"] for u in unions) == ["14001", "14002"]
    assert client.get("/api/v1/scorecard/", {"branch": "13"}).status_code == 404
    officer = api("union-14001").get("/api/v1/unions/").json()["results"]
    assert [u["code"] for u in officer] == ["14001"]


def test_csv_format_is_the_same_rows_and_is_audited(federation, api):
    client = api("hq")
    response = client.get("/api/v1/scorecard/", {"format": "csv", "branch": "14"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("code,label,measure")
    assert len(lines) == 1 + len(selectors.scorecard(AS_OF, branch="14", access=SYSTEM))
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, source="api").latest("pk")
    assert entry.detail is not None
    assert entry.detail["scope"] == "branch:14"
    branches = client.get("/api/v1/branches/", {"format": "csv"}).content.decode("utf-8-sig")
    assert branches.splitlines()[0] == "code,name,kind,region"


def test_lists_are_paginated(federation, api):
    body = api("hq").get("/api/v1/branches/", {"page_size": 5}).json()
    assert len(body["results"]) == 5
    assert body["count"] > 5
    assert body["next"]


# --- tokens ----------------------------------------------------------------------------------

def test_a_token_is_stored_hashed_and_shown_once(federation):
    user = get_user_model().objects.get(username="hq")
    token, raw = create_token(user, name="集計")
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw.split("_")[-1] not in stored.digest
    assert raw not in json.dumps(list(AuditEntry.objects.values("before", "after", "detail")),
                                 ensure_ascii=False, default=str)
    assert find_token(raw) == stored
    assert find_token(raw + "x") is None
    assert find_token(raw.replace(stored.prefix, "00000000")) is None


def test_a_token_is_valid_through_its_expiry_day_and_not_after(federation):
    user = get_user_model().objects.get(username="hq")
    _, raw = create_token(user, expires_on=datetime.date(2026, 3, 31))
    with time_machine.travel(datetime.datetime(2026, 3, 31, 23, 59, tzinfo=JST), tick=False):
        assert find_token(raw) is not None
    with time_machine.travel(datetime.datetime(2026, 4, 1, 0, 1, tzinfo=JST), tick=False):
        assert find_token(raw) is None


def test_a_revoked_token_is_refused(federation):
    user = get_user_model().objects.get(username="hq")
    token, raw = create_token(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/products/").status_code == 200
    revoke_token(token, by=user)
    assert client.get("/api/v1/products/").status_code == 401


def test_bad_tokens_lock_the_address_out_like_logins(federation, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = get_user_model().objects.get(username="hq")
    _, good = create_token(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {good}")
    assert client.get("/api/v1/products/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Bearer kys_deadbeef_wrong")
    assert [client.get("/api/v1/products/").status_code for _ in range(3)] == [401, 401, 429]
    assert AccessAttempt.objects.filter(username="api-token").exists()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {good}")
    assert client.get("/api/v1/products/").status_code == 429  # even a good token, for now


def test_bad_tokens_from_one_address_never_lock_another_address_out(federation, settings):
    """The pseudo-username `api-token` is every token's: only the guessing address is locked
    (else five bad tokens from anywhere would shut the API for every token holder)."""
    settings.AXES_FAILURE_LIMIT = 3
    _, good = create_token(get_user_model().objects.get(username="hq"))
    attackers = [APIClient(REMOTE_ADDR=f"203.0.113.{n}") for n in (1, 2, 3)]
    for attacker in attackers:  # 6 bad tokens, from three addresses: none of them locked
        attacker.credentials(HTTP_AUTHORIZATION="Bearer kys_deadbeef_wrong")
        assert [attacker.get("/api/v1/products/").status_code for _ in range(2)] == [401, 401]
    colleague = APIClient(REMOTE_ADDR="198.51.100.7")
    colleague.credentials(HTTP_AUTHORIZATION=f"Bearer {good}")
    assert colleague.get("/api/v1/products/").status_code == 200
    attackers[0].credentials(HTTP_AUTHORIZATION="Bearer kys_deadbeef_wrong")
    assert attackers[0].get("/api/v1/products/").status_code == 429  # its third failure locks
    attackers[0].credentials(HTTP_AUTHORIZATION=f"Bearer {good}")
    assert attackers[0].get("/api/v1/products/").status_code == 429  # that address only
    assert colleague.get("/api/v1/products/").status_code == 200


def test_every_bad_token_is_audited_even_once_the_address_is_locked(federation, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    client.credentials(HTTP_AUTHORIZATION="Bearer kys_deadbeef_wrong")
    assert [client.get("/api/v1/products/").status_code for _ in range(5)] == [
        401, 401, 429, 429, 429]
    failed = [entry.detail or {} for entry in AuditEntry.objects.filter(
        action=AuditEntry.Action.LOGIN_FAILED).order_by("pk")]
    assert [detail["username"] for detail in failed] == ["api-token"] * 5
    assert {detail["address"] for detail in failed} == {"203.0.113.9"}
    assert [detail["locked"] for detail in failed] == [False, False, True, True, True]
    assert "kys_deadbeef_wrong" not in str(failed)


def test_a_login_id_is_still_locked_across_addresses_on_the_login_form(federation, settings):
    """The address-only rule is the API token's alone: a person's login ID still locks."""
    from django.test import Client

    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(
            "/accounts/login/", {"username": "hq", "password": "wrong"})
    response = Client(REMOTE_ADDR="198.51.100.7").post(
        "/accounts/login/", {"username": "hq", "password": "kyosai-demo"})
    assert response.status_code == 429


def test_session_login_works_for_the_browser(federation, client):
    client.force_login(get_user_model().objects.get(username="branch-14"))
    assert client.get("/api/v1/scorecard/", {"branch": "14"}).status_code == 200
    assert client.get("/api/v1/scorecard/", {"branch": "01"}).status_code == 404


def test_token_commands_create_and_revoke(federation):
    out, err = io.StringIO(), io.StringIO()
    call_command("token_create", "branch-14", "--name", "集計", "--expires", "2099-12-31",
                 stdout=out, stderr=err)
    raw = out.getvalue().strip()
    token = find_token(raw)
    assert token is not None
    assert token.user.username == "branch-14"
    assert token.expires_on == datetime.date(2099, 12, 31)
    call_command("token_revoke", str(token.pk), stdout=io.StringIO())
    assert find_token(raw) is None


def test_the_token_page_shows_a_new_token_once(federation, client):
    client.force_login(get_user_model().objects.get(username="branch-14"))
    page = client.post("/accounts/tokens/", {"name": "集計"}, follow=True).content.decode()
    token = ApiToken.objects.get(user__username="branch-14")
    assert f"kys_{token.prefix}_" in page
    again = client.get("/accounts/tokens/").content.decode()
    assert f"kys_{token.prefix}_" not in again
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_token_pages_permission_matrix(federation, client):
    other = ApiToken.objects.create(user=get_user_model().objects.get(username="hq"),
                                    prefix="abcdef01", digest="0" * 64)
    for role in ROLES:
        client.logout()
        if role:
            client.force_login(get_user_model().objects.get(username=role))
        assert client.get("/accounts/tokens/").status_code == (200 if role else 302)
        expected = (302 if role == "hq" else 404) if role else 302
        assert client.post(f"/accounts/tokens/{other.pk}/revoke/").status_code == expected, role
        assert client.get(f"/accounts/tokens/{other.pk}/revoke/").status_code == (405 if role else 302)


# --- imports ---------------------------------------------------------------------------------

def _csv(text, name="results.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


GOOD = ("month,branch,union,product,measure,value\n"
        "2024-12,14,14001,general,holdings,1234\n"
        "2024-12,14,14002,general,holdings,567\n")
BAD = ("month,branch,union,product,measure,value\n"
       "2024-12,14,14001,general,holdings,1234\n"
       "2024-12,14,14002,general,holdings,abc\n")


def test_an_import_with_errors_is_400_with_located_errors_and_writes_nothing(federation, api):
    before = MonthlyResult.objects.count(), ImportLog.objects.count()
    response = api("hq").post("/api/v1/imports/results/", {"file": _csv(BAD)}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["applied"] is False
    assert body["errors"][0]["line"] == 3
    assert body["errors"][0]["column"] == "value"
    assert body["errors"][0]["message"]
    assert (MonthlyResult.objects.count(), ImportLog.objects.count()) == before


def test_an_import_applies_once_and_again_changes_nothing(federation, api):
    client = api("hq")
    dry = client.post("/api/v1/imports/results/", {"file": _csv(GOOD), "dry_run": "true"},
                      format="multipart").json()
    assert dry["applied"] is False
    assert dry["rows_added"] == 2
    assert not MonthlyResult.objects.filter(month="2024-12-01").exists()
    first = client.post("/api/v1/imports/results/", {"file": _csv(GOOD)}, format="multipart")
    assert first.status_code == 200
    assert first.json()["rows_added"] == 2
    assert first.json()["import_id"]
    count = MonthlyResult.objects.count()
    second = client.post("/api/v1/imports/results/", {"file": _csv(GOOD)},
                         format="multipart").json()
    assert (second["rows_added"], second["rows_replaced"]) == (0, 2)
    assert MonthlyResult.objects.count() == count
    # each POST's event and each applied import's change record: all from the API
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT, source="api").count() == 5
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exclude(
        source="api").exists()


TARGETS = ("fiscal_year,kind,branch,union,product,measure,value\n"
           "2024,official,14,14001,general,holdings,4321\n")


@pytest.mark.parametrize(("dataset", "text"), [("results", GOOD), ("targets", TARGETS)])
def test_an_api_import_is_logged_as_coming_from_the_api(federation, api, dataset, text):
    response = api("branch-14").post(f"/api/v1/imports/{dataset}/",
                                     {"file": _csv(text, f"{dataset}.csv")}, format="multipart")
    assert response.status_code == 200, response.json()
    log = ImportLog.objects.get(pk=response.json()["import_id"])
    assert (log.source, log.dataset, log.username) == ("api", dataset, "branch-14")
    change = AuditEntry.objects.get(object_type="results.importlog", object_id=str(log.pk),
                                    action=AuditEntry.Action.IMPORT)
    assert change.source == AuditEntry.Source.API
    assert change.user is not None
    assert change.user.get_username() == "branch-14"


def test_a_branch_token_cannot_import_another_branchs_rows(federation, api):
    response = api("branch-01").post("/api/v1/imports/results/", {"file": _csv(GOOD)},
                                     format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 2
    assert not MonthlyResult.objects.filter(month="2024-12-01").exists()


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(federation, client):
    client.force_login(get_user_model().objects.get(username="hq"))
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "<style" not in page  # the CSP allows no inline style (tests/browser/test_api_docs.py)
    assert "/static/api/swagger-ui-page.css" in page
    assert "<script>" not in page  # the init script is a file of its own (CSP: script-src self)
    assert client.get("/api/docs/", {"script": ""}).status_code == 200
    assert client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
                      ).status_code == 200
