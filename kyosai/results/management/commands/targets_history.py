"""kyosai targets history --fiscal-year Y [--kind official|own]: the revisions and their changes."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import write_rows
from kyosai.domain.formatting import format_number
from kyosai.results.revisions import history

HEADER = ["revision", "effective_from", "branch", "union", "product", "measure", "before", "after"]


class Command(BaseCommand):
    help = "目標の改定（第 1 次・第 2 次 …）と、改定ごとに変わった目標（変更前・変更後）を表示します。"
    kyosai_group = "目標・実績"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fiscal-year", type=int, required=True, help="事業年度（例: 2024）")
        parser.add_argument("--kind", choices=["official", "own"], default="official",
                            help="official（機関目標、既定）または own（自主目標）")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        entries = history(options["fiscal_year"], options["kind"])
        if not entries:
            self.stderr.write(f"{options['fiscal_year']}年度の目標は登録されていません。")
        rows = []
        for entry in entries:
            if not entry.changes:
                rows.append([entry.revision, entry.effective_from, "", "", "", "",
                             "", f"{entry.rows} 行"])
            for change in entry.changes:
                rows.append([entry.revision, entry.effective_from, change.branch, change.union,
                             change.product, change.measure, _value(change.before),
                             _value(change.after)])
        record_cli_export(self, object_type="results.targethistory",
                          object_id=f"{options['fiscal_year']}/{options['kind']}",
                          object_repr=f"目標の改定 {options['fiscal_year']}年度",
                          scope={"fiscal_year": options["fiscal_year"], "kind": options["kind"]},
                          fmt=options["format"], rows=len(rows))
        write_rows(self.stdout, HEADER, rows, options["format"])


def _value(value: Any) -> str:
    if value is None:
        return ""
    places = 0 if value == value.to_integral_value() else 2
    return format_number(value, places)
