"""kyosai audit: the audit trail (who did what, when), newest first, with filters."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kyosai.accounts.access import SYSTEM
from kyosai.core.audit import record_cli_export
from kyosai.core.models import AuditEntry
from kyosai.core.selectors import InvalidAuditFilter, audit_entries, audit_filter, entry_row
from kyosai.core.tabular import write_rows

HEADER = ["id", "日時", "利用者", "経路", "操作", "対象", "対象ID", "表示名", "詳細"]


def _compact(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


class Command(BaseCommand):
    help = "監査ログ（変更・出力・ダウンロード・ログインなどの履歴）を新しい順に表示します。"
    kyosai_group = "運用"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", metavar="YYYY-MM-DD", default="", help="この日から（この日を含む）")
        parser.add_argument("--until", metavar="YYYY-MM-DD", default="", help="この日まで（この日を含む）")
        parser.add_argument("--user", metavar="NAME", default="",
                            help="この利用者（ログインID）の操作だけ（ログイン失敗は試されたID、コマンドは OS の利用者）")
        parser.add_argument("--action", metavar="ACTION", default="",
                            help="この操作だけ: " + ", ".join(AuditEntry.Action.values))
        parser.add_argument("--limit", type=int, default=None, metavar="N", help="新しい順に N 件まで")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            filters = audit_filter(since=options["since"], until=options["until"],
                                   user=options["user"], action=options["action"])
        except InvalidAuditFilter as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError("--limit は 1 以上を指定してください。", returncode=2)
        entries = audit_entries(access=SYSTEM, filters=filters)
        if options["limit"] is not None:
            entries = entries[: options["limit"]]
        fmt = options["format"]
        scope = {"since": options["since"] or None, "until": options["until"] or None,
                 "user": options["user"] or None, "action": options["action"] or None,
                 "limit": options["limit"]}
        if fmt == "json":  # read before the entry of this listing is written
            listed = [entry_row(e) for e in entries.iterator()]
            record_cli_export(self, object_type="core.auditentry", object_repr="監査ログ",
                              scope=scope, fmt=fmt, rows=len(listed))
            self.stdout.write(json.dumps(listed, ensure_ascii=False, indent=2) + "\n")
            return
        header = HEADER + (["変更前", "変更後"] if fmt == "csv" else [])
        rows = []
        for entry in entries.iterator():
            row = entry_row(entry)
            if fmt == "csv":
                when, action = row["timestamp"], row["action"]
            else:
                when = f"{timezone.localtime(entry.timestamp):%Y-%m-%d %H:%M:%S}"
                action = row["action_label"]
            detail = _compact(row["detail"])
            if fmt == "table" and len(detail) > 60:
                detail = detail[:59] + "…"
            cells = [row["id"], when, row["user"] or "-", entry.get_source_display(), action,
                     row["object_type"], row["object_id"], row["object_repr"], detail]
            if fmt == "csv":
                cells += [_compact(row["before"]), _compact(row["after"])]
            rows.append(cells)
        record_cli_export(self, object_type="core.auditentry", object_repr="監査ログ",
                          scope=scope, fmt=fmt, rows=len(rows))
        if not rows and fmt == "table":
            self.stdout.write("該当する監査ログはありません。")
            return
        write_rows(self.stdout, header, rows, fmt, [True] + [False] * (len(header) - 1))
