"""The bulk import path: streamed reading, upsert, counts, moved unions, stored flows, rollups."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from kyosai.core.tabular import TableReadError, iter_records, read_table
from kyosai.org.models import Branch, Union
from kyosai.results.models import BranchResult, ImportLog, MonthlyResult
from kyosai.results.services import import_file

pytestmark = pytest.mark.django_db

HEADER = "month,branch,union,product,measure,value\n"


@pytest.fixture
def federation():
    call_command("init", stdout=io.StringIO())
    tokyo = Branch.objects.get(code="14")
    Union.objects.create(code="140001", name="東京都職員労働組合", branch=tokyo)
    Union.objects.create(code="140002", name="八王子市職員労働組合", branch=tokyo)
    Union.objects.create(code="130001", name="埼玉県職員労働組合", branch=Branch.objects.get(code="13"))


def run(text: str, *, dry_run: bool = False, name: str = "r.csv"):
    return import_file("results", name, text.encode(), dry_run=dry_run)


def rollups() -> dict[tuple[str | None, str, str], Decimal]:
    return {(r.branch.code if r.branch else None, r.product.code, r.measure.code): r.value
            for r in BranchResult.objects.select_related("branch", "product", "measure")}


def test_a_dry_run_counts_added_and_replaced_rows_as_the_import_then_does(federation):
    run(HEADER + "2024-11,14,140001,general,holdings,10\n"
                 "2024-11,14,,general,premiums,100\n"
                 "2024-11,,,vehicle_damage,付帯率,58.92\n")
    second = (HEADER + "2024-11,14,140001,general,holdings,12\n"
                       "2024-11,14,140002,general,holdings,5\n"
                       "2024-11,14,,general,premiums,120\n"
                       "2024-11,,,vehicle_damage,付帯率,60\n"
                       "2024-10,13,130001,general,holdings,7\n")
    preview = run(second, dry_run=True)
    applied = run(second)
    assert (preview.rows_added, preview.rows_replaced) == (2, 3)
    assert (applied.rows_added, applied.rows_replaced) == (2, 3)
    assert MonthlyResult.objects.count() == 5
    assert ImportLog.objects.get(pk=applied.log.pk).rows_replaced == 3


def test_reimporting_replaces_branch_and_national_values_and_their_rollups(federation):
    run(HEADER + "2024-11,14,,general,premiums,100\n2024-11,,,vehicle_damage,付帯率,58.92\n")
    run(HEADER + "2024-11,14,,general,premiums,\"1,500\"\n2024-11,,,vehicle_damage,付帯率,61.5\n")
    assert rollups()[("14", "general", "premiums")] == 1500
    assert str(rollups()[(None, "vehicle_damage", "attachment_rate")]) == "61.50"
    assert MonthlyResult.objects.count() == 2


def test_rows_of_a_union_that_moved_follow_it_to_its_new_branch(federation):
    run(HEADER + "2024-11,14,140002,general,holdings,5\n2024-11,14,140001,general,holdings,3\n")
    Union.objects.filter(code="140002").update(branch=Branch.objects.get(code="13"))
    text = HEADER + "2024-11,13,140002,general,holdings,6\n2024-11,14,140001,general,holdings,3\n"
    preview = run(text, dry_run=True)
    outcome = run(text)
    assert (preview.rows_added, preview.rows_replaced) == (0, 2)
    assert (outcome.rows_added, outcome.rows_replaced) == (0, 2)
    row = MonthlyResult.objects.select_related("branch").get(union__code="140002")
    assert row.branch is not None
    assert (row.branch.code, row.value) == ("13", Decimal(6))
    assert rollups()[("13", "general", "holdings")] == 6
    assert rollups()[("14", "general", "holdings")] == 3  # the branch it left, recomputed


def test_a_falling_flow_is_found_against_the_stored_month_before(federation):
    run(HEADER + "2024-10,14,140001,general,new_contracts,10\n"
                 "2024-10,14,140002,general,new_contracts,10\n")
    outcome = run(HEADER + "2024-11,14,140001,general,new_contracts,9\n"
                           "2024-11,14,140002,general,new_contracts,11\n")
    assert [(w.line, w.message) for w in outcome.warnings] == [
        (2, "累計の実績が前月（2024-10: 10）より少なくなっています（9）")]


def test_error_lines_are_the_spreadsheet_rows_even_after_blank_rows(federation):
    outcome = run(HEADER + "2024-11,14,140001,general,holdings,1\n,,,,,\n\n"
                           "2024-11,99,,general,holdings,1\n")
    assert [(e.line, e.column) for e in outcome.errors] == [(5, "branch")]
    assert outcome.rows_total == 2


def test_iter_records_streams_padded_rows_with_their_line_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("年月,県支部,値\n2024-11,東京\n , ,\n2024-12,14,3,extra\n".encode("cp932"))
    header, records = iter_records(path)
    assert header == ["年月", "県支部", "値"]
    assert list(records) == [(2, ["2024-11", "東京", ""]), (4, ["2024-12", "14", "3"])]
    assert read_table(path)[1] == [{"年月": "2024-11", "県支部": "東京", "値": ""},
                                   {"年月": "2024-12", "県支部": "14", "値": "3"}]


def test_iter_records_reads_xlsx_rows_with_their_line_numbers(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["month", "value"])
    book.active.append(["2024-11", 5.0])
    book.active.append([None, None])
    book.active.append(["2024-12", 1234])
    path = tmp_path / "t.xlsx"
    book.save(path)
    header, records = iter_records(path)
    assert header == ["month", "value"]
    assert list(records) == [(2, ["2024-11", "5"]), (4, ["2024-12", "1234"])]


def test_an_empty_or_undecodable_file_is_a_japanese_error(tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    with pytest.raises(TableReadError, match="ファイルが空です"):
        iter_records(empty)
    outcome = import_file("results", "x.csv", b"\xff\xfe\x00\x81")
    assert "文字コード" in outcome.errors[0].message
