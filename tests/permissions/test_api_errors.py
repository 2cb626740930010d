"""Every refusal of an API route of the matrix, for every role, GET and POST, and as CSV too, is
JSON with a Japanese `detail` that leaks nothing, and is a status the OpenAPI schema documents
for that operation (405, a method the route does not have, is no operation of the schema)."""

import json
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from kyosai.members.models import Member
from kyosai.org.models import Union
from tests.permissions.matrix import MATRIX, ROLES

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
PERSON = "秘密 太郎"
LEAKS = ("Traceback", 'File "', ".py", "SELECT", "sqlite", "psycopg", "django.", "rest_framework",
         "CSRF Failed", "<html", PERSON)
#: the API's JSON routes (the docs page is HTML for a browser, its errors included)
API_ROUTES = [route for route in MATRIX
              if route.name.startswith("api:") and route.name != "api:docs"]


def _documented() -> dict[tuple[str, str], set[int]]:
    from drf_spectacular.generators import SchemaGenerator

    document: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return {(path, method): {int(code) for code in operation["responses"]}
            for path, operations in document["paths"].items()
            for method, operation in operations.items()}


def _operation(url: str) -> str:
    path = url.split("?")[0]
    return re.sub(r"^/api/v1/plans/[^/]+/items/$", "/api/v1/plans/{period}/items/", path)


def _messages(data) -> list[str]:
    if isinstance(data, dict):
        return [text for value in data.values() for text in _messages(value)]
    if isinstance(data, list):
        return [text for value in data for text in _messages(value)]
    return [data] if isinstance(data, str) else []


def test_the_walk_covers_every_api_route():
    assert {route.name for route in API_ROUTES} >= {
        "api:scorecard", "api:branches", "api:unions", "api:products", "api:plan-items",
        "api:imports", "api:import-results", "api:import-targets", "api:schema"}


@pytest.mark.parametrize("route", API_ROUTES, ids=lambda route: route.name)
def test_every_api_refusal_is_japanese_json_and_documented(client, world, route):
    Member.objects.create(union=Union.objects.get(code="14001"), member_no="77", name=PERSON)
    documented = _documented()
    url = route.path(world)
    for role in ROLES:
        client.logout()
        if role is not None:
            client.force_login(get_user_model().objects.get(username=role))
        for method in ("get", "post"):
            for query in ({}, {"format": "csv"}):
                response = getattr(client, method)(url, query, HTTP_ACCEPT_LANGUAGE="en")
                where = (route.name, role, method, query, response.status_code)
                if response.status_code < 400:
                    continue
                assert response["Content-Type"].startswith("application/json"), where
                body = response.content.decode("utf-8")
                data = json.loads(body)
                # an import's refusal lists the file's errors; any other error is DRF's shape
                messages = ([error["message"] for error in data["errors"]] if "errors" in data
                            else _messages(data))
                assert messages, where
                assert all(JAPANESE.search(text) for text in messages), (where, messages)
                for leak in LEAKS:
                    assert leak not in body, (where, leak)
                operation = (_operation(url), method)
                if operation in documented:  # else a method the route lacks: 401 or 405
                    assert response.status_code in documented[operation], where
