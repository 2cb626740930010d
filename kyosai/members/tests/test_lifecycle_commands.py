"""kyosai members transition | inspections | newhires on a roster built for their boundaries."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.core.models import AuditEntry
from kyosai.members.services import import_contracts, import_members
from kyosai.members.tests.conftest import CONTRACTS_HEADER, MEMBERS_HEADER, csv_bytes
from kyosai.web.tests.federation import build

pytestmark = pytest.mark.django_db

# FY2024 runs 2024-06-01 (F) … 2025-05-31 (L). Names are made up.
MEMBERS = [
    "14001,1,試験 一郎,シケン イチロウ,1961-05-31,男,1984-04-01,,regular,,0,",  # 64 on L
    "14001,2,試験 二子,シケン フタコ,1961-06-01,女,1984-04-01,,regular,,0,",  # 64 on L + 1
    "14001,3,試験 三郎,シケン サブロウ,1965-01-01,男,1988-04-01,,reemployed,2024-06-01,0,",
    "14001,4,試験 四子,シケン ヨツコ,1965-02-02,女,1988-04-01,,reemployed,2025-05-31,0,2025-06-01",
    "14001,5,試験 五郎,シケン ゴロウ,1966-03-03,男,1989-04-01,,regular,,0,2024-06-01",  # left on F
    "14001,6,試験 六子,シケン ムツコ,1970-04-04,女,1992-04-01,,regular,,0,2025-05-31",
    "14001,7,試験 七郎,シケン シチロウ,1965-05-05,男,1988-04-01,,reemployed,2024-05-31,0,",
    "14002,1,試験 八子,シケン ヤツコ,2001-01-01,女,2024-03-31,2024-05-01,regular,,0,",
    "14002,2,試験 九郎,シケン クロウ,2001-02-02,男,2024-04-01,2024-04-30,regular,,0,",
    "14002,3,試験 十子,シケン トオコ,2001-03-03,女,2024-12-31,2024-12-31,regular,,0,",
    "14002,4,試験 十一郎,シケン ジュウイチロウ,2001-04-04,男,2024-06-01,2024-06-01,regular,,0,2024-10-01",
    "01001,1,試験 十二子,シケン ジュウニコ,2001-05-05,女,2025-01-01,2025-05-01,regular,,0,",
]
CONTRACTS = [
    "L001,14001,1,group_life,self,2000-06-01,,2,3000,,",
    "L002,14001,1,general,self,2000-06-01,,1,1000,,",
    "L003,14001,1,fire,spouse,2000-06-01,,1,500,,",
    "L004,14001,3,general,self,2024-06-02,,1,1000,,",  # starts after F: not held on F
    "C101,14001,1,mycar,self,2018-06-01,,1,5000,2018-04,2023-04-10",  # due 2025-04
    "C102,14001,6,mycar,self,2020-06-01,,1,5000,2020-06,",  # 2023-06 → 2025-06
    "C103,14001,5,mycar,self,2012-06-01,,1,5000,2012-05,",  # 2015-05 … 2025-05 (retired)
    "C104,14001,2,mycar,self,2021-07-01,,1,5000,2021-07,",  # 2024-07 → 2026-07
    "C105,14002,2,mycar,self,2025-04-02,,1,5000,2023-04,",  # not yet in force on 2025-04-01
    "C106,14001,7,mycar,self,2015-04-01,2025-04-01,1,5000,2015-04,",  # ended on S
    "A001,14001,1,compulsory_auto,spouse,2020-06-01,,1,2000,,",  # whoever it insures
    "G201,14002,2,group_life,self,2024-05-01,,1,1000,,",  # life without coop
    "G202,14002,3,group_life,self,2024-07-01,2024-09-01,1,1000,,",  # ended since: counts
    "G203,14002,4,group_life,spouse,2024-06-01,,1,1000,,",  # spouse: not counted
    "G204,14002,1,group_life,self,2024-05-01,,1,1000,,",  # not in the cohort
]


@pytest.fixture
def lifecycle_roster(db):
    build()
    members = import_members("members.csv", csv_bytes(MEMBERS_HEADER, MEMBERS))
    assert members.applied, members.errors
    contracts = import_contracts("contracts.csv", csv_bytes(CONTRACTS_HEADER, CONTRACTS))
    assert contracts.applied, contracts.errors


def output(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, "--format", "csv", stdout=out)
    return out.getvalue()


def run(*args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output(*args))))


def test_transition_header_and_rows_at_their_boundaries(lifecycle_roster):
    text = output("members_transition", "--fiscal-year", "2024", "--union", "14001")
    assert text.splitlines()[0] == ("branch,union,member_no,name,birth_date,age_at_fy_end,reasons,"
                                    "reemployment_ends_on,left_on,products,offer")
    rows = list(csv.DictReader(io.StringIO(text)))
    # 2: 64 only on L + 1; 5: left on F (not active); 7: re-employment ended the day before F
    assert [r["member_no"] for r in rows] == ["1", "3", "4", "6"]
    first = rows[0]
    assert (first["age_at_fy_end"], first["reasons"], first["birth_date"]) == ("64", "age64", "1961-05-31")
    assert first["products"] == "general;group_life;mycar"  # the spouse's fire contract is not held
    assert first["offer"] == "mycar;post_retirement;retiree_group_life"
    assert (rows[1]["reasons"], rows[1]["reemployment_ends_on"], rows[1]["products"]) == (
        "reemployment_end", "2024-06-01", "")
    assert (rows[2]["reasons"], rows[2]["reemployment_ends_on"], rows[2]["left_on"]) == (
        "reemployment_end", "2025-05-31", "2025-06-01")  # leaving on L + 1: not a reason
    assert (rows[3]["reasons"], rows[3]["left_on"]) == ("leaving", "2025-05-31")


def test_transition_is_audited_without_personal_data(lifecycle_roster):
    output("members_transition", "--fiscal-year", "2024")
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
    assert entry.detail is not None
    assert entry.detail["command"] == "members transition"
    assert entry.detail["rows"] == 5  # 14002-4 leaves on 2024-10-01
    assert "試験" not in str(entry.detail)


def test_inspections_due_months_at_from_and_to_in_24_month_steps(lifecycle_roster):
    args = ("members_inspections", "--from", "2025-04", "--to", "2025-06")
    assert output(*args).splitlines()[0] == ("branch,union,member_no,name,contract_no,"
                                             "vehicle_registered,vehicle_inspected_on,due_month,"
                                             "has_compulsory_auto")
    rows = run(*args)
    assert [(r["contract_no"], r["due_month"]) for r in rows] == [
        ("C101", "2025-04"), ("C103", "2025-05"), ("C102", "2025-06")]
    assert rows[0]["vehicle_registered"] == "2018-04"
    assert rows[0]["vehicle_inspected_on"] == "2023-04-10"
    assert [r["has_compulsory_auto"] for r in rows] == ["1", "0", "0"]
    assert [r["contract_no"] for r in run("members_inspections", "--from", "2025-04",
                                          "--to", "2025-05")] == ["C101", "C103"]
    # from 2025-05 on, C101's next inspection is 2027-04
    assert [r["contract_no"] for r in run("members_inspections", "--from", "2025-05",
                                          "--to", "2025-06")] == ["C103", "C102"]


def test_inspections_refuse_a_bad_month(lifecycle_roster):
    with pytest.raises(CommandError) as caught:
        output("members_inspections", "--from", "2025-13", "--to", "2025-06")
    assert caught.value.returncode == 2


def test_newhires_by_branch(lifecycle_roster):
    text = output("members_newhires", "--year", "2024")
    assert text.splitlines()[0] == "branch,branch_name,effective_months,coop_joined,life_joined,rate_pct"
    rows = list(csv.DictReader(io.StringIO(text)))
    # cohort: 14002-2 (hired 4/1, joined 4/30: not coop, life 5/1), 14002-3 (12/31, coop and a
    # life contract since ended), 14002-4 (left since; coop; only a spouse contract).
    # 14002-1 hired on March 31 and 01001-1 hired in 2025 are not in it.
    assert rows == [{"branch": "14", "branch_name": "東京", "effective_months": "5,7",
                     "coop_joined": "2", "life_joined": "2", "rate_pct": "100.0"}]


def test_newhires_by_union_and_blank_rate(lifecycle_roster):
    text = output("members_newhires", "--year", "2024", "--by", "union", "--branch", "14")
    assert text.splitlines()[0] == "branch,union,effective_months,coop_joined,life_joined,rate_pct"
    assert run("members_newhires", "--year", "2024", "--by", "union") == [
        {"branch": "14", "union": "14002", "effective_months": "5,7", "coop_joined": "2",
         "life_joined": "2", "rate_pct": "100.0"}]
    assert run("members_newhires", "--year", "2023") == []


def test_preprinted_forms_pdf_text_pages_and_audit(lifecycle_roster, tmp_path):
    import subprocess

    out = tmp_path / "forms.pdf"
    call_command("forms_preprinted", "--union", "14001", "--product", "group_life",
                 "--as-of", "2024-11-30", "--unenrolled-only", "--out", str(out),
                 stdout=io.StringIO())
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    # active on 2024-11-30 in 14001: 1–4, 6, 7 (5 left on 2024-06-01); 1 holds group_life
    assert len([p for p in pages if p.strip()]) == 5
    first = pages[0]
    assert "14001-2" in first
    assert "試験 二子" in first
    assert "シケン フタコ" in first
    assert "昭和36年6月1日" in first
    assert "1961年6月1日" in first
    assert "63歳" in first  # 64 only on 2025-06-01
    assert "1口 — 退職者団体生命共済への移行をご案内" in first  # the 60–64 band
    assert "試験 一郎" not in text
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PRINT)
    assert entry.detail is not None
    assert entry.detail["pages"] == 5
    assert entry.detail["union"] == "14001"
    assert "試験" not in str(entry.detail)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "IPAexGothic" in fonts
    assert " yes " in fonts  # embedded


def test_preprinted_forms_refuse_an_empty_selection(lifecycle_roster, tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("forms_preprinted", "--union", "13001", "--product", "group_life",
                     "--as-of", "2024-11-30", "--out", str(tmp_path / "x.pdf"))
    assert caught.value.returncode == 2
    assert not (tmp_path / "x.pdf").exists()


def test_preprinted_forms_refuse_an_empty_union_code(lifecycle_roster, tmp_path):
    # found by mypy: union_option("") is None, which the command then printed for as a union
    with pytest.raises(CommandError) as caught:
        call_command("forms_preprinted", "--union", "", "--product", "group_life",
                     "--as-of", "2024-11-30", "--out", str(tmp_path / "x.pdf"))
    assert caught.value.returncode == 2
    assert "--union" in str(caught.value)
    assert not (tmp_path / "x.pdf").exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PRINT).exists()


def test_appendix_new_hires_filled_from_members_keeps_last_year(lifecycle_roster):
    from kyosai.activities.models import NewHireResult
    from kyosai.org.models import Branch

    NewHireResult.objects.create(fiscal_year=2024, branch=Branch.objects.get(code="14"),
                                 coop_joined_2023=7, life_joined_2023=3, coop_joined_2024=99)
    call_command("appendix", "new_hires", "--fill-from-members", "--year", "2024",
                 stdout=io.StringIO(), stderr=io.StringIO())
    row = NewHireResult.objects.get(fiscal_year=2024, branch__code="14")
    assert (row.coop_joined_2024, row.life_joined_2024, row.effective_months) == (2, 2, "5,7")
    assert (row.coop_joined_2023, row.life_joined_2023) == (7, 3)
    change = AuditEntry.objects.filter(action="update").latest("pk")
    assert change.before is not None
    assert change.before["coop_joined_2024"] == 99
    assert not NewHireResult.objects.filter(branch__code="01").exists()  # no cohort there
