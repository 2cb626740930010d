"""Every error of the API in Japanese, in DRF's shape, whatever language the client asks for.

Each kind of error is provoked by a real request (with `Accept-Language: en`, which would give
DRF's English messages if the project let the client choose) and must answer its status with a
JSON body whose every message is Japanese and names nothing internal: no traceback, no SQL, no
module, no personal data.
"""

import json
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.middleware.csrf import _get_new_csrf_string
from django.middleware.locale import LocaleMiddleware
from django.test import Client
from rest_framework import exceptions, throttling
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from kyosai.core.middleware import body_limit
from kyosai.members.models import Member
from kyosai.org.models import Union
from kyosai.results.models import ImportLog, MonthlyResult

pytestmark = pytest.mark.django_db

ENGLISH: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
#: what an error body must never hold (a traceback, SQL, Python's or a library's internals)
LEAKS = ("Traceback", 'File "', ".py", "SELECT", "INSERT", "sqlite", "psycopg", "Error:",
         "django.", "rest_framework", "kyosai.", "CSRF Failed", "not found", "Not found",
         "credentials", "parse error", "Expected available", "<html")
PERSON = "漏洩 花子"


def _messages(data):
    """Every message string in an error body (DRF's detail or field errors)."""
    if isinstance(data, dict):
        return [text for value in data.values() for text in _messages(value)]
    if isinstance(data, list):
        return [text for value in data for text in _messages(value)]
    return [data] if isinstance(data, str) else []


def assert_japanese_error(response, status: int, *, person: str = PERSON) -> str:
    """`response` is `status` with a JSON `{"detail": …}` in Japanese that leaks nothing."""
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.content.decode("utf-8")
    data = json.loads(body)
    assert isinstance(data, dict)
    assert isinstance(data.get("detail"), str), data
    assert JAPANESE.search(data["detail"]), data["detail"]
    for leak in (*LEAKS, person):
        assert leak not in body, (leak, body)
    return str(data["detail"])


@pytest.fixture
def person(federation):
    """A member whose name must never appear in an error."""
    Member.objects.create(union=Union.objects.get(code="14001"), member_no="9", name=PERSON)
    return PERSON


# --- 401: authentication -----------------------------------------------------------------------

def test_no_credentials_is_401_in_japanese_even_when_english_is_asked(federation):
    response = APIClient().get("/api/v1/products/", **ENGLISH)
    detail = assert_japanese_error(response, 401)
    assert detail == "認証情報が含まれていません。"  # DRF's own ja translation
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Content-Language"] == "ja"


def test_the_site_too_answers_in_japanese_when_english_is_asked(federation):
    """LANGUAGES holds Japanese only: Django's own messages (a login form's) stay Japanese."""
    response = Client(REMOTE_ADDR="203.0.113.60").post(
        "/accounts/login/", {"username": "hq", "password": "wrong"}, **ENGLISH)
    assert response["Content-Language"] == "ja"
    assert "Please enter a correct" not in response.content.decode()
    assert JAPANESE.search(response.content.decode())


@pytest.mark.parametrize("header", [
    "Bearer", "Token", "Bearer ", "Bearer a b", "Token kys_a_b extra",  # malformed: no or 2 values
    "Bearer kys_deadbeef_wrong", "Token kys_deadbeef", "Bearer nonsense", "Bearer kys__",
    "Bearer \u00ff\u00fe",  # not ASCII
])
def test_a_malformed_or_wrong_token_header_is_401_in_japanese(federation, header, person):
    client = APIClient(REMOTE_ADDR="203.0.113.50")  # one failure: far below the lockout
    client.credentials(HTTP_AUTHORIZATION=header)
    detail = assert_japanese_error(client.get("/api/v1/products/", **ENGLISH), 401)
    assert "トークン" in detail
    assert "kys_" not in detail  # the token sent is never echoed


def test_a_locked_address_is_429_json_not_the_lockout_page(federation, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = APIClient(REMOTE_ADDR="203.0.113.51")
    client.credentials(HTTP_AUTHORIZATION="Bearer kys_deadbeef_wrong")
    assert_japanese_error(client.get("/api/v1/products/", **ENGLISH), 401)
    response = client.get("/api/v1/products/", **ENGLISH)  # the failure that locks
    assert_japanese_error(response, 429)
    response = client.get("/api/v1/scorecard/", **ENGLISH)
    assert "認証の失敗が続いた" in assert_japanese_error(response, 429)
    assert int(response["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())
    # the site's own login page still shows the lockout page to this address
    page = Client(REMOTE_ADDR="203.0.113.51").post("/accounts/login/",
                                                  {"username": "hq", "password": "x"})
    assert page.status_code == 429
    assert page["Content-Type"].startswith("text/html")


# --- 403: CSRF on a session POST -------------------------------------------------------------

def _session(username="hq") -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_a_session_post_without_the_csrf_cookie_is_403_in_japanese(federation):
    response = _session().post("/api/v1/imports/results/", {}, **ENGLISH)
    detail = assert_japanese_error(response, 403)
    assert "CSRF" in detail
    assert "クッキー" in detail
    assert "Bearer" in detail  # what a program should use instead


def test_a_session_post_with_a_missing_or_wrong_csrf_token_is_403_in_japanese(federation):
    client = _session()
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    missing = client.post("/api/v1/imports/results/", {}, **ENGLISH)
    assert "トークン" in assert_japanese_error(missing, 403)
    wrong = client.post("/api/v1/imports/results/", {}, HTTP_X_CSRFTOKEN="x" * 32, **ENGLISH)
    assert "トークン" in assert_japanese_error(wrong, 403)
    # the right token passes CSRF: what follows is the view's own 400 (no file)
    right = client.post("/api/v1/imports/results/", {}, HTTP_X_CSRFTOKEN=secret, **ENGLISH)
    assert right.status_code == 400
    assert right.json()["errors"][0]["column"] == "file"
    assert JAPANESE.search(right.json()["errors"][0]["message"])


def test_a_session_post_from_another_origin_is_403_in_japanese(federation, settings):
    client = _session()
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.post("/api/v1/imports/results/", {}, HTTP_X_CSRFTOKEN=secret,
                           HTTP_ORIGIN="https://evil.example", **ENGLISH)
    detail = assert_japanese_error(response, 403)
    assert "送信元" in detail
    assert "evil.example" not in detail
    assert not ImportLog.objects.exists()


def test_a_token_post_needs_no_csrf(federation, api):
    response = api("hq").post("/api/v1/imports/results/", {}, **ENGLISH)
    assert response.status_code == 400  # the view's own refusal: no file
    assert JAPANESE.search(response.json()["errors"][0]["message"])


# --- 400: bodies and query values ------------------------------------------------------------

def test_a_malformed_multipart_body_is_400_json_and_writes_nothing(federation, api):
    client = api("hq")
    for content_type in ("multipart/form-data", "multipart/form-data; boundary="):
        response = client.post("/api/v1/imports/results/", data=b"garbage",
                               content_type=content_type, **ENGLISH)
        assert "multipart/form-data" in assert_japanese_error(response, 400)
    assert not ImportLog.objects.exists()


def test_a_nul_character_in_a_query_or_a_form_is_400_json(federation, api):
    client = api("hq")
    assert "NUL" in assert_japanese_error(
        client.get("/api/v1/branches/", {"q": "\x00"}, **ENGLISH), 400)
    upload = SimpleUploadedFile("results.csv", b"month\n", content_type="text/csv")
    response = client.post("/api/v1/imports/results/", {"file": upload, "dry_run": "tr\x00ue"},
                           format="multipart", **ENGLISH)
    assert "NUL" in assert_japanese_error(response, 400)


@pytest.mark.parametrize("query", [
    {"as_of": "2024-13"}, {"as_of": "9999-99"}, {"as_of": "²⁰²⁴-11"}, {"by": "nope"},
    {"branch": "14", "union": "14001"},
])
def test_bad_query_values_are_400_in_japanese_also_when_csv_is_asked(federation, api, query):
    client = api("hq")
    assert_japanese_error(client.get("/api/v1/scorecard/", query, **ENGLISH), 400)
    # the rows were asked as CSV, but an error is no row: it answers as JSON
    assert_japanese_error(client.get("/api/v1/scorecard/", {**query, "format": "csv"},
                                     **ENGLISH), 400)


def test_a_field_error_of_the_import_form_is_japanese(federation, api):
    upload = SimpleUploadedFile("results.csv", b"month\n", content_type="text/csv")
    response = api("hq").post("/api/v1/imports/results/", {"file": upload, "dry_run": "maybe"},
                              format="multipart", **ENGLISH)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["column"] == "dry_run"
    assert JAPANESE.search(error["message"])
    assert not MonthlyResult.objects.filter(month="2024-12-01").exists()


def test_a_body_over_the_limit_is_413_json_before_it_is_read(federation, api):
    response = api("hq").post("/api/v1/imports/results/", data=b"x", content_type="text/csv",
                              CONTENT_LENGTH=str(body_limit() + 1), **ENGLISH)
    assert "大きすぎます" in assert_japanese_error(response, 413)


# --- 404, 405, 406, 415 ----------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/api/v1/scorecard/?branch=99", "/api/v1/scorecard/?union=99999",
    "/api/v1/scorecard/?region=nope", "/api/v1/plans/9999H9/items/",
    "/api/v1/branches/?page=999", "/api/v1/branches/?page=abc", "/api/v1/branches/?format=xml",
    "/api/v1/nope/", "/api/v1/branches/99/", "/api/v2/scorecard/",
])
def test_unknown_ids_pages_and_urls_are_404_in_japanese(federation, api, url, person):
    assert_japanese_error(api("hq").get(url, **ENGLISH), 404)


def test_another_branchs_rows_are_the_same_404_as_unknown_ones(federation, api):
    client = api("branch-14")
    other = assert_japanese_error(client.get("/api/v1/scorecard/?branch=01", **ENGLISH), 404)
    unknown = assert_japanese_error(client.get("/api/v1/scorecard/?branch=99", **ENGLISH), 404)
    assert other == unknown
    viewer = api("viewer").post("/api/v1/imports/results/", {}, **ENGLISH)
    assert_japanese_error(viewer, 404)


@pytest.mark.parametrize(("method", "url"), [
    ("delete", "/api/v1/products/"), ("put", "/api/v1/scorecard/"),
    ("post", "/api/v1/branches/"), ("get", "/api/v1/imports/results/"),
    ("patch", "/api/v1/imports/targets/"),
])
def test_a_wrong_method_is_405_in_japanese(federation, api, method, url):
    response = getattr(api("hq"), method)(url, **ENGLISH)
    assert method.upper() in assert_japanese_error(response, 405)
    assert response["Allow"]


def test_an_unsatisfiable_accept_header_is_406_in_japanese(federation, api):
    response = api("hq").get("/api/v1/branches/", HTTP_ACCEPT="application/xml", **ENGLISH)
    assert_japanese_error(response, 406)


def test_an_unsupported_media_type_is_415_in_japanese(federation, api):
    response = api("hq").post("/api/v1/imports/results/", data="{}",
                              content_type="application/json", **ENGLISH)
    assert "application/json" in assert_japanese_error(response, 415)


# --- what no route provokes today: DRF's own errors through the project's handler -------------

class _Throttle(throttling.BaseThrottle):
    def allow_request(self, request: Request, view: APIView) -> bool:
        return False

    def wait(self) -> float:
        return 2.2


class _Deny(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return False


class _Probe(APIView):
    """A JSON endpoint as a future route would be: the project's settings, handler and language."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]

    def post(self, request: Request) -> Response:
        if request.data.get("fail") == "validation":
            raise exceptions.ValidationError({"count": ["Must be a number."]})
        if request.data.get("fail") == "plain":
            raise exceptions.ValidationError()
        return Response({"ok": True})


def _probe(body: bytes, view=_Probe, content_type="application/json"):
    request = APIRequestFactory().post("/api/v1/probe/", data=body, content_type=content_type,
                                       **ENGLISH)
    LocaleMiddleware(lambda r: HttpResponse()).process_request(request)  # as the stack does
    return view.as_view()(request).render()


@pytest.mark.parametrize(("body", "where"), [
    (b"{bad", "1 行 2 文字目"), (b'{"a": 1,\n  "b": }', "2 行 8 文字目"), (b'{"a": }', "1 行 7 文字目"),
])
def test_a_malformed_json_body_is_400_naming_line_and_column(body, where):
    detail = assert_japanese_error(_probe(body), 400)
    assert "JSON" in detail
    assert where in detail


def test_a_json_body_that_is_not_utf8_is_400_in_japanese():
    assert "UTF-8" in assert_japanese_error(_probe(b'{"a": "\xff"}'), 400)


def test_english_validation_messages_become_japanese_and_keep_their_structure():
    response = _probe(b'{"fail": "validation"}')
    assert response.status_code == 400
    assert set(response.data) == {"count"}
    assert all(JAPANESE.search(text) for text in _messages(response.data))
    plain = _probe(b'{"fail": "plain"}')
    assert plain.status_code == 400
    assert all(JAPANESE.search(text) for text in _messages(plain.data))


def test_throttling_is_429_with_the_seconds_to_wait_in_japanese():
    class Throttled(_Probe):
        throttle_classes = [_Throttle]

    response = _probe(b"{}", view=Throttled)
    assert "3 秒後" in assert_japanese_error(response, 429)
    assert response["Retry-After"] == "3"


def test_a_permission_refusal_is_403_in_japanese():
    class Denied(_Probe):
        permission_classes = [_Deny]

    assert_japanese_error(_probe(b"{}", view=Denied), 403)


# --- 500 -------------------------------------------------------------------------------------

def test_a_server_error_in_the_api_is_json_500_saying_nothing(federation, monkeypatch, person):
    def boom(*args, **kwargs):
        raise RuntimeError(f"SELECT name FROM members_member -- {PERSON}")

    monkeypatch.setattr("kyosai.api.views.scorecard_rows", boom)
    client = APIClient(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="hq"))
    response = client.get("/api/v1/scorecard/", {"as_of": "2024-11"}, **ENGLISH)
    assert "サーバーでエラー" in assert_japanese_error(response, 500)
