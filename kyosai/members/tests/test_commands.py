"""kyosai members unenrolled | penetration | purge and kyosai unions merge, on the test roster."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.core.models import AuditEntry
from kyosai.domain.members import enrolment_rate, is_organised
from kyosai.members.models import Contract, FollowUp, Member
from kyosai.members.tests.conftest import MEMBERS
from kyosai.org.models import Union
from kyosai.results.models import BranchResult, MonthlyResult, Target

pytestmark = pytest.mark.django_db

NAMES = [row.split(",")[2] for row in MEMBERS]


def run(*args: str) -> list[dict[str, str]]:
    out = io.StringIO()
    call_command(*args, "--format", "csv", stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def header(*args: str) -> list[str]:
    out = io.StringIO()
    call_command(*args, "--format", "csv", stdout=out)
    return out.getvalue().splitlines()[0].split(",")


def keys(rows):
    return [(r["union"], r["member_no"]) for r in rows]


def test_unenrolled_lists_active_non_members_in_branch_order(roster):
    args = ("members_unenrolled", "--product", "general", "--as-of", "2024-11-30")
    assert header(*args) == ["branch", "union", "member_no", "name", "age", "hired_on",
                             "employment", "officer"]
    rows = run(*args)
    # 14001: 1 holds general; 2 only as a spouse; 10's contract ends on the day; 11's starts on
    # it; 12 left on the day. 北海道 (01) comes before 東京 (14) in the report's order.
    assert keys(rows) == [("01001", "1"), ("14001", "2"), ("14001", "10")]
    assert rows[1] == {"branch": "14", "union": "14001", "member_no": "2", "name": "試験 二子",
                       "age": "24", "hired_on": "2022-04-01", "employment": "regular",
                       "officer": "0"}
    assert rows[2]["employment"] == "reemployed"
    day_before = run("members_unenrolled", "--product", "general", "--as-of", "2024-11-29",
                     "--union", "14001")
    assert keys(day_before) == [("14001", "2"), ("14001", "11")]  # 10 still in force, 11 not yet


def test_left_on_the_day_is_no_longer_listed(roster):
    def listed(day):
        return ("14001", "12") in keys(run("members_unenrolled", "--product", "mycar",
                                           "--as-of", day))
    assert listed("2024-11-29")
    assert not listed("2024-11-30")


def test_max_age_keeps_age_up_to_n_on_the_as_of_date_with_29_february(roster):
    def ages(day, n):
        return keys(run("members_unenrolled", "--product", "general", "--as-of", day,
                        "--union", "14001", "--max-age", str(n)))
    # member 2 was born on 29 February 2000: 22 until 28 February 2023, 23 from 1 March
    assert ("14001", "2") in ages("2023-02-28", 22)
    assert ("14001", "2") not in ages("2023-03-01", 22)
    assert ("14001", "2") in ages("2023-03-01", 23)


def test_hired_before_is_strict_and_officers_only(roster):
    base = ("members_unenrolled", "--product", "general", "--as-of", "2024-11-30",
            "--union", "14001")
    assert ("14001", "2") not in keys(run(*base, "--hired-before", "2022-04-01"))
    assert ("14001", "2") in keys(run(*base, "--hired-before", "2022-04-02"))
    assert keys(run(*base, "--officers-only")) == []
    assert keys(run("members_unenrolled", "--product", "general", "--as-of", "2024-11-29",
                    "--union", "14001", "--officers-only")) == [("14001", "11")]
    assert keys(run("members_unenrolled", "--product", "general", "--as-of", "2024-11-30",
                    "--branch", "01")) == [("01001", "1")]


def test_the_list_is_audited_without_names(roster):
    run("members_unenrolled", "--product", "general", "--as-of", "2024-11-30", "--union", "14001")
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).first()
    assert entry is not None
    assert entry.detail is not None
    assert entry.object_id == "14001"
    assert entry.detail["rows"] == 2
    assert entry.detail["product"] == "general"
    assert not any(name in str(entry.detail) + entry.object_repr for name in NAMES)


def test_penetration_counts_from_the_roster(roster):
    args = ("members_penetration", "--product", "general", "--as-of", "2024-11-30")
    assert header(*args) == ["branch", "union", "members", "enrolled", "rate_pct", "organised",
                             "officers", "officers_enrolled", "target", "actual", "remaining",
                             "unenrolled", "coverable"]
    rows = {r["union"]: r for r in run(*args)}
    assert list(rows) == ["01001", "14001", "14002"]  # 13001 has no members
    first = rows["14001"]
    assert (first["members"], first["enrolled"], first["officers"],
            first["officers_enrolled"], first["unenrolled"]) == ("4", "2", "2", "2", "2")
    assert first["rate_pct"] == f"{enrolment_rate(2, 4):.1f}" == "50.0"
    assert first["organised"] == "0"
    assert rows["14002"]["rate_pct"] == "100.0"
    assert rows["14002"]["organised"] == "1"
    assert rows["01001"]["rate_pct"] == "0.0"
    for code, row in rows.items():
        target = int(Target.objects.get(union__code=code, fiscal_year__year=2024,
                                        product__code="general", measure__code="holdings").value)
        actual = int(MonthlyResult.objects.get(union__code=code, month=date(2024, 11, 1),
                                               product__code="general",
                                               measure__code="holdings").value)
        remaining = max(target - actual, 0)
        assert (row["target"], row["actual"], row["remaining"]) == (
            str(target), str(actual), str(remaining))
        assert row["coverable"] == str(min(remaining, int(row["unenrolled"])))
        assert row["organised"] == ("1" if is_organised(int(row["enrolled"]),
                                                        int(row["members"])) else "0")


def test_penetration_leaves_remaining_blank_without_a_target(roster):
    Target.objects.filter(union__code="14001", product__code="general").delete()
    row = next(r for r in run("members_penetration", "--product", "general",
                              "--as-of", "2024-11-30", "--branch", "14") if r["union"] == "14001")
    assert (row["target"], row["remaining"], row["coverable"]) == ("", "", "")


def test_unknown_options_exit_2(roster):
    for args in (("--product", "nosuch", "--as-of", "2024-11-30"),
                 ("--product", "general", "--as-of", "2024-02-30"),
                 ("--product", "general", "--as-of", "2024-11-30", "--union", "nope")):
        with pytest.raises(CommandError) as caught:
            call_command("members_unenrolled", *args, stdout=io.StringIO())
        assert caught.value.returncode == 2


def test_purge_deletes_leavers_before_the_date_and_keeps_results(roster):
    results = MonthlyResult.objects.count()
    call_command("members_purge", "--left-before", "2024-11-30", stdout=io.StringIO())
    assert Member.objects.filter(member_no="12", union__code="14001").exists()  # left ON the day
    out = io.StringIO()
    call_command("members_purge", "--left-before", "2024-12-01", "--dry-run", stdout=out)
    assert "組合員 1 人" in out.getvalue()
    assert Member.objects.count() == len(MEMBERS)
    call_command("members_purge", "--left-before", "2024-12-01", stdout=io.StringIO())
    assert not Member.objects.filter(member_no="12", union__code="14001").exists()
    assert not Contract.objects.filter(contract_no="C005").exists()
    assert MonthlyResult.objects.count() == results
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PURGE)
    assert entry.detail is not None
    assert entry.detail["members"] == 1
    assert entry.detail["unions"] == {"14001": 1}
    assert "試験 五郎" not in str(entry.detail)


def test_merge_moves_members_and_results_and_keeps_the_old_union(roster):
    def holdings(code):
        return MonthlyResult.objects.get(union__code=code, month=date(2024, 11, 1),
                                         product__code="general", measure__code="holdings").value
    before = holdings("13001") + holdings("01001")
    call_command("unions_merge", "01001", "13001", stdout=io.StringIO())
    assert holdings("13001") == before
    assert not MonthlyResult.objects.filter(union__code="01001").exists()
    assert Member.objects.get(member_no="1", union__code="13001")
    old = Union.objects.get(code="01001")
    assert not old.active
    assert old.merged_into is not None
    assert old.merged_into.code == "13001"
    assert BranchResult.objects.get(branch__code="13", month=date(2024, 11, 1),
                                    product__code="general",
                                    measure__code="holdings").value == before
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MERGE)
    assert entry.detail is not None
    assert entry.detail["from"] == "01001"
    assert entry.detail["members"] == 1


def test_merge_is_refused_when_member_numbers_clash(roster):
    with pytest.raises(CommandError) as caught:
        call_command("unions_merge", "14002", "14001", stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert "同じ組合員番号" in str(caught.value)
    assert Union.objects.get(code="14002").active
    assert not FollowUp.objects.exists()
