import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from kyosai.accounts.access import access_for
from kyosai.accounts.models import Membership, Role
from kyosai.accounts.services import AccountError, create_demo_users, create_user
from kyosai.core.models import AuditEntry
from kyosai.org.models import Branch, Union
from kyosai.org.services import load_organisation

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def organisation():
    load_organisation()
    tokyo = Branch.objects.get(code="14")
    Union.objects.create(code="14001", name="東京単組A", branch=tokyo)
    Union.objects.create(code="14002", name="東京単組B", branch=tokyo)
    Union.objects.create(code="01001", name="北海道単組A", branch=Branch.objects.get(code="01"))


def test_it_creates_a_branch_user_whose_access_is_their_branch(organisation):
    user = create_user("tokyo-1", "branch_staff", password="a-long-Passphrase-9", branch_code="14")
    access = access_for(user)
    assert access.role == Role.BRANCH_STAFF
    assert access.can_view_branch(Branch.objects.get(code="14").pk)
    assert not access.can_view_branch(Branch.objects.get(code="01").pk)
    assert AuditEntry.objects.filter(object_type="accounts.membership", action="create").count() == 1


def test_a_union_officer_belongs_to_the_unions_branch_but_sees_only_the_union(organisation):
    user = create_user("u1", Role.UNION_OFFICER, password="a-long-Passphrase-9", union_code="14001")
    assert user.membership.branch.code == "14"
    access = access_for(user)
    tokyo = Branch.objects.get(code="14")
    assert not access.can_view_branch(tokyo.pk)
    assert not access.sees_aggregates
    other = Union.objects.get(code="14002")
    assert not access.can_view_union(other.pk, tokyo.pk)


@pytest.mark.parametrize(("role", "branch", "union", "message"), [
    ("branch_staff", None, None, "--branch"),
    ("branch_staff", "00", None, "--branch"),
    ("hq_admin", "14", None, "本部の役割"),
    ("union_officer", None, None, "--union"),
    ("branch_staff", "99", None, "99"),
    ("union_officer", None, "nope", "nope"),
    ("chief", None, None, "chief"),
])
def test_it_rejects_a_role_without_its_proper_place(organisation, role, branch, union, message):
    with pytest.raises(AccountError, match=message):
        create_user("x", role, password="a-long-Passphrase-9", branch_code=branch, union_code=union)
    assert not User.objects.filter(username="x").exists()


def test_it_rejects_a_weak_password_and_a_taken_username(organisation):
    with pytest.raises(AccountError, match="パスワード"):
        create_user("x", "hq_staff", password="1234")
    create_user("x", "hq_staff", password="a-long-Passphrase-9")
    with pytest.raises(AccountError, match="すでに"):
        create_user("x", "hq_staff", password="a-long-Passphrase-9")


def test_demo_users_cover_every_branch_and_are_idempotent(organisation):
    first = create_demo_users()
    assert "kyosai-demo" in first
    count = User.objects.count()
    assert count == 3 + 48 + 2  # hq, hq-staff, viewer, 48 branches, first unions of 14 and 01
    create_demo_users()
    assert User.objects.count() == count
    hq = User.objects.get(username="hq")
    assert hq.check_password("kyosai-demo")
    assert access_for(hq).is_hq_admin
    branch = Membership.objects.get(user__username="branch-14").branch
    assert branch is not None
    assert branch.name == "東京"
    assert Membership.objects.get(user__username="union-14001").role == Role.UNION_OFFICER
    assert not access_for(User.objects.get(username="viewer")).can_write


def test_createuser_reads_the_password_from_a_file(organisation, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("a-long-Passphrase-9\n", encoding="utf-8")
    out = io.StringIO()
    call_command("createuser", "tokyo-2", "branch_staff", "--branch", "14",
                 "--password-file", str(secret), stdout=out)
    assert "tokyo-2" in out.getvalue()
    assert User.objects.get(username="tokyo-2").check_password("a-long-Passphrase-9")


def test_createuser_exits_2_and_writes_nothing_on_a_bad_branch(organisation, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("a-long-Passphrase-9\n", encoding="utf-8")
    with pytest.raises(CommandError, match="99") as error:
        call_command("createuser", "x", "branch_staff", "--branch", "99",
                     "--password-file", str(secret))
    assert error.value.returncode == 2
    assert not User.objects.filter(username="x").exists()


def test_createuser_without_a_terminal_asks_for_a_password_file(organisation, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--password-file") as error:
        call_command("createuser", "x", "hq_staff")
    assert error.value.returncode == 2

