"""kyosai plan carry-over: start the next period's plans from this period's items."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kyosai.accounts.access import SYSTEM
from kyosai.domain.plans import HalfYear, InvalidPeriod
from kyosai.plans.selectors import UnknownOwner, get_plan
from kyosai.plans.services import PlanAlreadyExists, carry_over_period, carry_over_plan


class Command(BaseCommand):
    kyosai_group = "計画"
    kyosai_examples = (
        "kyosai plan carry-over --period 2024H1 --skip-done",
    )
    help = (
        "今期の実行計画と今後の取り組みから次期の計画を作成します"
        "（実行状況と評価は空、今後の取り組みは引き継ぎ）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="繰り越す期間（例: 2024H1）")
        parser.add_argument("--owner", default="all",
                            help="all（既定: 本部と全県支部）、hq、または県支部コード")
        parser.add_argument("--skip-done", action="store_true",
                            help="◎（完了）の実行計画は引き継がない")

    def handle(self, *args: Any, **options: Any) -> None:
        include_done = not options["skip_done"]
        try:
            period = HalfYear.parse(options["period"])
            if options["owner"] == "all":
                plans = carry_over_period(
                    period, include_done=include_done,
                    progress=lambda plans: tqdm(plans, desc="繰越", unit="計画",
                                                file=sys.stderr, disable=None),
                )
            else:
                plan = get_plan(period, options["owner"], access=SYSTEM)
                if plan is None:
                    raise CommandError(f"{options['owner']} の {period.label()}の計画がありません。",
                                       returncode=2)
                plans = [carry_over_plan(plan, include_done=include_done, source="cli")]
        except (InvalidPeriod, UnknownOwner, PlanAlreadyExists) as exc:
            raise CommandError(str(exc), returncode=2) from None
        if not plans:
            raise CommandError(f"{period.label()}の計画がありません。", returncode=2)
        items = sum(plan.items.count() for plan in plans)
        self.stdout.write(
            f"{period.next().label()}の計画を {len(plans)} 件作成しました（実行計画 {items} 件）。"
        )
