"""The shared body of `kyosai import activity-log|support FILE [--again]` and the period options."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kyosai.core.files import FileRefused, current_limits, read_limited
from kyosai.domain.periods import InvalidMonth, YearMonth
from kyosai.domain.problems import FileProblems
from kyosai.workbench.services import AlreadyImported

MAX_SHOWN = 200


class LedgerImportCommand(BaseCommand):
    kyosai_group = "データ取込"
    label = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV（UTF-8 / BOM付き / CP932）または xlsx")
        parser.add_argument("--again", action="store_true",
                            help="取り込み済みのファイル（SHA-256 が同じ）をもう一度取り込む")

    def run_import(self, data: bytes, path: Path, again: bool, progress: Any) -> Any:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: ファイルが見つかりません。", returncode=2)
        try:  # refused before it is read when over the size limit
            data = read_limited(path, current_limits().max_bytes)
        except FileRefused as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        try:
            with tqdm(total=max(data.count(b"\n") - 1, 0), desc=self.label, unit="行",
                      file=sys.stderr, disable=options["verbosity"] == 0 or None) as bar:
                outcome = self.run_import(data, path, options["again"], bar)
        except AlreadyImported as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        except FileProblems as exc:
            for problem in exc.errors[:MAX_SHOWN]:
                self.stderr.write(f"エラー: {problem.describe(path.name)}")
            if len(exc.errors) > MAX_SHOWN:
                self.stderr.write(f"エラー: ほか {len(exc.errors) - MAX_SHOWN} 件")
            raise CommandError(f"{path}: {len(exc.errors)} 件のエラーがあるため、何も取り込んでいません。",
                               returncode=2) from None
        self.stdout.write(f"取り込みました: {self.label} {outcome.added + outcome.replaced:,} 行"
                          f"（追加 {outcome.added:,}、置換 {outcome.replaced:,}）。取込番号 {outcome.import_log.pk}")


def add_period_arguments(parser: CommandParser) -> None:
    parser.add_argument("--fiscal-year", type=int, required=True, help="事業年度（例: 2024）")
    parser.add_argument("--as-of", required=True, metavar="YYYY-MM",
                        help="集計の最終月（事業年度の初日からこの月の末日まで）")
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table")


def period_of(options: dict[str, Any]) -> Any:
    from kyosai.workbench.selectors import period_for

    try:
        return period_for(options["fiscal_year"], YearMonth.parse(options["as_of"]))
    except (InvalidMonth, ValueError) as exc:
        raise CommandError(str(exc), returncode=2) from None
