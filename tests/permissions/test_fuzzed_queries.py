"""Fuzzed query strings (and form fields) on every route of the permission matrix: never a 500.

test_bad_input.py sends a fixed list of known-bad values; here hypothesis draws any route of
MATRIX (every URL it lists, the lifecycle pages, the API and the subscriptions included), any
role, and a query string of the parameters the views read (and some they do not) with values
that are malformed in every way a person or a script may send them: out-of-range months and
dates, full-width and superscript digits, 26-digit numbers, signs, NUL, very long text, lists.
Every answer is below 500; a 400 or 404 says what happened in Japanese; an answer refused to a
role (404) is the same whatever the query, so a query never opens a page the matrix refuses.

`KYOSAI_FUZZ_EXAMPLES=500` searches deeper (the default keeps the suite quick).
"""

import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.permissions.matrix import MATRIX, ROLES, Route
from tests.permissions.world import snapshot

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("KYOSAI_FUZZ_EXAMPLES", "120"))
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

#: Every query parameter a view or the API reads (grep GET.get / query_params), and a few others.
KEYS = ["as_of", "year", "fy", "month", "months", "period", "measure", "item", "table", "export",
        "page", "page_size", "q", "product", "union", "branch", "region", "owner", "by", "kind",
        "sort", "show", "from", "due", "max_age", "hired_before", "officers", "unenrolled_only",
        "unconfirmed", "attention", "target_revision", "format", "next", "status", "since",
        "until", "user", "action", "scope", "code", "nonsense"]

#: Values a month, a date, a year, a number or a code may be sent as, malformed or not.
_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=30)
_ODD = st.sampled_from(["", " ", "9999-99", "9999-12", "0000-00", "0001-01", "2024-13",
                        "2024-00", "2024-02-30", "2024-11-31", "1899-12", "3000-01", "²",
                        "２０２４", "２０２４-１１", "2024－11", "-1", "+1", "1e9", "1.5", "NaN",
                        "inf", "9" * 26, "-" + "9" * 26, "\x00", "%00", "csv", "xlsx", "pdf",
                        "json", "html", "2024H1", "2024H3", "9999H9", "2024h1", "g:", "p:nope",
                        "g:total", "p:general", "14", "01", "00", "99", "14001", "hq",
                        "branches", "x" * 5000, "<script>", "'; DROP TABLE x; --",
                        "=HYPERLINK(\"http://x\")", "../../etc/passwd", "//evil.example/",
                        "mark=×", "①", "\u202e", "\ud7ff", "true", "1", "0", "all"])
VALUES = st.one_of(_ODD, _DIGITS,
                   st.builds(lambda y, m: f"{y}-{m}", _DIGITS, _DIGITS),
                   st.builds(lambda y, m, d: f"{y}-{m}-{d}", _DIGITS, _DIGITS, _DIGITS),
                   st.text(max_size=40).filter(lambda s: "\x00" not in s or len(s) < 3))
QUERIES = st.dictionaries(st.sampled_from(KEYS),
                          st.one_of(VALUES, st.lists(VALUES, min_size=2, max_size=3)),
                          min_size=1, max_size=4)
ROUTES = st.sampled_from(MATRIX)
LOGGED_IN = st.sampled_from([role for role in ROLES if role is not None])


def _as(client, username):
    client.logout()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _check(route: Route, url: str, role: str, query: dict, response) -> None:
    where = (url, role, {k: (v[:30] if isinstance(v, str) else v) for k, v in query.items()})
    assert response.status_code < 500, where
    if response.status_code in (400, 404) and not url.startswith("/api/"):
        body = response.content.decode("utf-8", "replace")
        assert JAPANESE.search(body), ("no Japanese message", where)
    if route.expected("GET")[role] == 404:  # refused rows stay refused whatever the query
        assert response.status_code in (400, 404), ("a query opened a refused page", where)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(route=ROUTES, role=LOGGED_IN, query=QUERIES)
def test_fuzzed_query_strings_on_every_route_never_give_a_500(client, world, route, role,
                                                              query):
    url = route.path(world)
    _as(client, role)
    with transaction.atomic():  # a GET writes nothing of the organisation's; undo audit rows
        response = client.get(url, query)
        transaction.set_rollback(True)
    _check(route, url, role, query, response)



WRITES = [route for route in MATRIX if route.expected("POST")["hq"] != 405
          and route.name not in ("accounts:logout", "accounts:login")]


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(route=st.sampled_from(WRITES), role=st.sampled_from(["hq", "branch-14", "union-14001"]),
       edits=st.lists(st.tuples(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), VALUES),
                      min_size=1, max_size=3))
def test_fuzzed_form_fields_on_every_write_never_give_a_500(client, world, route, role, edits):
    """The matrix's valid POST body with one to three fields (its own or others) replaced by
    malformed values: a refusal or a write, never a 500; a role refused the route writes nothing."""
    url = route.path(world)
    data = dict(route.data(world))
    fields = list(data) or ["text"]
    for index, (key, value) in enumerate(edits):
        data[fields[index % len(fields)] if index % 2 == 0 else key] = value
    _as(client, role)
    with transaction.atomic():
        before = snapshot()
        response = client.post(url, data)
        after = snapshot()
        transaction.set_rollback(True)
    where = (url, role, {k: (v[:30] if isinstance(v, str) else v) for k, v in data.items()})
    assert response.status_code < 500, where
    if route.expected("POST")[role] in (403, 404):
        assert response.status_code in (400, 403, 404), where
        assert before == after, ("a refused role wrote", where)
