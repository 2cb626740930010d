"""Sent after an import was applied (committed or about to be): other contexts react to new data
(kyosai.delivery evaluates alerts and sends subscriptions) without the import knowing them."""

from django.dispatch import Signal

__all__ = ["dashboards_stale", "results_imported"]

#: kwargs: dataset ("results" | "targets"), log (the ImportLog), user
results_imported = Signal()

#: Sent when new results or targets make the cached dashboards stale (an import, a revert, the
#: demo data), so that the web app recomputes them without results importing the web app.
#: kwargs: background (True: in a thread, for a web upload after its commit). A receiver returns
#: a line for the command's output (what it recomputed) or None.
dashboards_stale = Signal()
