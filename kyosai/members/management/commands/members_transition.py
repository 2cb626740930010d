"""kyosai members transition: the 64歳以上移行確認リスト of a fiscal year."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import write_rows
from kyosai.members.lifecycle import transition_rows
from kyosai.members.management.base import (
    CLI_ACCESS,
    FORMATS,
    blank,
    branch_option,
    iso,
    union_option,
)

HEADER = ["branch", "union", "member_no", "name", "birth_date", "age_at_fy_end", "reasons",
          "reemployment_ends_on", "left_on", "products", "offer"]


class Command(BaseCommand):
    help = "事業年度中に64歳以上・再任用終了・退職となる組合員（64歳以上移行確認リスト）を一覧します。"
    kyosai_examples = ("kyosai members transition --fiscal-year 2024 --union 140001 --format csv",)
    kyosai_group = "組合員"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fiscal-year", type=int, required=True, help="事業年度（2024）")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--branch", help="県支部コード")
        scope.add_argument("--union", help="単組コード")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["fiscal_year"]
        if not 1900 <= year <= 2999:
            raise CommandError(f"--fiscal-year: 年度は1900〜2999で指定してください: {year}",
                               returncode=2)
        union = union_option(options["union"])
        branch = branch_option(options["branch"])
        rows = transition_rows(CLI_ACCESS, year, union=union, branch=branch)
        record_cli_export(self, object_type="members.member",
                          object_id=union.code if union else (branch.code if branch else "all"),
                          scope={"fiscal_year": year, "union": union.code if union else None,
                                 "branch": branch.code if branch else None},
                          fmt=options["format"], rows=len(rows))
        write_rows(self.stdout, HEADER, [
            [r.branch, r.union, r.member_no, r.name, iso(r.birth_date), blank(r.age_at_fy_end),
             ";".join(r.reasons), iso(r.reemployment_ends_on), iso(r.left_on),
             ";".join(r.products), ";".join(r.offer)] for r in rows], options["format"])
