"""django-axes, counted so that parallel attempts cannot exceed the limit.

Axes checks the lock before the password and counts a failure after it, so N attempts sent at
once would all pass the check before any was counted. This handler (settings.AXES_HANDLER) counts
every attempt as a failure *before* the password is checked, under a lock on the username and on
the client address (PostgreSQL: transaction-scoped advisory locks; SQLite: the IMMEDIATE
transaction already serialises writers), and takes the failure back when the login succeeds. The
k-th of N simultaneous attempts therefore sees the k-1 before it, and at most AXES_FAILURE_LIMIT
passwords are ever tried per username or address within the cool-off.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_query_str
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import router, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kyosai.core.json_errors import is_api_request, json_error

__all__ = ["ADDRESS_ONLY_USERNAME", "LOCKED_OUT_DETAIL", "SerializedAxesHandler",
           "lockout_parameters", "lockout_response"]

#: What the API answers a locked address (429), in place of the lockout page.
LOCKED_OUT_DETAIL = "認証の失敗が続いたため、しばらく利用できません。"

RESERVED = "kyosai_reserved_attempt"

#: The pseudo login ID every bad API token is counted under (kyosai.api.authentication). Its
#: failures lock the client's address only: locking the ID itself would let anyone lock every
#: token holder out of the API with five bad tokens.
ADDRESS_ONLY_USERNAME = "api-token"
#: What one failure counts against (settings.AXES_LOCKOUT_PARAMETERS): either locks.
LOCKOUT_PARAMETERS = ["username", "ip_address"]

# What authenticate() was given (username, password…): keyword arguments Django leaves untyped.
Credentials = dict[str, object]


class AxesRequest(HttpRequest):
    """A request as django-axes' middleware leaves it (for type checking: the attributes axes sets)."""

    axes_ip_address: str
    axes_user_agent: str
    axes_http_accept: str
    axes_path_info: str
    axes_attempt_time: datetime
    axes_failures_since_start: int
    axes_locked_out: bool
    axes_credentials: Credentials | None


def _lock_id(key: str) -> int:
    """A signed 64-bit number for pg_advisory_xact_lock."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


@contextmanager
def _serialized(request: AxesRequest, credentials: Credentials | None) -> Iterator[None]:
    using = router.db_for_write(AccessAttempt)
    username = get_client_username(request, credentials) or ""
    keys = sorted({f"axes:username:{username}", f"axes:ip:{request.axes_ip_address}"})
    with transaction.atomic(using=using):
        connection = transaction.get_connection(using)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for key in keys:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_id(key)])
        yield


class SerializedAxesHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes ships no types
    """AxesDatabaseHandler whose check and count are one step under a lock."""

    def is_allowed(self, request: AxesRequest, credentials: Credentials | None = None) -> bool:
        with _serialized(request, credentials):
            if not super().is_allowed(request, credentials):
                return False
            self._reserve(request, credentials)
        return True

    def _reserve(self, request: AxesRequest, credentials: Credentials | None) -> None:
        """Count this attempt as a failure now; a successful login takes it back."""
        self.clean_expired_user_attempts(request, credentials)
        attempt, created = AccessAttempt.objects.select_for_update().get_or_create(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
            user_agent=request.axes_user_agent,
            defaults={
                "get_data": get_query_str(request.GET).replace("\0", "0x00"),
                "post_data": get_query_str(request.POST).replace("\0", "0x00"),
                "http_accept": request.axes_http_accept,
                "path_info": request.axes_path_info,
                "failures_since_start": 1,
                "attempt_time": request.axes_attempt_time,
            },
        )
        if not created:
            AccessAttempt.objects.filter(pk=attempt.pk).update(
                failures_since_start=F("failures_since_start") + 1,
                attempt_time=request.axes_attempt_time,
                path_info=request.axes_path_info,
                http_accept=request.axes_http_accept,
            )
        setattr(request, RESERVED, attempt.pk)

    def user_login_failed(self, sender: object, credentials: Credentials,
                          request: AxesRequest | None = None, **kwargs: object) -> None:
        if request is None or getattr(request, RESERVED, None) is None:
            # not counted in advance (refused while locked, or a path without the backend)
            super().user_login_failed(sender, credentials, request, **kwargs)
            return
        delattr(request, RESERVED)
        failures = self.get_failures(request, credentials)
        request.axes_failures_since_start = failures
        if failures >= get_failure_limit(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send("axes", request=request,
                                 username=get_client_username(request, credentials),
                                 ip_address=request.axes_ip_address)

    def user_logged_in(self, sender: object, request: AxesRequest | None, user: AbstractBaseUser,
                       **kwargs: object) -> None:
        pk = getattr(request, RESERVED, None) if request is not None else None
        if pk is not None:
            delattr(request, RESERVED)
            AccessAttempt.objects.filter(pk=pk, failures_since_start__gt=0).update(
                failures_since_start=F("failures_since_start") - 1)
            AccessAttempt.objects.filter(pk=pk, failures_since_start__lte=0).delete()
        super().user_logged_in(sender, request, user, **kwargs)


def lockout_parameters(request_or_attempt: object,
                       credentials: Credentials | None = None) -> list[str]:
    """settings.AXES_LOCKOUT_PARAMETERS: the login ID and the address, each locking on its own;
    only the address for the API's bad tokens (ADDRESS_ONLY_USERNAME)."""
    if isinstance(request_or_attempt, HttpRequest):
        username = get_client_username(request_or_attempt, credentials)
    else:  # an AccessAttempt (axes' clean-ups)
        username = getattr(request_or_attempt, "username", None)
    if username == ADDRESS_ONLY_USERNAME:
        return ["ip_address"]
    return list(LOCKOUT_PARAMETERS)


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: Credentials | None = None) -> HttpResponse:
    """The page a locked login gets (settings.AXES_LOCKOUT_CALLABLE): 429, in Japanese; under
    /api/ the API's `{"detail": …}` with Retry-After (the cool-off) instead of the page."""
    if is_api_request(request):
        response: HttpResponse = json_error(429, LOCKED_OUT_DETAIL)
        response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
        return response
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "registration/locked_out.html",
                  {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}, status=429)
