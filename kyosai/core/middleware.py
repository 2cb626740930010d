"""Request guards that must run before anything reads the request body."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from kyosai.core.files import size_text

__all__ = ["FORM_ALLOWANCE", "RequestBodyLimit", "body_limit"]

#: Room for the form fields and multipart headers around an uploaded file.
FORM_ALLOWANCE = 1024 * 1024


def body_limit() -> int:
    """The largest request body any route accepts: one upload plus its form."""
    return settings.KYOSAI_MAX_UPLOAD_BYTES + FORM_ALLOWANCE


class RequestBodyLimit:
    """413 for a request whose declared body (CONTENT_LENGTH) is over the limit, before CSRF or a
    view parses it: Django streams a multipart upload of any size to disk otherwise. A body
    without a length is read as empty by Django, so it cannot get past this either."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads an unreadable length as no body
        limit = body_limit()
        if length > limit:
            body = render_to_string("413.html",
                                    {"limit": size_text(settings.KYOSAI_MAX_UPLOAD_BYTES)})
            response = HttpResponse(body, status=413)
            response["Connection"] = "close"  # the unread body is not drained
            return response
        return self.get_response(request)
