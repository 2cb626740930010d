"""kyosai subscriptions remove ID."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.core.models import AuditEntry
from kyosai.delivery import services
from kyosai.delivery.models import Subscription


class Command(BaseCommand):
    kyosai_group = "運用"
    help = "メール配信の購読を解除します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        sub = Subscription.objects.filter(pk=options["id"]).first()
        if sub is None:
            raise CommandError(f"購読 {options['id']} が見つかりません。", returncode=2)
        services.remove_subscription(sub, source=AuditEntry.Source.CLI)
        self.stdout.write(f"購読 {options['id']} を解除しました。")
