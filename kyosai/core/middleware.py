"""Request guards that must run before anything reads the request body."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from kyosai.core.files import size_text
from kyosai.core.json_errors import is_api_request, json_error

__all__ = ["FORM_ALLOWANCE", "RejectNulCharacters", "RequestBodyLimit", "body_limit"]

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
            allowed = size_text(settings.KYOSAI_MAX_UPLOAD_BYTES)
            if is_api_request(request):
                response: HttpResponse = json_error(
                    413, f"リクエストの本文が大きすぎます（ファイルは {allowed} まで）。")
            else:
                response = HttpResponse(render_to_string("413.html", {"limit": allowed}),
                                        status=413)
            response["Connection"] = "close"  # the unread body is not drained
            return response
        return self.get_response(request)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RejectNulCharacters:
    """400 for a query or form value holding a NUL character: no column can store one
    (PostgreSQL refuses it outright), so no view, form or API serializer has to remember it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = [request.GET]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            fields.append(request.POST)
        for data in fields:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise BadRequest("入力に使えない文字（NUL）が含まれています。値を確かめてください。")
        return self.get_response(request)
