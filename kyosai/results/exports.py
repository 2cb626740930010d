"""Writing targets and results in exactly the import format (export → import changes nothing)."""

import csv
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from kyosai.catalog.models import FiscalYear
from kyosai.core.tabular import csv_cell
from kyosai.core.xlsx import new_workbook
from kyosai.domain.periods import YearMonth
from kyosai.results.models import MonthlyResult, Target, TargetRevision

__all__ = ["HEADERS", "export_rows", "write_csv", "write_xlsx"]

HEADERS = {
    "results": ["month", "branch", "union", "product", "measure", "value"],
    "targets": ["fiscal_year", "kind", "revision", "effective_from", "branch", "union",
                "product", "measure", "value"],
}


def _value(value: Decimal) -> str:
    """A stored value as the import reads it: whole numbers without decimals, rates with 2."""
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def export_rows(dataset: str, *, month: YearMonth | None = None, fiscal_year: int | None = None,
                branch: str | None = None) -> Iterator[list[str]]:
    """The stored rows of a dataset as import-format cells, filtered by month/year and branch."""
    if dataset == "results":
        query = MonthlyResult.objects.all()
        if month is not None:
            query = query.filter(month=month.first_day())
        if fiscal_year is not None:
            fy = FiscalYear.objects.get(year=fiscal_year)
            query = query.filter(month__gte=fy.first_month.first_day(),
                                 month__lte=fy.last_month.first_day())
        if branch is not None:
            query = query.filter(branch__code=branch)
        rows = query.order_by("month", "branch__display_order", "union__code",
                              "product__display_order", "measure__display_order").values_list(
            "month", "branch__code", "union__code", "product__code", "measure__code", "value")
        for m, b, u, p, me, value in rows.iterator(chunk_size=10_000):
            yield [str(YearMonth.of(m)), b or "", u or "", p, me, _value(value)]
        return
    targets = Target.objects.all()
    if fiscal_year is not None:
        targets = targets.filter(fiscal_year__year=fiscal_year)
    if branch is not None:
        targets = targets.filter(branch__code=branch)
    target_rows = targets.order_by("fiscal_year__year", "kind", "revision", "branch__display_order",
                          "union__code", "product__display_order",
                          "measure__display_order").values_list(
        "fiscal_year__year", "kind", "branch__code", "union__code", "product__code",
        "measure__code", "value", "revision")
    effective = {(r.fiscal_year, r.kind, r.revision): str(YearMonth.of(r.effective_from))
                 for r in TargetRevision.objects.all()}
    for year, kind, b, u, p, me, value, revision in target_rows.iterator(chunk_size=10_000):
        yield [str(year), kind, str(revision), effective.get((year, kind, revision), ""), b or "",
               u or "", p, me, _value(value)]


def write_csv(out: Any, dataset: str, rows: Iterable[list[str]]) -> None:
    """Cells through core.tabular.csv_cell: a stored negative rate ("-1.5") stays a number."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS[dataset])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)


def write_xlsx(out: BinaryIO, dataset: str, rows: Iterable[list[str]]) -> None:
    """A one-sheet workbook; every cell is text (a string, never a formula) so that codes such as
    01 keep their zero. Written row by row to a temporary file (a month of every union is large),
    then copied to `out`."""
    with tempfile.TemporaryDirectory(prefix="kyosai-export-") as folder:
        path = Path(folder) / "export.xlsx"
        workbook = new_workbook(path, streaming=True)
        sheet = workbook.add_worksheet("実績" if dataset == "results" else "目標")
        sheet.write_row(0, 0, HEADERS[dataset])
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if value != "":
                    sheet.write_string(number, column, value)
        workbook.close()
        with path.open("rb") as written:
            shutil.copyfileobj(written, out)
