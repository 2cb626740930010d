"""Plans fixtures: the master data, the seed plan imported, and one persona per role."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management import call_command

from kyosai.accounts.models import Membership, Role
from kyosai.org.models import Branch, Union
from kyosai.org.services import load_organisation
from kyosai.plans.demo import PLAN_FILE
from kyosai.plans.models import Plan


@pytest.fixture
def seed_plan() -> Path:
    """The report's 2024H1 plan (Ⅳ–Ⅵ) as shipped for the demo, the file `kyosai import plan` reads."""
    return PLAN_FILE


@pytest.fixture
def master_data(db):
    """Regions and branches as `kyosai init` loads them (the catalogue is not needed here)."""
    load_organisation()


@pytest.fixture
def tokyo(master_data) -> Branch:
    return Branch.objects.get(name="東京")


@pytest.fixture
def saitama(master_data) -> Branch:
    return Branch.objects.get(name="埼玉")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def hq_plan(master_data, seed_plan, tokyo, saitama) -> Plan:
    """The seed plan as HQ's, with branch plans for 東京 and 埼玉 only (keeps the suite fast)."""
    from kyosai.plans.files import read_plan_file
    from kyosai.plans.services import ensure_branch_plans, import_plan_document

    plan = import_plan_document(read_plan_file(seed_plan), Branch.objects.get(code="00")).plan
    ensure_branch_plans(plan, Branch.objects.filter(pk__in=[tokyo.pk, saitama.pk]))
    return plan


def make_user(username: str, role: str, branch: Branch | None = None, union: Union | None = None):
    user = get_user_model().objects.create_user(username=username)  # force_login: no hashing
    Membership.objects.create(user=user, role=role, branch=branch, union=union)
    return user


@pytest.fixture
def personas(master_data, tokyo, saitama) -> dict[str, User]:
    """hq_admin, hq_staff, tokyo_staff (own branch 東京), saitama_staff, tokyo_viewer,
    hq_viewer, union_officer (a 東京 union)."""
    union = Union.objects.create(code="T001", name="東京テスト職労", branch=tokyo)
    return {
        "hq_admin": make_user("hq_admin", Role.HQ_ADMIN),
        "hq_staff": make_user("hq_staff", Role.HQ_STAFF),
        "tokyo_staff": make_user("tokyo_staff", Role.BRANCH_STAFF, tokyo),
        "saitama_staff": make_user("saitama_staff", Role.BRANCH_STAFF, saitama),
        "tokyo_viewer": make_user("tokyo_viewer", Role.VIEWER, tokyo),
        "hq_viewer": make_user("hq_viewer", Role.VIEWER),
        "union_officer": make_user("union_officer", Role.UNION_OFFICER, tokyo, union),
    }


SMALL_PLAN = {
    "fiscal_year": 2024, "period": "2024H1",
    "sections": [{"number": "Ⅳ", "title": "事業推進体制の強化・確立", "chapters": [
        {"number": 1, "title": "本部の取り組み", "policies": [{"number": 1, "text": "本部の方針", "items": [
            {"number": 1, "plan": "本部委員会を開催します。", "status": ["開催しました。【8 月確認】"],
             "rating": "◎", "next_actions": ["引き続き開催します。"]},
        ]}]},
        {"number": 2, "title": "県本部と県支部の共同推進", "policies": [{"number": 1, "text": "県の方針", "items": [
            {"number": 1, "plan": "県本部委員会を開催します。", "status": ["全県で開催しました。"],
             "rating": "○", "next_actions": ["定例的に開催します。"]},
            {"number": 2, "plan": "共済集会を開催します。", "status": [], "rating": "△",
             "next_actions": []},
        ]}]},
    ]}],
}


@pytest.fixture
def small_plan(master_data, tokyo, saitama) -> Plan:
    """A three-item HQ plan whose chapter Ⅳ-2 every branch carries out; 東京 and 埼玉 get theirs."""
    from kyosai.plans.files import read_plan_document
    from kyosai.plans.services import ensure_branch_plans, import_plan_document

    document = read_plan_document(SMALL_PLAN)
    plan = import_plan_document(document, Branch.objects.get(code="00")).plan
    ensure_branch_plans(plan, Branch.objects.filter(pk__in=[tokyo.pk, saitama.pk]))
    return plan
