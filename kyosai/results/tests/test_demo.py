"""kyosai demo-data: the bulk load leaves the schema as it found it, replaces what was there, and
refuses to run without master data. Runs on whichever database the suite uses (SQLite or
PostgreSQL, where the load drops and re-adds indexes and foreign keys inside its transaction)."""

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Sum

from kyosai.results.demo import generate
from kyosai.results.models import BranchResult, BranchTarget, ImportLog, MonthlyResult, Target

pytestmark = pytest.mark.django_db

TABLES = (MonthlyResult, BranchResult, Target, BranchTarget)


def schema() -> dict[str, dict[str, dict[str, Any]]]:
    """Every constraint and index of the four tables, as the database reports them."""
    with connection.cursor() as cursor:
        return {model._meta.db_table: connection.introspection.get_constraints(
                    cursor, model._meta.db_table)
                for model in TABLES}


def foreign_keys(tables: dict[str, dict[str, dict[str, Any]]],
                 ) -> set[tuple[str, tuple[str, ...], tuple[str, str] | None]]:
    return {(table, tuple(info["columns"]), info["foreign_key"])
            for table, constraints in tables.items()
            for info in constraints.values() if info["foreign_key"]}


def test_it_refuses_to_run_before_init_with_status_2():
    with pytest.raises(CommandError) as error:
        call_command("demo_data", "--results-only", stdout=io.StringIO())
    assert error.value.returncode == 2
    assert "kyosai init" in str(error.value)
    assert not MonthlyResult.objects.exists()


def test_a_second_run_replaces_the_first_with_the_same_data_and_the_schema_is_unchanged():
    call_command("init", stdout=io.StringIO())
    before = schema()
    first = generate(seed=5, unions=12, progress=False)
    counts = {model: model.objects.count() for model in TABLES}
    total = MonthlyResult.objects.aggregate(total=Sum("value"))["total"]
    second = generate(seed=5, unions=12, progress=False)

    assert schema() == before
    assert len(foreign_keys(before)) == 4 + 3 + 5 + 3  # so the comparison covers them too
    assert second == first
    assert counts[MonthlyResult] == first.results
    assert counts[Target] == first.targets
    assert counts[BranchResult] + counts[BranchTarget] == first.rollup_rows
    assert {model: model.objects.count() for model in TABLES} == counts
    assert MonthlyResult.objects.aggregate(total=Sum("value"))["total"] == total
    assert ImportLog.objects.filter(source=ImportLog.Source.DEMO).count() == 2
    duplicates = (MonthlyResult.objects.filter(union__isnull=False)
                  .values("union", "product", "measure", "month")
                  .annotate(n=Count("id")).filter(n__gt=1))
    assert not duplicates.exists()
    connection.check_constraints()  # every row refers to an existing branch, union, product …

