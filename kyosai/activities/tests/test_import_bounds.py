"""Appendix imports refuse what the registers cannot store, with its line and column (issue 11)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.activities.models import ModelUnion, ModelUnionStanding
from kyosai.org.models import Union

pytestmark = pytest.mark.django_db

DETAIL = "prefecture,union,target,actual,achievement_pct,confirmed_month,text_chars\n"
TIERS = "prefecture,union,achievement_pct\n"


@pytest.fixture
def master(db):
    call_command("init", stdout=io.StringIO())


def refused(tmp_path, kind, text):
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_appendix", kind, str(path), stdout=io.StringIO(), stderr=err)
    assert caught.value.returncode == 2
    return err.getvalue()


def test_a_union_name_longer_than_a_union_is_refused(master, tmp_path):
    err = refused(tmp_path, "model_unions_detail",
                  DETAIL + f"青森,{'組' * 101},10,10,100.0,【1 月確認】,122\n")
    assert "2行目「union」列: 長すぎます（100 文字まで。101 文字）" in err
    assert Union.objects.count() == 0
    assert ModelUnion.objects.count() == 0


def test_a_count_over_fifteen_digits_is_refused(master, tmp_path):
    err = refused(tmp_path, "model_unions_detail",
                  DETAIL + "青森,大間町職員労働組合,1234567890123456,10,,【1 月確認】,122\n")
    assert "2行目「target」列: 数値が大きすぎます（整数部は 15 桁まで）" in err


def test_a_rate_over_its_columns_digits_is_refused(master, tmp_path):
    """達成率 is DECIMAL(7, 1): six digits before the point; 999999.9 is the largest."""
    err = refused(tmp_path, "model_unions_tiers", TIERS + "青森,大間町職員労働組合,1000000\n")
    assert "2行目「achievement_pct」列: 数値が大きすぎます（整数部は 6 桁まで）" in err
    path = tmp_path / "ok.csv"
    path.write_text(TIERS + "青森,大間町職員労働組合,999999.9\n", encoding="utf-8")
    call_command("import_appendix", "model_unions_tiers", str(path), stdout=io.StringIO(),
                 stderr=io.StringIO())
    assert str(ModelUnionStanding.objects.get().achievement_pct) == "999999.9"
