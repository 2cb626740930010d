"""kyosai plan export: a period's plan as Excel in the report's four-column layout."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.accounts.access import SYSTEM
from kyosai.core.audit import record_cli_export
from kyosai.domain.plans import HalfYear, InvalidPeriod
from kyosai.plans.export import write_plan_workbook
from kyosai.plans.selectors import UnknownOwner, branch_matrix, get_plan, tally_of_plan, tree_of


class Command(BaseCommand):
    kyosai_group = "計画"
    kyosai_examples = (
        "kyosai plan export --period 2024H1 -o plan.xlsx",
        "kyosai plan export --period 2024H1 --owner 14 -o tokyo.xlsx",
    )
    help = "事業推進計画を Excel（実行計画／実行状況／評価／今後の取り組み の4列、A4）に書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="期間（例: 2024H1）")
        parser.add_argument("--owner", default="hq", help="hq（既定）または県支部コード")
        parser.add_argument("--output", "-o", type=Path, required=True, help="書き出す .xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        if output.suffix.lower() != ".xlsx":
            raise CommandError(f"{output}: 出力ファイルは .xlsx にしてください。", returncode=2)
        if not output.parent.is_dir():
            raise CommandError(f"{output.parent}: フォルダがありません。", returncode=2)
        try:
            period = HalfYear.parse(options["period"])
            plan = get_plan(period, options["owner"], access=SYSTEM)
        except (InvalidPeriod, UnknownOwner) as exc:
            raise CommandError(str(exc), returncode=2) from None
        if plan is None:
            raise CommandError(f"{options['owner']} の {period.label()}の計画がありません。",
                               returncode=2)
        matrix = branch_matrix(plan.period, access=SYSTEM) if plan.is_hq else None
        write_plan_workbook(tree_of(plan, access=SYSTEM), tally_of_plan(plan, access=SYSTEM),
                            str(output), matrix=matrix)
        record_cli_export(self, object_type="plans.plan", object_id=str(plan.pk),
                          object_repr=str(plan)[:255],
                          scope={"period": str(plan.period), "owner": options["owner"],
                                 "branch_matrix": matrix is not None},
                          fmt="xlsx", rows=plan.items.count(), output=output)
        self.stdout.write(f"{output} に {plan} を書き出しました（実行計画 {plan.items.count()} 件）。")
