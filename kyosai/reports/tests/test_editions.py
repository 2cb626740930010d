"""Report editions: HQ's months and narratives, written on the web with history and audit,
carried into a new edition as a draft, and placed by the builder after the generated sentences."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kyosai.accounts.access import SYSTEM
from kyosai.core.models import AuditEntry
from kyosai.domain.evaluation import Mark
from kyosai.domain.measures import MEASURES
from kyosai.domain.periods import YearMonth
from kyosai.domain.reporting import HalfYear, Heading, Paragraph, ReportTable
from kyosai.domain.rollup import ScorecardRow
from kyosai.reports import services
from kyosai.reports.builder import build_report
from kyosai.reports.demo import EDITION_DATA, load_edition
from kyosai.reports.inputs import Chapter, EditionText, Subject, SubjectParagraph
from kyosai.reports.models import Narrative, ReportEdition
from kyosai.reports.narratives import box_key, item_key, product_key, subject_key
from kyosai.reports.selectors import edition_text

KEY = item_key("premiums")
OTHERS = ("branch_staff", "branch_viewer", "union_officer", "no_membership")


@pytest.fixture
def edition(db):
    return services.save_edition(user=None, period=HalfYear(2024, 1), as_of=YearMonth(2024, 11),
                                 product_months={"general": "2024-12"})


def _urls(edition):
    return [reverse("reports:editions"),
            reverse("reports:edition", kwargs={"period": edition.period}),
            reverse("reports:narrative", kwargs={"period": edition.period, "key": KEY}),
            reverse("reports:edition_months", kwargs={"period": edition.period})]


# --- permissions: every new route, every role, GET and POST ------------------------------------

@pytest.mark.parametrize("role", OTHERS)
def test_only_hq_sees_or_changes_editions(client, personas, role, edition):
    client.force_login(personas[role])
    for url in _urls(edition):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "x", "period": "2024H2", "as_of": "2025-05"}
                           ).status_code == 404, url
    assert not Narrative.objects.exists()
    assert ReportEdition.objects.count() == 1
    edition.refresh_from_db()
    assert edition.as_of == "2024-11"


def test_anonymous_visitors_get_404(client, edition):
    for url in _urls(edition):
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "x"}).status_code == 404


def test_the_read_only_hq_viewer_reads_but_cannot_write(client, personas, edition):
    client.force_login(personas["hq_viewer"])
    for url, refused in zip(_urls(edition), (403, 405, 403, 403), strict=True):
        assert client.get(url).status_code == 200, url
        assert client.post(url, {"text": "x", "period": "2024H2", "as_of": "2025-05"}
                           ).status_code == refused, url
    assert not Narrative.objects.exists()
    assert ReportEdition.objects.count() == 1
    edition.refresh_from_db()
    assert edition.as_of == "2024-11"


@pytest.mark.parametrize("role", ["hq_admin", "hq_staff"])
def test_hq_writes_a_narrative_with_history_and_audit(client, personas, role, edition):
    user = personas[role]
    client.force_login(user)
    detail = reverse("reports:edition", kwargs={"period": edition.period})
    assert client.post(detail, {"text": "x"}).status_code == 405  # the page only reads
    url = reverse("reports:narrative", kwargs={"period": edition.period, "key": KEY})
    assert client.post(url, {"text": "一段落目。\n\n二段落目。"}).status_code == 302
    narrative = Narrative.objects.get(edition=edition, key=KEY)
    assert narrative.paragraphs() == ("一段落目。", "二段落目。")
    assert client.post(url, {"text": "書き直し。"}).status_code == 302
    assert client.post(url, {"text": "書き直し。"}).status_code == 302  # unchanged: no entry
    entries = AuditEntry.objects.filter(object_type="reports.narrative").order_by("pk")
    assert [e.action for e in entries] == ["create", "update"]
    assert all(e.user == user for e in entries)
    assert entries[1].before is not None
    assert entries[1].before["text"] == "一段落目。\n\n二段落目。"
    page = client.get(url).content.decode()
    assert page.count("<li>") >= 2
    assert "書き直し。" in page
    assert client.post(url, {"text": ""}).status_code == 302
    assert not Narrative.objects.filter(edition=edition, key=KEY).exists()
    assert AuditEntry.objects.filter(object_type="reports.narrative", action="delete").count() == 1


def test_an_unknown_place_or_period_is_404(client, personas, edition):
    client.force_login(personas["hq_admin"])
    assert client.get(reverse("reports:narrative", kwargs={
        "period": edition.period, "key": "Ⅱ.9.nothing"})).status_code == 404
    assert client.get(reverse("reports:edition", kwargs={"period": "2030H1"})).status_code == 404
    assert client.get(reverse("reports:edition", kwargs={"period": "junk"})).status_code == 404


def test_a_new_edition_starts_from_the_previous_ones_text_as_a_draft(client, personas, edition):
    services.save_narrative(user=None, edition=edition, key=product_key("general"), text="前期の本文。")
    client.force_login(personas["hq_admin"])
    response = client.post(reverse("reports:editions"), {"period": "2024H2", "as_of": "2025-05"})
    assert response.status_code == 302
    new = ReportEdition.objects.get(period="2024H2")
    assert new.status == ReportEdition.Status.DRAFT
    assert new.previous == edition
    assert new.product_months == {}  # months are the new edition's own
    assert new.narratives.get(key=product_key("general")).text == "前期の本文。"
    again = client.post(reverse("reports:editions"), {"period": "2024H2", "as_of": "2025-05"})
    assert again.status_code == 200
    assert "すでにあります" in again.content.decode()


# --- the demo edition --------------------------------------------------------------------------

def test_the_demo_edition_loads_once_and_dates_the_nine_products_at_december(db):
    edition, changed = load_edition(EDITION_DATA)
    assert changed > 20
    assert load_edition(EDITION_DATA)[1] == 0
    text = edition_text(edition, access=SYSTEM)
    december = {code for code, month in text.product_months.items() if month == YearMonth(2024, 12)}
    assert december == {"general", "group_life", "retiree_group_life", "group_life_total",
                        "long_term_savings", "qualified_pension", "child_maturity",
                        "parent_child", "nursing_care", "post_retirement"}
    for item in ("premiums", "loading", "holdings", "new_contracts"):
        assert text.paragraphs(box_key(item))[0].startswith("＜")
    assert [c.title for c in text.chapters][:2] == ["総合（慶弔）共済", "団体生命共済・退職者団体生命共済"]
    assert "移管契約件数" in "".join(text.paragraphs(product_key("traffic_accident")))


# --- the builder -------------------------------------------------------------------------------

def _row(code, label, measure, as_of, actual, change, pct, *, total=False, target=100):
    return ScorecardRow(label=label, code=code, spec=MEASURES[measure],
                        measure_name=MEASURES[measure].short_name, as_of=as_of, actual=actual,
                    target=target, previous=actual - change, change=change,
                    achievement_pct=Decimal(pct), yoy_pct=None, pace_pct=Decimal("50.00"),
                    mark=Mark.PARTIAL, is_total=total)


class MonthSources:
    """Figures that depend on the month asked for: 11月 and 12月 differ."""

    def __init__(self):
        self.months = []

    def overview(self, period):
        return None

    def national(self, as_of):
        return [_row("total", "合計", "premiums", as_of.shift(-1), 21479536, -1620350, "37.94",
                     total=True)]

    def products(self, as_of):
        self.months.append(as_of)
        bump = 1 if as_of == YearMonth(2024, 12) else 0
        return [_row("general", "総合（慶弔）共済", "holdings", as_of, 783283 - 112 * bump, -8121,
                     "103.75"),
                _row("mycar", "マイカー共済", "holdings", as_of, 371797, 6680, "99.95")]

    def scores(self, as_of, wanted):
        assert as_of == YearMonth(2024, 11)  # the report's month; the selector applies the lag
        return [_row("new_group_pension", "新団体年金共済", "premiums", as_of.shift(-1),
                     5000000, -1700926, "33.83")]

    def own_target(self, as_of, total):
        return None

    def top_branches(self, *args):
        return None

    def plan(self, period):
        return None

    def appendix(self, period, titles=None, notes=None):
        return None

    def events(self, period):
        return None


def test_the_builder_prints_each_product_at_its_month_and_the_narratives_after_the_figures():
    text = EditionText(
        product_months={"general": YearMonth(2024, 12)},
        narratives={subject_key("premiums", 1): ("これは、退職者が発生しなかったことに起因しています。",),
                    item_key("premiums"): ("今後も注力します。",),
                    box_key("premiums"): ("＜受入共済掛金について＞", "掛金の総額です。"),
                    product_key("general"): ("多くの県で減少しています。",)},
        subjects={"premiums": (SubjectParagraph((Subject("new_group_pension"),)),)},
        chapters=(Chapter("総合（慶弔）共済", ("general",)), Chapter("マイカー共済", ("mycar",))),
    )
    sources = MonthSources()
    report = build_report(YearMonth(2024, 11), HalfYear(2024, 1), sources, edition=text)
    blocks = {s.heading: s.blocks for s in report.sections}
    national = [b.text for b in blocks["Ⅱ．事業目標達成にむけた取り組み"] if isinstance(b, Paragraph)]
    assert national[1] == ("② 新団体年金共済は、前年同期比△1,700,926千円（目標到達率33.83%）となっています。"
                           "これは、退職者が発生しなかったことに起因しています。")
    assert national[2] == "③ 今後も注力します。"
    assert national[3:] == ["＜受入共済掛金について＞\n掛金の総額です。"]
    box = [b for b in blocks["Ⅱ．事業目標達成にむけた取り組み"] if isinstance(b, Paragraph)][-1]
    assert box.style == "box"
    products = blocks["Ⅲ．各共済制度の目標到達状況"]
    headings = [b.text for b in products if isinstance(b, Heading)]
    assert headings == ["１．総合（慶弔）共済（2024年12月現在）", "２．マイカー共済（2024年11月現在）"]
    assert products[1] == Paragraph("多くの県で減少しています。")
    general = next(b for b in products if isinstance(b, ReportTable))
    assert general.rows[0].cells[2] == 783171  # the December figure, not November's 783,283
    assert YearMonth(2024, 12) in sources.months


def test_without_an_edition_every_product_is_at_the_reports_month_and_movers_are_named():
    sources = MonthSources()
    report = build_report(YearMonth(2024, 11), HalfYear(2024, 1), sources)
    products = next(s for s in report.sections if s.heading.startswith("Ⅲ"))
    headings = [b.text for b in products.blocks if isinstance(b, Heading)]
    assert headings == ["１．総合（慶弔）共済（2024年11月現在）", "２．マイカー共済（2024年11月現在）"]
    assert set(sources.months) == {YearMonth(2024, 11)}


class OwnTargetSources(MonthSources):
    def national(self, as_of):
        return [_row("total", "合計", "loading", as_of, 5135260, 1039, "51.40", total=True)]

    def own_target(self, as_of, total):
        assert (as_of, total.measure) == (YearMonth(2024, 11), "loading")
        return _row("total", "合計", "loading", as_of, 5135260, 1039, "50.00", total=True,
                    target=10269401)


def _loading_paragraphs(edition):
    report = build_report(YearMonth(2024, 11), HalfYear(2024, 1), OwnTargetSources(),
                          edition=edition)
    section = next(s for s in report.sections if s.heading.startswith("Ⅱ"))
    return [b.text for b in section.blocks if isinstance(b, Paragraph)]


def test_the_own_target_sentence_follows_the_written_paragraphs_where_an_own_target_exists():
    with_own = EditionText(own_targets=("loading",),
                           narratives={item_key("loading"): ("目標達成にむけて注力します。",)})
    paragraphs = _loading_paragraphs(with_own)
    assert paragraphs[-2] == "② 目標達成にむけて注力します。"
    # 5,135,260 / 10,269,401 = 50.0059 %: truncated to 50.00 %, exactly the pace
    assert paragraphs[-1] == ("③ なお、前年度の予定付加掛金実績（10,269,401千円）に対する到達率は、50.00%であり、"
                              "経過期間に応じた到達目安（50.00%）に到達しています。")
    assert not any("前年度の予定付加掛金実績" in p for p in _loading_paragraphs(EditionText()))


class NoOwnTargetSources(OwnTargetSources):
    def own_target(self, as_of, total):
        return None


def test_no_own_target_sentence_where_the_data_holds_no_own_target():
    edition = EditionText(own_targets=("loading",))
    report = build_report(YearMonth(2024, 11), HalfYear(2024, 1), NoOwnTargetSources(),
                          edition=edition)
    section = next(s for s in report.sections if s.heading.startswith("Ⅱ"))
    texts = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    assert texts
    assert not any("前年度の" in text for text in texts)


def test_a_composite_adds_up_its_components(db):
    from django.core.management import call_command

    from kyosai.results.demo import generate
    from kyosai.results.selectors import product_scores

    call_command("init", stdout=__import__("io").StringIO())
    generate(seed=1, unions=60, progress=False)
    month = YearMonth(2024, 11)
    parts = ("long_term_savings", "qualified_pension", "post_retirement")
    for measure in ("premiums", "loading", "units"):
        rows = product_scores(month, [("new_group_pension", measure),
                                      *((code, measure) for code in parts)], access=SYSTEM)
        composite, components = rows[0], rows[1:]
        assert composite.label.startswith("新団体年金共済（長期共済・税制適格年金")
        # money is summed in yen and then rounded to 千円 once: the parts' rounded figures may
        # differ from the whole by their rounding (at most one per part); units add exactly
        slack = 0 if measure == "units" else len(components)
        for field in ("actual", "change", "target"):
            whole = getattr(composite, field)
            assert abs(whole - sum(getattr(r, field) for r in components)) <= slack, field


def test_the_demo_prints_the_reports_figures_for_composites_and_the_own_target(db):
    """Ⅱ.2 of the 2024H1 report: (1)② △1,700,926千円（33.83%）, (2)② △18,919千円（47.27%）,
    (3)④ 長期系共済 △393,738口, (2)④ 前年度の予定付加掛金実績 10,269,401千円 → 50.00%."""
    from django.core.management import call_command

    from kyosai.reports.sources import DatabaseSources
    from kyosai.results.demo import generate
    from kyosai.results.demo_targets import load_demo
    from kyosai.results.selectors import product_scores, scorecard

    call_command("init", stdout=__import__("io").StringIO())
    generate(seed=2, unions=60, progress=False)
    load_demo()
    month = YearMonth(2024, 11)
    rows = product_scores(month, [("new_group_pension", "premiums"),
                                  ("new_group_pension", "loading"),
                                  ("long_term_family", "units")], access=SYSTEM)
    assert [(r.as_of, r.change, r.achievement_pct) for r in rows[:2]] == [
        (YearMonth(2024, 10), -1_700_926, Decimal("33.83")),
        (YearMonth(2024, 11), -18_919, Decimal("47.27"))]
    assert rows[2].change == -393_738
    total = next(r for r in scorecard(month, access=SYSTEM)
                 if r.code == "total" and r.measure == "loading")
    own = DatabaseSources().own_target(month, total)
    assert own is not None
    assert (own.actual, own.target, own.achievement_pct) == (5_135_260, 10_269_401,
                                                             Decimal("50.00"))
    # the own target is 前年度実績の維持: the 合計 at the previous fiscal year's last month
    year_end = next(r for r in scorecard(YearMonth(2024, 5), access=SYSTEM)
                    if r.code == "total" and r.measure == "loading")
    assert year_end.actual == own.target


def test_hq_sets_the_editions_month_and_each_products_month(client, personas, edition):
    from kyosai.catalog.services import load_catalog

    load_catalog()
    client.force_login(personas["hq_staff"])
    url = reverse("reports:edition_months", kwargs={"period": edition.period})
    page = client.get(url).content.decode()
    assert "総合（慶弔）共済" in page
    assert "2024-12" in page
    bad = client.post(url, {"as_of": "2024-11", "month_general": "2024-13"})
    assert bad.status_code == 200
    edition.refresh_from_db()
    assert edition.product_months == {"general": "2024-12"}
    response = client.post(url, {"as_of": "2024-10", "month_general": "",
                                 "month_nursing_care": "2024-12"})
    assert response.status_code == 302
    edition.refresh_from_db()
    assert (edition.as_of, edition.product_months) == ("2024-10", {"nursing_care": "2024-12"})
    entry = AuditEntry.objects.filter(object_type="reports.reportedition").latest("pk")
    assert entry.action == "update"
    assert entry.user == personas["hq_staff"]
    assert entry.before is not None
    assert entry.before["product_months"] == {"general": "2024-12"}


# --- kyosai report --edition -------------------------------------------------------------------

def test_the_command_builds_an_edition_and_records_it_in_its_history(edition, tmp_path):
    from django.core.management import call_command

    from kyosai.reports.models import ReportBuild

    services.save_narrative(user=None, edition=edition, key=box_key("premiums"),
                            text="＜受入共済掛金について＞\n\n掛金の総額です。")
    call_command("report", edition="2024H1", out=str(tmp_path), format="html",
                 stdout=__import__("io").StringIO())
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "2024年11月現在" in html  # the edition's month
    build = ReportBuild.objects.get()
    assert (build.edition, build.status, build.as_of) == (edition, ReportBuild.Status.DONE,
                                                           "2024-11")


@pytest.mark.parametrize("options", [
    {"edition": "2030H1"},  # no such edition
    {"edition": "junk"},
    {"edition": "2024H1", "as_of": "2024-10"},  # the edition's month is the month
])
def test_the_command_refuses_a_bad_edition_with_status_2(edition, tmp_path, options):
    from django.core.management import CommandError, call_command

    from kyosai.reports.models import ReportBuild

    with pytest.raises(CommandError) as error:
        call_command("report", out=str(tmp_path / "out"), **options)
    assert error.value.returncode == 2
    assert not (tmp_path / "out").exists()
    assert not ReportBuild.objects.exists()
