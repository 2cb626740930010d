"""The 400 page: what was wrong with the request, in the words of the view that refused it."""

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

__all__ = ["bad_request"]


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """kyosai's views raise BadRequest with a Japanese message naming the value to fix."""
    message = str(exception) if isinstance(exception, BadRequest) and exception.args else ""
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request))
