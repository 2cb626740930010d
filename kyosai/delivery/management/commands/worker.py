"""kyosai worker [--burst]: run the queued background tasks (django-tasks-db's db_worker).

Between batches it also removes the pending uploads of /imports/ never applied within a day
(`kyosai.results.uploads.purge_stale`, at most every PURGE_EVERY seconds), so they are gone even
when nobody uploads again and nobody runs `kyosai uploads purge`.
"""

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

#: seconds between two sweeps of the pending uploads (a sweep lists one directory)
PURGE_EVERY = 600.0


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
