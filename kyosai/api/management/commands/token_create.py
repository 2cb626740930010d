"""kyosai token create USERNAME [--name N] [--expires YYYY-MM-DD]."""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kyosai.api.tokens import create_token
from kyosai.core.models import AuditEntry


class Command(BaseCommand):
    kyosai_group = "運用"
    kyosai_examples = ("kyosai token create branch-14 --name 集計システム --expires 2026-12-31",)
    help = "利用者の API トークンを発行します。トークンはこの一度だけ表示されます。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="トークンの名前（用途）")
        parser.add_argument("--expires", metavar="YYYY-MM-DD", help="有効期限（この日まで有効）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"利用者 {options['username']} が見つかりません。", returncode=2)
        expires = None
        if options["expires"]:
            try:
                expires = datetime.date.fromisoformat(options["expires"])
            except ValueError:
                raise CommandError("--expires は YYYY-MM-DD で指定してください。", returncode=2) from None
            if expires < timezone.localdate():
                raise CommandError("--expires が過去の日付です。", returncode=2)
        token, raw = create_token(user, name=options["name"], expires_on=expires,
                                  source=AuditEntry.Source.CLI)
        self.stderr.write(f"トークン {token.pk}（{token.prefix}…）を発行しました。"
                          "次の行は再表示できません:")
        self.stdout.write(raw)
