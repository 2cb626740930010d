"""kyosai imports revert ID [--dry-run]: undo an import (kyosai.results.revert)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.results.management.base import warm_dashboards
from kyosai.results.revert import RevertRefused, revert_import


class Command(BaseCommand):
    help = "取込を取り消し、その取込の前の状態（追加した行は削除、置き換えた値は元に戻す）に戻します。"
    kyosai_group = "データ取込"
    kyosai_examples = (
        "kyosai imports revert 12 --dry-run",
        "kyosai imports revert 12",
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int, help="取込番号（kyosai imports の id）")
        parser.add_argument("--dry-run", action="store_true",
                            help="取り消せるかを確かめ、件数だけ表示する（書き込まない）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = revert_import(options["id"], dry_run=options["dry_run"])
        except RevertRefused as exc:
            raise CommandError(str(exc), returncode=2) from None
        summary = (f"取込番号 {outcome.log.pk}（{outcome.log.get_dataset_display()}・"
                   f"{outcome.log.file_name}）: 削除 {outcome.rows_deleted:,} 行、"
                   f"復元 {outcome.rows_restored:,} 行")
        if outcome.applied:
            self.stdout.write(f"取り消しました: {summary}。")
            warm_dashboards(self.stdout)
        else:
            self.stdout.write(f"検証のみ（--dry-run）: {summary}。書き込みはしていません。")
