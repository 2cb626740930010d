"""The tiny web federation (4 unions, 3 branches, demo users) with a roster and contracts."""

import pytest

from kyosai.accounts.services import create_demo_users
from kyosai.members.services import import_contracts, import_members
from kyosai.web.cache import clear as clear_cache
from kyosai.web.cache import forget_version
from kyosai.web.tests.federation import build

MEMBERS_HEADER = ("union,member_no,name,kana,birth_date,gender,hired_on,joined_on,employment,"
                  "reemployment_ends_on,officer,left_on")
#: 14001: 5 members (one left on 2024-11-30), 14002: 2, 01001: 1. Names are made up.
MEMBERS = [
    "14001,1,試験 一郎,シケン イチロウ,1990-11-30,男,2013-04-01,,regular,,1,",
    "14001,2,試験 二子,シケン フタコ,2000-02-29,女,2022-04-01,,regular,,0,",
    "14001,10,試験 三郎,シケン サブロウ,S55.4.1,男,2003-04-01,,reemployed,2026-03-31,0,",
    "14001,11,試験 四子,シケン ヨツコ,1995-06-15,女,2024-04-01,,appointee,,1,",
    "14001,12,試験 五郎,シケン ゴロウ,1970-01-01,男,1992-04-01,,regular,,0,2024-11-30",
    "14002,1,試験 六子,シケン ムツコ,1985-05-05,女,2008-04-01,,regular,,1,",
    "14002,2,試験 七郎,シケン シチロウ,1988-08-08,男,2010-04-01,,regular,,0,",
    "01001,1,試験 八子,シケン ヤツコ,1999-09-09,女,2021-04-01,,regular,,0,",
]
CONTRACTS_HEADER = ("contract_no,union,member_no,product,insured,started_on,ended_on,units,"
                    "premium,vehicle_registered,vehicle_inspected_on")
#: On 2024-11-30 in 14001, general: member 1 enrolled (self), member 2 only via spouse,
#: member 10's contract ends on 2024-11-30, member 11's starts on 2024-11-30.
CONTRACTS = [
    "C001,14001,1,general,self,2015-06-01,,2,1200,,",
    "C002,14001,2,総合共済,spouse,2022-06-01,,1,600,,",
    "C003,14001,10,general,本人,2010-06-01,2024-11-30,1,600,,",
    "C004,14001,11,general,self,2024-11-30,,1,600,,",
    "C005,14001,12,general,self,2000-06-01,,1,600,,",
    "C006,14001,1,mycar,self,2020-04-01,,1,5000,2018-04,2023-04-10",
    "C007,14002,1,general,self,2010-06-01,,1,600,,",
    "C008,14002,2,general,self,2012-06-01,,1,600,,",
]


def csv_bytes(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def roster(db, settings):
    settings.KYOSAI_WEB_CACHE = True
    clear_cache()
    unions = build()
    create_demo_users()
    forget_version()
    members = import_members("members.csv", csv_bytes(MEMBERS_HEADER, MEMBERS))
    assert members.applied, members.errors
    contracts = import_contracts("contracts.csv", csv_bytes(CONTRACTS_HEADER, CONTRACTS))
    assert contracts.applied, contracts.errors
    yield unions
    clear_cache()
    forget_version()
