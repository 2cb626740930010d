"""Writes to accounts: real users (`kyosai createuser`) and the demo logins (`kyosai demo-data`)."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from kyosai.accounts.models import Membership, Role
from kyosai.core.models import AuditEntry, record_change
from kyosai.org.models import Branch, Union

__all__ = ["DEMO_PASSWORD", "AccountError", "DemoRefused", "create_demo_users", "create_user",
           "demo_allowed", "demo_logins", "refuse_demo_outside_development"]

DEMO_PASSWORD = "kyosai-demo"
DEMO_ENVIRONMENTS = ("development", "test")
DEMO_UNION_BRANCHES = ("13", "14", "01")


class AccountError(ValueError):
    """A user cannot be created as asked (the message is for the person at the keyboard)."""


class DemoRefused(AccountError):
    """Demo data (and its published password) outside development and tests."""


def demo_allowed() -> bool:
    """Demo data only where KYOSAI_ENV is development or test, never in production."""
    return getattr(settings, "KYOSAI_ENV", "production") in DEMO_ENVIRONMENTS


def refuse_demo_outside_development() -> None:
    if not demo_allowed():
        raise DemoRefused(
            f"デモデータは開発・テスト環境（KYOSAI_ENV=development または test）でのみ作成できます"
            f"（現在: KYOSAI_ENV={getattr(settings, 'KYOSAI_ENV', 'production')}）。")


def _place(role: Role, branch_code: str | None, union_code: str | None) -> tuple[
    Branch | None, Union | None
]:
    """The branch and union a role belongs to, checked against the role's rules."""
    if branch_code and union_code:
        raise AccountError("--branch と --union は同時に指定できません。")
    branch = union = None
    if branch_code:
        branch = Branch.objects.filter(code=branch_code.zfill(2)).first()
        if branch is None:
            raise AccountError(f"県支部コード {branch_code} は登録されていません。")
    if union_code:
        union = Union.objects.select_related("branch").filter(code=union_code).first()
        if union is None:
            raise AccountError(f"単組コード {union_code} は登録されていません。")
    if role in (Role.HQ_ADMIN, Role.HQ_STAFF) and (branch or union):
        raise AccountError("本部の役割には --branch・--union を指定しません。")
    if role == Role.BRANCH_STAFF and (branch is None or branch.is_hq):
        raise AccountError("県支部職員には --branch CODE（県支部コード）が必要です。")
    if role == Role.UNION_OFFICER and union is None:
        raise AccountError("単組役員には --union CODE（単組コード）が必要です。")
    if union is not None:
        branch = union.branch
    return branch, union


@transaction.atomic
def create_user(
    username: str, role: Role | str, *, password: str, branch_code: str | None = None,
    union_code: str | None = None, email: str = "", actor: Any = None,
    source: str = AuditEntry.Source.CLI, validate: bool = True,
) -> Any:
    """Create a user with their membership; refuses an existing username or a bad password."""
    try:
        role = Role(role)
    except ValueError:
        choices = "、".join(Role.values)
        raise AccountError(f"役割 {role!r} はありません（{choices}）。") from None
    username = username.strip()
    if not username:
        raise AccountError("ログインIDを指定してください。")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise AccountError(f"ログインID {username} はすでに使われています。")
    if password == DEMO_PASSWORD and not demo_allowed():  # published: never on a real server
        raise DemoRefused(f"パスワード {DEMO_PASSWORD} はデモ用に公開されているため、"
                          "開発・テスト環境以外では使えません。")
    branch, union = _place(role, branch_code, union_code)
    user = User(username=username, email=email, is_staff=role == Role.HQ_ADMIN)
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise AccountError("パスワードが弱すぎます: " + " ".join(exc.messages)) from None
    user.set_password(password)
    user.save()
    membership = Membership.objects.create(user=user, role=role, branch=branch, union=union)
    record_change(membership, action="create", before=None, user=actor, source=source)
    return user


def demo_logins() -> list[tuple[str, str]]:
    """(username, what it is) of the demo users that exist, for `kyosai serve` to print."""
    memberships = (Membership.objects.select_related("user", "branch", "union")
                   .filter(user__username__in=_demo_usernames()).order_by("user__username"))
    out = []
    for m in memberships:
        place = (m.union.name if m.union is not None
                 else m.branch.name if m.branch is not None else "本部")
        out.append((m.user.username, f"{m.get_role_display()}（{place}）"))
    return out


def _demo_usernames() -> list[str]:
    names = ["hq", "hq-staff", "viewer"]
    names += [f"branch-{code}" for code in
              Branch.objects.prefectural().values_list("code", flat=True)]
    names += [f"union-{code}" for code in _demo_union_codes()]
    return names


def _demo_union_codes() -> list[str]:
    codes = []
    for branch_code in DEMO_UNION_BRANCHES:
        union = Union.objects.filter(branch__code=branch_code, active=True).order_by("code").first()
        if union is not None:
            codes.append(union.code)
    return codes


@transaction.atomic
def create_demo_users() -> str:
    """The demo logins, all with password kyosai-demo (idempotent); returns a summary line.

    hq (HQ admin), hq-staff, viewer (HQ-wide, read only), branch-CODE for every branch's staff,
    and union-CODE for the first union of branches 13, 14 and 01 (when unions exist).
    Refused (DemoRefused) unless KYOSAI_ENV is development or test.
    """
    refuse_demo_outside_development()
    wanted: list[tuple[str, Role, str | None, str | None]] = [
        ("hq", Role.HQ_ADMIN, None, None),
        ("hq-staff", Role.HQ_STAFF, None, None),
        ("viewer", Role.VIEWER, None, None),
    ]
    wanted += [(f"branch-{code}", Role.BRANCH_STAFF, code, None)
               for code in Branch.objects.prefectural().values_list("code", flat=True)]
    wanted += [(f"union-{code}", Role.UNION_OFFICER, None, code) for code in _demo_union_codes()]
    existing = set(get_user_model().objects.filter(
        username__in=[w[0] for w in wanted]).values_list("username", flat=True))
    created = 0
    for username, role, branch_code, union_code in wanted:
        if username in existing:
            continue
        create_user(username, role, password=DEMO_PASSWORD, branch_code=branch_code,
                    union_code=union_code, validate=False)
        created += 1
    unions = [w[0] for w in wanted if w[1] == Role.UNION_OFFICER]
    return (f"デモ利用者 {created} 名を作成しました（全 {len(wanted)} 名: hq, hq-staff, viewer, "
            f"branch-01…branch-60, {', '.join(unions) or '単組役員なし'}）。"
            f"パスワードはすべて {DEMO_PASSWORD}（デモ専用）です。")
