"""Creating, checking and revoking personal API tokens.

A token reads `kys_<prefix>_<secret>`: the prefix (public) finds the row, the secret's SHA-256 is
compared in constant time. The whole token is returned once by `create_token` and never stored.
"""

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from kyosai.api.models import ApiToken
from kyosai.core.models import AuditEntry, record_change

__all__ = ["TOKEN_PREFIX", "create_token", "find_token", "revoke_token"]

TOKEN_PREFIX = "kys"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(user: Any, *, name: str = "", expires_on: datetime.date | None = None,
                 by: Any = None, source: str = AuditEntry.Source.WEB) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the plain token (shown to the user once)."""
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=prefix,
                                    digest=_digest(secret), expires_on=expires_on)
    record_change(token, action="create", before=None, user=by or user, source=source)
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def find_token(raw: str) -> ApiToken | None:
    """The active token `raw` names, or None (unknown, wrong secret, revoked or expired)."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(parts[2])):
        return None
    if not token.is_active() or not token.user.is_active:
        return None
    return token


@transaction.atomic
def revoke_token(token: ApiToken, *, by: Any = None,
                 source: str = AuditEntry.Source.WEB) -> ApiToken:
    """Revoke a token (idempotent: a revoked token stays revoked at its first time)."""
    if token.revoked_at is not None:
        return token
    before = token.snapshot()
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_change(token, action="update", before=before, user=by, source=source)
    return token
