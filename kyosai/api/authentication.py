"""`Authorization: Bearer kys_…` for /api/v1/, and the lockout on repeated bad tokens.

A bad token is a failed login of the pseudo-username `api-token` from the client's address:
Django's `user_login_failed` signal is sent, which django-axes (the login lockout, see settings)
counts like any failed login, and a locked address is answered 429 before any token is checked.
Only the address is locked (`kyosai.accounts.lockout.lockout_parameters`): the pseudo-username is
shared by every token, so locking it would lock every token holder out. `_locked` and `_failed` are the only two places that know axes.
"""

from typing import Any

from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.middleware import csrf
from django.utils import timezone
from rest_framework import authentication, exceptions

from kyosai.accounts.lockout import ADDRESS_ONLY_USERNAME, LOCKED_OUT_DETAIL
from kyosai.api.tokens import find_token

__all__ = ["THROTTLE_USERNAME", "SessionAuthentication", "TokenAuthentication", "csrf_detail"]

THROTTLE_USERNAME = ADDRESS_ONLY_USERNAME
KEYWORDS = ("bearer", "token")


def _locked(request: Any) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.update_request(request)
    locked: bool = AxesProxyHandler.is_locked(request, credentials={"username": THROTTLE_USERNAME})
    return locked


def _failed(request: Any) -> None:
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.update_request(request)
    user_login_failed.send(sender=__name__, credentials={"username": THROTTLE_USERNAME},
                           request=request)


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        if _locked(request._request):
            _failed(request._request)  # audited as a failed login while locked, like the form's
            raise exceptions.Throttled(detail=LOCKED_OUT_DETAIL)
        if len(header) != 2:
            _failed(request._request)
            raise exceptions.AuthenticationFailed("トークンの形式が正しくありません。")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raw = ""
        token = find_token(raw) if raw else None
        if token is None:
            _failed(request._request)
            raise exceptions.AuthenticationFailed("トークンが無効です（誤り・失効・期限切れ）。")
        if token.last_used_at is None or (timezone.now() - token.last_used_at).total_seconds() > 60:
            type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="kyosai"'


CSRF_DETAIL = "CSRF 検証に失敗しました。"
CSRF_ADVICE = ("ブラウザのセッションで送るときはページの CSRF トークン（X-CSRFToken ヘッダー）を付け、"
               "プログラムからは Authorization: Bearer でトークンを送ってください。")


def csrf_detail(reason: str) -> str:
    """The Japanese message for Django's CSRF failure `reason` (an English sentence)."""
    if reason == csrf.REASON_NO_CSRF_COOKIE:
        cause = "CSRF クッキーがありません。"
    elif reason.startswith("CSRF token"):  # missing, or from POST/header: wrong length, characters
        cause = "CSRF トークンがないか、正しくありません。"
    elif reason.startswith(("Origin checking", "Referer checking")):
        cause = "送信元（Origin・Referer）がこのサイトと一致しません。"
    else:
        cause = ""
    return CSRF_DETAIL + cause + CSRF_ADVICE


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session login, whose CSRF failure (403) says in Japanese what was missing."""

    def enforce_csrf(self, request: Any) -> None:
        def unused_response(request: HttpRequest) -> HttpResponse:  # pragma: no cover
            return HttpResponse()  # the check runs no view: never called

        check = authentication.CSRFCheck(unused_response)
        check.process_request(request)  # sets META["CSRF_COOKIE"], read by process_view
        # DRF's own call: no view (None), which Django's stubs do not allow for
        reason = check.process_view(request, None, (), {})  # type: ignore[arg-type]
        if reason:
            raise exceptions.PermissionDenied(csrf_detail(str(reason)))
