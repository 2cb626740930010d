"""A tiny federation with results for the web tests: four unions in three branches.

Figures are made up; the tests compare pages with the results selectors (the source of truth),
never with numbers copied from our own output.
"""

from decimal import Decimal

from kyosai.catalog.models import FiscalYear, Measure, Product
from kyosai.catalog.services import load_catalog
from kyosai.domain.periods import YearMonth
from kyosai.org.models import Branch, Union
from kyosai.org.services import load_organisation
from kyosai.results.models import BranchResult, BranchTarget, MonthlyResult, Target, month_date

UNIONS = [("14001", "東京第一単組", "14"), ("14002", "東京第二単組", "14"),
          ("01001", "北海道第一単組", "01"), ("13001", "埼玉第一単組", "13")]
PRODUCTS = ("general", "mycar")
MEASURES = ("holdings", "new_contracts", "premiums")
AS_OF = YearMonth(2024, 11)


def _value(union_index: int, product: str, measure: str, month: YearMonth, fy_month: int) -> int:
    base = (union_index + 1) * (1000 if product == "general" else 400)
    if measure == "holdings":
        return base + 10 * fy_month + (5 if month.year == 2024 and union_index % 2 == 0 else 0)
    if measure == "new_contracts":
        return (union_index + 2) * fy_month * (3 if month.year == 2024 else 2)
    return base * 1000 * fy_month  # premiums in yen, cumulative


def build() -> dict[str, Union]:
    load_organisation()
    load_catalog()
    unions = {}
    for code, name, branch in UNIONS:
        unions[code] = Union.objects.create(code=code, name=name,
                                            branch=Branch.objects.get(code=branch))
    products = {p.code: p for p in Product.objects.filter(code__in=PRODUCTS)}
    measures = {m.code: m for m in Measure.objects.filter(code__in=MEASURES)}
    fy2024 = FiscalYear.objects.get(year=2024)
    results, targets = [], []
    totals: dict[tuple[YearMonth, int, str, str], int] = {}
    for index, (code, _, _branch) in enumerate(UNIONS):
        union = unions[code]
        for product in PRODUCTS:
            for measure in MEASURES:
                for year in (2023, 2024):
                    for fy_month in range(1, 7):
                        month = YearMonth(year, 5 + fy_month)
                        value = _value(index, product, measure, month, fy_month)
                        results.append(MonthlyResult(
                            month=month_date(month), branch=union.branch, union=union,
                            product=products[product], measure=measures[measure], value=value))
                        key = (month, union.branch_id, product, measure)
                        totals[key] = totals.get(key, 0) + value
                target = _value(index, product, measure, YearMonth(2024, 12), 12 if measure != "holdings" else 0) + index * 7
                targets.append(Target(fiscal_year=fy2024, branch=union.branch, union=union,
                                      product=products[product], measure=measures[measure],
                                      value=target))
    MonthlyResult.objects.bulk_create(results)
    Target.objects.bulk_create(targets)
    BranchResult.objects.bulk_create([
        BranchResult(month=month_date(month), branch_id=branch, product=products[product],
                     measure=measures[measure], value=value)
        for (month, branch, product, measure), value in totals.items()])
    branch_targets: dict[tuple[int | None, str, str], Decimal] = {}
    for t in targets:
        target_key = (t.branch_id, t.product.code, t.measure.code)
        branch_targets[target_key] = branch_targets.get(target_key, Decimal(0)) + t.value
    BranchTarget.objects.bulk_create([
        BranchTarget(fiscal_year=2024, kind="official", branch_id=branch,
                     product=products[product], measure=measures[measure], value=value)
        for (branch, product, measure), value in branch_targets.items()])
    return unions
