"""The demo's other targets, imported like a user's files: HQ's own 付加 target and a 第 2 次 revision.

- 自主目標 (own) for 予定付加掛金: the report's 102.7 億円 beside the official 99.9 億円, spread over
  the branches' official 付加 targets in proportion (whole yen, adding up exactly).
- 第 2 次事業目標 (revision 2) of マイカー共済's 付加, 3 % higher, applying from 2024-12: the
  report's month (2024-11) still compares with 第 1 次, so the report stays as it is.
"""

import csv
import io
from decimal import Decimal

from kyosai.results.models import ImportLog, Target, TargetKind

__all__ = ["OWN_LOADING_YEN", "load_demo"]

DEMO_FISCAL_YEAR = 2024
OWN_LOADING_YEN = 10_270_000_000  # 102.7 億円
REVISED_PRODUCT = "mycar"
REVISION_FACTOR = Decimal("1.03")
REVISION_FROM = "2024-12"
HEADER = ["fiscal_year", "kind", "revision", "effective_from", "branch", "union", "product",
          "measure", "value"]


def _spread(total: int, weights: list[Decimal]) -> list[int]:
    scale = Decimal(total) / sum(weights)
    shares = [w * scale for w in weights]
    values = [int(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: values[i] - shares[i])
    for i in order[: total - sum(values)]:
        values[i] += 1
    return values


def _official_loading() -> list[tuple[str, str, Decimal]]:
    return list(Target.objects.filter(
        fiscal_year__year=DEMO_FISCAL_YEAR, kind=TargetKind.OFFICIAL, revision=1,
        measure__code="loading", union__isnull=True, branch__isnull=False)
        .order_by("branch__display_order", "product__display_order")
        .values_list("branch__code", "product__code", "value"))


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
    own = _spread(OWN_LOADING_YEN, [value for _, _, value in official])
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
