"""kyosai subscriptions add USERNAME --page scorecard [--branch|--region|--union CODE] …"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.core.models import AuditEntry
from kyosai.delivery import services
from kyosai.delivery.models import Subscription


class Command(BaseCommand):
    kyosai_group = "運用"
    kyosai_examples = (
        "kyosai subscriptions add branch-14 --page scorecard --branch 14 --format xlsx --on import",
        "kyosai subscriptions add hq --page scorecard --format pdf --on monthly --day 5",
    )
    help = "利用者に、閲覧できるページ（目標到達状況）のメール配信を登録します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--page", choices=["scorecard"], default="scorecard",
                            help="ページ（scorecard: 全国・地連・県支部・単組の目標到達状況）")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--branch", metavar="CODE", default="")
        scope.add_argument("--region", metavar="CODE", default="")
        scope.add_argument("--union", metavar="CODE", default="")
        parser.add_argument("--format", choices=Subscription.Format.values, default="xlsx")
        parser.add_argument("--on", choices=Subscription.Trigger.values, default="import",
                            help="import: 新しい月の実績の取込後、monthly: 毎月 --day の日")
        parser.add_argument("--day", type=int, help="毎月の送信日（1〜28）")
        parser.add_argument("--table", default="", help="Excel に出力する表のキー（既定: 最初の表）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"利用者 {options['username']} が見つかりません。", returncode=2)
        try:
            path, title = services.page_path(user, branch=options["branch"],
                                             region=options["region"], union=options["union"])
            sub = services.add_subscription(user, path=path, title=title, fmt=options["format"],
                                            trigger=options["on"], day=options["day"],
                                            table=options["table"], source=AuditEntry.Source.CLI)
        except services.ScopeError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"購読 {sub.pk} を登録しました: {user.get_username()} {sub}")
