"""The report pages: HQ builds in the background and downloads; everyone else gets 404."""

import pytest
from django.urls import reverse

from kyosai.core.models import AuditEntry
from kyosai.domain.reporting import HalfYear
from kyosai.reports import services
from kyosai.reports.models import OverviewTopic, ReportBuild
from kyosai.reports.tests.golden_sources import GoldenSources

HQ = ("hq_admin", "hq_staff", "hq_viewer")
OTHERS = ("branch_staff", "branch_viewer", "union_officer", "no_membership")


def _urls(build: ReportBuild, topic: OverviewTopic) -> list[str]:
    return [
        reverse("reports:builds"),
        reverse("reports:build", kwargs={"pk": build.pk}),
        reverse("reports:build_status", kwargs={"pk": build.pk}),
        reverse("reports:download", kwargs={"pk": build.pk, "fmt": "html"}),
        reverse("reports:overview", kwargs={"period": "2024H1"}),
        reverse("reports:overview_edit", kwargs={"pk": topic.pk}),
    ]


@pytest.fixture
def finished_build(db, media, golden_dir):
    build = ReportBuild.objects.create(period="2024H1", as_of="2024-11", formats="html")
    services.run_build(build.pk, sources=GoldenSources(golden_dir))
    return build


@pytest.fixture
def topic(db):
    return OverviewTopic.objects.create(period="2024H1", heading="見出し", body="本文。")


@pytest.mark.parametrize("role", OTHERS)
def test_it_hides_every_report_page_from_non_hq_users(client, personas, role, finished_build,
                                                      topic):
    client.force_login(personas[role])
    for url in _urls(finished_build, topic):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reports:builds"), {
        "period": "2024H1", "as_of": "2024-11", "formats": ["pdf"]}).status_code == 404
    assert client.post(reverse("reports:overview_delete", kwargs={"pk": topic.pk})
                       ).status_code == 404
    assert ReportBuild.objects.count() == 1
    assert OverviewTopic.objects.filter(pk=topic.pk).exists()


def test_it_hides_the_pages_from_anonymous_visitors(client, finished_build, topic):
    for url in _urls(finished_build, topic):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", HQ)
def test_it_shows_every_report_page_to_hq(client, personas, role, finished_build, topic):
    client.force_login(personas[role])
    edit = reverse("reports:overview_edit", kwargs={"pk": topic.pk})
    for url in _urls(finished_build, topic):
        # the edit form is a write: an HQ viewer reads the overview but may not open its form
        expected = 403 if url == edit and role == "hq_viewer" else 200
        assert client.get(url).status_code == expected, url


def test_an_hq_viewer_reads_the_overview_but_never_writes_it_nor_sees_its_controls(
        client, personas, topic):
    client.force_login(personas["hq_viewer"])
    overview = reverse("reports:overview", kwargs={"period": "2024H1"})
    page = client.get(overview).content.decode()
    assert "見出し" in page
    assert reverse("reports:overview_delete", kwargs={"pk": topic.pk}) not in page
    assert reverse("reports:overview_edit", kwargs={"pk": topic.pk}) not in page
    assert "項目を追加する" not in page
    assert "作成を開始" not in client.get(reverse("reports:builds")).content.decode()
    audit = AuditEntry.objects.count()
    posts = [
        (overview, {"position": "2", "heading": "攻撃", "body": "本文。"}),
        (reverse("reports:overview_edit", kwargs={"pk": topic.pk}),
         {"position": "1", "heading": "書換", "body": "本文。"}),
        (reverse("reports:overview_delete", kwargs={"pk": topic.pk}), {}),
        (reverse("reports:builds"), {"period": "2024H1", "as_of": "2024-11", "formats": ["pdf"]}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert list(OverviewTopic.objects.values_list("heading", flat=True)) == ["見出し"]
    assert ReportBuild.objects.count() == 0
    assert AuditEntry.objects.count() == audit
    client.force_login(personas["hq_staff"])
    page = client.get(overview).content.decode()
    assert reverse("reports:overview_delete", kwargs={"pk": topic.pk}) in page
    assert "項目を追加する" in page


def test_hq_starts_a_build_that_runs_outside_the_request(client, personas, media, golden_dir,
                                                         monkeypatch,
                                                         django_capture_on_commit_callbacks):
    launched: list[ReportBuild] = []
    monkeypatch.setattr(services, "_launch", launched.append)
    client.force_login(personas["hq_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:builds"), {
            "period": "2024H1", "as_of": "2024-11", "formats": ["xlsx", "html"]})
    build = ReportBuild.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:build", kwargs={"pk": build.pk})
    assert launched == [build]  # handed to the worker, not run in the request
    assert build.status == ReportBuild.Status.QUEUED
    assert build.requested_by == personas["hq_staff"]
    page = client.get(response["Location"])
    assert "待機中" in page.content.decode()
    assert 'http-equiv="refresh"' in page.content.decode()

    services.run_build(build.pk, sources=GoldenSources(golden_dir))  # what the worker does
    status = client.get(reverse("reports:build_status", kwargs={"pk": build.pk})).json()
    assert status["status"] == "done"
    assert status["progress"] == 100
    assert status["files"] == ["xlsx", "html"]
    download = client.get(reverse("reports:download", kwargs={"pk": build.pk, "fmt": "html"}))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    body = b"".join(download.streaming_content).decode()
    assert "全種目合計で21,479,536千円" in body
    missing = client.get(reverse("reports:download", kwargs={"pk": build.pk, "fmt": "pdf"}))
    assert missing.status_code == 404
    # the build and the download are in the audit trail; the refused download is not
    built = AuditEntry.objects.get(action=AuditEntry.Action.BUILD)
    assert (built.user, built.object_id) == (personas["hq_staff"], str(build.pk))
    assert built.detail == {"period": "2024H1", "as_of": "2024-11", "formats": ["xlsx", "html"]}
    downloaded = AuditEntry.objects.get(action=AuditEntry.Action.DOWNLOAD)
    assert downloaded.user == personas["hq_staff"]
    assert downloaded.object_type == "reports.reportbuild"
    assert downloaded.detail is not None
    assert downloaded.detail["format"] == "html"
    assert downloaded.detail["bytes"] == len(body.encode())


def test_it_refuses_a_build_with_a_bad_month(client, personas, monkeypatch):
    monkeypatch.setattr(services, "_launch", lambda build: None)
    client.force_login(personas["hq_admin"])
    response = client.post(reverse("reports:builds"), {
        "period": "2024H1", "as_of": "2024/11", "formats": ["pdf"]})
    assert response.status_code == 200
    assert "YYYY-MM" in response.content.decode()
    assert not ReportBuild.objects.exists()


def test_a_failed_build_says_why(db, media, golden_dir):
    class Broken(GoldenSources):
        def national(self, as_of):
            raise RuntimeError("集計が壊れています")

    build = ReportBuild.objects.create(period="2024H1", as_of="2024-11", formats="pdf")
    with pytest.raises(RuntimeError):
        services.run_build(build.pk, sources=Broken(golden_dir))
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.FAILED
    assert "集計が壊れています" in build.error
    assert build.files() == []


def test_hq_writes_the_overview_and_the_report_prints_it(client, personas, media,
                                                         monkeypatch):
    client.force_login(personas["hq_admin"])
    url = reverse("reports:overview", kwargs={"period": "2024H1"})
    response = client.post(url, {
        "position": 1, "heading": "マイカー共済の推進",
        "body": "新契約件数は前年度を上回る水準で\n伸長しています。\n\n保有契約台数は初めて37万台を超えました。",
        "achievements": "① 新契約件数の拡大\n② 保有契約台数の拡大",
        "challenges": "掛金見積依頼書の提出促進",
    })
    assert response.status_code == 302
    topic = OverviewTopic.objects.get()
    assert topic.paragraphs() == ("新契約件数は前年度を上回る水準で伸長しています。",
                                  "保有契約台数は初めて37万台を超えました。")
    assert topic.achievement_items() == ("新契約件数の拡大", "保有契約台数の拡大")
    entry = AuditEntry.objects.get(object_type="reports.overviewtopic")
    assert entry.action == "create"
    assert entry.user == personas["hq_admin"]

    from kyosai.reports.sources import DatabaseSources

    topics = DatabaseSources().overview(HalfYear(2024, 1))
    assert topics is not None
    assert topics[0].heading == "マイカー共済の推進"
    assert topics[0].challenges == ("掛金見積依頼書の提出促進",)

    edit = reverse("reports:overview_edit", kwargs={"pk": topic.pk})
    client.post(edit, {"position": 1, "heading": "マイカー共済の推進", "body": "書き直し。",
                       "achievements": "", "challenges": ""})
    topic.refresh_from_db()
    assert topic.body == "書き直し。"
    assert AuditEntry.objects.filter(object_type="reports.overviewtopic",
                                     action="update").count() == 1
    client.post(reverse("reports:overview_delete", kwargs={"pk": topic.pk}))
    assert not OverviewTopic.objects.exists()
    assert AuditEntry.objects.filter(object_type="reports.overviewtopic",
                                     action="delete").count() == 1
