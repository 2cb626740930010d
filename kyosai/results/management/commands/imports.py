"""kyosai imports: the log of every import (who, when, file, SHA-256, rows added/replaced, whether
it was reverted, and in csv/json where its file is kept)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kyosai.core import filestore
from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import write_rows
from kyosai.results.models import ImportLog


class Command(BaseCommand):
    kyosai_group = "データ取込"
    kyosai_examples = (
        "kyosai imports",
        "kyosai imports --format json",
    )
    help = "取込履歴（日時・利用者・ファイル名・SHA-256・追加/置換の行数・取消）を新しい順に表示します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=50)
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        table = options["format"] == "table"
        header = ["id", "日時", "利用者", "経路", "データ", "ファイル名", "SHA-256", "行数", "追加",
                  "置換", "警告", "状態"]
        if not table:
            header.append("保存ファイル")  # under KYOSAI_HOME
        rows = []
        for log in ImportLog.objects.select_related("user")[: options["limit"]]:
            row = [log.pk, timezone.localtime(log.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
                   log.username or (log.user.get_username() if log.user else ""),
                   log.get_source_display(), log.get_dataset_display(), log.file_name,
                   log.sha256[:16] if table else log.sha256,
                   log.rows_total, log.rows_added, log.rows_replaced, log.warnings,
                   "取消済" if log.reverted_at else ""]
            if not table:
                kept = (filestore.path_for(log.sha256)
                        if log.source != ImportLog.Source.DEMO else None)
                row.append(kept.relative_to(filestore.imports_dir().parent).as_posix()
                           if kept is not None and kept.is_file() else "")
            rows.append(row)
        record_cli_export(self, object_type="results.importlog", object_repr="取込履歴",
                          scope={"limit": options["limit"]}, fmt=options["format"], rows=len(rows))
        if not rows and table:
            self.stdout.write("取込履歴はありません。")
            return
        write_rows(self.stdout, header, rows, options["format"],
                   [False] * 7 + [True] * 4 + [False] * (len(header) - 11))
