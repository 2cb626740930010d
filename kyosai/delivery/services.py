"""Subscriptions, alert rules and the mails they send.

After each results import (kyosai.results.signals.results_imported) the worker runs
`after_import`: every alert rule is evaluated on the latest month (each firing once per rule and
month: a notification in the app and a mail), and every subscription triggered by imports gets
the new month once. Monthly subscriptions are sent by `send_due_monthly` on their day. A mail is
a Delivery row sent by the worker; a failure is retried with backoff (1, 2, 4, 8 minutes) up to
MAX_ATTEMPTS and shows on the user's subscriptions page. Every sent or failed mail is audited.
"""

import datetime
import html as html_lib
import re
from decimal import Decimal
from typing import Any, TypedDict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks import task

from kyosai.accounts.access import SYSTEM, access_for
from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry, record_change
from kyosai.delivery.models import AlertFiring, AlertRule, Delivery, Notification, Subscription
from kyosai.delivery.render import PageNotVisible, render_attachment, render_html
from kyosai.domain.alerts import fires
from kyosai.domain.formatting import format_pct
from kyosai.domain.periods import YearMonth
from kyosai.org.models import Branch, Region, Union
from kyosai.results import selectors as results

__all__ = [
    "MAX_ATTEMPTS",
    "PAGES",
    "add_alert",
    "add_subscription",
    "after_import",
    "after_import_task",
    "backoff",
    "create_default_alerts",
    "evaluate_alerts",
    "page_path",
    "send_delivery",
    "send_delivery_task",
    "send_monthly_task",
    "subscription_page",
]

MAX_ATTEMPTS = 5


class ScopeError(ValueError):
    """A scope the user may not see or that does not exist (a Japanese message)."""


class Scope(TypedDict, total=False):
    """A scorecard scope as page_path and add_alert take it (no key: the nation)."""

    branch: str
    region: str
    union: str


# --- pages and scopes ------------------------------------------------------------------------

def page_path(user: Any, *, branch: str = "", region: str = "", union: str = "") -> tuple[str, str]:
    """The scorecard page of a scope the user can see, and its title (ScopeError otherwise)."""
    access = access_for(user)
    if branch:
        found = Branch.objects.filter(code=branch).first()
        if found is None or not access.can_view_branch(found.pk):
            raise ScopeError(f"県支部 {branch} は閲覧できません。")
        return reverse("web:branch", args=[found.code]), f"{found.name}の目標到達状況"
    if union:
        found_union = Union.objects.filter(code=union).first()
        if found_union is None or not access.can_view_union(found_union.pk, found_union.branch_id):
            raise ScopeError(f"単組 {union} は閲覧できません。")
        return reverse("web:union", args=[found_union.code]), f"{found_union.name}の目標到達状況"
    if not access.sees_aggregates:
        raise ScopeError("全国・地連の集計は閲覧できません。")
    if region:
        found_region = Region.objects.filter(code=region).first()
        branch_ids = Branch.objects.filter(region__code=region).values_list("pk", flat=True)
        if found_region is None or not access.can_view_region(list(branch_ids)):
            raise ScopeError(f"地連 {region} は閲覧できません。")
        return reverse("web:region", args=[found_region.code]), f"{found_region.name}の目標到達状況"
    return reverse("web:scorecard"), "全国の目標到達状況"


#: The pages one can subscribe to (`kyosai subscriptions add --page`).
PAGES = {"scorecard": "目標到達状況（全国・地連・県支部・単組）",
         "plan_summary": "実行計画の評価（期間・所管別）",
         "appendix": "資料編の表"}


def subscription_page(user: Any, page: str = "scorecard", *, branch: str = "", region: str = "",
                      union: str = "", period: str = "", owner: str = "",
                      kind: str = "") -> tuple[str, str]:
    """The path and title of a page the user can see (ScopeError otherwise): a scorecard, the
    plan summary of a period and owner (hq, a branch code or branches), or an appendix register.

    Whether the user sees a plan summary or a register is decided by the page's own view, run
    once as that user (as every mailing of it will be)."""
    if page == "scorecard":
        return page_path(user, branch=branch, region=region, union=union)
    if page == "plan_summary":
        from kyosai.domain.periods import HalfYear, InvalidPeriod

        try:
            half = HalfYear.parse(period)
        except InvalidPeriod as exc:
            raise ScopeError(str(exc)) from None
        owner_code = (owner or "hq").strip()
        refusal = f"実行計画 {half} {owner_code} は閲覧できません。"
        try:
            path = reverse("plans:summary", args=[str(half), owner_code])
        except NoReverseMatch:  # an owner no page can have (empty, or with a slash)
            raise ScopeError(refusal) from None
        title = _visible_title(user, path, refusal)
        return path, title
    if page == "appendix":
        from kyosai.activities.selectors import list_kinds

        titles = dict(list_kinds())
        if kind not in titles:
            raise ScopeError(f"資料編の表 {kind!r} はありません（指定できるもの: "
                             f"{', '.join(titles)}）。")
        path = reverse("activities:table", args=[kind])
        _visible_title(user, path, f"資料編の表 {kind} は閲覧できません。")
        return path, f"資料編 {titles[kind]}"
    raise ScopeError(f"ページは {', '.join(PAGES)} のいずれかです。")


_TITLE = re.compile(r"<h1>(?P<title>[^<]+)</h1>")


def _visible_title(user: Any, path: str, refusal: str) -> str:
    """The page's heading as the user would see it, or ScopeError when they may not see it."""
    try:
        html = render_html(user, path)
    except PageNotVisible:
        raise ScopeError(refusal) from None
    found = _TITLE.search(html)
    return html_lib.unescape(found.group("title")).strip()[:100] if found else path


@transaction.atomic
def add_subscription(user: Any, *, path: str, title: str, fmt: str, trigger: str,
                     day: int | None = None, table: str = "", by: Any = None,
                     source: str = AuditEntry.Source.WEB) -> Subscription:
    if trigger == Subscription.Trigger.MONTHLY and not (day and 1 <= day <= 28):
        raise ScopeError("毎月の送信日は 1〜28 で指定してください。")
    sub = Subscription.objects.create(user=user, path=path, title=title[:100], format=fmt,
                                      trigger=trigger, day=day, table=table)
    record_change(sub, action="create", before=None, user=by or user, source=source)
    return sub


@transaction.atomic
def remove_subscription(sub: Subscription, *, by: Any = None,
                        source: str = AuditEntry.Source.WEB) -> None:
    before = sub.snapshot()
    sub_pk = sub.pk
    sub.delete()
    sub.pk = sub_pk
    record_change(sub, action="delete", before=before, user=by, source=source)


@transaction.atomic
def add_alert(user: Any, *, branch: str = "", region: str = "", union: str = "",
              item: str = "total", by_kind: str = "group", measure: str = "holdings",
              condition: str = AlertRule.Condition.MARK_POOR, points: Decimal | None = None,
              is_default: bool = False, by: Any = None,
              source: str = AuditEntry.Source.WEB) -> AlertRule:
    page_path(user, branch=branch, region=region, union=union)  # the user must see the scope
    if condition not in AlertRule.Condition.values:
        raise ScopeError(f"条件は {', '.join(AlertRule.Condition.values)} のいずれかです。")
    if condition == AlertRule.Condition.BELOW_PACE and points is None:
        raise ScopeError("below_pace にはポイント（--points N）を指定してください。")
    if points is not None and not (Decimal(0) <= points < Decimal(10000)):
        raise ScopeError("ポイントは 0 以上 10000 未満で指定してください。")
    rule = AlertRule.objects.create(
        user=user, branch=Branch.objects.filter(code=branch).first() if branch else None,
        region=Region.objects.filter(code=region).first() if region else None,
        union=Union.objects.filter(code=union).first() if union else None,
        item=item, by=by_kind, measure=measure, condition=condition, points=points,
        is_default=is_default)
    record_change(rule, action="create", before=None, user=by or user, source=source)
    return rule


@transaction.atomic
def remove_alert(rule: AlertRule, *, by: Any = None, source: str = AuditEntry.Source.WEB) -> None:
    before = rule.snapshot()
    pk = rule.pk
    rule.delete()
    rule.pk = pk
    record_change(rule, action="delete", before=before, user=by, source=source)


def create_default_alerts(*, source: str = AuditEntry.Source.CLI) -> int:
    """Every branch staff member's default rule: their branch's 件数 (合計) mark turning ×."""
    from django.contrib.auth import get_user_model

    from kyosai.accounts.models import Role

    made = 0
    staff = get_user_model().objects.filter(membership__role=Role.BRANCH_STAFF,
                                            membership__branch__isnull=False,
                                            membership__union__isnull=True, is_active=True)
    for user in staff.select_related("membership__branch"):
        branch = user.membership.branch
        assert branch is not None  # the query asked for staff with a branch
        if AlertRule.objects.filter(user=user, is_default=True, branch=branch).exists():
            continue
        add_alert(user, branch=branch.code, item=results.TOTAL_CODE, by_kind="group",
                  measure="holdings", condition=AlertRule.Condition.MARK_POOR, is_default=True,
                  source=source)
        made += 1
    return made


# --- after an import -------------------------------------------------------------------------

def after_import(dataset: str) -> dict[str, int]:
    """Evaluate the alerts and send the import-triggered subscriptions (the worker's task)."""
    month = results.latest_month(access=SYSTEM)
    if month is None:
        return {"firings": 0, "subscriptions": 0}
    firings = evaluate_alerts(month)
    subs = queue_import_subscriptions(month) if dataset == "results" else 0
    return {"firings": firings, "subscriptions": subs}


def _describe(rule: AlertRule, row: Any, path: str, title: str) -> str:
    mark = row.mark.value if row.mark else "－"
    return (f"{title}: {row.label} {row.measure_name} の評価 {mark}（到達率 "
            f"{format_pct(row.achievement_pct)}、到達目安 {format_pct(row.pace_pct)}）"
            f"— 条件「{rule.get_condition_display()}」")[:300]


def evaluate_alerts(month: YearMonth) -> int:
    """Fire every rule whose condition holds on `month`, at most once per rule and month."""
    fired = 0
    cache: dict[tuple[str, str, str], Any] = {}
    for rule in AlertRule.objects.select_related("user", "branch", "region", "union"):
        if AlertFiring.objects.filter(rule=rule, month=str(month)).exists():
            continue
        try:
            path, title = page_path(rule.user, branch=rule.branch.code if rule.branch else "",
                                    region=rule.region.code if rule.region else "",
                                    union=rule.union.code if rule.union else "")
        except ScopeError:
            continue  # the owner may no longer see the scope: nothing is sent
        key = (rule.scope_text(), rule.by, str(month))
        if key not in cache:
            try:
                rows = {(r.code, r.measure): r for r in _scope_rows(rule, month)}
            except results.UnknownScope:
                rows = {}
            cache[key] = rows
        row = cache[key].get((rule.item, rule.measure))
        if row is None or not fires(rule.condition, row, rule.points):
            continue
        link = f"{path}?as_of={month}"
        try:
            with transaction.atomic():
                firing = AlertFiring.objects.create(rule=rule, month=str(month), link=link,
                                                    message=_describe(rule, row, path, title))
                Notification.objects.create(user=rule.user, firing=firing,
                                            message=firing.message, link=link)
                delivery = Delivery.objects.create(user=rule.user, firing=firing,
                                                   key=f"alert:{rule.pk}:{month}", month=str(month))
                record_event(AuditEntry.Action.CREATE, user=None,
                             object_type="delivery.alertfiring", object_id=str(firing.pk),
                             detail={"rule": rule.pk, "month": str(month),
                                     "condition": rule.condition},
                             source=AuditEntry.Source.CLI)
        except IntegrityError:  # another worker fired it first
            continue
        _enqueue(delivery)
        fired += 1
    return fired


def _scope_rows(rule: AlertRule, month: YearMonth) -> list[Any]:
    branch = region = union = None
    if rule.branch is not None:
        branch = rule.branch.code
    elif rule.region is not None:
        region = rule.region.code
    elif rule.union is not None:
        union = rule.union.code
    return results.scorecard(month, by=rule.by, branch=branch, region=region, union=union,
                             access=access_for(rule.user))


def queue_import_subscriptions(month: YearMonth) -> int:
    """One delivery per import-triggered subscription and new month."""
    queued = 0
    for sub in Subscription.objects.filter(trigger=Subscription.Trigger.IMPORT).exclude(
            last_month=str(month)):
        if _queue(sub, month, key=f"sub:{sub.pk}:{month}"):
            queued += 1
        Subscription.objects.filter(pk=sub.pk).update(last_month=str(month))
    return queued


def send_due_monthly(today: datetime.date | None = None) -> int:
    """Monthly subscriptions whose day has come this month and that were not sent this month."""
    today = today or timezone.localdate()
    month = results.latest_month(access=SYSTEM)
    queued = 0
    for sub in Subscription.objects.filter(trigger=Subscription.Trigger.MONTHLY,
                                           day__lte=today.day):
        if sub.last_sent_on and (sub.last_sent_on.year, sub.last_sent_on.month) == (
                today.year, today.month):
            continue
        if _queue(sub, month, key=f"sub:{sub.pk}:{today:%Y-%m}"):
            queued += 1
        Subscription.objects.filter(pk=sub.pk).update(last_sent_on=today)
    return queued


def _queue(sub: Subscription, month: YearMonth | None, key: str) -> bool:
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(user=sub.user, subscription=sub, key=key,
                                               month=str(month) if month else "")
    except IntegrityError:
        return False
    _enqueue(delivery)
    return True


def _enqueue(delivery: Delivery, run_after: datetime.datetime | None = None) -> None:
    task = send_delivery_task.using(run_after=run_after) if run_after else send_delivery_task
    transaction.on_commit(lambda: task.enqueue(delivery.pk))


# --- sending ---------------------------------------------------------------------------------

def backoff(attempts: int) -> datetime.timedelta:
    """The wait before attempt `attempts + 1`: 1, 2, 4, 8 … minutes."""
    return datetime.timedelta(minutes=2 ** max(0, attempts - 1))


def _site() -> str:
    return getattr(settings, "KYOSAI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def _message(delivery: Delivery) -> EmailMessage:
    user = delivery.user
    firing = delivery.firing
    if firing is not None:
        subject = f"[kyosai] アラート: {firing.message[:60]}"
        body = f"{firing.message}\n\n{_site()}{firing.link}\n\n（kyosai のアラート {firing.rule_id}）\n"
        return EmailMessage(subject, body, to=[user.email])
    sub = delivery.subscription
    assert sub is not None  # a delivery is for an alert firing or for a subscription
    as_of = delivery.month
    link = f"{_site()}{sub.path}" + (f"?as_of={as_of}" if as_of else "")
    subject = f"[kyosai] {sub.title}" + (f"（{as_of}）" if as_of else "")
    body = f"{sub.title}\n{link}\n\n（kyosai の購読 {sub.pk}。停止は {_site()}/delivery/subscriptions/ から）\n"
    message = EmailMessage(subject, body, to=[user.email])
    if sub.format != Subscription.Format.LINK:
        attachment = render_attachment(user, sub.path, sub.format, table=sub.table, as_of=as_of)
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send_delivery(pk: int) -> Delivery:
    """Send one delivery now; on failure schedule a retry with backoff (or give up)."""
    delivery = Delivery.objects.select_related("user", "subscription", "firing").get(pk=pk)
    if delivery.status in (Delivery.Status.SENT, Delivery.Status.FAILED):
        return delivery
    delivery.attempts += 1
    permanent = False
    try:
        if not delivery.user.email:
            permanent = True
            raise PageNotVisible("メールアドレスが登録されていません")
        _message(delivery).send()
    except PageNotVisible as exc:
        permanent = True
        error = f"送信できません: {exc}"
    except Exception as exc:  # SMTP down, rendering failed… retried
        error = f"{type(exc).__name__}: {exc}"
    else:
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
        delivery.next_attempt_at = None
        delivery.save()
        _audit(delivery)
        return delivery
    delivery.last_error = error[:300]
    if permanent or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = Delivery.Status.RETRYING
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
    delivery.save()
    _audit(delivery)
    if delivery.status == Delivery.Status.RETRYING:
        _enqueue(delivery, run_after=delivery.next_attempt_at)
    return delivery


def _audit(delivery: Delivery) -> None:
    record_event(AuditEntry.Action.SEND, user=delivery.user, object_type="delivery.delivery",
                 object_id=str(delivery.pk),
                 detail={"kind": "alert" if delivery.firing_id else "subscription",
                         "subscription": delivery.subscription_id, "firing": delivery.firing_id,
                         "status": delivery.status, "attempt": delivery.attempts,
                         "month": delivery.month},
                 source=AuditEntry.Source.CLI)


# --- the worker's tasks (django-tasks; `kyosai worker` runs them from the database queue) -----
# Defined beside what they run, so that queueing one needs no import of a module importing back.

@task()
def after_import_task(dataset: str) -> dict[str, int]:
    return after_import(dataset)


@task()
def send_delivery_task(delivery_id: int) -> str:
    return send_delivery(delivery_id).status


@task()
def send_monthly_task() -> int:
    return send_due_monthly()
