"""Issue 11 item 4 on targets and results: one bound on numbers, request bodies, pending uploads."""

import datetime
import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.core import files
from kyosai.core.files import FileLimits
from kyosai.core.tests.test_files import xlsx_bytes
from kyosai.domain.cells import MAX_DECIMAL_PLACES, MAX_INTEGER_DIGITS
from kyosai.results import uploads
from kyosai.results.models import VALUE_DIGITS, BranchResult, ImportLog, MonthlyResult, Target
from kyosai.results.services import import_file
from kyosai.results.tests.test_import import federation  # noqa: F401 - a fixture
from kyosai.results.tests.test_views import personas  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

HEADER = "month,branch,union,product,measure,value\n"


def command(dataset, path, *extra):
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(f"import_{dataset}", str(path), *extra, stdout=io.StringIO(), stderr=err,
                     verbosity=0)
    return caught.value, err.getvalue()


def test_the_domain_bound_fits_the_columns_that_store_the_figures():
    """What validation passes, DECIMAL(18, 2) stores and SQLite gives back: 15 digits before the point, 2 after."""
    assert VALUE_DIGITS["max_digits"] >= MAX_INTEGER_DIGITS + MAX_DECIMAL_PLACES
    assert VALUE_DIGITS["decimal_places"] == MAX_DECIMAL_PLACES
    assert 10 ** MAX_INTEGER_DIGITS < 2 ** 63  # SQLite's INTEGER and every IntegerField


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_26_digit_value_fails_the_dry_run_and_the_import_alike(federation, tmp_path, dry_run):  # noqa: F811
    path = tmp_path / "results.csv"
    path.write_text(HEADER + "2024-11,14,140001,general,holdings,12\n"
                    "2024-11,14,140002,general,holdings,12345678901234567890123456\n")
    error, err = command("results", path, *(["--dry-run"] if dry_run else []))
    assert error.returncode == 2
    assert "3行目「value」列: 数値が大きすぎます（整数部は 15 桁まで）" in err
    assert MonthlyResult.objects.count() == BranchResult.objects.count() == 0
    assert ImportLog.objects.count() == 0


def test_the_largest_allowed_value_is_stored_and_read_back_exactly(federation, tmp_path):  # noqa: F811
    largest = "9" * MAX_INTEGER_DIGITS
    outcome = import_file("results", "r.csv",
                          (HEADER + f"2024-11,14,140001,general,premiums,{largest}\n").encode())
    assert outcome.applied, outcome.errors
    assert MonthlyResult.objects.get().value == int(largest)
    assert BranchResult.objects.get().value == int(largest)
    too_big = import_file("results", "r.csv",
                          (HEADER + f"2024-11,14,140001,general,premiums,1{'0' * MAX_INTEGER_DIGITS}\n").encode())
    assert [e.line for e in too_big.errors] == [2]


def test_huge_values_in_every_spelling_are_refused_with_their_place(federation):  # noqa: F811
    rows = ["2024-11,14,140001,general,holdings,\"1,000,000,000,000,000\"",
            "2024-11,14,140002,general,holdings,1e30",
            "2024-11,,,vehicle_damage,attachment_rate,-1e20",
            "2024-11,,,vehicle_damage,attachment_rate,58.955"]
    outcome = import_file("results", "r.csv", (HEADER + "\n".join(rows) + "\n").encode(),
                          dry_run=True)
    assert [(e.line, e.column) for e in outcome.errors] == [(n, "value") for n in (2, 3, 4, 5)]
    assert "小数点以下は 2 桁までです" in outcome.errors[3].message


def test_targets_share_the_bound(federation):  # noqa: F811
    text = ("fiscal_year,kind,branch,union,product,measure,value\n"
            f"2024,official,14,,general,holdings,{'9' * 20}\n")
    outcome = import_file("targets", "t.csv", text.encode())
    assert not outcome.applied
    assert (outcome.errors[0].line, outcome.errors[0].column) == (2, "value")
    assert Target.objects.count() == 0


def test_the_attack_workbook_is_read_as_its_one_row(federation, tmp_path):  # noqa: F811
    """A small .xlsx whose sheet claims A1:XFD1048576: read as the rows it holds."""
    raw = xlsx_bytes([["month", "branch", "union", "product", "measure", "value"],
                      ["2024-11", "14", "140001", "general", "holdings", 5]],
                     dimension="A1:XFD1048576")
    outcome = import_file("results", "attack.xlsx", raw, dry_run=True)
    assert outcome.ok
    assert (outcome.rows_total, outcome.rows_added) == (1, 1)


def test_a_file_over_the_row_limit_is_refused_with_its_line(federation, monkeypatch):  # noqa: F811
    monkeypatch.setattr(files, "LIMITS", FileLimits(max_rows=3))
    text = HEADER + "".join(f"2024-11,14,140001,general,holdings,{n}\n" for n in range(3))
    outcome = import_file("results", "r.csv", text.encode())
    assert not outcome.applied
    assert [(e.line, e.message[:8]) for e in outcome.errors] == [(4, "行数が多すぎます")]
    assert MonthlyResult.objects.count() == 0


# The web: a body over the limit, pending uploads


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(client, personas, settings):  # noqa: F811
    settings.KYOSAI_MAX_UPLOAD_BYTES = 1_000
    client.force_login(personas["hq_staff"])
    body = HEADER + "2024-11,14,140001,general,holdings,1\n" * 40_000  # ~1.5 MB > 1 KB + 1 MB
    response = client.post("/imports/", {"dataset": "results",
                                         "file": SimpleUploadedFile("r.csv", body.encode())})
    assert response.status_code == 413
    assert "アップロードできるファイルは 1,000バイト まで" in response.content.decode()
    assert "送信されたデータが大きすぎます" in response.content.decode()
    assert "pending_import" not in client.session
    assert not list(uploads.pending_dir().iterdir())


def test_a_file_over_the_limit_within_the_form_allowance_is_refused_by_the_view(
        client, personas, settings):  # noqa: F811
    settings.KYOSAI_MAX_UPLOAD_BYTES = 1_000
    client.force_login(personas["hq_staff"])
    body = HEADER + "2024-11,14,140001,general,holdings,1\n" * 100  # ~4 KB
    response = client.post("/imports/", {"dataset": "results",
                                         "file": SimpleUploadedFile("r.csv", body.encode())},
                           follow=True)
    assert "ファイルが大きすぎます" in response.content.decode()
    assert "pending_import" not in client.session


def test_a_lying_content_length_is_refused_too(client, personas, settings):  # noqa: F811
    client.force_login(personas["hq_staff"])
    response = client.generic("POST", "/imports/", b"x",
                              CONTENT_LENGTH=str(settings.KYOSAI_MAX_UPLOAD_BYTES * 2))
    assert response.status_code == 413


def _age(path, hours):
    stamp = time.time() - hours * 3600
    os.utime(path, (stamp, stamp))


def test_pending_uploads_older_than_a_day_are_removed_by_the_next_upload(client, personas):  # noqa: F811
    client.force_login(personas["hq_staff"])
    stale, fresh = uploads.save(b"old"), uploads.save(b"new")
    _age(uploads.pending_dir() / stale, 24 + 1)
    _age(uploads.pending_dir() / fresh, 24 - 1)
    client.post("/imports/", {"dataset": "results",
                              "file": SimpleUploadedFile("r.csv", (HEADER + "2024-11,14,140001,general,holdings,1\n").encode())})
    left = {path.name for path in uploads.pending_dir().iterdir()}
    assert stale not in left
    assert fresh in left
    assert client.session["pending_import"]["token"] in left


def test_applying_an_upload_removed_meanwhile_writes_nothing_and_says_so(client, personas):  # noqa: F811
    client.force_login(personas["hq_staff"])
    client.post("/imports/", {"dataset": "results",
                              "file": SimpleUploadedFile("r.csv", (HEADER + "2024-11,14,140001,general,holdings,1\n").encode())})
    token = client.session["pending_import"]["token"]
    uploads.discard(token)
    response = client.post("/imports/apply/", {"token": token}, follow=True)
    assert "保存期限が過ぎています" in response.content.decode()
    assert MonthlyResult.objects.count() == 0


def test_the_purge_command_removes_only_stale_pending_uploads(settings, tmp_path):
    settings.KYOSAI_HOME = tmp_path
    stale, fresh = uploads.save(b"old"), uploads.save(b"new")
    _age(uploads.pending_dir() / stale, 30)
    out = io.StringIO()
    call_command("uploads_purge", stdout=out)
    assert "1 件削除しました" in out.getvalue()
    assert [path.name for path in uploads.pending_dir().iterdir()] == [fresh]
    call_command("uploads_purge", "--hours", "0", stdout=io.StringIO())
    assert list(uploads.pending_dir().iterdir()) == []
    assert uploads.purge_stale(datetime.timedelta(hours=1)) == 0


def test_a_token_that_is_not_one_reads_nothing(settings, tmp_path):
    settings.KYOSAI_HOME = tmp_path
    (tmp_path / "secret").write_bytes(b"x")
    assert uploads.read("../secret") is None
    assert uploads.read("") is None


# Exports (item 5): the import format never carries a live formula


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_import_format_export_neutralises_planted_codes_but_not_negative_rates(
        federation, tmp_path, fmt):  # noqa: F811
    from openpyxl import load_workbook

    from kyosai.org.models import Branch, Union

    Union.objects.create(code="=1+2", name="x", branch=Branch.objects.get(code="14"))
    outcome = import_file("results", "r.csv", (
        HEADER + "2024-11,14,=1+2,general,holdings,3\n"
        "2024-11,,,vehicle_damage,attachment_rate,-1.5\n").encode())
    assert outcome.applied, outcome.errors
    path = tmp_path / f"out.{fmt}"
    call_command("export_results", "--month", "2024-11", "--format", fmt, "--output", str(path),
                 stdout=io.StringIO())
    if fmt == "csv":
        import csv

        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        assert ["2024-11", "14", "'=1+2", "general", "holdings", "3"] in rows
        assert ["2024-11", "", "", "vehicle_damage", "attachment_rate", "-1.5"] in rows
    else:
        sheet = load_workbook(path).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        planted = [cell for cell in cells if cell.value == "=1+2"]
        assert [cell.data_type for cell in planted] == ["s"]
        assert not [cell for cell in cells if cell.data_type == "f"]


def test_the_command_refuses_a_file_over_the_limit_before_reading_it(federation, tmp_path,  # noqa: F811
                                                                    settings):
    settings.KYOSAI_MAX_UPLOAD_BYTES = 100
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "2024-11,14,140001,general,holdings,1\n" * 10)
    error, _ = command("results", path)
    assert error.returncode == 2
    assert "ファイルが大きすぎます" in str(error)
    assert MonthlyResult.objects.count() == 0


def test_the_worker_removes_stale_pending_uploads_without_another_upload(db, settings, tmp_path):
    """Nobody uploads again and nobody runs the purge: the background worker sweeps them."""
    from unittest import mock

    settings.KYOSAI_HOME = tmp_path
    stale, fresh = uploads.save(b"old"), uploads.save(b"new")
    _age(uploads.pending_dir() / stale, 24 + 1)
    _age(uploads.pending_dir() / fresh, 24 - 1)
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--burst", verbosity=0, stdout=io.StringIO())
    assert [path.name for path in uploads.pending_dir().iterdir()] == [fresh]
