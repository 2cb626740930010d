"""The report build's task, defined in `kyosai.reports.services` beside what it runs.

This module keeps its old dotted path importable for builds queued before it moved.
"""

from kyosai.reports.services import run_build_task

__all__ = ["run_build_task"]
