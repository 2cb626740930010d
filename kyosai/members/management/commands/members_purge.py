"""kyosai members purge: delete the personal data of members who left before a date, or who left
longer ago than the retention policy allows (--retention, KYOSAI_PERSONAL_DATA_RETENTION_DAYS)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.domain.formatting import format_date
from kyosai.members.management.base import date_option
from kyosai.members.services import PurgeOutcome, purge_leavers, purge_past_retention


class Command(BaseCommand):
    help = "指定日より前に（--retention: 保存期間を過ぎて）脱退した組合員の個人情報（名簿・契約・声かけ記録、取込の置換前の写し）を削除します（監査記録あり）。"
    kyosai_examples = (
        "kyosai members purge --left-before 2020-04-01 --dry-run",
        "kyosai members purge --retention --dry-run",
    )
    kyosai_group = "組合員"

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--left-before", help="この日より前に脱退した人が対象（2020-04-01）")
        which.add_argument("--retention", action="store_true",
                           help="保存期間（KYOSAI_PERSONAL_DATA_RETENTION_DAYS 日）を過ぎた人が対象"
                                "（今日からその日数を引いた日より前に脱退した人）")
        parser.add_argument("--dry-run", action="store_true", help="件数だけ表示し、削除しない")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        if options["retention"]:
            days: int | None = getattr(settings, "KYOSAI_PERSONAL_DATA_RETENTION_DAYS", None)
            if days is None:
                raise CommandError(
                    "保存期間が設定されていません。KYOSAI_PERSONAL_DATA_RETENTION_DAYS に日数を"
                    "指定するか、--left-before で日付を指定してください。", returncode=2)
            cutoff, outcome = purge_past_retention(days, dry_run=dry_run)
            self.stdout.write(f"保存期間 {days:,} 日: {format_date(cutoff)}より前に脱退した組合員が対象です。")
        else:
            day = date_option(options["left_before"], "--left-before")
            if day is None:
                raise CommandError("--left-before を指定してください。", returncode=2)
            outcome = purge_leavers(day, dry_run=dry_run)
        self._report(outcome, dry_run)

    def _report(self, outcome: PurgeOutcome, dry_run: bool) -> None:
        summary = (f"組合員 {outcome.members:,} 人、契約 {outcome.contracts:,} 件、"
                   f"声かけ記録 {outcome.follow_ups:,} 件（{len(outcome.by_union):,} 単組）、"
                   f"移行確認・新採用者の状況と車検案内の記録 {outcome.statuses:,} 件、"
                   f"取込の取消用に保存した置換前の組合員・契約 {outcome.replaced:,} 件、"
                   f"保存した名簿・契約ファイル {outcome.files:,} 件")
        if dry_run:
            self.stdout.write(f"削除の対象（--dry-run、削除していません）: {summary}")
        else:
            self.stdout.write(f"削除しました: {summary}。単組の実績の件数はそのままです。")
