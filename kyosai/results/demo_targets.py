"""The demo's other targets, imported like a user's files: HQ's own 付加 target and a 第 2 次 revision.

- 自主目標 (own) for 予定付加掛金: 前年度実績の維持 — each branch's own target for each product is
  its 付加 of the previous fiscal year (at its last month), so the national own target is the
  previous year's 合計: the report's 102.7 億円 (10,269,401千円, Ⅱ.2(2)④) beside the official
  99.9 億円.
- 第 2 次事業目標 (revision 2) of マイカー共済's 付加, 3 % higher, applying from 2024-12: the
  report's month (2024-11) still compares with 第 1 次, so the report stays as it is.
"""

import csv
import io
from decimal import Decimal

from kyosai.catalog.models import FiscalYear
from kyosai.results.models import BranchResult, ImportLog, Target, TargetKind

__all__ = ["load_demo"]

DEMO_FISCAL_YEAR = 2024
REVISED_PRODUCT = "mycar"
REVISION_FACTOR = Decimal("1.03")
REVISION_FROM = "2024-12"
HEADER = ["fiscal_year", "kind", "revision", "effective_from", "branch", "union", "product",
          "measure", "value"]


def _official_loading() -> list[tuple[str, str, Decimal]]:
    return list(Target.objects.filter(
        fiscal_year__year=DEMO_FISCAL_YEAR, kind=TargetKind.OFFICIAL, revision=1,
        measure__code="loading", union__isnull=True, branch__isnull=False)
        .order_by("branch__display_order", "product__display_order")
        .values_list("branch__code", "product__code", "value"))


def _previous_year(official: list[tuple[str, str, Decimal]]) -> list[int]:
    """Each (branch, product)'s 付加 at the last month of the fiscal year before the demo's."""
    last = FiscalYear.objects.get(year=DEMO_FISCAL_YEAR - 1).last_month.first_day()
    actual = {(branch, product): value for branch, product, value in BranchResult.objects.filter(
        month=last, measure__code="loading", branch__isnull=False)
        .values_list("branch__code", "product__code", "value")}
    return [int(actual.get((branch, product), 0)) for branch, product, _ in official]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def load_demo() -> str:
    """Import both files (idempotent: the same rows again replace themselves)."""
    from kyosai.results.services import import_file

    official = _official_loading()
    if not official:
        return "付加の目標がないため、自主目標と第 2 次目標のデモデータは作成しません"
    own = _previous_year(official)
    own_rows = [[str(DEMO_FISCAL_YEAR), "own", "1", "", branch, "", product, "loading", str(v)]
                for (branch, product, _), v in zip(official, own, strict=True)]
    revised = [[str(DEMO_FISCAL_YEAR), "official", "2", REVISION_FROM, branch, "", product,
                "loading", str(int((value * REVISION_FACTOR).to_integral_value()))]
               for branch, product, value in official if product == REVISED_PRODUCT]
    messages = []
    for name, rows in (("demo-own-loading.csv", own_rows), ("demo-revision-2.csv", revised)):
        outcome = import_file("targets", name, _csv(rows), source=ImportLog.Source.DEMO)
        if not outcome.ok:
            raise RuntimeError(f"{name}: {outcome.errors[:3]}")
        messages.append(f"{name} {outcome.rows_added + outcome.rows_replaced} 行")
    return "目標: " + "、".join(messages)
