"""kyosai members purge: delete the personal data of members who left before a date."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.members.management.base import date_option
from kyosai.members.services import purge_leavers


class Command(BaseCommand):
    help = "指定日より前に脱退した組合員の個人情報（名簿・契約・声かけ記録、取込の置換前の写し）を削除します（監査記録あり）。"
    kyosai_examples = (
        "kyosai members purge --left-before 2020-04-01 --dry-run",
    )
    kyosai_group = "組合員"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--left-before", required=True, help="この日より前に脱退した人が対象（2020-04-01）")
        parser.add_argument("--dry-run", action="store_true", help="件数だけ表示し、削除しない")

    def handle(self, *args: Any, **options: Any) -> None:
        day = date_option(options["left_before"], "--left-before")
        if day is None:
            raise CommandError("--left-before を指定してください。", returncode=2)
        outcome = purge_leavers(day, dry_run=options["dry_run"])
        summary = (f"組合員 {outcome.members:,} 人、契約 {outcome.contracts:,} 件、"
                   f"声かけ記録 {outcome.follow_ups:,} 件（{len(outcome.by_union):,} 単組）、"
                   f"取込の取消用に保存した置換前の組合員・契約 {outcome.replaced:,} 件、"
                   f"保存した名簿・契約ファイル {outcome.files:,} 件")
        if options["dry_run"]:
            self.stdout.write(f"削除の対象（--dry-run、削除していません）: {summary}")
        else:
            self.stdout.write(f"削除しました: {summary}。単組の実績の件数はそのままです。")
