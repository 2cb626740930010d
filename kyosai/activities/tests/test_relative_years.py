"""Columns relative to the table's fiscal year: the register pages, the CSV, the report's tables,
files with the former year-named headers and the migration that renamed the stored columns."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kyosai.accounts.models import Membership, Role
from kyosai.activities.models import MyCarEstimate, NewHireResult
from kyosai.domain.appendix import YearLabels
from kyosai.domain.periods import FiscalCalendar, HalfYear
from kyosai.domain.reporting import ReportTable
from kyosai.org.models import Branch
from kyosai.org.services import load_organisation
from kyosai.reports.appendix import appendix_blocks

pytestmark = pytest.mark.django_db

NEW_HIRES_HEADER = ["code", "branch", "effective_months", "coop_joined_cur", "coop_joined_prev",
                    "life_joined_cur", "life_joined_prev", "rate_cur_pct", "rate_prev_pct"]


@pytest.fixture
def aomori():
    load_organisation()
    return Branch.objects.get(name="青森")


def _import(kind, path, year):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_appendix", kind, str(path), "--fiscal-year", str(year), stdout=out,
                 stderr=err)
    return err.getvalue()


def _printed(kind, year):
    out = io.StringIO()
    call_command("appendix", kind, "--format", "csv", "--fiscal-year", str(year), stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_an_old_file_of_2025_and_a_new_file_store_the_same_rows(aomori, tmp_path):
    old = tmp_path / "old.csv"
    old.write_text("code,branch,effective_months,coop_joined_2025,coop_joined_2024,"
                   "life_joined_2025,life_joined_2024\n03,青森,10,300,259,40,36\n", encoding="utf-8")
    _import("new_hires", old, 2025)
    row = NewHireResult.objects.get(fiscal_year=2025)
    assert (row.coop_joined_cur, row.coop_joined_prev, row.life_joined_cur,
            row.life_joined_prev) == (300, 259, 40, 36)
    new = tmp_path / "new.csv"
    new.write_text(",".join(NEW_HIRES_HEADER[:7]) + "\n03,青森,10,300,259,40,36\n",
                   encoding="utf-8")
    assert "変更なし" not in _import("new_hires", new, 2025)
    assert NewHireResult.objects.count() == 1
    assert NewHireResult.objects.get().coop_joined_cur == 300


def test_the_csv_header_is_relative_and_the_same_for_every_year(aomori):
    for year, (cur, prev) in ((2024, (259, 241)), (2025, (300, 259))):
        NewHireResult.objects.create(fiscal_year=year, branch=aomori, coop_joined_cur=cur,
                                     coop_joined_prev=prev, life_joined_cur=36,
                                     life_joined_prev=28)
    for year, printed in ((2024, "259"), (2025, "300")):
        rows = _printed("new_hires", year)
        assert rows[0] == NEW_HIRES_HEADER
        assert rows[1][NEW_HIRES_HEADER.index("coop_joined_cur")] == printed


def test_the_register_page_and_form_name_the_rows_year(client, aomori):
    NewHireResult.objects.create(fiscal_year=2025, branch=aomori, coop_joined_cur=300,
                                 coop_joined_prev=259, life_joined_cur=40, life_joined_prev=36)
    user = get_user_model().objects.create_user(username="hq", password="pw-123456789")
    Membership.objects.create(user=user, role=Role.HQ_ADMIN)
    client.force_login(user)
    html = client.get("/activities/new_hires/?year=2025").content.decode()
    assert "生協加入数 2025" in html
    assert "生協加入数 2024" in html
    assert "生協加入数 2023" not in html
    form = client.get("/activities/new_hires/new/?year=2025").content.decode()
    assert "団生加入数 2025" in form


@pytest.mark.parametrize(("period", "start", "cur", "prev", "as_of", "prior_end", "groups"), [
    (HalfYear(2024, 1), 6, "2024年度", "2023年度", "2024年11月", "2024年5月", ("23年度", "24年度")),
    (HalfYear(2025, 1), 4, "2025年度", "2024年度", "2025年9月", "2025年3月", ("24年度", "25年度")),
])
def test_the_reports_headings_take_the_years_and_months_from_the_edition(
        period, start, cur, prev, as_of, prior_end, groups):
    row = {"branch": "青森", "coop_joined_cur": 1, "coop_joined_prev": 1, "life_joined_cur": 1,
           "life_joined_prev": 1, "basic_members_cur": 1, "new_contracts_prev": 1,
           "estimates_prev": 1, "new_contracts_cur": 1, "estimates_cur": 1}
    blocks = appendix_blocks({"new_hires": [row], "mycar_estimates": [row]}, {},
                             YearLabels.of(period, FiscalCalendar(start)))
    new_hires, mycar = blocks
    assert isinstance(new_hires, ReportTable)
    assert isinstance(mycar, ReportTable)
    assert [c.label for c in new_hires.columns][3:] == [cur, prev, cur, prev, cur, prev]
    assert [c.label for c in mycar.columns][1:] == [
        f"基本型加入者数（{as_of}）", f"マイカー新契約（{prior_end}）",
        f"見積り数（{prior_end.split('年')[1].removesuffix('月')}月末）",
        f"マイカー新契約（{as_of}）", f"見積り数（{as_of.split('年')[1].removesuffix('月')}月末現在）"]
    assert [label for label, _ in mycar.header_groups][1:] == list(groups)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_stored_figure_under_its_new_name():
    executor = MigrationExecutor(connection)
    executor.migrate([("activities", "0001_initial")])
    old = executor.loader.project_state([("activities", "0001_initial")]).apps
    branch = old.get_model("org", "Branch").objects.create(code="03", name="青森")
    old.get_model("activities", "NewHireResult").objects.create(
        branch=branch, fiscal_year=2024, coop_joined_2024=259, coop_joined_2023=241,
        life_joined_2024=36, life_joined_2023=28)
    old.get_model("activities", "MyCarEstimate").objects.create(
        branch=branch, fiscal_year=2024, basic_members_2024_11=9661, new_contracts_2024_05=412,
        estimates_05_end=349, new_contracts_2024_11=401, estimates_11_end=169)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    row = NewHireResult.objects.get()
    assert (row.coop_joined_cur, row.coop_joined_prev, row.life_joined_cur,
            row.life_joined_prev) == (259, 241, 36, 28)
    mycar = MyCarEstimate.objects.get()
    assert (mycar.basic_members_cur, mycar.new_contracts_prev, mycar.estimates_prev,
            mycar.new_contracts_cur, mycar.estimates_cur) == (9661, 412, 349, 401, 169)
