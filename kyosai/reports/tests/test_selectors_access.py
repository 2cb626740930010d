"""The edition selectors give nothing to those who may not read the report (issue 11 item 1)."""

import pytest

from kyosai.accounts.access import NO_ACCESS, SYSTEM, Access
from kyosai.accounts.models import Role
from kyosai.catalog.services import load_catalog
from kyosai.domain.periods import HalfYear, YearMonth
from kyosai.org.models import Branch
from kyosai.org.services import load_organisation
from kyosai.reports import services
from kyosai.reports.narratives import product_key
from kyosai.reports.selectors import edition_slots, edition_text, section3_products

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    load_organisation()
    load_catalog()
    edition = services.save_edition(user=None, period=HalfYear(2024, 1), as_of=YearMonth(2024, 11),
                                     product_months={"general": "2024-12"})
    services.save_narrative(user=None, edition=edition, key=product_key("general"), text="本文。")
    return edition


def _outsiders():
    branch = Branch.objects.get(name="青森")
    return [NO_ACCESS, Access(role=Role.BRANCH_STAFF, branch_id=branch.pk),
            Access(role=Role.VIEWER, branch_id=branch.pk)]


def test_hq_reads_the_editions_text_slots_and_products(edition):
    hq_viewer = Access(role=Role.VIEWER)
    text = edition_text(edition, access=hq_viewer)
    assert text.paragraphs(product_key("general")) == ("本文。",)
    assert text.product_months == {"general": YearMonth(2024, 12)}
    assert "general" in {code for code, _label in section3_products(access=hq_viewer)}
    assert product_key("general") in {slot.key for slot in edition_slots(edition, access=SYSTEM)}


def test_a_branch_or_nobody_gets_none_of_it(edition):
    for access in _outsiders():
        text = edition_text(edition, access=access)
        assert text.narratives == {}
        assert text.product_months == {}
        assert section3_products(access=access) == []
        assert edition_slots(edition, access=access) == []
