"""The demo log reproduces the stored meetings table (資料編 Ⅰ-3/Ⅰ-4) for 2024-11 and 2023-11."""

import csv

import pytest

from kyosai.accounts.access import SYSTEM
from kyosai.activities.demo import DATA
from kyosai.activities.demo import load_demo as load_appendix
from kyosai.activities.selectors import appendix_table, designations
from kyosai.domain.periods import YearMonth
from kyosai.org.models import Branch, Union
from kyosai.workbench.demo import load_demo
from kyosai.workbench.models import ActivityEntry, SupportEntry
from kyosai.workbench.selectors import compliance, period_for, summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(organisation):
    for branch in Branch.objects.prefectural():
        Union.objects.get_or_create(code=f"{branch.code}900", defaults={
            "name": f"{branch.name}デモ単組", "branch": branch})
    load_appendix()
    return load_demo()


def test_the_printed_meetings_table_is_the_shipped_one_when_read_from_the_log(demo):
    assert ActivityEntry.objects.filter(fiscal_year=2024).exists()
    header, rows = appendix_table("meetings_stats", 2024, access=SYSTEM)
    with (DATA / "meetings_stats.csv").open(encoding="utf-8") as handle:
        shipped = [[row[name] for name in header] for row in csv.DictReader(handle)]
    assert rows == shipped


def test_the_logs_national_totals_are_the_reports_for_both_years(demo):
    now = summary(period_for(2024, YearMonth(2024, 11)), access=SYSTEM)
    before = summary(period_for(2023, YearMonth(2023, 11)), access=SYSTEM)
    assert (before["regular_meeting"].events, before["study_session"].events) == (133, 0)
    assert (now["regular_meeting"].events, now["union_visit"].events,
            now["workplace_org"].participants) == (124, 3177, 66506)


def test_35_branches_have_held_no_study_session_as_the_report_says(demo):
    rows = compliance(period_for(2024, YearMonth(2024, 11)), access=SYSTEM)
    assert sum(1 for _, row in rows if not row.study_ok) == 35


def test_loading_twice_replaces_the_demo_log(demo):
    count = ActivityEntry.objects.count()
    load_demo()
    assert ActivityEntry.objects.count() == count


def test_every_designated_branch_received_support(demo):
    designated = [row for row in designations(2024, access=SYSTEM) if row["supported"] or row["priority"]]
    assert designated
    assert all(row["support"] for row in designated)
    assert SupportEntry.objects.exists()
