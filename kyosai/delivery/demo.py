"""The demo's subscriptions and alerts: `make demo`'s worker mails them into var/mail/ at once."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from kyosai.core.models import AuditEntry
from kyosai.delivery import services
from kyosai.delivery.models import AlertRule, Subscription

__all__ = ["ALERTS", "SUBSCRIPTIONS", "load_demo"]

#: (username, page, its parameters, format, trigger, day) — every kind of page, format and
#: trigger (a monthly one on the 1st: due at once)
SUBSCRIPTIONS: tuple[tuple[str, str, dict[str, str], str, str, int | None], ...] = (
    ("hq", "scorecard", {}, "pdf", "import", None),
    ("branch-14", "scorecard", {"branch": "14"}, "xlsx", "import", None),
    ("union-140001", "scorecard", {"union": "140001"}, "link", "import", None),
    ("branch-14", "plan_summary", {"period": "2024H1", "owner": "14"}, "xlsx", "import", None),
    ("hq", "plan_summary", {"period": "2024H1", "owner": "branches"}, "link", "monthly", 1),
    ("branch-14", "appendix", {"kind": "new_hires"}, "xlsx", "monthly", 1),
    ("hq", "appendix", {"kind": "designations"}, "pdf", "import", None),
)
#: (username, scope, item, measure, condition, points)
ALERTS: tuple[tuple[str, services.Scope, str, str, str, int | None], ...] = (
    ("hq", {"region": "kantoko"}, "total", "new_contracts", "below_pace", 5),
    ("branch-14", {"branch": "14"}, "total", "new_contracts", "mark=△", None),
)


def load_demo() -> None:
    """Idempotent: the demo users' mail addresses, a few subscriptions and alerts, the default
    rules of every branch's staff, and an evaluation queued for the worker. A page the demo does
    not have (no plan, no register rows) is left out."""
    from kyosai.delivery.services import after_import_task

    users = get_user_model().objects
    with transaction.atomic():
        for user in users.filter(email=""):
            user.email = f"{user.username}@demo.kyosai.invalid"
            user.save(update_fields=["email"])
        for username, page, params, fmt, trigger, day in SUBSCRIPTIONS:
            subscriber = users.filter(username=username).first()
            if subscriber is None:
                continue
            try:
                path, title = services.subscription_page(subscriber, page, **params)
            except services.ScopeError:
                continue
            if Subscription.objects.filter(user=subscriber, path=path).exists():
                continue
            services.add_subscription(subscriber, path=path, title=title, fmt=fmt, trigger=trigger,
                                      day=day, source=AuditEntry.Source.CLI)
        for username, scope, item, measure, condition, points in ALERTS:
            owner = users.filter(username=username).first()
            if owner is None or AlertRule.objects.filter(user=owner, is_default=False).exists():
                continue
            services.add_alert(owner, **scope, item=item, measure=measure, condition=condition,
                               points=Decimal(points) if points is not None else None,
                               source=AuditEntry.Source.CLI)
        services.create_default_alerts()
        transaction.on_commit(lambda: after_import_task.enqueue("results"))
