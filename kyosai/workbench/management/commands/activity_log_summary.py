"""kyosai activity-log summary --fiscal-year Y --as-of YYYY-MM [--branch CODE]."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.accounts.access import SYSTEM
from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import write_rows
from kyosai.domain.activity_log import SUMMARY_HEADER
from kyosai.domain.codes import branch_code
from kyosai.org.models import Branch
from kyosai.workbench.management.base import add_period_arguments, period_of
from kyosai.workbench.selectors import summary


class Command(BaseCommand):
    help = "活動記録を種類ごとに集計します（事業年度の初日から指定月の末日まで、件数と人数の合計）。"
    kyosai_group = "活動"

    def add_arguments(self, parser: CommandParser) -> None:
        add_period_arguments(parser)
        parser.add_argument("--branch", default=None, metavar="CODE", help="県支部コード（既定: 全県支部）")

    def handle(self, *args: Any, **options: Any) -> None:
        period = period_of(options)
        branch = None
        if options["branch"]:
            branch = Branch.objects.filter(code=branch_code(options["branch"])).first()
            if branch is None:
                raise CommandError(f"県支部が見つかりません: {options['branch']!r}", returncode=2)
        rows = [totals.as_row() for totals in summary(period, branch, access=SYSTEM).values()]
        record_cli_export(self, object_type="workbench.summary",
                          object_id=f"{period.fiscal_year}/{period.as_of}",
                          object_repr=f"活動記録の集計 {period.fiscal_year}年度 {period.as_of}まで",
                          scope={"fiscal_year": period.fiscal_year, "as_of": str(period.as_of),
                                 "branch": branch.code if branch else None},
                          fmt=options["format"], rows=len(rows))
        write_rows(self.stdout, SUMMARY_HEADER, rows, options["format"],
                   align_right=[False] + [True] * (len(SUMMARY_HEADER) - 1))
