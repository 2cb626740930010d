import pytest

from kyosai.catalog.services import load_catalog
from kyosai.org.models import Branch, Union
from kyosai.org.services import load_organisation


@pytest.fixture
def organisation(db):
    """Branches, the catalog's fiscal years (FY2022–FY2025 from June) and three unions."""
    load_organisation()
    load_catalog()
    tokyo, saitama = Branch.objects.get(code="14"), Branch.objects.get(code="13")
    return {
        "14001": Union.objects.create(code="14001", name="東京第一単組", branch=tokyo),
        "14002": Union.objects.create(code="14002", name="東京第二単組", branch=tokyo),
        "13001": Union.objects.create(code="13001", name="埼玉第一単組", branch=saitama),
    }
