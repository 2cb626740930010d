"""Issue 11 item 12, the importers test_fuzzed_importers.py does not reach: the union master, the
member roster, the contracts, the activity log and the support ledger.

The same harness (`run_import`: imported, or exit 2 with messages naming the file and no table
changed) and the same file strategies (`table_file`: seed rows and drawn rows, columns dropped,
doubled or renamed, hostile cells, duplicate keys, other encodings, broken bytes, xlsx) are fed
to `kyosai import unions|members|contracts|activity-log|support`. The roster's messages must
never carry a member's name, kana or birth date (README: no personal data in messages).
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from kyosai.org.models import Branch, Union
from tests.test_fuzzed_importers import (
    FUZZ,
    csv_bytes,
    run_import,
    table_file,
    write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def federation(db):
    """test_fuzzed_importers' federation: the organisation, 東京's two unions and 埼玉's one."""
    call_command("init", stdout=io.StringIO())
    tokyo = Branch.objects.get(code="14")
    Union.objects.create(code="140001", name="東京都職員労働組合", branch=tokyo)
    Union.objects.create(code="140002", name="八王子市職員労働組合", branch=tokyo)
    Union.objects.create(code="130001", name="埼玉県職員労働組合", branch=Branch.objects.get(code="13"))

UNIONS = ["code", "name", "branch", "members", "officers", "active"]
UNION_POOLS = {"code": ["140001", "140003", "130001", "1", "9999999", ""],
               "name": ["新しい職員労働組合", "x" * 300, ""],
               "branch": ["14", "13", "東京", "99", ""],
               "members": ["120", "-1", "1,200", "2147483648"], "officers": ["3", "x"],
               "active": ["1", "0", "有効", "たぶん"]}
UNION_SEEDS = [["140003", "新しい職員労働組合", "14", "120", "3", "1"],
               ["140001", "東京都職員労働組合", "14", "3000", "20", "1"]]

MEMBERS = ["union", "member_no", "name", "kana", "birth_date", "gender", "hired_on", "joined_on",
           "employment", "reemployment_ends_on", "officer", "left_on"]
#: made-up people; the checks below look for these strings in every message
NAMES = ["試験 一郎", "シケン イチロウ", "1990-11-30"]
MEMBER_POOLS = {"union": ["140001", "140002", "999999", ""], "member_no": ["1", "2", "", "x" * 80],
                "name": NAMES[:1], "kana": NAMES[1:2],
                "birth_date": [NAMES[2], "S55.4.1", "1990-02-30", "2999-01-01"],
                "gender": ["男", "女", "?"], "hired_on": ["2013-04-01", "2024-13-01", ""],
                "employment": ["regular", "再任用", "契約"], "officer": ["1", "0", "たぶん"],
                "left_on": ["", "2024-11-30", "昨日"]}
MEMBER_SEEDS = [["140001", "1", NAMES[0], NAMES[1], NAMES[2], "男", "2013-04-01", "", "regular",
                 "", "1", ""],
                ["140002", "1", NAMES[0], NAMES[1], "S55.4.1", "女", "2008-04-01", "", "regular",
                 "", "0", ""]]

CONTRACTS = ["contract_no", "union", "member_no", "product", "insured", "started_on", "ended_on",
             "units", "premium", "vehicle_registered", "vehicle_inspected_on"]
CONTRACT_POOLS = {"contract_no": ["C001", "C002", ""], "union": ["140001", "999999"],
                  "member_no": ["1", "2", "999"], "product": ["general", "mycar", "総合共済", "x"],
                  "insured": ["self", "本人", "spouse", "?"],
                  "started_on": ["2015-06-01", "2024-02-30", ""], "units": ["1", "-1", "1.5", "2147483647"],
                  "premium": ["1200", "9" * 26, "2147483648", "9" * 15], "vehicle_registered": ["2018-04", "2018-13"]}
CONTRACT_SEEDS = [["C001", "140001", "1", "general", "self", "2015-06-01", "", "2", "1200", "", ""],
                  ["C006", "140001", "1", "mycar", "self", "2020-04-01", "", "1", "5000",
                   "2018-04", "2023-04-10"]]

ACTIVITY = ["branch", "date", "kind", "union", "participants", "organisers_pref",
            "organisers_branch", "organisers_zenrosai", "note", "ref"]
ACTIVITY_POOLS = {"branch": ["14", "東京", "13", "00", "99", ""],
                  "date": ["2024-07-01", "2024/7/1", "2024年7月1日", "2024-02-30", "昨日"],
                  "kind": ["committee", "regular_meeting", "union_visit", "x"],
                  "union": ["140001", "999999", ""], "participants": ["10", "-1", "9" * 26, "2147483648"],
                  "ref": ["r1", "r1", ""]}
ACTIVITY_SEEDS = [["14", "2024-07-01", "committee", "", "12", "1", "2", "0", "", "r1"],
                  ["14", "2024-08-01", "union_visit", "140001", "5", "", "1", "", "", "r2"]]

SUPPORT = ["branch", "date", "kind", "work", "amount", "note"]
SUPPORT_POOLS = {"branch": ["14", "東京", "00", ""], "date": ["2024-07-01", "2024-13-01"],
                 "kind": ["special_fund", "staff_dispatch", "hq_work", "x"],
                 "work": ["", "mycar_estimate", "x"],
                 "amount": ["300,000", "1.5", "-1", "9" * 26, "9" * 14]}
SUPPORT_SEEDS = [["14", "2024-07-01", "special_fund", "", "300,000", ""],
                 ["14", "2024-08-02", "staff_dispatch", "", "1.5", ""]]


def _refusal_messages(command: str, path, *args: str) -> str:
    """Everything a refused import printed; '' when imported."""
    err = io.StringIO()
    try:
        call_command(command, *args, str(path), stdout=io.StringIO(), stderr=err, verbosity=0)
    except CommandError as exc:
        return f"{exc}\n{err.getvalue()}"
    return ""


@FUZZ
@given(file=table_file(UNIONS, UNION_POOLS, UNION_SEEDS), dry_run=st.booleans())
def test_union_master_imports_or_refuses_with_located_messages(federation, tmp_path, file,
                                                               dry_run):
    path = write(tmp_path, *file)
    run_import("import_unions", path, str(path), *(["--dry-run"] if dry_run else []))


@FUZZ
@given(file=table_file(MEMBERS, MEMBER_POOLS, MEMBER_SEEDS))
def test_member_roster_imports_or_refuses_without_personal_data_in_messages(
        federation, tmp_path, file):
    path = write(tmp_path, *file)
    if run_import("import_members", path, str(path), "--dry-run") == "refused":
        messages = _refusal_messages("import_members", path)
        for personal in NAMES:
            assert personal not in messages, "a member's personal data in a message"


@FUZZ
@given(file=table_file(CONTRACTS, CONTRACT_POOLS, CONTRACT_SEEDS))
def test_contracts_import_or_refuse_with_located_messages(federation, tmp_path, file):
    call_command("import_members", str(write(tmp_path, ".csv", csv_bytes(
        MEMBERS, MEMBER_SEEDS, "utf-8"))), stdout=io.StringIO(), verbosity=0)
    path = write(tmp_path, *file)
    run_import("import_contracts", path, str(path))


@FUZZ
@given(file=table_file(ACTIVITY, ACTIVITY_POOLS, ACTIVITY_SEEDS))
def test_activity_log_imports_or_refuses_with_located_messages(federation, tmp_path, file):
    path = write(tmp_path, *file)
    run_import("import_activity_log", path, str(path), "--again")


@FUZZ
@given(file=table_file(SUPPORT, SUPPORT_POOLS, SUPPORT_SEEDS))
def test_support_ledger_imports_or_refuses_with_located_messages(federation, tmp_path, file):
    path = write(tmp_path, *file)
    run_import("import_support", path, str(path), "--again")


@pytest.mark.parametrize(("command", "args"), [
    ("import_results", []), ("import_targets", []), ("import_appendix", ["new_hires"]),
    ("import_unions", []), ("import_members", []), ("import_contracts", []),
    ("import_activity_log", []), ("import_support", []),
])
def test_a_file_over_the_limit_is_refused_before_it_is_read(federation, tmp_path, settings,
                                                            monkeypatch, command, args):
    """Item 4: the size is checked on the file, not after reading all of it into memory."""
    from pathlib import Path

    settings.KYOSAI_MAX_UPLOAD_BYTES = 1024
    path = tmp_path / "huge-input.csv"
    with path.open("wb") as handle:  # sparse: 50 MB that cost nothing on disk
        handle.truncate(50 * 1024 * 1024)

    def read_all(self: Path) -> bytes:
        raise AssertionError(f"{self.name} was read whole before its size was checked")

    monkeypatch.setattr(Path, "read_bytes", read_all)
    assert run_import(command, path, *args, str(path)) == "refused"
    assert "ファイルが大きすぎます" in _refusal_messages(command, path, *args)
