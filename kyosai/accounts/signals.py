"""Logins, failed logins and logouts go into the audit trail (never a password).

Connected in AccountsConfig.ready(); axes' own receivers run first (its app is listed before
ours), so a failed attempt already knows whether it locked the username or address.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from kyosai.accounts.clients import client_address
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry

__all__ = ["connect"]

USER_TYPE = "auth.user"


def _where(request: Any) -> dict[str, Any]:
    if request is None:
        return {}
    return {"path": getattr(request, "path", "")[:200], "address": client_address(request)}


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event(AuditEntry.Action.LOGIN, user=user, object_type=USER_TYPE,
                 object_id=str(user.pk), object_repr=user.get_username(), detail=_where(request))


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    record_event(AuditEntry.Action.LOGOUT, user=user, object_type=USER_TYPE,
                 object_id=str(user.pk), object_repr=user.get_username(), detail=_where(request))


def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None,
                  **kwargs: Any) -> None:
    # Django has already replaced the password with asterisks; only the username is kept.
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")[:150]
    user = get_user_model().objects.filter(username=username).only("pk").first()
    detail = {"username": username, **_where(request),
              "locked": bool(getattr(request, "axes_locked_out", False))}
    record_event(AuditEntry.Action.LOGIN_FAILED, object_type=USER_TYPE,
                 object_id=str(user.pk) if user else "", object_repr=username, detail=detail)


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="kyosai-audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="kyosai-audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="kyosai-audit-login-failed")
