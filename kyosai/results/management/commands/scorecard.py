"""kyosai scorecard: evaluate targets and results by the organisation's rules."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.core.tabular import TableReadError
from kyosai.domain.scorecard_file import ScorecardFileError
from kyosai.results.scorecard_file import evaluate_file, write_evaluated


class Command(BaseCommand):
    help = "目標と実績から到達率・増減・前年同期比・到達目安・評価を計算して表示します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, help="評価する表（CSV または xlsx）")
        parser.add_argument("--fiscal-year-start", type=int, default=6, choices=range(1, 13),
                            metavar="M", help="事業年度の開始月（既定: 6）")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["input"]
        if path is None:
            raise CommandError("--input FILE を指定してください。", returncode=2)
        if not path.is_file():
            raise CommandError(f"{path}: ファイルが見つかりません。", returncode=2)
        try:
            header, lines = evaluate_file(path, options["fiscal_year_start"])
        except TableReadError as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        except ScorecardFileError as exc:
            for error in exc.errors:
                self.stderr.write(error.describe(str(path)))
            raise CommandError(f"{path}: {len(exc.errors)} 件のエラーがあります。", returncode=2) from None
        write_evaluated(self.stdout, header, lines, options["format"])
