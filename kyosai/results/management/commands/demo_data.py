"""kyosai demo-data: the demo federation (unions, 36 months of results, targets, other demo data)."""

import time
from typing import Any, Protocol, runtime_checkable

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.accounts.services import DemoRefused, refuse_demo_outside_development
from kyosai.members.demo import load_demo
from kyosai.org.models import Branch
from kyosai.results.demo import UNION_COUNT, generate
from kyosai.results.management.base import warm_dashboards


@runtime_checkable
class DemoLoader(Protocol):
    """An AppConfig adding its app's demo data."""

    def load_demo(self) -> None: ...


#: The apps whose AppConfig.load_demo() adds their demo data, in this order (through the app
#: registry: the results app does not import the apps above it, reports and delivery).
DEMO_APPS = ("accounts", "results", "plans", "activities", "workbench", "events", "reports",
             "delivery")


class Command(BaseCommand):
    kyosai_group = "運用"
    kyosai_examples = (
        "kyosai demo-data",
        "kyosai demo-data --seed 3 --unions 300",
    )
    help = ("デモ用の連合会（全県支部・約2,550単組・2022〜2024年度の36か月の実績と目標）を作成します。"
            "既存の目標・実績はすべて置き換えます。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=0, help="乱数の種（既定: 0）。同じ種なら同じデータ")
        parser.add_argument("--unions", type=int, default=UNION_COUNT,
                            help=f"単組の数（既定: {UNION_COUNT}）。全国の合計は単組数によらず同じ")
        parser.add_argument("--results-only", action="store_true",
                            help="目標・実績だけを作成し、他の機能のデモデータは読み込まない")
        parser.add_argument("--members", choices=("subset", "all", "none"), default="subset",
                            help="架空の組合員名簿: subset（既定: デモ利用者の単組と各県支部の小さな単組）、"
                                 "all（全単組・約70万人）、none（作らない）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            refuse_demo_outside_development()
        except DemoRefused as exc:
            raise CommandError(str(exc), returncode=2) from None
        if not Branch.objects.exists():
            raise CommandError("県支部が登録されていません。先に kyosai init を実行してください。",
                               returncode=2)
        started = time.monotonic()
        summary = generate(seed=options["seed"], unions=options["unions"],
                           progress=options["verbosity"] > 0)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"デモデータを作成しました: 単組 {summary.unions:,}、実績 {summary.results:,} 行、"
            f"目標 {summary.targets:,} 行、集計 {summary.rollup_rows:,} 行（{elapsed:.1f} 秒）")
        if not options["results_only"]:
            self._other_loaders()
            self._roster(options)
        warm_dashboards(self.stdout)

    def _roster(self, options: dict[str, Any]) -> None:
        """The fictional roster (kyosai.members.demo), consistent with the results just made."""
        started = time.monotonic()
        roster = load_demo(options["members"], seed=options["seed"],
                           progress=options["verbosity"] > 0)
        self.stdout.write(
            f"  架空の組合員名簿: 単組 {roster.unions:,}、組合員 {roster.members:,} 人、"
            f"契約 {roster.contracts:,} 件（{time.monotonic() - started:.1f} 秒）")

    def _other_loaders(self) -> None:
        for label in DEMO_APPS:
            config = apps.get_app_config(label)
            if not isinstance(config, DemoLoader):
                raise CommandError(f"{label}: AppConfig.load_demo() がありません")
            config.load_demo()
            self.stdout.write(f"  {config.verbose_name}のデモデータを登録しました。")
