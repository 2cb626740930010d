"""The REST API's error shape, `{"detail": "…"}` in Japanese, for what Django answers itself.

DRF's views answer their own errors (kyosai.api.errors.exception_handler). Some requests under
/api/ are answered before or outside any DRF view: a body over the limit (413, core.middleware),
a malformed multipart body or a NUL character (400), an unknown URL (404), a locked address (429,
accounts.lockout), a server error (500; the handlers in kyosai.web.errors). Under /api/ those answer
in the API's shape too, never with an HTML page; everywhere else with the site's pages.
"""

import re

from django.http import HttpRequest, JsonResponse

__all__ = ["API_PREFIX", "STATUS_DETAILS", "has_japanese", "is_api_request", "json_error",
           "status_detail"]

API_PREFIX = "/api/"

#: The detail of an error whose own message is missing or not Japanese, by status code.
STATUS_DETAILS: dict[int, str] = {
    400: "リクエストの内容が正しくありません。",
    401: "認証されていません。トークンまたはログインが必要です。",
    403: "この操作を行う権限がありません。",
    404: "見つかりませんでした。",
    405: "このメソッドは使えません。",
    406: "指定された形式（Accept）では応答できません。",
    413: "リクエストの本文が大きすぎます。",
    415: "この形式（Content-Type）の本文は受け付けていません。",
    429: "リクエストが多すぎます。しばらくしてから再度お試しください。",
    500: "サーバーでエラーが発生しました。しばらくしてから再度お試しください。",
}
GENERIC_DETAIL = "リクエストを処理できませんでした。"

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")


def has_japanese(text: str) -> bool:
    """True when `text` holds a kana, kanji or full-width character (a Japanese message)."""
    return _JAPANESE.search(text) is not None


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def status_detail(status: int) -> str:
    return STATUS_DETAILS.get(status, GENERIC_DETAIL)


def json_error(status: int, detail: str = "") -> JsonResponse:
    """`{"detail": detail}` with `status`; a missing or non-Japanese detail is the status's own."""
    text = detail if detail and has_japanese(detail) else status_detail(status)
    return JsonResponse({"detail": text}, status=status, json_dumps_params={"ensure_ascii": False})
