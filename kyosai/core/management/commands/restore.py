"""kyosai restore FILE [--force]: restore a backup after checking its manifest (core.backup)."""

from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "バックアップファイルを検証し（チェックサム・マイグレーション）、空のデータベースに復元します。"
    kyosai_group = "運用"
    kyosai_examples = (
        "kyosai restore /srv/backup/kyosai-2024-12-01.tar",
        "kyosai restore --force /srv/backup/kyosai-2024-12-01.tar",
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="kyosai backup で作ったファイル")
        parser.add_argument("--force", action="store_true",
                            help="データのあるデータベースも上書きする（今のデータは失われます）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["file"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        # A backup of an older version: bring its schema up to this version's.
        call_command("migrate", interactive=False, verbosity=0, stdout=StringIO())
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"復元しました: {options['file']}（{manifest.data['created_at']} 作成、"
            f"{len(manifest.tables)} 表・{rows:,} 行、取込ファイル {len(manifest.data['files'])} 件）")
