"""kyosai alerts add USERNAME --branch CODE --product P --measure M --when mark=×."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.catalog.models import Measure, Product, ProductGroup
from kyosai.core.models import AuditEntry
from kyosai.delivery import services
from kyosai.delivery.models import AlertRule
from kyosai.results.selectors import TOTAL_CODE


class Command(BaseCommand):
    kyosai_group = "運用"
    kyosai_examples = (
        "kyosai alerts add branch-14 --branch 14 --product total --measure holdings --when mark=×",
        "kyosai alerts add hq --region kantoko --product general --measure new_contracts "
        "--when below_pace --points 5",
    )
    help = "利用者にアラート（評価が×・到達目安を下回る・前年割れ）を登録します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--branch", metavar="CODE", default="")
        scope.add_argument("--region", metavar="CODE", default="")
        scope.add_argument("--union", metavar="CODE", default="")
        parser.add_argument("--product", default=TOTAL_CODE,
                            help="制度コード、制度グループのコード、または total（合計、既定）")
        parser.add_argument("--by", choices=["group", "product"],
                            help="--product を制度グループ（group）か制度（product）として読む"
                                 "（既定: 制度があれば制度）")
        parser.add_argument("--measure", default="holdings", help="指標コード（holdings＝件数 など）")
        parser.add_argument("--when", choices=AlertRule.Condition.values, default="mark=×")
        parser.add_argument("--points", help="below_pace: 到達目安を下回るポイント数")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"利用者 {options['username']} が見つかりません。", returncode=2)
        item = options["product"]
        if options["by"]:
            by = options["by"]
        elif Product.objects.filter(code=item).exists():
            by = "product"
        elif item == TOTAL_CODE or ProductGroup.objects.filter(code=item).exists():
            by = "group"
        else:
            raise CommandError(f"制度・制度グループ {item} が見つかりません。", returncode=2)
        if not Measure.objects.filter(code=options["measure"]).exists():
            raise CommandError(f"指標 {options['measure']} が見つかりません。", returncode=2)
        try:
            points = Decimal(options["points"]) if options["points"] else None
        except InvalidOperation:
            raise CommandError("--points は数値で指定してください。", returncode=2) from None
        try:
            rule = services.add_alert(user, branch=options["branch"], region=options["region"],
                                      union=options["union"], item=item, by_kind=by,
                                      measure=options["measure"], condition=options["when"],
                                      points=points, source=AuditEntry.Source.CLI)
        except services.ScopeError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"アラート {rule.pk} を登録しました: {user.get_username()} "
                          f"{rule.scope_text()} {item} {rule.measure} {rule.condition}")
