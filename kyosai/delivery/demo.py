"""The demo's subscriptions and alerts: `make demo`'s worker mails them into var/mail/ at once."""

from django.contrib.auth import get_user_model
from django.db import transaction

from kyosai.core.models import AuditEntry
from kyosai.delivery import services
from kyosai.delivery.models import AlertRule, Subscription

__all__ = ["load_demo"]

#: (username, scope, format)
SUBSCRIPTIONS: tuple[tuple[str, services.Scope, str], ...] = (("hq", {}, "pdf"), ("branch-14", {"branch": "14"}, "xlsx"),
                 ("union-140001", {"union": "140001"}, "link"))
#: (username, scope, item, measure, condition, points)
ALERTS: tuple[tuple[str, services.Scope, str, str, str, int | None], ...] = (("hq", {"region": "kantoko"}, "total", "new_contracts", "below_pace", 5),
          ("branch-14", {"branch": "14"}, "total", "new_contracts", "mark=△", None))


def load_demo() -> None:
    """Idempotent: the demo users' mail addresses, a few subscriptions and alerts, the default
    rules of every branch's staff, and an evaluation queued for the worker."""
    from decimal import Decimal

    from kyosai.delivery.tasks import after_import_task

    users = get_user_model().objects
    with transaction.atomic():
        for user in users.filter(email=""):
            user.email = f"{user.username}@demo.kyosai.invalid"
            user.save(update_fields=["email"])
        for username, scope, fmt in SUBSCRIPTIONS:
            subscriber = users.filter(username=username).first()
            if subscriber is None or Subscription.objects.filter(user=subscriber).exists():
                continue
            path, title = services.page_path(subscriber, **scope)
            services.add_subscription(subscriber, path=path, title=title, fmt=fmt, trigger="import",
                                      source=AuditEntry.Source.CLI)
        for username, scope, item, measure, condition, points in ALERTS:
            owner = users.filter(username=username).first()
            if owner is None or AlertRule.objects.filter(user=owner, is_default=False).exists():
                continue
            services.add_alert(owner, **scope, item=item, measure=measure, condition=condition,
                               points=Decimal(points) if points is not None else None,
                               source=AuditEntry.Source.CLI)
        services.create_default_alerts()
        transaction.on_commit(lambda: after_import_task.enqueue("results"))
