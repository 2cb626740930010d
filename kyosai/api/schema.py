"""The OpenAPI schema: the token scheme, the session scheme, and every operation's errors.

`ErrorDocumentingSchema` (settings DEFAULT_SCHEMA_CLASS) adds to each operation the error responses
it can really give, each `{"detail": "…"}` (the `Error` component) with a Japanese description:
400 on every operation (kyosai.core.middleware refuses a NUL character in any query or form value;
a broken body; the views' own checks), 401 where a login or token is required, 403 on a write a
browser session may send (CSRF), 404 on a paginated list (a page that does not exist), a path
parameter or a view that declares it (rows outside the viewer's range), 429 where a token is
accepted (an address locked after bad tokens). A response a view declares itself is kept.
"""

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction, OpenApiResponse
from rest_framework.permissions import SAFE_METHODS

__all__ = ["ERROR_DESCRIPTIONS", "ErrorDocumentingSchema"]

ERROR_DESCRIPTIONS: dict[str, str] = {
    "400": "リクエストが正しくない（値の形式、NUL 文字、読み取れない本文など）。"
           "detail が理由を日本語で示す。",
    "401": "認証されていない（トークンもログインもない、トークンの形式が正しくない、"
           "無効・失効・期限切れ）。",
    "403": "ブラウザのセッション（ログイン）で送った書き込みの CSRF 検証に失敗した。"
           "トークンで送るときは起きない。",
    "404": "見つからない、または閲覧できる範囲の外（他の県支部・単組の行など）。"
           "存在しないページ番号も同じ。",
    "429": "不正なトークンが続いたため、この送信元アドレスは一時的に利用できない"
           "（Retry-After 秒後に再試行）。",
}


# drf-spectacular's registry hook (__init_subclass__) carries no annotations
class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "kyosai.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer",
                "description": "個人用 API トークン（kys_…）。アカウントの「APIトークン」または "
                               "`kyosai token create` で発行します。"}


class SessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """DRF's session login (our subclass only words its CSRF failure in Japanese)."""

    target_class = "kyosai.api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                "description": "ブラウザのログイン（セッション）。書き込みには CSRF トークン"
                               "（X-CSRFToken ヘッダー）も要ります。"}


class ErrorDocumentingSchema(AutoSchema):
    def error_codes(self) -> list[str]:
        """The error statuses this operation can answer (see the module's docstring)."""
        from kyosai.api.authentication import SessionAuthentication, TokenAuthentication

        authenticators = self.view.get_authenticators()
        auth = self.get_auth()
        codes = ["400"]
        if auth and {} not in auth:
            codes.append("401")
        if self.method not in SAFE_METHODS and any(
                isinstance(a, SessionAuthentication) for a in authenticators):
            codes.append("403")
        if (self._is_list_view() and getattr(self.view, "pagination_class", None)) or \
                "{" in self.path:  # a path parameter: /plans/{period}/items/
            codes.append("404")
        if any(isinstance(a, TokenAuthentication) for a in authenticators):
            codes.append("429")
        return codes

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        from kyosai.api.serializers import ErrorSerializer

        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = [code for code in self.error_codes() if code not in responses]
        for code in codes:
            # drf-spectacular's own helper (what extend_schema's responses go through), unannotated
            responses[code] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]), code,
                ["application/json"], direction)
        for code, response in responses.items():  # a declared error: described alike
            if code in ERROR_DESCRIPTIONS:
                if not response.get("description"):
                    response["description"] = ERROR_DESCRIPTIONS[code]
                # an error is JSON even when the rows were asked as CSV (kyosai.api.errors)
                response["content"] = {media: body for media, body in response["content"].items()
                                       if media == "application/json"}
        return dict(sorted(responses.items()))
