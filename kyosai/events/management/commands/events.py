"""kyosai events [--period 2024H1] [--search WORDS] [--format table|csv|json]: list HQ's events."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.accounts.access import SYSTEM
from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import write_rows
from kyosai.domain.events import HalfYear, InvalidPeriod
from kyosai.events.selectors import list_events

HEADER = ["期", "章", "種類", "名称", "開催日", "形式・会場", "参加者", "議題数"]


class Command(BaseCommand):
    kyosai_group = "活動"
    kyosai_examples = (
        "kyosai events --period 2024H1",
        "kyosai events --search 推進委員会 --format csv",
    )
    help = "本部の会議・行事を報告書の順に一覧表示します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", help="掲載期（例 2024H1）。省略時は全期間")
        parser.add_argument("--search", default="", help="名称・議題・議事要録・会場で検索")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = HalfYear.parse(options["period"]) if options["period"] else None
        except InvalidPeriod as error:
            raise CommandError(str(error), returncode=2) from error
        rows = [_row(event) for event in list_events(access=SYSTEM, period=period, query=options["search"])]
        record_cli_export(self, object_type="events.event", object_id=str(period or ""),
                          object_repr=f"会議・行事 {period or '全期間'}",
                          scope={"period": str(period or ""), "search": options["search"]},
                          fmt=options["format"], rows=len(rows))
        write_rows(self.stdout, HEADER, rows, options["format"],
                   align_right=[False] * 6 + [True, True])


def _row(event: Any) -> list[str]:
    venues = [venue.name for venue in event.venues.all()]
    attendance = event.attendance()
    return [
        event.report_period,
        event.section.numeral,
        event.kind_spec.label,
        event.title,
        event.date_text(),
        "・".join((["WEB会議"] if event.is_web else []) + venues),
        "" if attendance is None else f"{attendance:,}",
        str(sum(1 for item in event.agenda_items.all() if item.level == 0)),
    ]
