"""The worker's tasks (django-tasks; `kyosai worker` runs them from the database queue)."""

from django_tasks import task

__all__ = ["after_import_task", "send_delivery_task", "send_monthly_task"]


@task()
def after_import_task(dataset: str) -> dict[str, int]:
    from kyosai.delivery.services import after_import

    return after_import(dataset)


@task()
def send_delivery_task(delivery_id: int) -> str:
    from kyosai.delivery.services import send_delivery

    return send_delivery(delivery_id).status


@task()
def send_monthly_task() -> int:
    from kyosai.delivery.services import send_due_monthly

    return send_due_monthly()
