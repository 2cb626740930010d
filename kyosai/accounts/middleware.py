"""Sessions end after SESSION_COOKIE_AGE (8 hours) without a request.

Django's SESSION_SAVE_EVERY_REQUEST would write the session row on every request; this moves the
expiry at most once a minute per session instead, which keeps dashboards and exports free of a
write (SQLite serialises writers) while the idle limit stays exact to the minute.
"""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

__all__ = ["IdleSessionMiddleware"]

SEEN = "_kyosai_seen"
REFRESH_SECONDS = 60


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if (session is not None and session.session_key
                and int(time.time()) - int(session.get(SEEN, 0)) >= REFRESH_SECONDS):
            session[SEEN] = int(time.time())  # saved by SessionMiddleware: a new expiry
        response = self.get_response(request)
        if session is not None and session.modified and not session.is_empty():
            session[SEEN] = int(time.time())  # saved anyway (a login, a message): note when
        return response
