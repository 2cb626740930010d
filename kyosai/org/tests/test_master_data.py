import io

import pytest
from django.core.management import call_command

from kyosai.catalog.models import FiscalYear, Measure, Product
from kyosai.org.models import Branch, Region

pytestmark = pytest.mark.django_db


def init():
    out = io.StringIO()
    call_command("init", stdout=out)
    return out.getvalue()


def test_init_loads_the_48_branches_in_the_reports_order_and_the_hq_row():
    init()
    branches = list(Branch.objects.prefectural().values_list("code", "name"))
    assert len(branches) == 48
    assert branches[0] == ("01", "北海道")
    assert branches[-1] == ("60", "社保労")
    codes = [code for code, _ in branches]
    assert "02" not in codes
    assert "31" not in codes
    assert Branch.objects.get(code="00").is_hq
    assert Region.objects.count() == 10
    assert not Branch.objects.prefectural().filter(region=None).exists()


def test_init_twice_changes_nothing():
    first = init()
    assert "登録しました" in first
    before = (Branch.objects.count(), Product.objects.count(), Measure.objects.count())
    second = init()
    assert "変更はありません" in second
    assert (Branch.objects.count(), Product.objects.count(), Measure.objects.count()) == before


def test_init_keeps_an_edited_region_membership():
    init()
    tokyo = Branch.objects.get(code="14")
    tokyo.region = Region.objects.get(code="tokai")
    tokyo.save()
    init()
    region = Branch.objects.get(code="14").region
    assert region is not None
    assert region.code == "tokai"


def test_the_catalog_has_composites_riders_and_the_rate_measure():
    init()
    total = Product.objects.get(code="group_life_total")
    assert set(total.components.values_list("code", flat=True)) == {"group_life", "retiree_group_life"}
    rider = Product.objects.get(code="vehicle_damage")
    assert rider.parent is not None
    assert rider.parent.code == "mycar"
    assert not rider.in_group_totals
    assert rider.measures.filter(code="attachment_rate", kind="rate").exists()
    assert Measure.objects.get(code="premiums").reporting_lag_months == 1
    assert FiscalYear.objects.get(year=2024).start_month == 6
