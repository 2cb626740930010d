"""The token scheme in the OpenAPI schema (loaded by ApiConfig.ready)."""

from typing import TYPE_CHECKING

from drf_spectacular.extensions import OpenApiAuthenticationExtension

if TYPE_CHECKING:
    from drf_spectacular.openapi import AutoSchema


# drf-spectacular's registry hook (__init_subclass__) carries no annotations
class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "kyosai.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: "AutoSchema") -> dict[str, str]:
        return {"type": "http", "scheme": "bearer",
                "description": "個人用 API トークン（kys_…）。アカウントの「APIトークン」または "
                               "`kyosai token create` で発行します。"}
