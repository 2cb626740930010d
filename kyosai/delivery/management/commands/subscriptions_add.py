"""kyosai subscriptions add USERNAME --page scorecard|plan_summary|appendix …"""

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
        "kyosai subscriptions add branch-14 --page plan_summary --period 2024H1 --owner 14",
        "kyosai subscriptions add branch-14 --page appendix --table new_hires --format xlsx",
    )
    help = "利用者に、閲覧できるページ（目標到達状況・実行計画の評価・資料編の表）のメール配信を登録します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--page", choices=list(services.PAGES), default="scorecard",
                            help="ページ（" + "、".join(f"{key}: {label}" for key, label
                                                        in services.PAGES.items()) + "）")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--branch", metavar="CODE", default="")
        scope.add_argument("--region", metavar="CODE", default="")
        scope.add_argument("--union", metavar="CODE", default="")
        parser.add_argument("--format", choices=Subscription.Format.values, default="xlsx")
        parser.add_argument("--on", choices=Subscription.Trigger.values, default="import",
                            help="import: 新しい月の実績の取込後、monthly: 毎月 --day の日")
        parser.add_argument("--day", type=int, help="毎月の送信日（1〜28）")
        parser.add_argument("--period", default="", help="plan_summary の期間（例: 2024H1）")
        parser.add_argument("--owner", default="hq",
                            help="plan_summary の所管: hq（既定）、県支部コード、または branches（県支部計）")
        parser.add_argument("--table", default="",
                            help="appendix: 資料編の表の種類（new_hires など）。scorecard: Excel に"
                                 "出力する表のキー（既定: 最初の表）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"利用者 {options['username']} が見つかりません。", returncode=2)
        try:
            page = options["page"]
            if page != "scorecard" and (options["branch"] or options["region"] or options["union"]):
                raise services.ScopeError("--branch/--region/--union は --page scorecard で使います。")
            path, title = services.subscription_page(
                user, page, branch=options["branch"], region=options["region"],
                union=options["union"], period=options["period"], owner=options["owner"],
                kind=options["table"])
            sub = services.add_subscription(
                user, path=path, title=title, fmt=options["format"], trigger=options["on"],
                day=options["day"], table=options["table"] if page == "scorecard" else "",
                source=AuditEntry.Source.CLI)
        except services.ScopeError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"購読 {sub.pk} を登録しました: {user.get_username()} {sub}")
