"""kyosai subscriptions list [USERNAME]."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import write_rows
from kyosai.delivery.models import Subscription


class Command(BaseCommand):
    kyosai_group = "運用"
    help = "メール配信の購読を一覧します（利用者名で絞り込めます）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        subs = Subscription.objects.select_related("user").order_by("pk")
        if options["username"]:
            subs = subs.filter(user__username=options["username"])
        header = ("id", "user", "page", "title", "format", "trigger", "day", "last_month")
        rows = [[str(s.pk), s.user.get_username(), s.path, s.title, s.format, s.trigger,
                 str(s.day or ""), s.last_month] for s in subs]
        record_cli_export(self, object_type="delivery.subscription", object_repr="メール配信の購読",
                          scope={"username": options["username"] or None},
                          fmt=options["format"], rows=len(rows))
        write_rows(self.stdout, header, rows, options["format"],
                   [c in ("id", "day") for c in header])
