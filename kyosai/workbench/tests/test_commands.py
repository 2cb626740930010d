"""kyosai import activity-log|support, kyosai activity-log summary|compliance, and the meetings
table of the appendix taken from the log."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.accounts.access import SYSTEM
from kyosai.activities.models import MeetingStat
from kyosai.activities.selectors import appendix_rows, designations
from kyosai.core.models import AuditEntry
from kyosai.domain.appendix import rules
from kyosai.domain.cells import MAX_COUNT
from kyosai.org.models import Branch
from kyosai.workbench.models import ActivityEntry, LedgerImport, SupportEntry

pytestmark = pytest.mark.django_db
HEADER = "branch,date,kind,union,participants,organisers_pref,organisers_branch,organisers_zenrosai,note,ref\n"


def write(tmp_path, body, name="log.csv", header=HEADER):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), verbosity=0)
    return out.getvalue()


def failing(*args):
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=io.StringIO(), stderr=err, verbosity=0)
    assert raised.value.returncode == 2
    return err.getvalue() + str(raised.value)


def table(*args):
    return list(csv.DictReader(io.StringIO(run(*args, "--format", "csv"))))


def test_every_row_is_an_entry_even_two_alike_on_the_same_day(organisation, tmp_path):
    path = write(tmp_path, "14,2024-06-03,regular_meeting,,,,,,,\n"
                           "14,2024-06-03,regular_meeting,,,,,,,\n"
                           "14,2024-07-01,union_visit,14001,,1,2,,,\n")
    assert "追加 3" in run("import_activity_log", str(path))
    assert ActivityEntry.objects.filter(kind="regular_meeting").count() == 2
    log = LedgerImport.objects.get()
    assert log.rows_added == 3
    # one audit entry per import: the ImportLog's (revertible), not a second one for the ledger
    imports = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT)
    assert list(imports.values_list("object_type", flat=True)) == ["results.importlog"]


def test_the_same_file_twice_is_refused_unless_again(organisation, tmp_path):
    path = write(tmp_path, "14,2024-06-03,committee,,,,,,,\n")
    run("import_activity_log", str(path))
    message = failing("import_activity_log", str(path))
    assert "取り込み済み" in message
    assert "--again" in message
    assert ActivityEntry.objects.count() == 1
    run("import_activity_log", str(path), "--again")
    assert ActivityEntry.objects.count() == 2


def test_a_ref_replaces_the_branchs_entry_with_that_ref(organisation, tmp_path):
    run("import_activity_log", str(write(tmp_path, "14,2024-06-03,officer_study,14001,10,,,,,A-1\n"
                                                   "13,2024-06-03,committee,,,,,,,A-1\n")))
    output = run("import_activity_log", str(write(
        tmp_path, "14,2024-06-04,officer_study,14002,12,,,,,A-1\n", name="fix.csv")))
    assert "置換 1" in output
    tokyo = ActivityEntry.objects.get(branch__code="14")
    assert tokyo.union is not None
    assert (tokyo.participants, tokyo.union.code, str(tokyo.date)) == (12, "14002", "2024-06-04")
    assert ActivityEntry.objects.count() == 2  # 埼玉's A-1 is another branch's ref
    assert AuditEntry.objects.filter(object_type="workbench.activityentry",
                                     action=AuditEntry.Action.UPDATE).count() == 1


def test_bad_rows_are_all_reported_with_line_and_column_and_nothing_is_written(
        organisation, tmp_path):
    path = write(tmp_path, "14,2024-06-03,committee,,,,,,,\n"           # 2: fine
                           "14,2024-06-03,union_visit,13001,,,,,,\n"   # 3: 埼玉's union
                           "14,2021-05-31,committee,,,,,,,\n"          # 4: no fiscal year
                           "14,2024-06-03,consultation,,,,,,,\n"       # 5: no union
                           "14,2024-06-03,regular_meeting,14001,,,,,,\n"  # 6: union on a branch kind
                           "99,2024-06-03,committee,,,,,,,\n"          # 7: no such branch
                           "14,2024-06-03,committee,,,,,,,R\n"
                           "14,2024-06-04,committee,,,,,,,R\n")        # 9: ref twice
    message = failing("import_activity_log", str(path))
    for where in ("3行目「union」列", "4行目「date」列", "5行目「union」列", "6行目「union」列",
                  "7行目「branch」列", "9行目「ref」列"):
        assert where in message
    assert "13001 は 埼玉 の単組です" in message
    assert "何も取り込んでいません" in message
    assert not ActivityEntry.objects.exists()
    assert not LedgerImport.objects.exists()


def test_the_summary_counts_from_the_first_day_to_the_as_of_months_last_day(organisation, tmp_path):
    run("import_activity_log", str(write(
        tmp_path,
        "14,2024-05-31,union_visit,14001,,,,,,\n"     # FY2023
        "14,2024-06-01,union_visit,14001,,,,,,\n"     # first day
        "14,2024-06-01,union_visit,14001,,,,,,\n"     # the same union twice counts twice
        "13,2024-11-30,workplace_org,13001,40,1,2,3,,\n"  # last day of the as-of month
        "13,2024-12-01,workplace_org,13001,99,9,9,9,,\n"  # the day after
        "14,2024-08-15,workplace_org,14001,,2,,,,\n")))   # blank participants count as 0
    rows = table("activity_log_summary", "--fiscal-year", "2024", "--as-of", "2024-11")
    assert [row["kind"] for row in rows][:2] == ["committee", "regular_meeting"]
    by_kind = {row["kind"]: row for row in rows}
    assert by_kind["union_visit"]["events"] == "2"
    assert by_kind["committee"] == {"kind": "committee", "events": "0", "participants": "0",
                                    "organisers_pref": "0", "organisers_branch": "0",
                                    "organisers_zenrosai": "0"}
    assert by_kind["workplace_org"] == {"kind": "workplace_org", "events": "2",
                                        "participants": "40", "organisers_pref": "3",
                                        "organisers_branch": "2", "organisers_zenrosai": "3"}
    tokyo = {row["kind"]: row for row in table(
        "activity_log_summary", "--fiscal-year", "2024", "--as-of", "2024-11", "--branch", "14")}
    assert tokyo["workplace_org"]["events"] == "1"
    december = {row["kind"]: row for row in table(
        "activity_log_summary", "--fiscal-year", "2024", "--as-of", "2024-12")}
    assert december["workplace_org"]["participants"] == "139"


def test_a_month_outside_the_fiscal_year_is_an_error(organisation):
    assert "2024 年度" in failing("activity_log_summary", "--fiscal-year", "2024", "--as-of",
                                  "2024-05")


def test_compliance_has_every_branch_with_the_rounded_up_requirement(organisation, tmp_path):
    body = "".join(f"14,2024-0{m}-10,regular_meeting,,,,,,,\n" for m in (6, 7, 8))
    body += "14,2024-08-31,study_session,,,,,,,\n13,2024-06-01,regular_meeting,,,,,,,\n"
    run("import_activity_log", str(write(tmp_path, body)))
    rows = table("activity_log_compliance", "--fiscal-year", "2024", "--as-of", "2024-08")
    assert len(rows) == Branch.objects.prefectural().count()
    assert [row["branch"] for row in rows] == list(
        Branch.objects.prefectural().values_list("code", flat=True))
    by_code = {row["branch"]: row for row in rows}
    assert by_code["14"] == {"branch": "14", "committee": "0", "regular_meetings": "3",
                             "regular_required": "2", "regular_ok": "1", "study_sessions": "1",
                             "study_ok": "1"}
    assert by_code["13"]["regular_ok"] == "0"
    assert by_code["01"] == {"branch": "01", "committee": "0", "regular_meetings": "0",
                             "regular_required": "2", "regular_ok": "0", "study_sessions": "0",
                             "study_ok": "0"}
    july = {row["branch"]: row for row in table(
        "activity_log_compliance", "--fiscal-year", "2024", "--as-of", "2024-07")}
    assert (july["13"]["regular_required"], july["13"]["regular_ok"]) == ("1", "1")
    assert july["14"]["study_ok"] == "0"  # held on 2024-08-31, after July


def _stored_meetings():
    for position, (subsection, measure, sub, unit, cur, prev) in enumerate([
            ("（２）定例推進会議", "", "全国計", "回", 124, 133),
            ("（３）単組執行部学習会の実行状況", "参加役員数", "全国計", "人", 4404, 4708)]):
        MeetingStat.objects.create(
            fiscal_year=2024, position=position, section="３．会議の開催状況（2024 年 11 月）",
            subsection=subsection, measure=measure, sub_measure=sub, unit=unit, value_cur=cur,
            value_prev=prev)


def _figures(rows):
    return {(r["subsection"], r["sub_measure"]): (r["value_cur"], r["value_prev"]) for r in rows}


def test_the_meetings_table_keeps_its_stored_figures_while_the_year_has_no_log(organisation):
    _stored_meetings()
    figures = _figures(appendix_rows("meetings_stats", 2024, access=SYSTEM))
    assert figures[("（２）定例推進会議", "全国計")] == (124, 133)


def test_the_meetings_table_takes_this_year_from_the_log_and_last_year_from_the_stored_figures(
        organisation, tmp_path):
    _stored_meetings()
    run("import_activity_log", str(write(
        tmp_path, "14,2024-06-01,regular_meeting,,,,,,,\n14,2024-11-30,regular_meeting,,,,,,,\n"
                  "14,2024-12-01,regular_meeting,,,,,,,\n"
                  "14,2024-07-01,officer_study,14001,7,,,,,\n")))
    rows = appendix_rows("meetings_stats", 2024, access=SYSTEM)
    figures = _figures(rows)
    assert figures[("（２）定例推進会議", "全国計")] == (2, 133)
    assert figures[("（３）単組執行部学習会の実行状況", "全国計")] == (7, 4708)
    average = next(r for r in rows if r["sub_measure"] == "県平均")
    # the averages follow the same rule from the log's figure: 2 ÷ 47 rounds to 0.0
    assert average["value_cur"] == rules.branch_average(2, rules.PREFECTURE_COUNT) == 0
    assert average["value_prev"] == rules.branch_average(133, rules.PREFECTURE_COUNT)


def test_the_previous_years_column_comes_from_the_logs_same_period(organisation, tmp_path):
    _stored_meetings()
    run("import_activity_log", str(write(
        tmp_path, "14,2024-06-01,regular_meeting,,,,,,,\n"
                  "14,2023-11-30,regular_meeting,,,,,,,\n14,2023-12-01,regular_meeting,,,,,,,\n")))
    figures = _figures(appendix_rows("meetings_stats", 2024, access=SYSTEM))
    assert figures[("（２）定例推進会議", "全国計")] == (1, 1)
    assert figures[("（３）単組執行部学習会の実行状況", "全国計")] == (0, 0)


def test_the_appendix_command_takes_another_as_of_month(organisation, tmp_path):
    _stored_meetings()
    run("import_activity_log", str(write(
        tmp_path, "14,2024-06-01,regular_meeting,,,,,,,\n14,2024-11-30,regular_meeting,,,,,,,\n")))
    rows = table("appendix", "meetings_stats", "--fiscal-year", "2024", "--as-of", "2024-06")
    assert rows[0]["value_cur"] == "1"


SUPPORT_HEADER = "branch,date,kind,work,amount,note\n"


def test_the_support_ledger_is_imported_and_shown_per_designated_branch(organisation, tmp_path):
    path = write(tmp_path, "14,2024-07-01,special_fund,,\"300,000\",\n"
                           "14,2024-08-01,special_fund,,200000,\n"
                           "14,2024-08-02,staff_dispatch,,1.5,\n"
                           "東京,2024-09-01,hq_work,mycar_estimate,12,\n",
                 name="support.csv", header=SUPPORT_HEADER)
    assert "追加 4" in run("import_support", str(path))
    assert "取り込み済み" in failing("import_support", str(path))
    rows = {row["branch"]: row for row in designations(2024, access=SYSTEM)}
    assert rows["東京"]["support"] == "特別運営費 500,000 円、派遣 1.5 人日、本部代行（マイカー見積） 12 件"
    assert rows["埼玉"]["support"] == ""


def test_a_bad_support_row_writes_nothing(organisation, tmp_path):
    path = write(tmp_path, "14,2024-07-01,special_fund,,100,\n00,2024-07-01,special_fund,,1,\n",
                 name="support.csv", header=SUPPORT_HEADER)
    assert "3行目「branch」列" in failing("import_support", str(path))
    assert not SupportEntry.objects.exists()


@pytest.mark.parametrize("digits", [13, 14, 15])
def test_a_support_amount_fits_its_column_or_is_refused_at_its_cell(organisation, tmp_path, digits):
    """数量 is DECIMAL(14, 1): 13 digits before the point are stored, more are a located error
    (on PostgreSQL they once ended the import with a numeric overflow)."""
    amount = "9" * digits
    path = write(tmp_path, f"14,2024-07-01,special_fund,,{amount},\n",
                 name="support.csv", header=SUPPORT_HEADER)
    if digits <= 13:
        run("import_support", str(path))
        assert SupportEntry.objects.get().amount == int(amount)
    else:
        assert "2行目「amount」列" in failing("import_support", str(path))
        assert not SupportEntry.objects.exists()


@pytest.mark.parametrize("offset", [0, 1])
def test_a_head_count_fits_its_column_or_is_refused_at_its_cell(organisation, tmp_path, offset):
    """参加者数 and the オルグ者数 are 32-bit columns: MAX_COUNT is stored, one more is a located error."""
    count = MAX_COUNT + offset
    path = write(tmp_path, f"14,2024-06-03,regular_meeting,,{count},,,,,\n")
    if offset == 0:
        run("import_activity_log", str(path))
        assert ActivityEntry.objects.get().participants == MAX_COUNT
    else:
        assert "2行目「participants」列" in failing("import_activity_log", str(path))
        assert not ActivityEntry.objects.exists()


@pytest.mark.parametrize(("column", "limit", "support"), [("note", 500, False), ("ref", 40, False),
                                                        ("note", 500, True)])
def test_text_longer_than_its_column_is_refused_at_its_cell(organisation, tmp_path, column, limit,
                                                            support):
    """備考 and 整理番号 fit their columns (PostgreSQL refuses longer text; SQLite would keep it)."""
    def file(length):
        text = "x" * length
        if support:
            return write(tmp_path, f"14,2024-07-01,special_fund,,100,{text}\n", name="support.csv",
                         header=SUPPORT_HEADER)
        cells = {"note": f"{text},", "ref": f",{text}"}[column]
        return write(tmp_path, f"14,2024-06-03,regular_meeting,,,,,,{cells}\n")

    command = "import_support" if support else "import_activity_log"
    message = failing(command, str(file(limit + 1)))
    assert f"2行目「{column}」列" in message
    assert f"{limit} 文字まで" in message
    model = SupportEntry if support else ActivityEntry
    assert not model.objects.exists()
    run(command, str(file(limit)), "--again")
    assert len(getattr(model.objects.get(), column)) == limit
