"""kyosai backup FILE: a consistent snapshot of the database and the imported files (core.backup)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.core.audit import record_cli_export
from kyosai.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "データベースと取込ファイルを、稼働中のまま一つのバックアップファイル（マニフェスト付き）に保存します。"
    kyosai_group = "運用"
    kyosai_examples = ("kyosai backup /srv/backup/kyosai-2024-12-01.tar",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="書き出すバックアップファイル（tar）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        rows = sum(manifest.tables.values())
        # the whole database (personal data included) leaves in one file: an export
        record_cli_export(self, object_type="core.backup",
                          object_id=manifest.data["payload"]["sha256"][:16],
                          object_repr="バックアップ",
                          scope={"vendor": manifest.vendor, "tables": len(manifest.tables),
                                 "files": len(manifest.data["files"]),
                                 "sha256": manifest.data["payload"]["sha256"]},
                          fmt="backup", rows=rows, output=options["file"])
        self.stdout.write(
            f"バックアップしました: {options['file']}（{len(manifest.tables)} 表・{rows:,} 行、"
            f"取込ファイル {len(manifest.data['files'])} 件、SHA-256 "
            f"{manifest.data['payload']['sha256'][:16]}…）")
