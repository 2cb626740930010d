"""Sent after an import was applied (committed or about to be): other contexts react to new data
(kyosai.delivery evaluates alerts and sends subscriptions) without the import knowing them."""

from django.dispatch import Signal

__all__ = ["results_imported"]

#: kwargs: dataset ("results" | "targets"), log (the ImportLog), user
results_imported = Signal()
