"""Writes to the organisation's master data."""

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from kyosai.org.models import Branch, Region

__all__ = ["load_organisation"]

ORGANISATION_FILE = Path(__file__).parent / "data" / "organisation.yaml"


@transaction.atomic
def load_organisation(path: Path = ORGANISATION_FILE) -> int:
    """Create the regions and branches the project ships that are missing; return how many.

    Existing rows are left as they are, so edits made in the admin survive `kyosai init`.
    """
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = 0
    regions: dict[str, Region] = {}
    for row in data["regions"]:
        region, was_created = Region.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "display_order": row["display_order"]}
        )
        regions[region.code] = region
        created += was_created
    for row in data["branches"]:
        _, was_created = Branch.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "region": regions.get(row["region"]) if row["region"] else None,
                "display_order": row["display_order"],
            },
        )
        created += was_created
    return created
