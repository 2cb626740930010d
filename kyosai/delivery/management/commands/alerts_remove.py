"""kyosai alerts remove ID."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.core.models import AuditEntry
from kyosai.delivery import services
from kyosai.delivery.models import AlertRule


class Command(BaseCommand):
    kyosai_group = "運用"
    help = "アラートを削除します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        rule = AlertRule.objects.filter(pk=options["id"]).first()
        if rule is None:
            raise CommandError(f"アラート {options['id']} が見つかりません。", returncode=2)
        services.remove_alert(rule, source=AuditEntry.Source.CLI)
        self.stdout.write(f"アラート {options['id']} を削除しました。")
