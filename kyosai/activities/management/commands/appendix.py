"""kyosai appendix KIND: print a 資料編 table with every derived column and total recomputed."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.accounts.access import SYSTEM
from kyosai.activities.selectors import appendix_table, list_kinds
from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import write_rows
from kyosai.domain.periods import InvalidMonth, YearMonth


class Command(BaseCommand):
    kyosai_group = "資料編"
    kyosai_examples = (
        "kyosai appendix new_hires",
        "kyosai appendix designations --format csv",
    )
    help = ("資料編の表を、派生列と合計行をすべて再計算して表示します（表の年度の列は _cur、"
            "前年度の列は _prev で終わります）。")

    def add_arguments(self, parser: CommandParser) -> None:
        names = [kind for kind, _ in list_kinds()]
        parser.add_argument("kind", metavar="KIND", help="表の種類: " + ", ".join(names))
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--fiscal-year", type=int, default=None,
                            help="事業年度（既定: 登録されている最新の年度）")
        parser.add_argument("--fill-from-members", action="store_true",
                            help="new_hires のみ: 組合員名簿から当年度の列（生協加入数・団生加入数・"
                                 "発効月）を書き込んでから表示")
        parser.add_argument("--year", type=int, default=None,
                            help="--fill-from-members の採用年（=事業年度）")
        parser.add_argument("--as-of", default=None, metavar="YYYY-MM",
                            help="会議の開催状況を活動記録から集計する月（既定: 表の月、なければ記録の最終月）")

    def handle(self, *args: Any, **options: Any) -> None:
        names = [kind for kind, _ in list_kinds()]
        if options["kind"] not in names:
            raise CommandError(f"不明な表の種類です: {options['kind']!r}（指定できるもの: "
                               f"{', '.join(names)}）", returncode=2)
        if options["fill_from_members"]:
            if options["kind"] != "new_hires" or options["year"] is None:
                raise CommandError("--fill-from-members は new_hires と --year を指定して使います。",
                                   returncode=2)
            from kyosai.members.services import fill_new_hires

            written = fill_new_hires(options["year"])
            self.stderr.write(f"組合員名簿から {written} 県支部の当年度の列を書き込みました。")
            options["fiscal_year"] = options["year"]
        as_of = None
        if options["as_of"]:
            try:
                as_of = YearMonth.parse(options["as_of"])
            except InvalidMonth as exc:
                raise CommandError(str(exc), returncode=2) from None
        header, rows = appendix_table(options["kind"], options["fiscal_year"], access=SYSTEM,
                                      as_of=as_of)
        align = [all(_numeric(row[i]) for row in rows if row[i]) for i in range(len(header))]
        record_cli_export(self, object_type="activities.appendix", object_id=options["kind"],
                          object_repr=f"資料編 {options['kind']}",
                          scope={"table": options["kind"], "fiscal_year": options["fiscal_year"],
                                 "as_of": str(as_of) if as_of else None},
                          fmt=options["format"], rows=len(rows))
        write_rows(self.stdout, header, rows, options["format"], align_right=align)


def _numeric(text: str) -> bool:
    return text.lstrip("-").replace(".", "", 1).isdigit()
