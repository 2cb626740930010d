"""The error pages: what was wrong with the request, in the words of the view that refused it.

Under /api/ the same errors answer in the API's shape (`{"detail": "…"}`, kyosai.core.json_errors):
an unknown URL, a malformed multipart body or a server error there is never an HTML page.
"""

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.views import defaults

from kyosai.core.json_errors import is_api_request, json_error

__all__ = ["MULTIPART_DETAIL", "bad_request", "page_not_found", "server_error"]

#: Django's own message names the parser's internals (in English); this one says what to fix.
MULTIPART_DETAIL = ("リクエストの本文を multipart/form-data として読み取れません。"
                    "境界（boundary）と各部分の形式を確かめてください。")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """kyosai's views raise BadRequest with a Japanese message naming the value to fix."""
    message = str(exception) if isinstance(exception, BadRequest) and exception.args else ""
    if is_api_request(request):
        if isinstance(exception, MultiPartParserError):
            message = MULTIPART_DETAIL
        return json_error(400, message)
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 404 page; under /api/ (an unknown URL) the API's 404."""
    if is_api_request(request):
        return json_error(404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's fixed 500 page; under /api/ the API's 500, saying nothing of the error."""
    if is_api_request(request):
        return json_error(500)
    return defaults.server_error(request)
