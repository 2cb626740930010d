"""The shared body of `kyosai export targets|results`."""

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.catalog.models import FiscalYear
from kyosai.core.audit import record_cli_export
from kyosai.domain.periods import InvalidMonth, YearMonth
from kyosai.org.models import Branch
from kyosai.results.exports import export_rows, write_csv, write_xlsx


class ExportCommand(BaseCommand):
    dataset = ""

    def add_arguments(self, parser: CommandParser) -> None:
        period = parser.add_mutually_exclusive_group()
        if self.dataset == "results":
            period.add_argument("--month", metavar="YYYY-MM", help="この月の実績だけ")
        period.add_argument("--fiscal-year", type=int, metavar="N", help="この事業年度だけ")
        parser.add_argument("--branch", metavar="CODE", help="この県支部の行だけ")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", "-o", type=Path, help="出力ファイル（xlsx では必須）")

    def handle(self, *args: Any, **options: Any) -> None:
        month = None
        if options.get("month"):
            try:
                month = YearMonth.parse(options["month"])
            except InvalidMonth as exc:
                raise CommandError(f"--month: {exc}", returncode=2) from None
        year = options["fiscal_year"]
        if year is not None and not FiscalYear.objects.filter(year=year).exists():
            raise CommandError(f"--fiscal-year: {year}年度は登録されていません。", returncode=2)
        branch = options["branch"]
        if branch is not None and not Branch.objects.filter(code=branch).exists():
            raise CommandError(f"--branch: 県支部 {branch} が見つかりません。", returncode=2)
        rows = _Counted(export_rows(self.dataset, month=month, fiscal_year=year, branch=branch))
        output: Path | None = options["output"]
        if options["format"] == "xlsx":
            if output is None:
                raise CommandError("xlsx は --output FILE を指定してください。", returncode=2)
            with output.open("wb") as handle:
                write_xlsx(handle, self.dataset, rows)
        elif output is None:
            write_csv(self.stdout if self.stdout else sys.stdout, self.dataset, rows)
        else:
            with output.open("w", encoding="utf-8-sig", newline="") as handle:
                write_csv(handle, self.dataset, rows)
        # the rows stream from the database: counted as written, so audited after
        record_cli_export(self, object_type=f"results.{self.dataset}", object_id=self.dataset,
                          object_repr=f"{self.dataset} の書き出し",
                          scope={"dataset": self.dataset, "month": str(month) if month else None,
                                 "fiscal_year": year, "branch": branch},
                          fmt=options["format"], rows=rows.count, output=output)


class _Counted:
    """An iterable of rows that counts what was written (export_rows may be a generator)."""

    def __init__(self, rows: Iterable[list[str]]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[list[str]]:
        for row in self.rows:
            self.count += 1
            yield row
