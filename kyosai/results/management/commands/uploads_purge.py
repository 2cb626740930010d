"""kyosai uploads purge [--hours N]: remove pending uploads never applied (older than a day)."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.results import uploads


class Command(BaseCommand):
    help = "取込画面でアップロードされたまま適用されなかったファイルを削除します（既定: 24 時間より古いもの）。"
    kyosai_group = "データ取込"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=int(uploads.PENDING_TTL.total_seconds()
                                                             // 3600),
                            help="これより古いものを削除する（時間、既定 24）")

    def handle(self, *args: Any, **options: Any) -> None:
        hours: int = options["hours"]
        if hours < 0:
            raise CommandError("--hours は 0 以上を指定してください。", returncode=2)
        removed = uploads.purge_stale(datetime.timedelta(hours=hours))
        self.stdout.write(f"未適用のアップロードを {removed:,} 件削除しました（{hours} 時間より古いもの）。")
