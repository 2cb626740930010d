"""kyosai token revoke ID."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.api.models import ApiToken
from kyosai.api.tokens import revoke_token
from kyosai.core.models import AuditEntry


class Command(BaseCommand):
    kyosai_group = "運用"
    kyosai_examples = ("kyosai token revoke 3",)
    help = "API トークンを失効させます（ID は token create が表示した番号）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        token = ApiToken.objects.filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(f"トークン {options['id']} が見つかりません。", returncode=2)
        revoke_token(token, source=AuditEntry.Source.CLI)
        self.stdout.write(f"トークン {token.pk}（{token.prefix}…）を失効させました。")
