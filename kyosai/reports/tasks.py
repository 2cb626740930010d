"""The report build as a background task (`kyosai worker` runs it)."""

from django_tasks import task

__all__ = ["run_build_task"]


@task()
def run_build_task(build_id: int) -> str:
    from kyosai.reports.services import run_build

    return run_build(build_id).status
