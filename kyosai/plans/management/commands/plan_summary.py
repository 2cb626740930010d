"""kyosai plan summary: the rating tally (◎○△×－) per chapter of a period's plan."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.accounts.access import SYSTEM
from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import write_rows
from kyosai.domain.plans import TALLY_RATINGS, HalfYear, InvalidPeriod
from kyosai.plans.selectors import UnknownOwner, rating_tally

TOTAL_LABEL = "合計"


class Command(BaseCommand):
    kyosai_group = "計画"
    kyosai_examples = (
        "kyosai plan summary --period 2024H1",
        "kyosai plan summary --period 2024H1 --owner branches --format csv",
    )
    help = "実行計画の評価（◎○△×－）を節ごとに集計し、合計とともに表示します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="期間（例: 2024H1）")
        parser.add_argument("--owner", default="hq",
                            help="hq（既定）、県支部コード、または branches（県支部計）")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = HalfYear.parse(options["period"])
            table = rating_tally(period, options["owner"], access=SYSTEM)
        except (InvalidPeriod, UnknownOwner) as exc:
            raise CommandError(str(exc), returncode=2) from None
        if not table.rows:
            raise CommandError(f"{table.owner} の {period.label()}の計画がありません。", returncode=2)
        fmt = options["format"]
        marks = [r.value for r in TALLY_RATINGS]
        header = ["chapter", *marks, "total"]
        rows = [[row.chapter, *row.tally.row()] for row in table.rows]
        rows.append([TOTAL_LABEL, *table.total.row()])
        if fmt == "table":
            titles = [row.title for row in table.rows] + [""]
            header = ["節", "表題", *marks, "計"]
            rows = [[row[0], title, *row[1:]] for row, title in zip(rows, titles, strict=True)]
            if table.total.unrated:
                header.append("未評価")
                unrated = [row.tally.unrated for row in table.rows] + [table.total.unrated]
                rows = [[*row, n] for row, n in zip(rows, unrated, strict=True)]
            self.stdout.write(f"{table.owner} {period.label()} 実行計画の評価")
        record_cli_export(self, object_type="plans.summary", object_id=f"{period}/{options['owner']}",
                          object_repr=f"実行計画の評価 {period} {table.owner}"[:255],
                          scope={"period": str(period), "owner": options["owner"]},
                          fmt=fmt, rows=len(rows))
        write_rows(self.stdout, header, rows, fmt,
                   align_right=[False, False] + [True] * (len(header) - 2))
