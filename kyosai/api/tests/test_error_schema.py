"""The OpenAPI schema documents each operation's errors, and each documented error, provoked by a
real request, answers a body that validates against the schema the document gives it."""

import re
from typing import Any

import jsonschema
import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ERRORS = {"400", "401", "403", "404", "429"}


def _document() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    schema: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return schema


DOCUMENT = _document()
OPERATIONS = [(path, method) for path, operations in DOCUMENT["paths"].items()
              for method in operations if method in ("get", "post", "put", "patch", "delete")]
#: a real URL for each path of the document
URLS = {"/api/v1/plans/{period}/items/": "/api/v1/plans/2024H1/items/"}
#: (role, URL) that is a 404 for each operation (a row out of range, a page that does not exist)
NOT_FOUND = {
    ("/api/v1/scorecard/", "get"): ("branch-01", "/api/v1/scorecard/?branch=14"),
    ("/api/v1/plans/{period}/items/", "get"): ("hq", "/api/v1/plans/9999H9/items/"),
    ("/api/v1/imports/results/", "post"): ("viewer", "/api/v1/imports/results/"),
    ("/api/v1/imports/targets/", "post"): ("viewer", "/api/v1/imports/targets/"),
}


def test_the_operations_are_the_apis():
    assert len(OPERATIONS) == 8
    assert {method for _, method in OPERATIONS} == {"get", "post"}


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_operation_documents_its_errors_as_json(path, method):
    responses = DOCUMENT["paths"][path][method]["responses"]
    expected = {"400", "401", "404", "429"} | ({"403"} if method == "post" else set())
    assert set(responses) & ERRORS == expected
    for code in expected:
        response = responses[code]
        assert JAPANESE.search(response["description"]), (code, response["description"])
        assert list(response["content"]) == ["application/json"], code  # never CSV
        schema = response["content"]["application/json"]["schema"]
        allowed = {"#/components/schemas/Error"}
        if method == "post" and code == "400":  # the imports: a file's located errors too
            allowed = {"#/components/schemas/ImportRefusal"}
        assert schema.get("$ref") in allowed, (code, schema)


def test_the_error_component_is_drfs_detail_shape():
    error = DOCUMENT["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]
    assert error["properties"]["detail"]["type"] == "string"
    assert JAPANESE.search(error["description"])
    refusal = DOCUMENT["components"]["schemas"]["ImportRefusal"]
    assert [one["$ref"] for one in refusal["oneOf"]] == ["#/components/schemas/ImportResult",
                                                         "#/components/schemas/Error"]
    assert set(DOCUMENT["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}


def _client(role: str | None, **extra) -> APIClient:
    from kyosai.api.tokens import create_token

    client = APIClient(**extra)
    if role is not None:
        _, raw = create_token(get_user_model().objects.get(username=role), name="schema")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _provoke(code: str, path: str, method: str, settings) -> Any:
    url = URLS.get(path, path)
    if code == "400":  # a NUL character in a query value, refused on every route
        return getattr(_client("hq"), method)(url + "?q=%00")
    if code == "401":
        return getattr(_client(None), method)(url)
    if code == "403":  # a browser session's write without the CSRF token
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(get_user_model().objects.get(username="hq"))
        return getattr(client, method)(url, {})
    if code == "404":
        role, url = NOT_FOUND.get((path, method), ("hq", url + "?page=999"))
        return getattr(_client(role), method)(url)
    assert code == "429"
    settings.AXES_FAILURE_LIMIT = 1
    client = APIClient(REMOTE_ADDR="203.0.113.77")
    client.credentials(HTTP_AUTHORIZATION="Bearer kys_deadbeef_wrong")
    client.get("/api/v1/products/")  # the failure that locks this address
    return getattr(client, method)(url)


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_documented_error_answers_as_documented(federation, settings, path, method):
    responses = DOCUMENT["paths"][path][method]["responses"]
    for code in sorted(set(responses) & ERRORS):
        response = _provoke(code, path, method, settings)
        assert str(response.status_code) == code, (path, method, code, response.content[:200])
        assert response["Content-Type"].startswith("application/json")
        schema = responses[code]["content"]["application/json"]["schema"]
        jsonschema.validate(response.json(), {**schema, "components": DOCUMENT["components"]})
        assert JAPANESE.search(response.json()["detail"])
