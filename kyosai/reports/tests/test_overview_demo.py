"""Ⅰ of the demo federation: the shipped transcription against the report, its load, its print.

Expected structure is read from the report itself (lines 1–370 of report-2024H1.txt,
tests/fixtures/report/section-1.txt):
its 【…】 headings, its numbered paragraphs, its ①… marks. Only the split of the items between the
two columns is written here by hand, as a reader of the report's layout sees it.
"""

import re

import pytest
from django.urls import reverse

from kyosai.core.models import AuditEntry
from kyosai.domain.periods import HalfYear
from kyosai.reports.builder import build_report
from kyosai.reports.demo import (
    DEFAULT_DATA,
    InvalidOverviewFile,
    load_demo,
    read_overview_file,
)
from kyosai.reports.html import render_html
from kyosai.reports.models import OverviewTopic
from kyosai.reports.services import save_overview_topic
from kyosai.reports.tests.conftest import AS_OF, PERIOD, golden_sources, squeeze

SECTION_LINES = 370
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"

#: (主な成果, 今後の取り組み・課題) items per topic, as the report's two columns print them.
COLUMN_COUNTS = [(1, 2), (1, 8), (3, 4), (3, 4), (3, 3), (5, 2)]


@pytest.fixture(scope="module")
def section(report_section_1) -> list[str]:
    """Section Ⅰ of the report as pdftotext flattened it."""
    lines: list[str] = report_section_1[:SECTION_LINES]
    assert lines[0].strip().startswith("Ⅰ．"), "the report's section Ⅰ must start at line 1"
    assert not any(line.strip().startswith("Ⅱ．") for line in lines), "Ⅱ must start after it"
    return lines


@pytest.fixture(scope="module")
def shipped():
    return read_overview_file(DEFAULT_DATA)


def _report_structure(lines: list[str]) -> list[tuple[str, list[int]]]:
    """The report's topics with the paragraph numbers printed under each."""
    topics: list[tuple[str, list[int]]] = []
    last = 0  # a line opening with the next number opens a paragraph (not a wrapped 2.5 etc.)
    for line in lines:
        text = line.strip()
        heading = re.fullmatch(r"【(.+)】", text)
        if heading:
            topics.append((heading.group(1), []))
            continue
        number = re.match(r"(\d+)\.", text)
        if number and topics and int(number.group(1)) == last + 1:
            last += 1
            topics[-1][1].append(last)
    return topics


def _items(topic) -> list[str]:
    return [*topic.achievements, *topic.challenges]


def test_it_ships_the_reports_topics_in_the_reports_order(section, shipped):
    report = _report_structure(section)
    assert len(report) == 6
    assert [squeeze(t.heading) for t in shipped.topics] == [squeeze(h) for h, _ in report]
    assert shipped.period == HalfYear(2024, 1)


def test_its_paragraphs_are_numbered_one_to_n_across_topics_as_in_the_report(section, shipped):
    report = _report_structure(section)
    assert [[n for n, _ in t.paragraphs] for t in shipped.topics] == [ns for _, ns in report]
    numbers = [n for t in shipped.topics for n, _ in t.paragraphs]
    assert numbers == list(range(1, 30))


def test_every_paragraph_is_the_reports_wording(section, shipped):
    source = squeeze("".join(section))
    for topic in shipped.topics:
        for number, text in topic.paragraphs:
            # ※1 writes the report's superscript footnote mark 1.
            assert f"{number}.{squeeze(text).replace('※', '')}" in source, number


def test_it_keeps_the_footnote_of_paragraph_eleven(section, shipped):
    source = squeeze("".join(section))
    mycar = shipped.topics[2]
    assert "組合員アンケート」※1では" in dict(mycar.paragraphs)[11]
    assert len(mycar.notes) == 1
    assert mycar.notes[0].startswith("※1 ")
    assert squeeze(mycar.notes[0]).replace("※", "") in source
    assert [t.notes for i, t in enumerate(shipped.topics) if i != 2] == [()] * 5


def test_it_splits_the_items_between_the_two_columns_as_the_report_prints_them(section, shipped):
    assert [(len(t.achievements), len(t.challenges)) for t in shipped.topics] == COLUMN_COUNTS
    marks = sum(1 for line in section for char in line if char in CIRCLED)  # one line has two
    assert sum(len(_items(t)) for t in shipped.topics) == marks


def test_every_item_is_the_reports_wording(section, shipped):
    source = squeeze("".join(section))
    for topic in shipped.topics:
        for item in _items(topic):
            if squeeze(item) in source:
                continue
            # The only item the page break cuts in two: マイカー共済's first 今後の取り組み・課題.
            assert item == "掛金見積依頼書の提出促進の強化等による未加入組合員に対する働きかけの強化"
            assert "①掛金見積依頼書の提出促進の強化等による" in source
            assert "未加入組合員に対する働きかけの強化②既加入組合員" in source


def test_it_has_no_layout_spaces_left_around_digits(shipped):
    texts = [t.heading for t in shipped.topics]
    texts += [text for t in shipped.topics for _, text in t.paragraphs]
    texts += [item for t in shipped.topics for item in (*_items(t), *t.notes)]
    spaced = [text for text in texts if re.search(r"[^\x00-\x7f] \d|\d [^\x00-\x7f※]", text)]
    assert spaced == []


def test_it_rejects_a_file_whose_paragraph_numbers_skip(tmp_path):
    bad = DEFAULT_DATA.read_text(encoding="utf-8").replace("- number: 7\n", "- number: 8\n", 1)
    path = tmp_path / "overview.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(InvalidOverviewFile) as error:
        read_overview_file(path)
    assert "【団体生命共済・退職者団体生命共済の推進】" in str(error.value)
    assert "7 のはずですが 8" in str(error.value)


def test_it_rejects_a_topic_without_a_heading(tmp_path):
    path = tmp_path / "overview.yaml"
    path.write_text("period: 2024H1\ntopics:\n  - paragraphs:\n      - number: 1\n"
                    "        text: 本文\n", encoding="utf-8")
    with pytest.raises(InvalidOverviewFile, match="topics 1番目 heading"):
        read_overview_file(path)


# --- the load ------------------------------------------------------------------------------------

def _audit_count() -> int:
    return AuditEntry.objects.filter(object_type="reports.overviewtopic").count()


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing_the_second_time(shipped):
    first = load_demo()
    assert "追加 6" in first
    topics = list(OverviewTopic.objects.filter(period="2024H1"))
    assert [t.position for t in topics] == [1, 2, 3, 4, 5, 6]
    assert _audit_count() == 6
    assert set(AuditEntry.objects.values_list("source", flat=True)) == {AuditEntry.Source.CLI}
    stamps = [t.last_updated for t in topics]

    second = load_demo()
    assert "変更なし 6" in second
    assert "追加 0、更新 0、削除 0" in second
    assert _audit_count() == 6
    assert [t.last_updated for t in OverviewTopic.objects.filter(period="2024H1")] == stamps


@pytest.mark.django_db
def test_the_loaded_topics_read_back_as_the_file(shipped):
    load_demo()
    topics = list(OverviewTopic.objects.filter(period="2024H1"))
    for stored, written in zip(topics, shipped.topics, strict=True):
        assert stored.heading == written.heading
        assert stored.paragraphs() == tuple(text for _, text in written.paragraphs)
        assert stored.achievement_items() == written.achievements
        assert stored.challenge_items() == written.challenges
        assert stored.note_lines() == written.notes


@pytest.mark.django_db
def test_loading_puts_back_an_edited_topic_and_removes_an_extra_one(shipped):
    load_demo()
    edited = OverviewTopic.objects.get(period="2024H1", position=2)
    save_overview_topic(user=None, period=PERIOD, heading=edited.heading, body="書き換えた本文。",
                        topic=edited)
    save_overview_topic(user=None, period=PERIOD, heading="追加した項目", body="本文。")
    assert OverviewTopic.objects.filter(period="2024H1").count() == 7

    message = load_demo()
    assert "更新 1、削除 1、変更なし 5" in message
    edited.refresh_from_db()
    assert edited.paragraphs() == tuple(text for _, text in shipped.topics[1].paragraphs)
    assert not OverviewTopic.objects.filter(heading="追加した項目").exists()


# --- the report ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_generated_reports_section_one_prints_the_demo_overview(golden_dir):
    from kyosai.reports.sources import DatabaseSources

    load_demo()
    topics = DatabaseSources().overview(PERIOD)
    report = build_report(AS_OF, PERIOD, golden_sources(golden_dir, overview=topics))
    html = render_html(report)
    start = html.index("Ⅰ．2024年度上半期の概況と下半期以降にむけた基本的な課題認識",
                       html.index("</nav>"))
    part = html[start:html.index('<section class="part"', start)]
    assert "データ未登録" not in part
    assert "<p>1. 自治労共済推進本部は、受入共済掛金、予定付加掛金、保有契約（口数・件数）" in part
    assert "<li>① 一部事業目標（予定付加掛金、保有契約件数・口数）の目標達成ペースでの推移</li>" in part
    assert "<li>⑧ 退職予定者への確実な制度案内</li>" in part
    assert "<p>29. 組合員の関心が投機性の高い金融商品に傾きつつある" in part
    assert "【こくみん共済 coop〈全労済〉との共同推進】" in part
    assert "<p>※1 47県本部1社保労連を4つのグループに分け" in part


# --- the edit form -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_hq_edits_the_loaded_footnote_in_the_form_and_the_change_is_audited(client, personas):
    load_demo()
    topic = OverviewTopic.objects.get(period="2024H1", position=3)
    client.force_login(personas["hq_staff"])
    page = client.get(reverse("reports:overview", kwargs={"period": "2024H1"}))
    assert "※1 47県本部1社保労連を4つのグループに分け" in page.content.decode()
    response = client.post(reverse("reports:overview_edit", kwargs={"pk": topic.pk}), {
        "position": 3, "heading": topic.heading, "body": topic.body,
        "achievements": topic.achievements, "challenges": topic.challenges,
        "notes": "※1 全組合員を対象に実施中のアンケート。",
    })
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.note_lines() == ("※1 全組合員を対象に実施中のアンケート。",)
    entry = AuditEntry.objects.get(object_type="reports.overviewtopic", action="update")
    assert entry.before is not None
    assert entry.after is not None
    assert entry.before["notes"].startswith("※1 47県本部")
    assert entry.after["notes"] == "※1 全組合員を対象に実施中のアンケート。"


@pytest.mark.django_db
def test_a_branch_user_cannot_edit_a_loaded_topic(client, personas):
    load_demo()
    topic = OverviewTopic.objects.get(period="2024H1", position=3)
    client.force_login(personas["branch_staff"])
    response = client.post(reverse("reports:overview_edit", kwargs={"pk": topic.pk}), {
        "position": 3, "heading": "書き換え", "body": "本文。", "notes": ""})
    assert response.status_code == 404
    topic.refresh_from_db()
    assert topic.heading == "マイカー共済の推進"
