"""The shared body of `kyosai import unions|members|contracts FILE [--dry-run]` and the options
of the member lists."""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.accounts.access import Access
from kyosai.accounts.models import Role
from kyosai.catalog.models import Product
from kyosai.core.files import FileRefused, current_limits, read_limited
from kyosai.domain.codes import branch_code
from kyosai.domain.dates import InvalidDate, parse_date
from kyosai.members.selectors import product_by_word
from kyosai.org.models import Branch, Union
from kyosai.results.services import ImportOutcome

MAX_SHOWN = 200
#: The command line is the operator's: it sees what an HQ admin sees (and is audited as the CLI).
CLI_ACCESS = Access(role=Role.HQ_ADMIN)
FORMATS = ("table", "csv", "json")


class FileImportCommand(BaseCommand):
    kyosai_group = "データ取込"
    label = ""

    def run_import(self, path: Path, data: bytes, **options: Any) -> ImportOutcome:
        raise NotImplementedError

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
        outcome = self.run_import(path, data, dry_run=options["dry_run"],
                                  progress=options["verbosity"] > 0)
        if not outcome.ok:
            for problem in outcome.errors[:MAX_SHOWN]:
                self.stderr.write(f"エラー: {problem.describe(str(path))}")
            if len(outcome.errors) > MAX_SHOWN:
                self.stderr.write(f"エラー: ほか {len(outcome.errors) - MAX_SHOWN} 件")
            raise CommandError(f"{path}: エラーがあるため、何も取り込んでいません。", returncode=2)
        summary = (f"{self.label} {outcome.rows_added + outcome.rows_replaced:,} 行"
                   f"（追加 {outcome.rows_added:,}、置換 {outcome.rows_replaced:,}）")
        if options["dry_run"]:
            self.stdout.write(f"検証のみ（--dry-run）: {summary}。書き込みはしていません。")
        else:
            assert outcome.log is not None  # an applied import has its log
            self.stdout.write(f"取り込みました: {summary}。取込番号 {outcome.log.pk}")


def date_option(text: str | None, name: str) -> date | None:
    try:
        return parse_date(text)
    except InvalidDate as exc:
        raise CommandError(f"{name}: {exc}", returncode=2) from None


def product_option(word: str) -> Product:
    product = product_by_word(word, access=CLI_ACCESS)
    if product is None:
        raise CommandError(f"--product: 共済制度が見つかりません: {word!r}", returncode=2)
    return product


def branch_option(code: str | None) -> Branch | None:
    if not code:
        return None
    branch = Branch.objects.filter(code=branch_code(code) or code).first() or (
        Branch.objects.filter(name=code).first())
    if branch is None:
        raise CommandError(f"--branch: 県支部が見つかりません: {code!r}", returncode=2)
    return branch


def union_option(code: str | None) -> Union | None:
    if not code:
        return None
    union = Union.objects.filter(code=code).first()
    if union is None:
        raise CommandError(f"--union: 単組が見つかりません: {code!r}", returncode=2)
    return union


def flag(value: bool) -> str:
    return "1" if value else "0"


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def blank(value: Any, show: Callable[[Any], str] = str) -> str:
    return "" if value is None else show(value)
