"""kyosai import appendix KIND FILE: store a 資料編 table's entered figures, recompute the rest."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kyosai.activities.models import DEFAULT_FISCAL_YEAR
from kyosai.activities.registers import kinds
from kyosai.activities.services import import_appendix
from kyosai.core.files import FileRefused, current_limits, read_limited
from kyosai.core.tabular import read_table
from kyosai.domain.problems import FileProblems


class Command(BaseCommand):
    kyosai_group = "資料編"
    kyosai_examples = (
        "kyosai import appendix new_hires new_hires.csv --fiscal-year 2024",
    )
    help = ("資料編の表（CSV または xlsx）を取り込みます。KIND はファイル名の語幹（例: new_hires）。"
            "派生列と合計行は再計算し、ファイルの値と異なれば警告します。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", metavar="KIND", help="表の種類: " + ", ".join(kinds()))
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument("--fiscal-year", type=int, default=DEFAULT_FISCAL_YEAR,
                            help=f"事業年度（既定: {DEFAULT_FISCAL_YEAR}）")

    def handle(self, *args: Any, **options: Any) -> None:
        kind: str = options["kind"]
        path: Path = options["file"]
        if kind not in kinds():
            raise CommandError(f"不明な表の種類です: {kind!r}（指定できるもの: {', '.join(kinds())}）",
                               returncode=2)
        if not path.is_file():
            raise CommandError(f"{path}: ファイルが見つかりません。", returncode=2)
        try:
            data = read_limited(path, current_limits().max_bytes)  # refused before it is read
            header, rows = read_table(path, data)
        except FileRefused as exc:  # TableReadError too
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        try:
            with tqdm(total=len(rows), desc=kind, file=sys.stderr, disable=None) as progress:
                result = import_appendix(kind, header, rows, fiscal_year=options["fiscal_year"],
                                         progress=progress, file_name=path.name, data=data)
        except FileProblems as exc:
            for error in exc.errors:
                self.stderr.write(error.describe(path.name))
            raise CommandError(f"{path}: {len(exc.errors)} 件のエラーがあります。何も登録していません。",
                               returncode=2) from None
        for warning in result.warnings:
            self.stderr.write("警告: " + warning.describe(path.name))
        self.stdout.write(
            f"{kind}: 新規 {result.created} 件、更新 {result.updated} 件、変更なし {result.unchanged} 件"
            f"（単組の新規登録 {result.unions_created} 件、警告 {len(result.warnings)} 件）"
            + (f"。取込番号 {result.log.pk}" if result.log is not None else ""))
