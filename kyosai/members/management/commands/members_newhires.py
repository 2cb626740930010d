"""kyosai members newhires: the new-hire campaign (組合と共済の同時加入, 5 月発効) of a year."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import write_rows
from kyosai.members.lifecycle import new_hire_rows
from kyosai.members.management.base import CLI_ACCESS, FORMATS, blank, branch_option


class Command(BaseCommand):
    help = "新規採用者の生協加入数・団生加入数・加入率と発効月を県支部別・単組別に集計します。"
    kyosai_examples = ("kyosai members newhires --year 2024 --by union --branch 14 --format csv",)
    kyosai_group = "組合員"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="採用年（2024）")
        parser.add_argument("--branch", help="県支部コード")
        parser.add_argument("--by", choices=("branch", "union"), default="branch")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if not 1900 <= year <= 2999:
            raise CommandError(f"--year: 年は1900〜2999で指定してください: {year}", returncode=2)
        by = options["by"]
        branch = branch_option(options["branch"])
        rows = new_hire_rows(CLI_ACCESS, year, by=by, branch=branch)
        record_cli_export(self, object_type="members.newhires", object_id=str(year),
                          scope={"year": year, "by": by, "branch": branch.code if branch else None},
                          fmt=options["format"], rows=len(rows))
        second = "branch_name" if by == "branch" else "union"
        header = ["branch", second, "effective_months", "coop_joined", "life_joined", "rate_pct"]
        write_rows(self.stdout, header, [
            [r.branch, r.branch_name if by == "branch" else r.union,
             ",".join(str(m) for m in r.effective_months), r.coop_joined, r.life_joined,
             blank(r.rate_pct)] for r in rows], options["format"])
