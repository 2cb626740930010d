"""The SQLite write path: many rows per INSERT … ON CONFLICT statement (issue 11, item 8's speed).

Statements of ROWS_PER_STATEMENT rows, executemany'd INSERT_BATCH rows at a time, and one last
statement of the rows left over per kind of row (union, branch, national): the stored rows, the
ImportLog counts and the replaced values must be those of one statement per row.
"""

import io
import sqlite3
from decimal import Decimal

import pytest
from django.core.management import call_command

from kyosai.org.models import Branch, Union
from kyosai.results import services
from kyosai.results.models import BranchResult, ImportLog, MonthlyResult, ReplacedValue
from kyosai.results.services import import_file

pytestmark = pytest.mark.django_db

HEADER = "month,branch,union,product,measure,value\n"
UNIONS = [f"14{n:04d}" for n in range(1, 8)]  # seven unions of 東京


@pytest.fixture
def federation():
    call_command("init", stdout=io.StringIO())
    tokyo = Branch.objects.get(code="14")
    for code in UNIONS:
        Union.objects.create(code=code, name=f"単組{code}", branch=tokyo)


def month_file(bump: int = 0) -> str:
    """7 union rows × 2 measures, 3 branch rows, 1 national rate row, the kinds interleaved."""
    lines = []
    for n, code in enumerate(UNIONS):
        lines.append(f"2024-11,14,{code},general,holdings,{10 + n + bump}")
        if n in (1, 3, 5):
            lines.append(f"2024-11,{12 + n},,general,premiums,{1000 * n + bump}")
        lines.append(f"2024-11,14,{code},general,new_contracts,{n + bump}")
    lines.append(f"2024-11,,,vehicle_damage,付帯率,{58 + bump}.25")
    return HEADER + "\n".join(lines) + "\n"


Stored = set[tuple[str | None, str | None, str, str, Decimal]]
State = tuple[Stored, set[tuple[int | None, int, int, Decimal]], list[tuple[int, int, int]],
              list[Decimal]]


def stored() -> Stored:
    return {(row.branch.code if row.branch else None, row.union.code if row.union else None,
             row.product.code, row.measure.code, row.value)
            for row in MonthlyResult.objects.select_related("branch", "union", "product",
                                                            "measure")}


def state() -> State:
    rollups = {(r.branch_id, r.product_id, r.measure_id, r.value)
               for r in BranchResult.objects.all()}
    logs = list(ImportLog.objects.order_by("pk").values_list("rows_total", "rows_added",
                                                             "rows_replaced"))
    replaced = sorted(ReplacedValue.objects.values_list("value", flat=True))
    return stored(), rollups, logs, replaced


def import_twice() -> State:
    first = import_file("results", "a.csv", month_file().encode())
    second = import_file("results", "b.csv", month_file(bump=3).encode())
    assert first.ok
    assert second.ok
    assert (first.rows_added, first.rows_replaced) == (18, 0)
    assert (second.rows_added, second.rows_replaced) == (0, 18)
    return state()


def test_small_statements_store_what_one_statement_per_row_stores(federation, monkeypatch):
    monkeypatch.setattr(services, "ROWS_PER_STATEMENT", 1)
    one_per_row = import_twice()
    MonthlyResult.objects.all().delete()
    BranchResult.objects.all().delete()
    ReplacedValue.objects.all().delete()
    ImportLog.objects.all().delete()
    # 2 rows a statement, 2 statements an executemany: full batches, a half-full batch and an
    # odd row left over of the union rows (14), one of the branch rows (3), the national row
    monkeypatch.setattr(services, "ROWS_PER_STATEMENT", 2)
    monkeypatch.setattr(services, "INSERT_BATCH", 4)
    grouped = import_twice()
    assert grouped == one_per_row
    rows, _, _, replaced = grouped
    assert ("14", "140007", "general", "holdings", Decimal(19)) in rows
    assert ("17", None, "general", "premiums", Decimal(5003)) in rows
    assert (None, None, "vehicle_damage", "attachment_rate", Decimal("61.25")) in rows
    assert len(replaced) == 18  # every value the second import replaced, kept for revert


def test_statements_never_exceed_the_databases_parameters(federation, monkeypatch):
    from django.db import connection

    monkeypatch.setattr(services, "ROWS_PER_STATEMENT", 10_000)
    monkeypatch.setattr(services, "_max_parameters", lambda: 13)  # 2 rows of 6 values
    # PostgreSQL writes by COPY; its fallback (a driver without COPY) is the VALUES path
    monkeypatch.setattr(services, "_upsert_by_copy", services._upsert_by_values)
    seen: list[int] = []

    def count(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "results_monthlyresult"'):
            seen.extend(len(p) for p in (params if many else [params]) if p is not None)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        rows = import_twice()[0]
    assert len(rows) == 18
    assert seen
    assert max(seen) == 12  # 2 rows of 6 values a statement


def test_sqlite_statements_take_the_connections_own_parameter_limit():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    assert services._max_parameters() == limit
    assert limit >= connection.features.max_query_params  # 32,766 since SQLite 3.32, not 999
