"""kyosai members inspections: the 次回車検日 call list of マイカー共済 contracts."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import write_rows
from kyosai.domain.periods import InvalidMonth, YearMonth
from kyosai.members.lifecycle import inspection_rows
from kyosai.members.management.base import (
    CLI_ACCESS,
    FORMATS,
    branch_option,
    flag,
    iso,
    union_option,
)

HEADER = ["branch", "union", "member_no", "name", "contract_no", "vehicle_registered",
          "vehicle_inspected_on", "due_month", "has_compulsory_auto"]


def month_option(text: str, name: str) -> YearMonth:
    try:
        return YearMonth.parse(text)
    except InvalidMonth as exc:
        raise CommandError(f"{name}: {exc}", returncode=2) from None


class Command(BaseCommand):
    help = "マイカー共済の契約から次回車検月を予測し、期間内に車検を迎える契約を一覧します。"
    kyosai_examples = ("kyosai members inspections --from 2024-12 --to 2025-03 --union 140001",)
    kyosai_group = "組合員"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="from_month", required=True, help="開始月（2024-12）")
        parser.add_argument("--to", dest="to_month", required=True, help="終了月（2025-03）")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--branch", help="県支部コード")
        scope.add_argument("--union", help="単組コード")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        first = month_option(options["from_month"], "--from")
        last = month_option(options["to_month"], "--to")
        if last < first:
            raise CommandError("--to は --from 以降の月を指定してください。", returncode=2)
        union = union_option(options["union"])
        branch = branch_option(options["branch"])
        rows = inspection_rows(CLI_ACCESS, first, last, union=union, branch=branch)
        record_cli_export(self, object_type="members.contract",
                          object_id=union.code if union else (branch.code if branch else "all"),
                          scope={"from": str(first), "to": str(last),
                                 "union": union.code if union else None,
                                 "branch": branch.code if branch else None},
                          fmt=options["format"], rows=len(rows))
        write_rows(self.stdout, HEADER, [
            [r.branch, r.union, r.member_no, r.name, r.contract_no, str(r.vehicle_registered),
             iso(r.vehicle_inspected_on), str(r.due_month), flag(r.has_compulsory_auto)]
            for r in rows], options["format"])
