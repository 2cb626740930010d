"""A union named like a formula goes into the pages' CSV and Excel exports as text only."""

import csv
import io

import pytest
from openpyxl import load_workbook

from kyosai.org.models import Union

pytestmark = pytest.mark.django_db

PLANTED = '=HYPERLINK("http://x","y")'
QUERY = {"table": "unions", "item": "p:general", "measure": "holdings"}


@pytest.fixture
def planted(federation):
    Union.objects.filter(code="14001").update(name=PLANTED)


def test_the_csv_export_quotes_the_planted_union_name(planted, login):
    response = login("branch-14").get("/branches/14/", {**QUERY, "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[1] for row in rows if len(row) > 1]
    assert "'" + PLANTED in names
    assert PLANTED not in names


def test_the_xlsx_export_writes_the_planted_union_name_as_a_string(planted, login):
    response = login("branch-14").get("/branches/14/", {**QUERY, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.data_type for cell in cells if cell.value == PLANTED] == ["s"]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert any(cell.data_type == "n" for cell in cells)  # the figures stay numbers
