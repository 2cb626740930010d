"""Bad input never gives a 500: malformed query values, path values and form fields on every route.

The routes come from the URL resolver (routes.all_routes); the matrix gives each a real URL of
the test world, and the coverage test in test_permission_matrix.py keeps the two in step. A
refusal is a 400 or 404 whose page says so in Japanese.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from tests.permissions.matrix import MATRIX, Route
from tests.permissions.routes import all_routes
from tests.permissions.world import snapshot

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
HUGE = "9" * 26
#: Query values that must be refused (or ignored) politely wherever they appear.
BAD_QUERIES = [
    {"as_of": "9999-99"}, {"as_of": "9999-12"}, {"as_of": "0001-01"}, {"as_of": "²⁰²⁴-11"},
    {"as_of": "2024-1１"}, {"year": "²"}, {"year": HUGE}, {"year": "-1"}, {"measure": "nope"},
    {"item": "nope"}, {"item": "g:"}, {"item": "p:nope"}, {"table": "nope"}, {"export": "nope"},
    {"export": "csv", "table": "nope"}, {"export": "xlsx", "as_of": "9999-12"},
    {"period": "9999H9"}, {"period": "²"}, {"month": "9999-99"}, {"month": HUGE},
    {"page": "-1"}, {"page": "abc"}, {"page": HUGE}, {"q": "\x00"}, {"q": "x" * 5000},
    {"attention": "1", "unconfirmed": "1", "month": "0000-00"}, {"next": "//evil.example/"},
    {"as_of": ["2024-11", "9999-99"]},
]
#: Values put into each path parameter, by converter.
BAD_PATH_VALUES = {
    "int": ["0", HUGE],
    "str": ["nope", "9999H9", "²", "9999-99", "x" * 300],
    "slug": ["nope", "x" * 300],
}
#: Values put into each field of a form a user may submit.
BAD_FIELD_VALUES = ["", "x" * 20000, "²", HUGE, "-1", "\x00", "9999-99", "２０２４"]


def _login(client, username="hq"):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _polite(response, where) -> None:
    assert response.status_code < 500, where
    if response.status_code in (400, 404):
        body = response.content.decode("utf-8", "replace")
        assert JAPANESE.search(body), ("no Japanese message", where)


def _urls(world) -> dict[str, list[str]]:
    urls: dict[str, list[str]] = {}
    for route in MATRIX:
        urls.setdefault(route.name, []).append(route.path(world))
    return urls


def _queried_routes() -> list[str]:
    return [name for name in all_routes() if name not in ("accounts:logout", "admin:index")]


@pytest.mark.parametrize("username", ["hq", "branch-14"])
@pytest.mark.parametrize("name", _queried_routes())
def test_malformed_query_values_on_every_route_are_400_or_404_never_500(client, world,
                                                                        username, name):
    urls = _urls(world)
    _login(client, username)
    for url in urls[name][:1]:
        for query in BAD_QUERIES:
            _polite(client.get(url, query), (username, url, query))


def test_malformed_path_values_on_every_route_are_400_or_404_never_500(client, world):
    _login(client)
    converter = re.compile(r"<(?:(\w+):)?\w+>")
    for name, pattern in all_routes().items():
        if name == "admin:index" or not converter.search(pattern):
            continue
        for match in converter.finditer(pattern):
            for value in BAD_PATH_VALUES.get(match.group(1) or "str", ["nope"]):
                url = "/" + converter.sub(
                    lambda m, target=match, value=value: value if m.start() == target.start()
                    else _sample(m.group(1)), pattern)
                _polite(client.get(url), (name, url))


def _sample(kind: str | None) -> str:
    return {"int": "1", "slug": "new_hires"}.get(kind or "str", "2024H1")


def _writes() -> list[Route]:
    return [route for route in MATRIX
            if route.expected("POST")["hq"] != 405 and route.name != "accounts:logout"]


@pytest.mark.parametrize("route", _writes(), ids=lambda r: r.name)
def test_malformed_form_fields_never_give_a_500(client, world, route: Route):
    _login(client)
    url = route.path(world)
    data = route.data(world)
    for field in data or {"text": ""}:
        for value in BAD_FIELD_VALUES:
            with transaction.atomic():
                response = client.post(url, {**data, field: value})
                transaction.set_rollback(True)
            _polite(response, (url, field, value[:20]))


#: (route, field, a value beyond its column) → the form refuses it, naming the limit.
TOO_BIG = [
    ("activities:edit", "coop_joined_cur", HUGE),
    ("activities:create", "new_contracts", HUGE),
    ("events:create", "venues-0-attendance", HUGE),
    ("events:create", "event-title", "あ" * 256),
    ("events:create", "event-minutes", "あ" * 10_001),
    ("reports:overview", "heading", "あ" * 101),
    ("reports:overview", "body", "あ" * 10_001),
    ("reports:overview", "position", HUGE),
    ("plans:status_add", "text", "あ" * 4001),
]


@pytest.mark.parametrize(("name", "field", "value"), TOO_BIG, ids=lambda v: str(v)[:20])
def test_values_beyond_their_column_are_refused_by_the_form_and_nothing_is_written(
        client, world, name, field, value):
    route = next(r for r in MATRIX if r.name == name)
    _login(client)
    valid = route.data(world)
    before = snapshot()
    response = client.post(route.path(world), {**valid, field: value})
    assert response.status_code in (200, 400), (name, field)
    body = response.content.decode()
    assert "以下" in body or "文字" in body or "値" in body, body[-2000:]
    assert snapshot() == before
    with transaction.atomic():  # the same form with its valid value goes through
        assert client.post(route.path(world), valid).status_code == 302
        transaction.set_rollback(True)


@pytest.mark.parametrize(("url", "query", "message"), [
    ("/scorecard/", {"as_of": "9999-99"}, "基準月は YYYY-MM 形式で指定してください。"),
    ("/activities/new_hires/", {"year": "²"}, "年度は4桁の数字（例: 2024）で指定してください。"),
    ("/branches/14/", {"export": "pdf"}, "export は csv か xlsx を指定してください。"),
])
def test_a_400_says_what_to_fix(client, world, url, query, message):
    response = _login(client).get(url, query)
    assert response.status_code == 400
    assert message in response.content.decode()
