"""kyosai members penetration: per union, 加入率・組織加入・残件数 of a product on a date."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import write_rows
from kyosai.members.management.base import (
    CLI_ACCESS,
    FORMATS,
    blank,
    branch_option,
    date_option,
    flag,
    product_option,
)
from kyosai.members.selectors import penetration

HEADER = ["branch", "union", "members", "enrolled", "rate_pct", "organised", "officers",
          "officers_enrolled", "target", "actual", "remaining", "unenrolled", "coverable"]


class Command(BaseCommand):
    help = "単組ごとの加入率・組織加入・残件数（名簿から数えた件数）を一覧します。"
    kyosai_examples = (
        "kyosai members penetration --product group_life --as-of 2024-11-30 --branch 14",
    )
    kyosai_group = "組合員"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--product", required=True, help="共済制度（コードまたは名称）")
        parser.add_argument("--as-of", required=True, help="基準日（2024-11-30）")
        parser.add_argument("--branch", help="県支部コード")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        product = product_option(options["product"])
        as_of = date_option(options["as_of"], "--as-of")
        if as_of is None:
            raise CommandError("--as-of を指定してください。", returncode=2)
        branch = branch_option(options["branch"])
        rows = penetration(product, as_of, branch=branch, access=CLI_ACCESS)
        record_cli_export(self, object_type="members.penetration", object_id=product.code,
                          scope={"product": product.code, "as_of": as_of.isoformat(),
                                 "branch": branch.code if branch else None},
                          fmt=options["format"], rows=len(rows))
        write_rows(self.stdout, HEADER, [
            [r.branch, r.union, r.members, r.enrolled, blank(r.rate, lambda v: f"{v:.1f}"),
             flag(r.organised), r.officers, r.officers_enrolled, blank(r.target),
             blank(r.actual), blank(r.remaining), r.unenrolled, blank(r.coverable)]
            for r in rows], options["format"], align_right=[False, False] + [True] * 11)
