"""A mail backend writing each message as one .eml file (RFC 5322, opens in any mail client).

Django's filebased backend appends every message of a connection to one .log file; here each
message is `<timestamp>-<n>.eml` under EMAIL_FILE_PATH ($KYOSAI_HOME/mail by default).
"""

import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

__all__ = ["EmlFileBackend"]

_lock = threading.Lock()
_counter = 0


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, *args: Any, file_path: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # set by mailconfig.email_settings() (through globals(), which type checking cannot see)
        self.directory = Path(file_path or getattr(settings, "EMAIL_FILE_PATH"))  # noqa: B009

    def send_messages(self, email_messages: Any) -> int:
        global _counter
        if not email_messages:
            return 0
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            with _lock:
                _counter += 1
                number = _counter
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            path = self.directory / f"{stamp}-{number:04d}.eml"
            partial = path.with_suffix(".partial")
            partial.write_bytes(message.message().as_bytes(linesep="\r\n"))
            partial.replace(path)
            sent += 1
        return sent
