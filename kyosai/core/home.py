"""KYOSAI_HOME and the secret key generated into it (read by the settings, so no Django models).

When neither SECRET_KEY nor SECRET_KEY_FILE is set, kyosai keeps its own random key in
`$KYOSAI_HOME/secret_key` (mode 0600): created once, by whichever process needs it first, and
never printed or logged. Problems are ImproperlyConfigured with one Japanese sentence saying
what to do (the `kyosai` command prints it as one line and exits 2).
"""

import os
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

__all__ = ["SECRET_KEY_NAME", "ensure_home", "home_secret_key"]

SECRET_KEY_NAME = "secret_key"


def ensure_home(home: Path) -> Path:
    """KYOSAI_HOME as a writable directory: created if only the last part is missing."""
    if home.is_dir():
        if not os.access(home, os.W_OK | os.X_OK):
            raise ImproperlyConfigured(
                f"KYOSAI_HOME={home} に書き込めません。書き込める場所を KYOSAI_HOME に指定してください。")
        return home
    if home.exists():
        raise ImproperlyConfigured(
            f"KYOSAI_HOME={home} はディレクトリではありません。ディレクトリを指定してください。")
    if not home.parent.is_dir():
        raise ImproperlyConfigured(
            f"KYOSAI_HOME={home} を作れません（{home.parent} がありません）。"
            "既存のディレクトリの下を KYOSAI_HOME に指定してください。")
    try:
        home.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise ImproperlyConfigured(
            f"KYOSAI_HOME={home} を作れません（{exc.strerror}）。"
            "書き込める場所を KYOSAI_HOME に指定してください。") from None
    return home


def home_secret_key(home: Path) -> str:
    """The key in $KYOSAI_HOME/secret_key, generated (0600) if there is none yet."""
    path = home / SECRET_KEY_NAME
    key = _read(path)
    if key:
        return key
    ensure_home(home)
    key = secrets.token_urlsafe(64)
    try:
        handle, temporary = tempfile.mkstemp(dir=home, prefix=".secret_key-")  # mode 0600
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(key + "\n")
        try:
            os.link(temporary, path)  # atomic: the first of two concurrent processes wins
        except FileExistsError:
            key = _read(path)
        finally:
            os.unlink(temporary)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"秘密鍵 {path} を作れません（{exc.strerror}）。KYOSAI_HOME の権限を確認するか、"
            "SECRET_KEY（または SECRET_KEY_FILE）を設定してください。") from None
    if not key:
        raise ImproperlyConfigured(f"秘密鍵 {path} が空です。削除すると作り直します。")
    return key


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "読めない内容です"
        raise ImproperlyConfigured(
            f"秘密鍵 {path} を読めません（{reason}）。権限を確認するか、削除すると作り直します。") from None
