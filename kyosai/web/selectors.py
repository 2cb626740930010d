"""Reads the pages need besides the results selectors: months with data, names, measures.

Like every selector they take the viewer's `Access`: the catalogue (names, measures) and the
months with data are the organisation's, shown to anyone signed in; a missing access gets nothing.
"""

from kyosai.accounts.access import Access
from kyosai.catalog.models import Measure, Product, ProductGroup, ProductMeasure
from kyosai.domain.periods import YearMonth
from kyosai.results.models import BranchResult, year_month
from kyosai.results.selectors import GROUP_MEASURES, TOTAL_CODE

__all__ = ["available_months", "item_measures", "item_name", "measure_names"]


def available_months(*, access: Access) -> list[YearMonth]:
    """Months with results in the rollup, latest first."""
    if not access.is_authenticated:
        return []
    months = BranchResult.objects.order_by("-month").values_list("month", flat=True).distinct()
    return [year_month(day) for day in months]


def item_name(code: str, by: str, *, access: Access) -> str | None:
    """The group's or product's name (合計 for total), None when there is no such code."""
    if not access.is_authenticated:
        return None
    if by == "group":
        if code == TOTAL_CODE:
            return "合計"
        return ProductGroup.objects.filter(code=code).values_list("name", flat=True).first()
    product = Product.objects.filter(code=code).first()
    return product.label if product else None


def item_measures(code: str, by: str, *, access: Access) -> list[str]:
    """The measures a page for the item offers: section Ⅱ's five, or the product's section Ⅲ ones."""
    if not access.is_authenticated:
        return []
    if by == "group":
        return list(GROUP_MEASURES)
    return list(ProductMeasure.objects.filter(product__code=code, in_section3=True)
                .order_by("measure__display_order").values_list("measure__code", flat=True))


def measure_names(*, access: Access) -> dict[str, str]:
    """Each measure's code → its short name."""
    if not access.is_authenticated:
        return {}
    return dict(Measure.objects.values_list("code", "short_name"))
