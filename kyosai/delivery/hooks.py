"""After an applied import: queue the alert evaluation and subscriptions once it is committed."""

from typing import Any

from django.db import transaction

__all__ = ["on_import"]


def on_import(sender: Any, *, dataset: str, **kwargs: Any) -> None:
    from kyosai.delivery.services import after_import_task

    transaction.on_commit(lambda: after_import_task.enqueue(dataset))
