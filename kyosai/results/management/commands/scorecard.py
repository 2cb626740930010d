"""kyosai scorecard: evaluate targets and results by the organisation's rules.

--input FILE evaluates a table read from a file; --as-of YYYY-MM evaluates the database.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.accounts.access import SYSTEM
from kyosai.core.audit import record_cli_export
from kyosai.core.tabular import TableReadError
from kyosai.domain.periods import InvalidMonth, YearMonth
from kyosai.domain.problems import FileProblems
from kyosai.results.scorecard_db import write_scorecard
from kyosai.results.scorecard_file import evaluate_file, write_evaluated
from kyosai.results.selectors import TargetChoice, UnknownScope, scorecard


class Command(BaseCommand):
    kyosai_group = "目標・実績"
    kyosai_examples = (
        "kyosai scorecard --input tests/fixtures/golden/national_summary.csv",
        "kyosai scorecard --as-of 2024-11 --branch 14 --by product",
    )
    help = ("目標と実績から到達率・増減・前年同期比・到達目安・評価を計算して表示します。"
            "--input でファイルの表を、--as-of でデータベースの実績を評価します。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, help="評価する表（CSV または xlsx）")
        parser.add_argument("--as-of", dest="as_of", metavar="YYYY-MM",
                            help="データベースの実績をこの月現在で評価（掛金は前月）")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--branch", metavar="CODE", help="県支部コード（例: 13）")
        scope.add_argument("--region", metavar="CODE", help="地連コード（例: kantoko）")
        scope.add_argument("--union", metavar="CODE", help="単組コード")
        parser.add_argument("--by", choices=["group", "product"], default="group",
                            help="group: 制度グループ別（Ⅱ）、product: 制度別（Ⅲ）")
        parser.add_argument("--fiscal-year-start", type=int, default=6, choices=range(1, 13),
                            metavar="M", help="--input の事業年度の開始月（既定: 6）")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--target-kind", choices=["official", "own"], default="official",
                            help="比べる目標: official（機関目標、既定）または own（自主目標）")
        parser.add_argument("--target-revision", type=int, default=None, metavar="N",
                            help="目標の改定（1 = 第 1 次 …）。既定: 基準月に適用中の最新の改定")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["input"]
        if options["as_of"] is not None:
            if path is not None:
                raise CommandError("--input と --as-of は同時に指定できません。", returncode=2)
            self._from_database(options)
            return
        if path is None:
            raise CommandError("--input FILE または --as-of YYYY-MM を指定してください。",
                               returncode=2)
        if not path.is_file():
            raise CommandError(f"{path}: ファイルが見つかりません。", returncode=2)
        try:
            header, lines = evaluate_file(path, options["fiscal_year_start"])
        except TableReadError as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        except FileProblems as exc:
            for error in exc.errors:
                self.stderr.write(error.describe(str(path)))
            raise CommandError(f"{path}: {len(exc.errors)} 件のエラーがあります。", returncode=2) from None
        write_evaluated(self.stdout, header, lines, options["format"])

    def _from_database(self, options: dict[str, Any]) -> None:
        try:
            as_of = YearMonth.parse(options["as_of"])
        except InvalidMonth as exc:
            raise CommandError(f"--as-of: {exc}", returncode=2) from None
        try:
            if options["target_revision"] is not None and options["target_revision"] < 1:
                raise CommandError("--target-revision は 1 以上です。", returncode=2)
            targets = TargetChoice(kind=options["target_kind"], revision=options["target_revision"])
            rows = scorecard(as_of, branch=options["branch"], region=options["region"],
                             union=options["union"], by=options["by"], targets=targets,
                             access=SYSTEM)
        except UnknownScope as exc:
            raise CommandError(str(exc), returncode=2) from None
        if all(row.actual is None for row in rows):
            self.stderr.write(f"{as_of} の実績が登録されていません。")
        record_cli_export(self, object_type="results.scorecard", object_id=str(as_of),
                          object_repr=f"実績 {as_of}",
                          scope={"as_of": str(as_of), "branch": options["branch"],
                                 "region": options["region"], "union": options["union"],
                                 "by": options["by"]},
                          fmt=options["format"], rows=len(rows))
        write_scorecard(self.stdout, rows, options["by"], options["format"])
