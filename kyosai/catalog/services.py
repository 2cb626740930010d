"""Writes to the product catalogue's master data."""

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from kyosai.catalog.models import (
    FiscalYear,
    GuidanceBand,
    Measure,
    Product,
    ProductGroup,
    ProductMeasure,
)

__all__ = ["GUIDANCE_FILE", "after_retirement", "guidance", "load_catalog"]

CATALOG_FILE = Path(__file__).parent / "data" / "catalog.yaml"
GUIDANCE_FILE = Path(__file__).parent / "data" / "guidance.yaml"


@transaction.atomic
def load_catalog(path: Path = CATALOG_FILE) -> int:
    """Create the groups, measures, products and fiscal years that are missing; return how many.

    Existing rows are left as they are, so edits made in the admin survive `kyosai init`.
    """
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = 0
    for row in data["groups"]:
        created += ProductGroup.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "display_order": row["display_order"]}
        )[1]
    for row in data["measures"]:
        created += Measure.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"], "short_name": row["short_name"], "kind": row["kind"],
                "unit": row["unit"], "reporting_lag_months": row["lag"],
                "display_order": row["display_order"],
            },
        )[1]
    offers = {str(k): str(v) for k, v in (data.get("after_retirement") or {}).items()}
    bands: dict[str, list[dict[str, Any]]] = (
        yaml.safe_load(GUIDANCE_FILE.read_text(encoding="utf-8")) or {})
    for order, row in enumerate(data["products"], start=1):
        created += _load_product(row, order, offers, bands)
    for row in data["fiscal_years"]:
        created += FiscalYear.objects.get_or_create(
            year=row["year"], defaults={"start_month": row["start_month"]}
        )[1]
    return created


def _load_product(row: dict[str, Any], order: int, offers: dict[str, str],
                  bands: dict[str, list[dict[str, Any]]]) -> int:
    product, was_created = Product.objects.get_or_create(
        code=row["code"],
        defaults={
            "name": row["name"],
            "report_label": row.get("report_label", ""),
            "group": ProductGroup.objects.get(code=row["group"]) if row.get("group") else None,
            "kind": row.get("kind", Product.Kind.PLAIN),
            "parent": Product.objects.get(code=row["parent"]) if row.get("parent") else None,
            "in_group_totals": row.get("in_group_totals", True),
            "is_reference": row.get("is_reference", False),
            "display_order": order,
            "after_retirement": offers.get(row["code"], ""),
        },
    )
    if not was_created:
        return 0
    for band in bands.get(product.code, []):
        GuidanceBand.objects.create(product=product, min_age=band.get("min_age") or 0,
                                    max_age=band.get("max_age"), plan=band["plan"])
    for code in row.get("components", []):
        product.components.add(Product.objects.get(code=code))
    section3 = set(row.get("section3", []))
    for code in row["measures"]:
        ProductMeasure.objects.create(
            product=product, measure=Measure.objects.get(code=code), in_section3=code in section3
        )
    return 1


def after_retirement() -> dict[str, str]:
    """The `after_retirement` master data (each product's entry, edited by HQ in the admin):
    product code → what to offer after retirement (64歳以上移行確認リスト)."""
    return dict(Product.objects.exclude(after_retirement="").values_list(
        "code", "after_retirement"))


def guidance(product: Product) -> list[dict[str, Any]]:
    """The `guidance` master data of a product (edited by HQ in the admin): its age bands as
    `kyosai.domain.lifecycle.suggested_plan` reads them, youngest first."""
    return [{"min_age": low, "max_age": high, "plan": plan}
            for low, high, plan in GuidanceBand.objects.filter(product=product).order_by(
                "min_age").values_list("min_age", "max_age", "plan")]
