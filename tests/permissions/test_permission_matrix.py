"""Every route × every role × GET and POST answers as MATRIX says; a refused POST changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from tests.permissions.matrix import MATRIX, ROLES, Route
from tests.permissions.routes import all_routes
from tests.permissions.world import snapshot

pytestmark = pytest.mark.django_db

def _as(client, username):
    client.logout()
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _is_write(status: int, response) -> bool:
    """A POST that went through: a redirect that is not to the login page."""
    return status == 302 and "/login/" not in response.get("Location", "")


def test_every_route_of_every_app_is_in_the_matrix():
    routes = all_routes()
    assert "" not in routes, "名前のない URL があります（マトリクスに載せるには name が必要です）"
    listed = {route.name for route in MATRIX}
    missing = sorted(set(routes) - listed)
    assert not missing, f"権限マトリクスにない URL: {missing}（tests/permissions/matrix.py に追加）"
    stale = sorted(listed - set(routes))
    assert not stale, f"もう存在しない URL がマトリクスにあります: {stale}"


@pytest.mark.parametrize("route", MATRIX, ids=lambda r: f"{r.name}:{r.url}" if isinstance(
    r.url, str) else r.name)
def test_every_role_gets_what_the_matrix_says_for_get_and_post(client, world, route: Route):
    url = route.path(world)
    for role in ROLES:
        c = _as(client, role)
        got = c.get(url)
        assert got.status_code == route.expected("GET")[role], ("GET", url, role, got.status_code)
        if role is None and got.status_code == 302 and route.expected("GET")[role] == 302:
            login = "/admin/login/" if url.startswith("/admin/") else "/accounts/login/"
            if not url.startswith("/accounts/"):
                assert got["Location"].startswith(login), url
        if route.exports:  # both formats take one path: xlsx is checked for two roles only
            for fmt in ("csv", "xlsx") if role in ("hq", "union-14001") else ("csv",):
                exported = c.get(url, {"export": fmt})
                assert exported.status_code == got.status_code, (url, role, fmt)
                if exported.status_code == 200:
                    assert exported["Content-Disposition"].startswith("attachment")
                else:
                    assert b"\xef\xbb\xbf" not in exported.content[:3]  # no CSV body leaked
    for role in ROLES:
        c = _as(client, role)
        expected = route.expected("POST")[role]
        with transaction.atomic():  # every POST on the same world: each is undone afterwards
            before = snapshot()
            response = c.post(url, route.data(world))
            after = snapshot()
            transaction.set_rollback(True)
        assert response.status_code == expected, ("POST", url, role, response.status_code)
        if role is None and expected == 302 and route.name not in ("accounts:logout",
                                                                   "admin:index"):
            assert response["Location"].startswith("/accounts/login/"), url
        if not _is_write(expected, response) and not route.public:
            changed = sorted(table for table in before if before[table] != after.get(table))
            assert not changed, ("a refused POST wrote", url, role, changed)


def test_the_writes_the_matrix_allows_really_write(client, world):
    """So that a route refusing everybody (and so changing nothing) cannot pass unnoticed."""
    skipped = {"accounts:login", "accounts:logout", "results:upload", "results:apply",
               "admin:index"}
    for route in MATRIX:
        if route.name in skipped:
            continue
        for role, code in route.expected("POST").items():
            if role is None or code != 302:
                continue
            c = _as(client, role)
            with transaction.atomic():
                before = snapshot()
                response = c.post(route.path(world), route.data(world))
                after = snapshot()
                transaction.set_rollback(True)
            assert response.status_code == 302, (route.name, role)
            assert before != after, ("an allowed POST wrote nothing", route.name, role)
