"""kyosai unions merge FROM INTO: 産別統合・単組統合 (members, contracts, results move to INTO)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.members.services import MergeRefused, merge_unions


class Command(BaseCommand):
    help = "単組を統合します（組合員・契約・実績・目標を統合先へ移し、統合元は無効にして履歴を残します）。"
    kyosai_examples = (
        "kyosai unions merge 140002 140001",
    )
    kyosai_group = "組合員"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", metavar="FROM", help="統合元の単組コード")
        parser.add_argument("target", metavar="INTO", help="統合先の単組コード")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = merge_unions(options["source"], options["target"])
        except MergeRefused as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(
            f"単組 {options['source']} を {options['target']} に統合しました: 組合員 {outcome.members:,} 人、"
            f"実績 {outcome.results:,} 行、目標 {outcome.targets:,} 行。")
