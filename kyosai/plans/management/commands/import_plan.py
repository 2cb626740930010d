"""kyosai import plan FILE: load a PDCA plan file (plan-2024H1.yaml) as HQ's or a branch's plan."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.accounts.access import SYSTEM
from kyosai.domain.problems import FileProblems
from kyosai.plans.files import read_plan_file
from kyosai.plans.selectors import UnknownOwner, resolve_owner
from kyosai.plans.services import import_plan_document


class Command(BaseCommand):
    kyosai_group = "計画"
    kyosai_examples = (
        "kyosai import plan kyosai/plans/data/plan-2024H1.yaml",
        "kyosai import plan plan.yaml --owner 14",
    )
    help = (
        "事業推進計画（実行計画・実行状況・評価・今後の取り組み）の YAML を取り込みます。"
        "同じファイルを何度取り込んでも結果は変わりません。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="計画ファイル（例: plan-2024H1.yaml）")
        parser.add_argument("--owner", default="hq", help="計画の所管: hq（既定）または県支部コード")
        parser.add_argument("--no-branch-plans", action="store_true",
                            help="全県支部で実施する節の県支部別計画を作成しない")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            owner = resolve_owner(options["owner"], access=SYSTEM)
            document = read_plan_file(path)
        except UnknownOwner as exc:
            raise CommandError(str(exc), returncode=2) from None
        except FileProblems as exc:
            lines = [problem.describe(str(path)) for problem in exc.errors]
            if len(lines) == 1 and not (exc.errors[0].place or exc.errors[0].key):
                raise CommandError(lines[0], returncode=2) from None  # the file as a whole
            for line in lines:
                self.stderr.write(line)
            raise CommandError(f"{path}: {len(lines)} 件のエラーがあります。", returncode=2) from None
        branch_plans = owner.is_hq and not options["no_branch_plans"]
        result = import_plan_document(document, owner, branch_plans=branch_plans,
                                      file_name=path.name, data=path.read_bytes())
        counts = document.counts()
        self.stdout.write(
            f"{owner.name} {document.period.label()}: 章 {counts['sections']}・節 {counts['chapters']}・"
            f"方針 {counts['policies']}・実行計画 {counts['items']} 件"
            f"（新規 {result.created}、更新 {result.updated}、変更なし {result.unchanged}）"
        )
        if branch_plans:
            self.stdout.write(f"県支部別の実行計画: 新規 {result.branch_items} 件")
        if result.log is not None:
            self.stdout.write(f"取込番号 {result.log.pk}")
