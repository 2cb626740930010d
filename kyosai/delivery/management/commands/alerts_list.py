"""kyosai alerts list [USERNAME]."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import write_rows
from kyosai.delivery.models import AlertRule


class Command(BaseCommand):
    kyosai_group = "運用"
    help = "アラートを一覧します（利用者名で絞り込めます）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        rules = AlertRule.objects.select_related("user", "branch", "region", "union").order_by("pk")
        if options["username"]:
            rules = rules.filter(user__username=options["username"])
        header = ("id", "user", "scope", "item", "measure", "when", "points", "default", "fired")
        rows = [[str(r.pk), r.user.get_username(), r.scope_text(), r.item, r.measure,
                 r.condition, "" if r.points is None else str(r.points),
                 "yes" if r.is_default else "", str(r.firings.count())] for r in rules]
        record_cli_export(self, object_type="delivery.alertrule", object_repr="アラート",
                          scope={"username": options["username"] or None},
                          fmt=options["format"], rows=len(rows))
        write_rows(self.stdout, header, rows, options["format"],
                   [c in ("id", "points", "fired") for c in header])
