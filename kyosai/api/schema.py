"""The token scheme in the OpenAPI schema (loaded by ApiConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "kyosai.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "個人用 API トークン（kys_…）。アカウントの「APIトークン」または "
                               "`kyosai token create` で発行します。"}
