"""kyosai members unenrolled: active members not enrolled in a product on a date (未加入者)."""

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
    iso,
    product_option,
    union_option,
)
from kyosai.members.selectors import MemberFilters, member_rows

HEADER = ["branch", "union", "member_no", "name", "age", "hired_on", "employment", "officer"]


class Command(BaseCommand):
    help = "指定日に在籍し、共済制度に未加入の組合員（未加入者）を一覧します。"
    kyosai_examples = (
        "kyosai members unenrolled --product group_life --as-of 2024-11-30 --union 140001",
        "kyosai members unenrolled --product general --as-of 2024-11-30 --branch 14 --hired-before 2024-04-01 --max-age 35 --format csv",
    )
    kyosai_group = "組合員"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--product", required=True, help="共済制度（コードまたは名称）")
        parser.add_argument("--as-of", required=True, help="基準日（2024-11-30）")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--branch", help="県支部コード")
        scope.add_argument("--union", help="単組コード")
        parser.add_argument("--officers-only", action="store_true", help="役員だけ")
        parser.add_argument("--max-age", type=int, help="基準日の年齢がこの値以下")
        parser.add_argument("--hired-before", help="採用日がこの日より前（2024-04-01）")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        product = product_option(options["product"])
        as_of = date_option(options["as_of"], "--as-of")
        if as_of is None:
            raise CommandError("--as-of を指定してください。", returncode=2)
        if options["max_age"] is not None and options["max_age"] < 0:
            raise CommandError("--max-age は 0 以上です。", returncode=2)
        filters = MemberFilters(officers_only=options["officers_only"],
                                max_age=options["max_age"],
                                hired_before=date_option(options["hired_before"], "--hired-before"))
        union = union_option(options["union"])
        branch = branch_option(options["branch"])
        rows = member_rows(product, as_of, union=union, branch=branch,
                           filters=filters, access=CLI_ACCESS)
        record_cli_export(self, object_type="members.member",
                          object_id=union.code if union else (branch.code if branch else "all"),
                          scope={"product": product.code, "as_of": as_of.isoformat(),
                                 "union": union.code if union else None,
                                 "branch": branch.code if branch else None, **filters.describe()},
                          fmt=options["format"], rows=len(rows))
        write_rows(self.stdout, HEADER, [
            [r.branch, r.union, r.member_no, r.name, blank(r.age), iso(r.hired_on),
             r.employment, flag(r.officer)] for r in rows], options["format"],
            align_right=[False, False, False, False, True, False, False, False])
