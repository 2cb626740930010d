"""kyosai imports revert on member and contract imports: the roster and contracts come back
exactly as they were before the import, or a one-line Japanese refusal and nothing written."""

import io
import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kyosai.catalog.models import Product
from kyosai.core.models import AuditEntry
from kyosai.members.models import (
    Contract,
    FollowUp,
    InspectionCall,
    Member,
    ReplacedContract,
    ReplacedMember,
)
from kyosai.members.services import import_contracts, import_members
from kyosai.members.tests.conftest import CONTRACTS_HEADER, MEMBERS, MEMBERS_HEADER, csv_bytes
from kyosai.results.models import ImportLog

pytestmark = pytest.mark.django_db

#: A second roster file: 14001/1 renamed and made a non-officer, 14001/12's leaving date
#: cleared (rejoined), 14002/1 unchanged; 14001/20 and 14002/3 new.
SECOND_MEMBERS = [
    "14001,1,試験 改名,シケン カイメイ,1990-11-30,男,2013-04-01,2020-01-01,regular,,0,",
    "14001,12,試験 五郎,シケン ゴロウ,1970-01-01,男,1992-04-01,,reemployed,2030-03-31,0,",
    "14002,1,試験 六子,シケン ムツコ,1985-05-05,女,2008-04-01,,regular,,1,",
    "14001,20,試験 新人,シケン シンジン,2002-04-02,女,2024-04-01,,regular,,0,",
    "14002,3,試験 追加,シケン ツイカ,1999-12-31,男,2024-10-01,,regular,,0,",
]
#: A second contracts file: C001 more units and ended, C002 given to member 14001/10 and another
#: product, C007 unchanged; C009 and C010 new.
SECOND_CONTRACTS = [
    "C001,14001,1,general,self,2015-06-01,2024-12-01,3,1800,,",
    "C002,14001,10,mycar,self,2022-06-01,,1,4000,2019-05,2024-05-01",
    "C007,14002,1,general,self,2010-06-01,,1,600,,",
    "C009,14001,11,mycar,self,2024-06-01,,1,3000,2024-05,",
    "C010,14002,2,fire,self,2024-07-01,,2,500,,",
]


def _rows(model: type[Member] | type[Contract]) -> set[tuple[Any, ...]]:
    """Every stored row with every column (id and import mark included)."""
    columns = [field.attname for field in model._meta.concrete_fields]
    return set(model.objects.values_list(*columns))


def state() -> dict[str, set[tuple[Any, ...]]]:
    return {"members": _rows(Member), "contracts": _rows(Contract)}


def members(rows: list[str], name: str = "members2.csv") -> ImportLog:
    outcome = import_members(name, csv_bytes(MEMBERS_HEADER, rows))
    assert outcome.applied, outcome.errors
    assert outcome.log is not None
    return outcome.log


def contracts(rows: list[str], name: str = "contracts2.csv") -> ImportLog:
    outcome = import_contracts(name, csv_bytes(CONTRACTS_HEADER, rows))
    assert outcome.applied, outcome.errors
    assert outcome.log is not None
    return outcome.log


def revert(log_id: int, *extra: str) -> str:
    out = io.StringIO()
    call_command("imports_revert", str(log_id), *extra, stdout=out)
    return out.getvalue()


def refused(log_id: int) -> str:
    with pytest.raises(CommandError) as caught:
        revert(log_id)
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_members_import_keeps_the_rows_it_replaces_and_marks_what_it_writes(roster):
    stored = {m.member_no: m for m in Member.objects.filter(union__code="14001")}
    log = members(SECOND_MEMBERS)
    assert (log.rows_added, log.rows_replaced) == (2, 3)
    copies = {c.row_id: c for c in ReplacedMember.objects.filter(import_log=log)}
    assert set(copies) == {stored["1"].pk, stored["12"].pk,
                           Member.objects.get(union__code="14002", member_no="1").pk}
    first = copies[stored["1"].pk]
    assert (first.name, first.officer, first.joined_on) == ("試験 一郎", True, None)
    assert copies[stored["12"].pk].left_on == date(2024, 11, 30)
    assert copies[stored["12"].pk].last_import == stored["12"].last_import  # the first import
    assert Member.objects.filter(last_import=log.pk).count() == 5
    assert Member.objects.get(union__code="14001", member_no="12").left_on is None


def test_revert_of_a_members_import_gives_back_the_roster_before_it(roster):
    before = state()
    log = members(SECOND_MEMBERS)
    assert state() != before
    out = revert(log.pk)
    assert "削除 2 行、復元 3 行" in out
    assert state() == before
    assert not ReplacedMember.objects.filter(import_log=log).exists()  # no personal data left
    log.refresh_from_db()
    assert log.reverted_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT_REVERT)
    assert entry.object_id == str(log.pk)
    assert entry.detail is not None
    assert (entry.detail["dataset"], entry.detail["rows_deleted"],
            entry.detail["rows_restored"], entry.detail["contracts_deleted"]) == (
        "members", 2, 3, 0)
    assert "試験" not in json.dumps(entry.detail, ensure_ascii=False)
    assert "取り消し済み" in refused(log.pk)


def test_revert_of_a_contracts_import_gives_back_the_contracts_before_it(roster):
    before = state()
    log = contracts(SECOND_CONTRACTS)
    assert (log.rows_added, log.rows_replaced) == (2, 3)
    moved = Contract.objects.get(contract_no="C002")
    assert (moved.member.member_no, moved.product.code) == ("10", "mycar")
    revert(log.pk)
    assert state() == before
    back = Contract.objects.get(contract_no="C002")
    assert (back.member.member_no, back.product.code, back.insured) == ("2", "general", "spouse")
    assert not ReplacedContract.objects.exists()


def test_dry_run_counts_and_writes_nothing(roster):
    log = members(SECOND_MEMBERS)
    after = state()
    entries = AuditEntry.objects.count()
    out = revert(log.pk, "--dry-run")
    assert "削除 2 行、復元 3 行" in out
    assert "書き込みはしていません" in out
    assert state() == after
    assert AuditEntry.objects.count() == entries
    assert ReplacedMember.objects.filter(import_log=log).count() == 3
    log.refresh_from_db()
    assert log.reverted_at is None


def test_refused_while_a_later_import_changed_the_same_keys_then_in_order(roster):
    before = state()
    first = members(SECOND_MEMBERS[:1] + SECOND_MEMBERS[3:4])
    second = members(["14001,1,試験 再改名,シケン サイカイメイ,1990-11-30,男,2013-04-01,,regular,,1,"])
    untouched = members(["14002,2,試験 七郎,シケン シチロウ,1988-08-08,男,2010-04-01,,regular,,1,"])
    message = refused(first.pk)
    assert f"取込番号 {second.pk}" in message
    assert f"{untouched.pk}" not in message.split("取込番号 ")[-1]
    assert Member.objects.get(union__code="14001", member_no="1").name == "試験 再改名"
    revert(second.pk)
    revert(first.pk)  # the later one that did not touch its keys stays
    assert Member.objects.get(union__code="14002", member_no="2").officer
    revert(untouched.pk)
    assert state() == before


def test_a_members_import_whose_new_members_got_contracts_later_waits_for_that_import(roster):
    before = state()
    log = members(SECOND_MEMBERS)
    later = contracts(["C011,14001,20,general,self,2024-06-01,,1,600,,"])
    assert f"取込番号 {later.pk}" in refused(log.pk)
    revert(later.pk)
    revert(log.pk)
    assert state() == before


def test_contracts_of_an_added_member_go_with_it(roster):
    before = state()
    log = members(SECOND_MEMBERS)
    later = contracts(["C011,14001,20,general,self,2024-06-01,,1,600,,"])
    Contract.objects.filter(contract_no="C011").update(last_import=None)  # not an import's
    ImportLog.objects.filter(pk=later.pk).update(reverted_at=timezone.now())
    out = revert(log.pk, "--dry-run")
    assert "削除 3 行" in out  # two members and the contract of one
    revert(log.pk)
    assert state() == before


def test_refused_when_a_follow_up_mark_hangs_on_an_added_member(roster):
    log = members(SECOND_MEMBERS)
    FollowUp.objects.create(member=Member.objects.get(union__code="14001", member_no="20"),
                            product=Product.objects.get(code="general"), status="contacted",
                            on=date(2024, 12, 1))
    after = state()
    assert "声かけ記録" in refused(log.pk)
    assert state() == after


def test_refused_when_the_rows_were_changed_another_way(roster):
    log = members(["01001,1,試験 八子,シケン ヤツコ,1999-09-09,女,2021-04-01,,regular,,1,"])
    call_command("unions_merge", "01001", "13001", stdout=io.StringIO())
    after = state()
    assert "取込以外の方法" in refused(log.pk)
    assert state() == after


def test_refused_after_demo_data(roster):
    log = contracts(SECOND_CONTRACTS)
    demo = ImportLog.objects.create(source=ImportLog.Source.DEMO, dataset="results",
                                    file_name="demo", sha256="0" * 64)
    assert f"デモデータ（取込番号 {demo.pk}）" in refused(log.pk)


def test_the_import_log_shows_the_revert(roster):
    log = contracts(SECOND_CONTRACTS)
    revert(log.pk)
    out = io.StringIO()
    call_command("imports", "--format", "json", stdout=out)
    shown = {int(row["id"]): row for row in json.loads(out.getvalue())}
    assert shown[log.pk]["状態"] == "取消済"
    assert shown[log.pk]["データ"] == "契約"


def test_purge_removes_the_copies_of_purged_members_and_their_contracts(roster):
    log = members(SECOND_MEMBERS)  # copies 14001/12 as it was: left on 2024-11-30
    replaced = contracts(["C005,14001,12,general,self,2000-06-01,,2,1200,,"])
    leaver = Member.objects.get(union__code="14001", member_no="12")
    Member.objects.filter(pk=leaver.pk).update(left_on=date(2024, 11, 30))
    out = io.StringIO()
    call_command("members_purge", "--left-before", "2024-11-30", stdout=out)  # strict: kept
    assert ReplacedMember.objects.filter(row_id=leaver.pk).exists()
    call_command("members_purge", "--left-before", "2024-12-01", "--dry-run", stdout=out)
    assert "置換前の組合員・契約 2 件" in out.getvalue()
    assert ReplacedMember.objects.filter(row_id=leaver.pk).exists()
    call_command("members_purge", "--left-before", "2024-12-01", stdout=io.StringIO())
    assert not ReplacedMember.objects.filter(row_id=leaver.pk).exists()
    assert not ReplacedContract.objects.filter(import_log=replaced).exists()
    assert ReplacedMember.objects.filter(import_log=log).count() == 2  # the others stay
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PURGE)
    assert entry.detail is not None
    assert entry.detail["replaced_copies"] == 2
    assert "組合員の削除" in refused(log.pk)


def test_purge_removes_copies_kept_by_imports_before_the_date(roster):
    log = members(SECOND_MEMBERS[:1])
    today = timezone.localdate()
    call_command("members_purge", "--left-before", today.isoformat(), stdout=io.StringIO())
    assert ReplacedMember.objects.filter(import_log=log).count() == 1  # made today: kept
    call_command("members_purge", "--left-before", (today + timedelta(days=1)).isoformat(),
                 stdout=io.StringIO())
    assert not ReplacedMember.objects.exists()
    assert Member.objects.count() == len(MEMBERS) - 1  # 14001/12 left on 2024-11-30


def test_refused_while_a_later_import_kept_a_contract_of_an_added_member(roster):
    before = state()
    log = members(SECOND_MEMBERS)
    given = contracts(["C001,14001,20,general,self,2015-06-01,,2,1200,,"])  # to the new member
    back = contracts(["C001,14001,1,general,self,2015-06-01,,2,1200,,"])  # and back again
    # no contract of the new member now, but reverting `back` would give it C001 again
    assert f"（取込番号 {back.pk}）" in refused(log.pk)
    revert(back.pk)
    assert f"（取込番号 {given.pk}）" in refused(log.pk)
    revert(given.pk)
    revert(log.pk)
    assert state() == before


def test_refused_when_a_call_mark_hangs_on_an_added_contract(roster):
    log = contracts(SECOND_CONTRACTS)
    InspectionCall.objects.create(contract=Contract.objects.get(contract_no="C009"),
                                  due_month=date(2027, 5, 1), kind="called", on=date(2025, 1, 6))
    after = state()
    assert "車検案内の記録" in refused(log.pk)
    assert state() == after


def test_the_web_import_history_shows_the_revert(roster, client):
    from django.contrib.auth import get_user_model

    log = contracts(SECOND_CONTRACTS)
    revert(log.pk)
    client.force_login(get_user_model().objects.get(username="hq"))
    body = client.get("/imports/").content.decode()
    row = body.split(f"<tr><td>{log.pk}</td>")[1].split("</tr>")[0]
    assert "契約" in row
    assert "取消済" in row
