"""Every error of /api/v1/ in Japanese, in DRF's shape (`{"detail": "…"}` or field errors).

Most messages are DRF's own, translated by its bundled `ja` catalogue (LANGUAGES holds Japanese
only, so LocaleMiddleware activates it whatever Accept-Language says). This handler (settings
REST_FRAMEWORK["EXCEPTION_HANDLER"]) adds what that catalogue lacks: Django's BadRequest (the views'
own Japanese message), a parse error naming where the JSON is broken, the seconds to wait when
throttled, and, last, any message still without Japanese (an English one of a library) replaced
by its status's Japanese message (kyosai.core.json_errors). An error is always JSON, also for
`?format=csv`. Errors Django answers outside DRF (unknown URL, 413, 429 lockout, 500) take the same
shape in kyosai.web.errors, kyosai.core.middleware and kyosai.accounts.lockout.
"""

import json
import math
from typing import Any

from django.core.exceptions import BadRequest
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kyosai.core.json_errors import has_japanese, status_detail

__all__ = ["FIELD_DETAIL", "Refused", "exception_handler", "japanese_message",
           "parse_error_detail"]

#: A field error whose own message is not Japanese.
FIELD_DETAIL = "入力が正しくありません。"
THROTTLED_DETAIL = "リクエストが多すぎます。{wait} 秒後に再度お試しください。"

ErrorData = str | list["ErrorData"] | dict[str, "ErrorData"]


def parse_error_detail(exc: BaseException) -> str:
    """What was wrong with an unreadable body: the JSON error's line and column, if any."""
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, json.JSONDecodeError):
        return f"JSON の形式が正しくありません（{cause.lineno} 行 {cause.colno} 文字目）。"
    if isinstance(cause, UnicodeDecodeError):
        return "リクエストの本文を UTF-8 として読み取れません。"
    return "リクエストの本文を読み取れません。形式（Content-Type）と内容を確かめてください。"


def japanese_message(text: str, fallback: str = FIELD_DETAIL) -> str:
    """`text` if it is a Japanese message, else `fallback` (a library's English one)."""
    return text if has_japanese(text) else fallback


def _japanese(data: ErrorData, fallback: str) -> ErrorData:
    """`data` with every message lacking Japanese replaced by `fallback` (the structure kept)."""
    if isinstance(data, dict):
        return {key: _japanese(value, FIELD_DETAIL if key != "detail" else fallback)
                for key, value in data.items()}
    if isinstance(data, list):
        return [_japanese(item, fallback) for item in data]
    return japanese_message(str(data), fallback)


class Refused(exceptions.APIException):
    """Django's BadRequest raised by a view: 400 with the view's own Japanese message."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_request"


def _translated(exc: Exception) -> Exception:
    """`exc`, or the same error with the Japanese message DRF's catalogue does not give it."""
    if isinstance(exc, BadRequest):
        return Refused(str(exc) or None)
    if isinstance(exc, exceptions.ParseError) and not has_japanese(str(exc.detail)):
        return exceptions.ParseError(parse_error_detail(exc))
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler over `_translated(exc)`; None (Django's 500) for anything not an API error."""
    response = drf_exception_handler(_translated(exc), context)
    if response is None:
        return None
    wait = getattr(exc, "wait", None)  # (the stubs lack Throttled.wait)
    if isinstance(exc, exceptions.Throttled) and wait is not None:
        # DRF appends "Expected available in N seconds." untranslated; Retry-After stays its own
        response.data = {"detail": THROTTLED_DETAIL.format(wait=math.ceil(wait))}
    response.data = _japanese(response.data, status_detail(response.status_code))
    request = context.get("request")
    if request is not None and type(getattr(request, "accepted_renderer", None)) is not JSONRenderer:
        # `?format=csv` (or the schema's YAML, or a format no renderer has) asked for rows or a
        # document; an error is neither: it answers as JSON
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response
