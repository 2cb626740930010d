"""Target revisions (第 N 次) in and out of effect, a revision for some targets only, own targets
beside the official ones, the files' new columns, the history page."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.accounts.access import SYSTEM
from kyosai.accounts.services import create_demo_users
from kyosai.domain.periods import YearMonth
from kyosai.results.exports import HEADERS, export_rows
from kyosai.results.models import BranchTarget, Target, TargetRevision
from kyosai.results.revisions import history
from kyosai.results.selectors import OWN_TARGETS, TargetChoice, scorecard
from kyosai.results.services import import_file
from kyosai.web.tests.federation import build

pytestmark = pytest.mark.django_db
NOV, DEC = YearMonth(2024, 11), YearMonth(2024, 12)


@pytest.fixture
def federation(db):
    unions = build()
    create_demo_users()
    return unions


def load(text, name="targets.csv"):
    outcome = import_file("targets", name, text.encode("utf-8"))
    assert outcome.ok, [e.describe() for e in outcome.errors]
    return outcome


def target_of(rows, code="general", measure="holdings"):
    return next(row.target for row in rows if row.code == code and row.measure == measure)


def stored(branch, revision=1):
    return BranchTarget.objects.get(fiscal_year=2024, kind="official", revision=revision,
                                    branch__code=branch, product__code="general",
                                    measure__code="holdings").value


REVISION_2 = ("fiscal_year,kind,revision,effective_from,branch,union,product,measure,value\n"
              "2024,official,2,2024-12,14,,general,holdings,99999\n")


def test_a_revision_applies_from_its_month_and_not_before(federation):
    first = stored("14")
    load(REVISION_2)
    assert TargetRevision.objects.get(revision=2).effective_from.isoformat() == "2024-12-01"
    assert target_of(scorecard(NOV, branch="14", by="product", access=SYSTEM)) == first
    assert target_of(scorecard(DEC, branch="14", by="product", access=SYSTEM)) == 99999


def test_any_revision_can_be_chosen_whatever_month_it_applies_from(federation):
    first = stored("14")
    load(REVISION_2)
    assert target_of(scorecard(NOV, branch="14", by="product",
                               targets=TargetChoice(revision=2), access=SYSTEM)) == 99999
    assert target_of(scorecard(DEC, branch="14", by="product",
                               targets=TargetChoice(revision=1), access=SYSTEM)) == first


def test_targets_a_revision_leaves_out_keep_their_earlier_revision(federation):
    saitama, hokkaido = stored("13"), stored("01")
    load(REVISION_2)
    national = target_of(scorecard(DEC, by="product", access=SYSTEM))
    assert national == 99999 + saitama + hokkaido


def test_a_blank_revision_is_the_first_and_applies_from_the_fiscal_years_first_month(federation):
    load("fiscal_year,kind,branch,union,product,measure,value\n2024,official,13,,general,holdings,5\n")
    assert Target.objects.filter(branch__code="13", union__isnull=True, revision=1).exists()
    assert target_of(scorecard(YearMonth(2024, 6), branch="13", by="product", access=SYSTEM)) == 5


@pytest.mark.parametrize(("rows", "column", "message"), [
    ("2024,official,2,2025-06,14,,general,holdings,1\n", "effective_from", "2024年度"),
    ("2024,official,x,,14,,general,holdings,1\n", "revision", "改定は"),
    ("2024,official,0,,14,,general,holdings,1\n", "revision", "改定は"),
    ("2024,official,2,2024-12,14,,general,holdings,1\n2024,official,2,2025-01,13,,general,holdings,1\n",
     "effective_from", "適用開始月が行によって異なります"),
])
def test_bad_revisions_are_located_errors_and_nothing_is_written(federation, rows, column, message):
    before = Target.objects.count()
    outcome = import_file("targets", "t.csv", (
        "fiscal_year,kind,revision,effective_from,branch,union,product,measure,value\n" + rows
    ).encode("utf-8"))
    assert not outcome.ok
    assert any(e.column == column and message in e.message for e in outcome.errors)
    assert Target.objects.count() == before


def test_the_export_keeps_revisions_so_that_importing_it_again_changes_nothing(federation):
    load(REVISION_2)
    rows = list(export_rows("targets", fiscal_year=2024, branch="14"))
    header = HEADERS["targets"]
    revised = [dict(zip(header, row, strict=True)) for row in rows if row[2] == "2"]
    assert revised == [{"fiscal_year": "2024", "kind": "official", "revision": "2",
                        "effective_from": "2024-12", "branch": "14", "union": "",
                        "product": "general", "measure": "holdings", "value": "99999"}]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    count = Target.objects.count()
    outcome = load(out.getvalue(), "export.csv")
    assert (outcome.rows_added, Target.objects.count()) == (0, count)


def test_the_history_shows_what_a_revision_changed(federation):
    load(REVISION_2)
    entries = history(2024, "official")
    assert [(e.revision, e.effective_from) for e in entries] == [(1, YearMonth(2024, 6)), (2, DEC)]
    change = entries[1].changes[0]
    assert (change.branch, change.before, change.after) == ("東京", None, Decimal(99999))


def test_own_targets_have_their_own_achievement_and_mark(federation):
    load("fiscal_year,kind,branch,union,product,measure,value\n"
         "2024,own,14,,general,holdings,1\n")
    own = scorecard(NOV, branch="14", by="product", targets=OWN_TARGETS, access=SYSTEM)
    row = next(r for r in own if r.code == "general" and r.measure == "holdings")
    official = next(r for r in scorecard(NOV, branch="14", by="product", access=SYSTEM)
                    if r.code == "general" and r.measure == "holdings")
    assert row.target == 1
    assert row.actual == official.actual
    assert row.achievement_pct != official.achievement_pct
    out = io.StringIO()
    call_command("scorecard", "--as-of", "2024-11", "--branch", "14", "--by", "product",
                 "--target-kind", "own", "--format", "csv", stdout=out)
    printed = next(r for r in csv.DictReader(io.StringIO(out.getvalue()))
                   if r["product"].startswith("総合") and r["target"] == "1")
    assert printed["mark"] == row.mark


def test_a_revision_below_one_is_refused_by_the_command(federation):
    with pytest.raises(CommandError) as raised:
        call_command("scorecard", "--as-of", "2024-11", "--target-revision", "0",
                     stdout=io.StringIO())
    assert raised.value.returncode == 2


HISTORY = {"hq": 200, "hq-staff": 200, "viewer": 200, "branch-14": 404, "branch-01": 404,
           "union-14001": 404, None: 302}


@pytest.mark.parametrize("role", list(HISTORY))
def test_the_history_page_is_for_hq_only_and_read_only(federation, client, role):
    if role is not None:
        client.force_login(get_user_model().objects.get(username=role))
    assert client.get("/imports/targets/").status_code == HISTORY[role]
    assert client.post("/imports/targets/").status_code == (405 if role else 302)


def test_the_national_page_offers_the_revisions_and_shows_own_targets(federation, client):
    load(REVISION_2)
    load("fiscal_year,kind,branch,union,product,measure,value\n2024,own,14,,general,holdings,1\n",
         "own.csv")
    client.force_login(get_user_model().objects.get(username="hq"))
    html = client.get("/scorecard/", {"as_of": "2024-11"}).content.decode()
    assert "第2次（2024年12月〜）" in html
    assert "自主目標（本部）に対する到達状況" in html
    assert client.get("/scorecard/", {"as_of": "2024-11", "target_revision": "2"}).status_code == 200
    assert client.get("/scorecard/", {"as_of": "2024-11", "target_revision": "7"}).status_code == 404


def test_the_branch_page_shows_its_own_targets_and_the_revision_chosen(federation, client):
    load(REVISION_2)
    load("fiscal_year,kind,branch,union,product,measure,value\n2024,own,14,,general,holdings,1\n",
         "own.csv")
    client.force_login(get_user_model().objects.get(username="branch-14"))
    html = client.get("/branches/14/", {"as_of": "2024-11"}).content.decode()
    assert "東京 自主目標に対する到達状況" in html
    html = client.get("/branches/14/", {"as_of": "2024-11", "target_revision": "2"}).content.decode()
    assert "99,999" in html
    csv_text = client.get("/branches/14/", {"as_of": "2024-11", "export": "csv",
                                            "table": "own"}).content.decode("utf-8-sig")
    assert "総合" in csv_text


def test_importing_a_revision_reports_what_it_changed(federation, tmp_path):
    path = tmp_path / "rev2.csv"
    path.write_text(REVISION_2, encoding="utf-8")
    out = io.StringIO()
    call_command("import_targets", str(path), stdout=out, stderr=io.StringIO(), verbosity=0)
    text = out.getvalue()
    assert "2024年度 目標 第2次: 第1次までと比べて 1 件が変わりました" in text
    assert "東京" in text
    assert "99,999" in text
