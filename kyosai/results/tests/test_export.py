"""kyosai export targets|results writes exactly the import format: a round trip changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from kyosai.accounts.access import SYSTEM
from kyosai.results.demo import generate
from kyosai.results.models import MonthlyResult, Target
from kyosai.results.selectors import scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def small_federation(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at its end; each test runs in a
    savepoint of it (pytest-django's own), so what a test imports is undone before the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("init", stdout=io.StringIO())
        generate(seed=3, unions=60, progress=False)
        yield
        transaction.set_rollback(True)


def values(model, **filters):
    rows = model.objects.filter(**filters).values_list(
        "branch_id", "union_id", "product_id", "measure_id", "value")
    return sorted(rows, key=lambda r: tuple(-1 if v is None else v for v in r))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exporting_and_reimporting_a_month_changes_nothing(small_federation, tmp_path, fmt):
    from kyosai.domain.periods import YearMonth

    before = values(MonthlyResult, month="2024-11-01")
    national = scorecard(YearMonth(2024, 11), access=SYSTEM)
    path = tmp_path / f"results.{fmt}"
    call_command("export_results", "--month", "2024-11", "--format", fmt, "--output", str(path))
    out = io.StringIO()
    call_command("import_results", str(path), stdout=out, stderr=io.StringIO(), verbosity=0)
    assert f"追加 0、置換 {len(before):,}" in out.getvalue()
    assert values(MonthlyResult, month="2024-11-01") == before
    assert scorecard(YearMonth(2024, 11), access=SYSTEM) == national


def test_exporting_and_reimporting_targets_changes_nothing(small_federation, tmp_path):
    before = values(Target, fiscal_year__year=2024)
    path = tmp_path / "targets.csv"
    call_command("export_targets", "--fiscal-year", "2024", "--output", str(path))
    call_command("import_targets", str(path), stdout=io.StringIO(), stderr=io.StringIO(),
                 verbosity=0)
    assert values(Target, fiscal_year__year=2024) == before


def test_an_export_for_one_branch_has_only_its_rows(small_federation):
    out = io.StringIO()
    call_command("export_results", "--month", "2024-11", "--branch", "14", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "month,branch,union,product,measure,value"
    assert len(lines) > 10
    assert {line.split(",")[1] for line in lines[1:]} == {"14"}
