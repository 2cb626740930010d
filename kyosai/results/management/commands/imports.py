"""kyosai imports: the log of every import (who, when, file, SHA-256, rows added/replaced)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kyosai.core.tabular import write_rows
from kyosai.results.models import ImportLog


class Command(BaseCommand):
    kyosai_group = "データ取込"
    kyosai_examples = (
        "kyosai imports",
        "kyosai imports --format csv",
    )
    help = "取込履歴（日時・利用者・ファイル名・SHA-256・追加/置換の行数）を新しい順に表示します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=50)
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        header = ["id", "日時", "利用者", "経路", "データ", "ファイル名", "SHA-256", "行数", "追加",
                  "置換", "警告"]
        rows = [[log.pk, timezone.localtime(log.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
                 log.username or (log.user.get_username() if log.user else ""),
                 log.get_source_display(), log.get_dataset_display(), log.file_name,
                 log.sha256 if options["format"] != "table" else log.sha256[:16],
                 log.rows_total, log.rows_added, log.rows_replaced, log.warnings]
                for log in ImportLog.objects.select_related("user")[: options["limit"]]]
        if not rows and options["format"] == "table":
            self.stdout.write("取込履歴はありません。")
            return
        write_rows(self.stdout, header, rows, options["format"],
                   [False] * 7 + [True] * 4)
