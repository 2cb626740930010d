"""Mail settings from the environment (read by kyosai.settings; Django's exceptions only).

EMAIL_URL      smtp://USER:PASSWORD@HOST:587?tls=1 (STARTTLS), smtps://…:465 (SSL), smtp://HOST:25
or EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL.
With neither, every message is written as one .eml file under $KYOSAI_HOME/mail/ (development,
demo). DEFAULT_FROM_EMAIL names the sender (default kyosai@localhost).
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

__all__ = ["MailConfigError", "email_settings"]

TRUE = ("1", "true", "yes", "on")


class MailConfigError(ImproperlyConfigured, ValueError):
    """A mail setting in the environment that cannot be used (a Japanese message)."""


def email_settings(env: Mapping[str, str], home: Path) -> dict[str, Any]:
    """The EMAIL_* settings the environment asks for."""
    out: dict[str, Any] = {
        "DEFAULT_FROM_EMAIL": env.get("DEFAULT_FROM_EMAIL", "").strip() or "kyosai@localhost",
        "EMAIL_TIMEOUT": 30,
    }
    url = env.get("EMAIL_URL", "").strip()
    host = env.get("EMAIL_HOST", "").strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailConfigError("EMAIL_URL は smtp://ユーザー:パスワード@ホスト:ポート または smtps://… の形式で指定してください。")
        query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
        ssl = parts.scheme == "smtps" or query.get("ssl", "") in TRUE
        try:
            port = parts.port or (465 if ssl else 25)
        except ValueError:
            raise MailConfigError("EMAIL_URL のポート番号が正しくありません。") from None
        out.update(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                   EMAIL_HOST=parts.hostname, EMAIL_PORT=port,
                   EMAIL_HOST_USER=unquote(parts.username or ""),
                   EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
                   EMAIL_USE_SSL=ssl, EMAIL_USE_TLS=not ssl and query.get("tls", "") in TRUE)
    elif host:
        port_text = env.get("EMAIL_PORT", "25").strip() or "25"
        if not port_text.isdigit():
            raise MailConfigError(f"EMAIL_PORT={port_text!r}: ポート番号を数字で指定してください。")
        ssl = env.get("EMAIL_USE_SSL", "").strip().lower() in TRUE
        out.update(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                   EMAIL_HOST=host, EMAIL_PORT=int(port_text),
                   EMAIL_HOST_USER=env.get("EMAIL_HOST_USER", ""),
                   EMAIL_HOST_PASSWORD=env.get("EMAIL_HOST_PASSWORD", ""),
                   EMAIL_USE_SSL=ssl,
                   EMAIL_USE_TLS=not ssl and env.get("EMAIL_USE_TLS", "").strip().lower() in TRUE)
    else:
        out.update(EMAIL_BACKEND="kyosai.delivery.mail.EmlFileBackend",
                   EMAIL_FILE_PATH=str(home / "mail"))
    return out
