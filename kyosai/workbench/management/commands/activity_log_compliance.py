"""kyosai activity-log compliance --fiscal-year Y --as-of YYYY-MM."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kyosai.accounts.access import SYSTEM
from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import write_rows
from kyosai.domain.activity_log import COMPLIANCE_HEADER
from kyosai.workbench.management.base import add_period_arguments, period_of
from kyosai.workbench.selectors import compliance


class Command(BaseCommand):
    help = "県支部ごとに、定例推進会議（年6回以上）と制度学習会（全県で開催）の規定に対する開催状況を示します。"
    kyosai_group = "活動"

    def add_arguments(self, parser: CommandParser) -> None:
        add_period_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        period = period_of(options)
        rows = [row.as_row() for _branch, row in compliance(period, access=SYSTEM)]
        record_cli_export(self, object_type="workbench.compliance",
                          object_id=f"{period.fiscal_year}/{period.as_of}",
                          object_repr=f"会議規定の開催状況 {period.fiscal_year}年度 {period.as_of}まで",
                          scope={"fiscal_year": period.fiscal_year, "as_of": str(period.as_of)},
                          fmt=options["format"], rows=len(rows))
        write_rows(self.stdout, COMPLIANCE_HEADER, rows, options["format"],
                   align_right=[False] + [True] * (len(COMPLIANCE_HEADER) - 1))
