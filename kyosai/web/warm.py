"""The dashboard cache rebuilt after new data, so the first view after an import is not slow.

Every cached figure's key carries the data's version (kyosai.web.cache), so an import makes all
entries stale at once. `warm_latest_month()` computes the latest month's figures again as the
views do on a first request (national, the regions, the branches, each branch's scorecards),
into the cache the web workers share (files under KYOSAI_HOME). `kyosai import results|targets`
and `kyosai demo-data` call it (a web upload does not: its pages revalidate, see
on_dashboards_stale); `warm_in_background()` runs it in a thread, one at a time across workers.
Nothing happens where caching is off (the test settings).
"""

import logging
import threading

from django.db import connection

from kyosai.domain.periods import YearMonth
from kyosai.web import cache as page_cache
from kyosai.web.presenters import month_label

__all__ = ["on_dashboards_stale", "warm_in_background", "warm_latest_month"]

logger = logging.getLogger(__name__)
WARMING = "warm:latest-month"  # the claim (kyosai.web.cache.claim) of the one warming at a time


def warm_latest_month() -> YearMonth | None:
    """The latest month's dashboard figures computed into the cache; that month (None if off)."""
    if not page_cache.enabled():
        return None
    from kyosai.accounts.access import SYSTEM
    from kyosai.org.models import Branch
    from kyosai.web import views

    page_cache.forget_version()  # this thread just wrote: read the data's version afresh
    months = views.cached_months()
    if not months:
        return None
    as_of = months[0]
    views.national_scorecards(as_of, access=SYSTEM)
    views.own_scorecards(as_of, access=SYSTEM)
    views.regions_total(as_of, access=SYSTEM)
    views.branches_total(as_of, access=SYSTEM)
    for code in Branch.objects.order_by("code").values_list("code", flat=True):
        views.branch_scorecards(code, as_of, access=SYSTEM)
        views.own_scorecards(as_of, code, access=SYSTEM)
    return as_of


def _warm_and_close() -> None:
    try:
        warm_latest_month()
    except Exception:  # a cold cache is slow, not wrong: log it and let the views compute
        logger.exception("ダッシュボードのキャッシュを更新できませんでした")
    finally:
        connection.close()  # the thread's own connection


def warm_in_background() -> threading.Thread | None:
    """warm_latest_month() in a daemon thread (for web uploads); None where caching is off, or
    while a warming runs already in any worker (uploads every few seconds must not pile warmings
    up on the CPU: the dashboards recompute whatever figures they still miss, kyosai.web.cache)."""
    if not page_cache.enabled():
        return None
    held = page_cache.claim(WARMING)
    if held is None:
        return None

    def warm_then_release() -> None:
        try:
            _warm_and_close()
        finally:
            held.release()

    thread = threading.Thread(target=warm_then_release, name="kyosai-warm-cache", daemon=True)
    try:
        thread.start()
    except BaseException:
        held.release()
        raise
    return thread


def on_dashboards_stale(sender: object, *, background: bool = False, **kwargs: object) -> str | None:
    """The receiver of kyosai.results.signals.dashboards_stale: at once for a command (which
    prints the line returned); nothing for a web upload, whose pages are served as they were and
    recomputed on their next view (kyosai.web.cache, stale-while-revalidate): warming every
    branch's figures after each upload cost a core's worth of CPU under uploads every 10 s
    (benchmarks/load_bench.py), mostly for pages nobody opened before the next upload."""
    if background:
        return None
    month = warm_latest_month()
    if month is None:
        return None
    return f"ダッシュボードのキャッシュを更新しました（{month_label(month)}）。"
