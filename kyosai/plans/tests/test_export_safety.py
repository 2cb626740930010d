"""The plan workbook never turns planted text (a policy typed as =HYPERLINK(…)) into a formula."""

import openpyxl
import pytest

from kyosai.plans.models import Policy
from kyosai.plans.tests.conftest import run

pytestmark = pytest.mark.django_db

PLANTED = '=HYPERLINK("http://x","y")'


def test_planted_policy_text_is_written_as_a_string(small_plan, tmp_path):
    """A policy is written alone in its row (items and statuses carry a label before the text)."""
    Policy.objects.filter(pk=Policy.objects.order_by("pk").values("pk")[:1]).update(text=PLANTED)
    out = tmp_path / "plan.xlsx"
    run("plan_export", "--period", "2024H1", "-o", str(out))
    workbook = openpyxl.load_workbook(out)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    planted = [cell for cell in cells if cell.value == PLANTED]
    assert planted, "the planted text is exported"
    assert {cell.data_type for cell in planted} == {"s"}
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert any(cell.data_type == "n" for cell in workbook["評価集計"]["C"])  # tallies stay numbers
