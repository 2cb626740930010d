"""Personas for the events pages and the 2024H1 transcription loaded once per test."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from kyosai.accounts.models import Membership, Role
from kyosai.events.demo import load_demo
from kyosai.org.models import Branch, Union
from tests.conftest import report_appendix_events

__all__ = ["report_appendix_events"]



@pytest.fixture(scope="session")
def seed_report(report_appendix_events: str) -> str:
    """資料編 Ⅱ–Ⅳ of the report's text (tests/fixtures/report/appendix-2-4.txt)."""
    return report_appendix_events


@pytest.fixture
def imported(db) -> str:
    return load_demo()


@pytest.fixture
def tokyo(db) -> Branch:
    return Branch.objects.create(code="13", name="東京")


@pytest.fixture
def make_user(db, tokyo):
    def make(name: str, role: str | None, *, branch=None, union=None, superuser=False):
        # no password: tests log in with force_login, and hashing would cost a third of a second
        user = get_user_model().objects.create_user(name, password=None, is_superuser=superuser)
        if role is not None:
            Membership.objects.create(user=user, role=role, branch=branch, union=union)
        return user
    return make


@pytest.fixture
def personas(make_user, tokyo) -> dict[str, User]:
    """One user per role, plus a member of no organisation (logged in, no membership)."""
    union = Union.objects.create(code="13001", name="東京単組", branch=tokyo)
    return {
        "hq_admin": make_user("hq-admin", Role.HQ_ADMIN),
        "hq_staff": make_user("hq-staff", Role.HQ_STAFF),
        "hq_viewer": make_user("hq-viewer", Role.VIEWER),
        "branch_staff": make_user("tokyo-staff", Role.BRANCH_STAFF, branch=tokyo),
        "branch_viewer": make_user("tokyo-viewer", Role.VIEWER, branch=tokyo),
        "union_officer": make_user("union-officer", Role.UNION_OFFICER, branch=tokyo, union=union),
        "no_membership": make_user("stranger", None),
    }
