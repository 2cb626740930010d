"""The worker's tasks, defined in `kyosai.delivery.services` beside what they run.

This module keeps their old dotted paths importable for rows queued before they moved.
"""

from kyosai.delivery.services import after_import_task, send_delivery_task, send_monthly_task

__all__ = ["after_import_task", "send_delivery_task", "send_monthly_task"]
