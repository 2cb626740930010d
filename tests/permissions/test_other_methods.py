"""PUT, PATCH and DELETE write nothing anywhere: the app writes by POST only (and the matrix
checks every POST). Every route of the matrix × the roles from the most powerful (hq) to none,
each method with the POST body the matrix gives: never a 5xx, never a 2xx/3xx that wrote, and
no table changes.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from tests.permissions.matrix import MATRIX, Route
from tests.permissions.world import snapshot

pytestmark = pytest.mark.django_db

METHODS = ("put", "patch", "delete")


def _as(client, username):
    client.logout()
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.parametrize("route", MATRIX, ids=lambda r: f"{r.name}:{r.url}" if isinstance(
    r.url, str) else r.name)
def test_put_patch_and_delete_change_nothing_for_any_role(client, world, route: Route):
    url = route.path(world)
    data = route.data(world)
    for role in ("hq", "viewer", "branch-14", None):
        c = _as(client, role)
        with transaction.atomic():
            before = snapshot()
            answers = {method: getattr(c, method)(url, data, content_type="application/json")
                       .status_code for method in METHODS}
            after = snapshot()
            transaction.set_rollback(True)
        assert all(code < 500 for code in answers.values()), (url, role, answers)
        changed = sorted(table for table in before if before[table] != after.get(table))
        assert not changed, ("a PUT/PATCH/DELETE wrote", url, role, answers, changed)
