"""Importing the union master, the roster and contracts: upserts, errors, nothing written on error."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from kyosai.core.models import AuditEntry
from kyosai.domain.cells import MAX_COUNT
from kyosai.domain.periods import YearMonth
from kyosai.members.models import Contract, Member
from kyosai.members.services import import_contracts, import_members
from kyosai.members.tests.conftest import (
    CONTRACTS,
    CONTRACTS_HEADER,
    MEMBERS,
    MEMBERS_HEADER,
    csv_bytes,
)
from kyosai.org.imports import import_unions
from kyosai.org.models import Union
from kyosai.results.models import BranchResult, ImportLog, MonthlyResult

pytestmark = pytest.mark.django_db

NAMES = [row.split(",")[2] for row in MEMBERS] + [row.split(",")[3] for row in MEMBERS]


def _no_names(outcome) -> None:
    text = " ".join(problem.describe("f.csv") for problem in outcome.errors)
    for name in NAMES:
        assert name not in text


def test_the_roster_is_read_with_its_dates_flags_and_codes(roster):
    member = Member.objects.get(union__code="14001", member_no="10")
    assert member.birth_date == date(1980, 4, 1)  # S55.4.1
    assert member.employment == "reemployed"
    assert member.reemployment_ends_on == date(2026, 3, 31)
    assert not member.officer
    assert Member.objects.get(union__code="14001", member_no="1").officer
    assert Member.objects.get(union__code="14001", member_no="12").left_on == date(2024, 11, 30)
    assert Member.objects.get(union__code="14001", member_no="2").gender == "female"
    mycar = Contract.objects.get(contract_no="C006")
    assert mycar.vehicle_registered == date(2018, 4, 1)
    assert mycar.vehicle_inspected_on == date(2023, 4, 10)
    assert Contract.objects.get(contract_no="C003").insured == "self"  # 本人
    assert Contract.objects.get(contract_no="C002").product.code == "general"  # by name


def test_reimporting_replaces_and_adds_nothing(roster):
    again = import_members("members.csv", csv_bytes(MEMBERS_HEADER, MEMBERS))
    assert again.applied
    assert (again.rows_added, again.rows_replaced) == (0, len(MEMBERS))
    changed = [MEMBERS[0].replace(",1,\n", ",0,") .replace("2013-04-01,,regular,,1,",
                                                          "2013-04-01,,regular,,0,"),
               "14002,3,試験 九郎,シケン クロウ,1990-01-01,男,2012-04-01,,regular,,0,"]
    outcome = import_members("members.csv", csv_bytes(MEMBERS_HEADER, changed))
    assert (outcome.rows_added, outcome.rows_replaced) == (1, 1)
    assert not Member.objects.get(union__code="14001", member_no="1").officer
    assert Member.objects.count() == len(MEMBERS) + 1
    contracts = import_contracts("c.csv", csv_bytes(CONTRACTS_HEADER, CONTRACTS))
    assert (contracts.rows_added, contracts.rows_replaced) == (0, len(CONTRACTS))
    log = ImportLog.objects.filter(dataset="members").first()
    assert log is not None
    assert log.rows_total == 2
    entry = AuditEntry.objects.get(object_type="results.importlog", object_id=str(log.pk))
    for name in NAMES:
        assert name not in str(entry.after)


def _errors(outcome) -> dict[tuple[int | None, str | None], str]:
    return {(p.line, p.column): p.message for p in outcome.errors}


def test_member_errors_are_located_and_nothing_is_written(roster):
    before = Member.objects.count(), ImportLog.objects.count()
    rows = [
        "99999,1,誤り 太郎,ゴ タロウ,1990-01-01,男,2013-04-01,,regular,,1,",  # 2 unknown union
        "14001,50,誤り 花子,ゴ ハナコ,2023-02-29,女,2013-04-01,,regular,,0,",  # 3 impossible
        "14001,51,誤り 次郎,ゴ ジロウ,1990-01-01,男,2013-04-01,,regular,,0,2013-03-31",  # 4 left<hired
        "14001,52,誤り 三子,ゴ ミツコ,1990-01-01,?,2013-04-01,,permanent,,2,",  # 5 gender, emp, officer
        "14001,53,,,1990-01-01,男,2013-04-01,,regular,,0,",  # 6 no name
    ]
    outcome = import_members("bad.csv", csv_bytes(MEMBERS_HEADER, rows))
    assert not outcome.applied
    errors = _errors(outcome)
    assert "単組が見つかりません" in errors[(2, "union")]
    assert errors[(3, "birth_date")] == "生年月日が日付として読めないか、存在しない日付です"
    assert "2023-02-29" not in errors[(3, "birth_date")]  # a birth date is never repeated
    assert errors[(4, "left_on")] == "脱退日が採用日より前です"
    assert {(5, "gender"), (5, "employment"), (5, "officer")} <= set(errors)
    assert errors[(6, "name")] == "氏名が空欄です"
    _no_names(outcome)
    assert (Member.objects.count(), ImportLog.objects.count()) == before


def test_the_same_member_twice_in_a_file_is_an_error(roster):
    rows = ["14002,5,重複 一,ジュウフク,1990-01-01,男,2013-04-01,,regular,,0,",
            "14002,6,重複 二,ジュウフク,1990-01-01,男,2013-04-01,,regular,,0,",
            "14002,5,重複 三,ジュウフク,1990-01-01,男,2013-04-01,,regular,,0,",
            "01001,5,重複 四,ジュウフク,1990-01-01,男,2013-04-01,,regular,,0,"]  # other union: fine
    outcome = import_members("dup.csv", csv_bytes(MEMBERS_HEADER, rows))
    assert _errors(outcome) == {(4, "member_no"): "2行目と同じ組合員番号（同じ単組）です"}
    assert not Member.objects.filter(member_no="5").exists()


def test_a_missing_column_is_named(roster):
    outcome = import_members("m.csv", b"union,member_no\n14001,1\n")
    assert outcome.errors[0].line == 1
    assert "氏名" in outcome.errors[0].message


def test_contract_errors_are_located_and_nothing_is_written(roster):
    before = Contract.objects.count()
    rows = [
        "D01,14001,1,nosuch,self,2020-01-01,,1,100,,",  # 2 product
        "D02,14001,999,general,self,2020-01-01,,1,100,,",  # 3 unknown member (checked last)
        "D03,14001,1,general,self,2020-01-01,,1,100,2018-04,",  # 4 vehicle on general
        "D04,14001,1,mycar,self,2020-01-01,,△1,-5,,",  # 5 negative units and premium
        "D05,14001,1,general,self,2020-02-30,,1,100,,",  # 6 impossible date
        "D06,14001,1,general,parent,2020-01-01,2019-01-01,1,100,,",  # 7 insured, ended<started
    ]
    outcome = import_contracts("bad.csv", csv_bytes(CONTRACTS_HEADER, rows))
    errors = _errors(outcome)
    assert "共済制度が見つかりません" in errors[(2, "product")]
    assert errors[(4, "vehicle_registered")] == "車両の項目はマイカー共済の契約にだけ入力できます"
    assert errors[(5, "units")] == "口数に負の値は入力できません"
    assert errors[(5, "premium")] == "掛金に負の値は入力できません"
    assert "存在しない日付" in errors[(6, "started_on")]
    assert {(7, "insured"), (7, "ended_on")} <= set(errors)
    assert Contract.objects.count() == before


def test_the_largest_count_is_stored_and_one_more_is_a_located_error(roster):
    """Units and premium go to 32-bit columns on PostgreSQL: the bound is checked at the cell."""
    largest = import_contracts("c.csv", csv_bytes(CONTRACTS_HEADER, [
        f"E01,14001,1,general,self,2020-01-01,,{MAX_COUNT},{MAX_COUNT},,"]))
    assert largest.applied
    stored = Contract.objects.get(contract_no="E01")
    assert (stored.units, stored.premium) == (MAX_COUNT, MAX_COUNT)
    before = Contract.objects.count()
    outcome = import_contracts("c.csv", csv_bytes(CONTRACTS_HEADER, [
        f"E02,14001,1,general,self,2020-01-01,,1,{MAX_COUNT + 1},,",
        f"E03,14001,1,general,self,2020-01-01,,{'9' * 26},1,,"]))
    assert not outcome.applied
    errors = _errors(outcome)
    assert errors[(2, "premium")] == "掛金が大きすぎます（2,147,483,647 まで）: 2,147,483,648"
    assert "数値が大きすぎます" in errors[(3, "units")]
    assert Contract.objects.count() == before


def test_duplicate_contracts_and_unknown_members_are_found_in_the_database_pass(roster):
    rows = ["E01,14001,1,general,self,2020-01-01,,1,100,,",
            "E01,14001,2,general,self,2020-01-01,,1,100,,",
            "E02,14002,7,general,self,2020-01-01,,1,100,,"]
    outcome = import_contracts("c.csv", csv_bytes(CONTRACTS_HEADER, rows))
    assert _errors(outcome)[(3, "contract_no")] == "2行目と同じ契約番号です"
    assert list(_errors(outcome)) == [(3, "contract_no"), (4, "member_no")]  # every error at once
    rows[1] = "E03,14001,2,general,self,2020-01-01,,1,100,,"
    outcome = import_contracts("c.csv", csv_bytes(CONTRACTS_HEADER, rows))
    assert list(_errors(outcome)) == [(4, "member_no")]
    assert "組合員番号 7 の組合員が名簿にありません" in outcome.errors[0].message
    assert not Contract.objects.filter(contract_no__startswith="E").exists()


def test_a_dry_run_counts_and_writes_nothing(roster):
    rows = ["14002,9,新人 一,シンジン,2001-01-01,男,2024-04-01,,regular,,0,"]
    outcome = import_members("m.csv", csv_bytes(MEMBERS_HEADER, rows), dry_run=True)
    assert outcome.ok
    assert not outcome.applied
    assert (outcome.rows_added, outcome.rows_replaced) == (1, 0)
    assert not Member.objects.filter(member_no="9").exists()


def test_japanese_headers_cp932_and_xlsx(roster):
    text = ("単組,組合員番号,氏名,フリガナ,生年月日,性別,採用日,雇用区分,役員,脱退日\n"
            "１４００２,０２０,全角 太郎,ゼンカク タロウ,平成2年1月1日,男,R2.4.1,正規,○,\n")
    outcome = import_members("cp932.csv", text.encode("cp932"))
    assert outcome.applied, outcome.errors
    member = Member.objects.get(union__code="14002", member_no="020")
    assert member.birth_date == date(1990, 1, 1)
    assert member.hired_on == date(2020, 4, 1)
    assert member.officer
    book = Workbook()
    sheet = book.active
    sheet.append(["契約番号", "単組", "組合員番号", "制度", "被共済者", "発効日", "口数", "月額掛金"])
    sheet.append(["X01", "14002", "020", "総合共済", "本人", date(2024, 4, 1), 1, 600])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = import_contracts("c.xlsx", buffer.getvalue())
    assert outcome.applied, outcome.errors
    assert Contract.objects.get(contract_no="X01").started_on == date(2024, 4, 1)


UNIONS_HEADER = "code,name,branch,members,officers,active"


def test_the_union_master_adds_updates_and_never_deletes(roster):
    rows = ["14001,東京第一単組（改称）,14,120,8,1", "14900,東京新単組,東京,30,3,1",
            "01001,北海道第一単組,01,50,4,0"]
    outcome = import_unions("u.csv", csv_bytes(UNIONS_HEADER, rows))
    assert outcome.applied, outcome.errors
    assert (outcome.rows_added, outcome.rows_replaced) == (1, 2)
    assert Union.objects.get(code="14001").name == "東京第一単組（改称）"
    assert Union.objects.get(code="14900").branch.code == "14"
    assert not Union.objects.get(code="01001").active
    assert Union.objects.filter(code="13001").exists()  # not in the file: left alone
    assert AuditEntry.objects.filter(object_type="org.union", action="create").count() == 1


def test_a_union_moved_to_another_branch_takes_its_results_and_the_rollups_follow(roster):
    month = YearMonth(2024, 11).first_day()
    union = Union.objects.get(code="14002")
    own = MonthlyResult.objects.get(union=union, month=month, product__code="general",
                                    measure__code="holdings").value

    def rollup(code):
        return BranchResult.objects.get(branch__code=code, month=month,
                                        product__code="general", measure__code="holdings").value

    tokyo, saitama = rollup("14"), rollup("13")
    outcome = import_unions("u.csv", csv_bytes(UNIONS_HEADER, ["14002,東京第二単組,13,,,1"]))
    assert outcome.applied, outcome.errors
    assert set(MonthlyResult.objects.filter(union=union).values_list("branch__code", flat=True)) == {"13"}
    assert rollup("14") == tokyo - own
    assert rollup("13") == saitama + own


def test_union_master_errors(roster):
    rows = ["14001,東京第一単組,99,,,1", "14001,重複,14,,,1", "14950,名前,14,△3,,x"]
    outcome = import_unions("u.csv", csv_bytes(UNIONS_HEADER, rows))
    errors = _errors(outcome)
    assert "県支部が見つかりません" in errors[(2, "branch")]
    assert errors[(3, "code")] == "2行目と同じ単組コードです"
    assert {(4, "members"), (4, "active")} <= set(errors)
    assert Union.objects.get(code="14001").name == "東京第一単組"
