"""kyosai worker [--burst]: run the queued background tasks (django-tasks-db's db_worker).

Between batches it also removes the pending uploads of /imports/ never applied within a day
(`kyosai.results.uploads.purge_stale`, at most every PURGE_EVERY seconds), so they are gone even
when nobody uploads again and nobody runs `kyosai uploads purge`.

With KYOSAI_PERSONAL_DATA_RETENTION_DAYS set, the same sweep applies the retention policy once a
local day (`kyosai.members.services.apply_retention_policy`: the day is claimed in the database,
so a restart or a second worker does not purge again that day, and a worker that was stopped
purges on its first sweep). A purge that fails is reported and retried at the next sweep.
"""

import logging
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from kyosai.domain.formatting import format_date

#: seconds between two sweeps of the pending uploads (a sweep lists one directory)
PURGE_EVERY = 600.0

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    kyosai_group = "運用"
    kyosai_examples = ("kyosai worker", "kyosai worker --burst")
    help = ("バックグラウンドの処理（報告書の作成・購読とアラートのメール送信）を実行します。"
            "--burst は溜まっている処理だけを実行して終了します。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--burst", action="store_true",
                            help="溜まっている処理を実行したら終了する")
        parser.add_argument("--interval", type=float, default=2.0,
                            help="処理がないときに待つ秒数（既定: 2）")

    def handle(self, *args: Any, **options: Any) -> None:
        from kyosai.delivery.services import send_due_monthly
        from kyosai.results.uploads import purge_stale

        verbosity = options["verbosity"]
        swept = float("-inf")
        try:
            while True:
                if time.monotonic() - swept >= PURGE_EVERY:
                    removed = purge_stale()
                    swept = time.monotonic()
                    if removed and verbosity > 0:
                        self.stdout.write(f"適用されなかったアップロード {removed} 件を削除しました。")
                    self._apply_retention(verbosity)
                queued = send_due_monthly()
                if queued and verbosity > 0:
                    self.stdout.write(f"毎月の購読 {queued} 件を送信待ちにしました。")
                call_command("db_worker", batch=True, startup_delay=False, reload=False,
                             queue_name="*", verbosity=verbosity, stdout=self.stdout,
                             stderr=self.stderr)
                if options["burst"]:
                    return
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            self.stdout.write("ワーカーを停止しました。")

    def _apply_retention(self, verbosity: int) -> None:
        """The day's retention purge; a failure is reported (no personal data in it: the purge
        deletes by date) and the worker goes on, retrying at the next sweep."""
        from kyosai.members.services import apply_retention_policy

        try:
            run = apply_retention_policy()
        except Exception:
            logger.exception("retention purge failed")
            self.stderr.write("保存期間を過ぎた個人情報の削除に失敗しました。次の巡回で再試行します。")
            return
        if run is not None and verbosity > 0:
            self.stdout.write(f"保存期間 {run.retention_days:,} 日: {format_date(run.left_before)}より前に"
                              f"脱退した組合員 {run.members or 0:,} 人の個人情報を削除しました。")
