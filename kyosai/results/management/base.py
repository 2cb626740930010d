"""The shared body of `kyosai import targets|results FILE [--dry-run]`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from kyosai.core.files import FileRefused, current_limits, read_limited
from kyosai.results.models import ImportLog
from kyosai.results.services import import_file
from kyosai.results.signals import dashboards_stale

MAX_SHOWN = 200


class ImportCommand(BaseCommand):
    dataset = ""
    label = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV（UTF-8 / BOM付き / CP932）または xlsx")
        parser.add_argument("--dry-run", action="store_true",
                            help="検証だけ行い、データベースには書き込まない")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: ファイルが見つかりません。", returncode=2)
        try:  # refused before it is read when over the size limit
            data = read_limited(path, current_limits().max_bytes)
        except FileRefused as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        outcome = import_file(self.dataset, path.name, data,
                              dry_run=options["dry_run"], progress=options["verbosity"] > 0)
        for problem in outcome.warnings[:MAX_SHOWN]:
            self.stderr.write(f"警告: {problem.describe(str(path))}")
        if len(outcome.warnings) > MAX_SHOWN:
            self.stderr.write(f"警告: ほか {len(outcome.warnings) - MAX_SHOWN} 件")
        if not outcome.ok:
            for problem in outcome.errors[:MAX_SHOWN]:
                self.stderr.write(f"エラー: {problem.describe(str(path))}")
            raise CommandError(f"{path}: {len(outcome.errors)} 件のエラーがあるため、何も取り込んでいません。",
                               returncode=2)
        summary = (f"{self.label} {outcome.rows_added + outcome.rows_replaced:,} 行"
                   f"（追加 {outcome.rows_added:,}、置換 {outcome.rows_replaced:,}、"
                   f"警告 {len(outcome.warnings):,}）")
        if options["dry_run"]:
            self.stdout.write(f"検証のみ（--dry-run）: {summary}。書き込みはしていません。")
        else:
            assert outcome.log is not None  # an import that is not a dry run is logged
            self.stdout.write(f"取り込みました: {summary}。取込番号 {outcome.log.pk}")
            self._revision_changes(outcome)
            warm_dashboards(self.stdout)

    def _revision_changes(self, outcome: Any) -> None:
        """For a revision (第 2 次 …) the file held: how many targets it changed, and the first few."""
        from kyosai.results.revisions import revision_changes

        for year, kind, revision in getattr(outcome, "revisions", []):
            changes = revision_changes(year, kind, revision)
            label = "自主目標" if kind == "own" else "目標"
            self.stdout.write(f"{year}年度 {label} 第{revision}次: 第{revision - 1}次までと比べて "
                              f"{len(changes):,} 件が変わりました"
                              f"（一覧: kyosai targets history --fiscal-year {year} --kind {kind}）")
            for change in changes[:5]:
                before = "なし" if change.before is None else f"{change.before:,.0f}"
                self.stdout.write(f"  {change.branch} {change.union} {change.product} "
                                  f"{change.measure}: {before} → {change.after:,.0f}")


def warm_dashboards(stdout: OutputWrapper) -> None:
    """After new results or targets: the latest month's dashboards computed ahead of the web
    (by the receivers of `dashboards_stale`, kyosai.web.warm), each saying what it did."""
    for _receiver, line in dashboards_stale.send(sender=ImportLog, background=False):
        if line:
            stdout.write(line)
