"""The user's subscriptions (with the deliveries and their failures), alerts and notifications.

These are the user's own settings (read-only viewers too): what they subscribe to or watch must
be a page they can see (services.page_path); a refusal shows the page again and writes nothing."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kyosai.accounts.http import AuthenticatedHttpRequest
from kyosai.activities.selectors import list_kinds
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry
from kyosai.delivery import services
from kyosai.delivery.models import AlertRule, Delivery, Notification, Subscription

__all__ = ["notifications", "subscriptions"]


def _scope(request: HttpRequest) -> services.Scope:
    kind = request.POST.get("scope", "nation")
    code = request.POST.get("code", "").strip()
    if kind == "branch":
        return {"branch": code}
    if kind == "region":
        return {"region": code}
    if kind == "union":
        return {"union": code}
    return {}


@login_required
def subscriptions(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "subscribe":
                page = request.POST.get("page", "scorecard")
                scope = _scope(request) if page == "scorecard" else services.Scope()
                path, title = services.subscription_page(
                    user, page if page in services.PAGES else "", **scope,
                    period=request.POST.get("period", "").strip(),
                    owner=request.POST.get("owner", "").strip(),
                    kind=request.POST.get("kind", "").strip())
                day_text = request.POST.get("day", "").strip()
                services.add_subscription(
                    user, path=path, title=title,
                    fmt=request.POST.get("format", "") if request.POST.get("format") in
                    Subscription.Format.values else Subscription.Format.XLSX,
                    trigger=request.POST.get("trigger", "") if request.POST.get("trigger") in
                    Subscription.Trigger.values else Subscription.Trigger.IMPORT,
                    day=int(day_text) if day_text.isdigit() else None)
                messages.success(request, f"「{title}」を購読しました。")
            elif action == "unsubscribe":
                sub = Subscription.objects.filter(pk=request.POST.get("id", "0") or 0,
                                                  user=user).first()
                if sub is None:
                    raise Http404
                services.remove_subscription(sub, by=user)
                messages.success(request, "購読を解除しました。")
            elif action == "alert":
                points_text = request.POST.get("points", "").strip()
                services.add_alert(user, **_scope(request),
                                   item=request.POST.get("item", "total").strip() or "total",
                                   by_kind="product" if request.POST.get("by") == "product"
                                   else "group",
                                   measure=request.POST.get("measure", "holdings").strip(),
                                   condition=request.POST.get("condition", "mark=×"),
                                   points=Decimal(points_text) if points_text else None, by=user)
                messages.success(request, "アラートを追加しました。")
            elif action == "unalert":
                rule = AlertRule.objects.filter(pk=request.POST.get("id", "0") or 0,
                                                user=user).first()
                if rule is None:
                    raise Http404
                services.remove_alert(rule, by=user)
                messages.success(request, "アラートを削除しました。")
            else:
                raise ValueError("操作を指定してください。")
        except (services.ScopeError, InvalidOperation, ValueError) as exc:
            # refused: the page again with the reason, nothing written
            messages.error(request, str(exc) or "入力が正しくありません。")
        else:
            return redirect("delivery:subscriptions")
    context = {
        "subscriptions": Subscription.objects.filter(user=user),
        "rules": AlertRule.objects.filter(user=user).select_related("branch", "region", "union"),
        "deliveries": Delivery.objects.filter(user=user).select_related("subscription")[:30],
        "formats": Subscription.Format.choices, "triggers": Subscription.Trigger.choices,
        "conditions": AlertRule.Condition.choices, "pages": list(services.PAGES.items()),
        "kinds": list_kinds(),
    }
    return render(request, "delivery/subscriptions.html", context)


@login_required
@require_GET
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = list(Notification.objects.filter(user=request.user)[:100])
    unread = [n.pk for n in rows if n.read_at is None]
    if unread:
        Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
        record_event(AuditEntry.Action.VIEW, user=request.user, object_type="delivery.notification",
                     detail={"count": len(unread)})
    return render(request, "delivery/notifications.html", {"notifications": rows,
                                                           "unread": set(unread)})
