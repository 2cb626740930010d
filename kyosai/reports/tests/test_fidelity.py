"""The demo edition's PDF read back with pdftotext, against the original 2024H1 report.

The original's headings (in order), section Ⅲ's rows, every 資料編 table's rows and Ⅱ.2's wording
(where the demo's figures are calibrated) are transcribed in data/original-2024H1.yaml; the
report is built once for the module from the demo federation and its demo edition. It must
carry none of the internal artefacts the first reports printed. A few pages are kept as images
under test-artifacts/reports/ to look at.
"""

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from django.db import transaction

from kyosai.reports.tests.conftest import ARTIFACTS, pdftotext, squeeze

pytestmark = [pytest.mark.golden, pytest.mark.django_db]

ORIGINAL = yaml.safe_load((Path(__file__).parent / "data" / "original-2024H1.yaml")
                          .read_text(encoding="utf-8"))

#: Text the organisation never prints: import notes, rule references, raw keys, numbers run
#: together, years with a thousands separator, staffing as percentages, unregistered parts.
ARTEFACTS = (
    "RULES", "source_line", "text_chars", "取り組み内容の文字数", "文字数", "header printed",
    "most likely", "報告書に印刷されていない", "2,024", "2,023", "県支部職員の配置定数（年度始期）",
    "回収状況", "周知活動の母数",
    "データ未登録", "2024-0", "2024-1", "2025-0",
)
RUN_TOGETHER = re.compile(r"\d\.\d,\d{3}")  # 66,506.071,973.0
STAFFING_AS_PERCENT = re.compile(r"(?<![\d.,])(6\.00|2\.50)%")  # 配置定数 6.0 / 2.5 as 6.00 %
SOURCE_NOTE = re.compile(r"本文\s*\d+\s*行")  # （本文 1189 行）


def _normalise(text: str) -> str:
    return squeeze(text).replace("(", "（").replace(")", "）").replace("〜", "～")


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory, poppler):
    """Build the demo edition once (in a transaction rolled back afterwards)."""
    from kyosai.accounts.access import SYSTEM
    from kyosai.activities.demo import load_demo as load_appendix
    from kyosai.catalog.services import load_catalog
    from kyosai.events.demo import load_demo as load_events
    from kyosai.org.services import load_organisation
    from kyosai.plans.demo import load_demo as load_plan
    from kyosai.reports.demo import load_demo as load_report_texts
    from kyosai.reports.selectors import edition_for, edition_text
    from kyosai.reports.services import generate_report
    from kyosai.results.demo import generate
    from kyosai.results.demo_targets import load_demo as load_targets  # HQ's own 付加 target

    out = tmp_path_factory.mktemp("fidelity")
    with django_db_blocker.unblock(), transaction.atomic():
        load_organisation()
        load_catalog()  # what `kyosai init` loads (the test database is migrated already)
        generate(seed=0, unions=60, progress=False)
        for load in (load_targets, load_plan, load_appendix, load_events, load_report_texts):
            load()
        edition = edition_for("2024H1", access=SYSTEM)
        assert edition is not None
        from kyosai.domain.periods import HalfYear, YearMonth

        written = generate_report(YearMonth.parse(edition.as_of), HalfYear.parse(edition.period),
                                  out, ["pdf"], edition=edition_text(edition, access=SYSTEM))
        transaction.set_rollback(True)
    pdf = written["pdf"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "fidelity-report.pdf").write_bytes(pdf.read_bytes())
    return pdf, pdftotext(pdf), pdftotext(pdf, layout=True)


def _body(text: str) -> str:
    """The text after the table of contents (which lists the headings once already)."""
    squeezed = _normalise(text)
    first = ORIGINAL["headings"][0]
    start = squeezed.find(first)
    second = squeezed.find(first, start + 1)
    return squeezed[second if second >= 0 else start:]


def test_the_originals_headings_appear_in_the_originals_order(built):
    _, text, _ = built
    body = _body(text)
    position = 0
    for heading in ORIGINAL["headings"]:
        found = body.find(_normalise(heading), position)
        assert found >= 0, f"見出しがないか順序が違います: {heading}"
        position = found + 1


def test_section_three_prints_each_product_at_its_month_with_the_originals_figures(built):
    _, _, layout = built
    # units dropped on both sides: the original omits 件 on a few figures (11,452 +5,441)
    lines = [line.replace("件", "").split() for line in layout.splitlines()]
    for row in ORIGINAL["section3_rows"]:
        words = row.split()
        if words[-1] in ("○", "△", "×", "－") and "313,539" in words:
            words = words[:-1]  # 団体生命 計: the printed △ breaks the report's own rule (RULES)
        assert any(_contains(line, words) for line in lines), row


def _contains(line: list[str], words: list[str]) -> bool:
    width = len(words)
    return any(line[i:i + width] == words for i in range(len(line) - width + 1))


@pytest.mark.parametrize("table", list(ORIGINAL["appendix_rows"]))
def test_every_appendix_table_carries_the_originals_rows(built, table):
    _, _, layout = built
    lines = [_normalise(line) for line in layout.splitlines()]
    missing = [row for row in ORIGINAL["appendix_rows"][table]
               if not any(_normalise(row) in line for line in lines)]
    assert not missing, f"{table}: {len(missing)} 行が見つかりません（例: {missing[:3]}）"


def test_label_columns_print_once_per_group(built):
    """愛媛 八幡浜市…, then 松前町… on a line of its own: the label is not repeated."""
    _, _, layout = built
    lines = [_normalise(line) for line in layout.splitlines()]
    for row in ORIGINAL["appendix_continued_rows"]:
        assert any(line.startswith(_normalise(row)) for line in lines), row


def test_section_two_says_what_the_original_says_where_the_data_is_calibrated(built):
    _, text, _ = built
    body = _normalise(text)
    for fragment in ORIGINAL["section2_fragments"]:
        assert _normalise(fragment) in body, fragment


def test_the_joint_meeting_keeps_one_date_per_region(built):
    """ア．九州地連 with its date just below it (the column is narrow), each region in order."""
    _, _, layout = built
    lines = [line for line in layout.splitlines() if line.strip()]
    last = -1
    for expected in ORIGINAL["joint_meeting_dates"]:
        label, date = expected.split(" ", 1)
        index = next(i for i, line in enumerate(lines) if i > last and label in line)
        assert date in lines[index] or date in lines[index + 1], expected
        last = index


def test_it_prints_no_internal_artefact(built):
    _, text, _ = built
    for artefact in ARTEFACTS:
        assert artefact not in text, artefact
    run_together = RUN_TOGETHER.search(text)
    assert run_together is None, run_together.group(0)
    assert not SOURCE_NOTE.search(text)
    assert not STAFFING_AS_PERCENT.search(text)
    assert not re.search(r"[A-Za-z]+ [a-z]+ [a-z]+", text), "英文の注記が印刷されています"
    appendix = text[text.rfind("Ⅰ．県本部・県支部による推進活動の実行状況"):]
    assert "±0" not in appendix  # the appendix prints zero as 0
    # a figure printed once, formatted with its unit: not the raw 147.0 beside 147回
    assert not re.search(r"(?<![\d,.])(147|168|3,177)\.0(?!\d)", appendix)
    assert "147回" in squeeze(appendix)


def test_model_unions_and_case_reports_print_their_narratives_in_full(built):
    """Each narrative whole and unbroken: the union's name stays on its line (a name wrapping
    in its narrow column would break into the narrative's text as pdftotext reads it)."""
    _, text, _ = built
    body = _normalise(text)
    narratives = ORIGINAL["case_report_narratives"] + ORIGINAL["model_union_narratives"]
    assert len(ORIGINAL["model_union_narratives"]) == 18
    missing = [n[:30] for n in narratives if _normalise(n) not in body]
    assert not missing, f"取り組み内容が全文で印刷されていません: {missing}"


def test_section_three_prints_each_paragraph_of_the_original_in_order(built):
    _, text, _ = built
    body = _body(text)
    position = body.find(_normalise("Ⅲ．各共済制度の目標到達状況"))
    end = body.find(_normalise("Ⅳ．事業推進体制の強化・確立"), position)
    for sentence in ORIGINAL["section3_first_sentences"]:
        found = body.find(_normalise(sentence), position, end)
        assert found >= 0, f"Ⅲの段落がないか順序が違います: {sentence}"
        position = found + 1


def test_the_appendix_prints_the_originals_notes_under_their_table(built):
    _, text, _ = built
    body = _body(text)
    spot = body.find(_normalise("７．団体生命共済等のスポット募集の実行状況"))
    following = body.find(_normalise("８．団体生命共済の発効月別の実績"), spot)
    for note in ORIGINAL["appendix_notes"]:
        assert spot < body.find(_normalise(note), spot) < following, note


def test_section_two_prints_the_definition_boxes_line_by_line(built):
    _, text, _ = built
    body = _body(text)
    for box in ORIGINAL["definition_boxes"]:
        assert _normalise("".join(box)) in body, box[0]


def test_the_events_print_every_agenda_item_in_order_and_no_table_of_their_own(built):
    """資料編 Ⅱ–Ⅳ as the original lists them: （１）名称（日付）, ＜主な議題＞ and its items; no
    column the original lacks (会場, 参加者数: the 共済集会's attendance is told in Ⅰ only)."""
    _, text, _ = built
    body = _body(text)
    position = body.find(_normalise("Ⅱ．本部主催の会議等の開催状況"), body.find("＜資料編＞"))
    assert position >= 0
    events = body[position:]
    for item in ORIGINAL["event_agenda"]:
        found = events.find(_normalise(item))
        assert found >= 0, f"議題がないか順序が違います: {item}"
        events = events[found + 1:]
    tail = body[position:]
    assert "参加者数" not in tail
    assert "会場" not in tail


def test_the_appendix_prints_no_heading_the_original_lacks(built):
    """Every numbered heading of 資料編 is one of the original's: no extra table (配置定数,
    アンケート回収状況, …) slips in."""
    _, text, _ = built
    appendix = text[text.rfind("Ⅰ．県本部・県支部による推進活動の実行状況"):]
    known = {_normalise(h) for h in ORIGINAL["headings"]}
    heading = re.compile(r"^([ⅠⅡⅢⅣ]．|[１-９]+．|（[０-９]+）)")
    extra = [line for line in map(str.strip, appendix.splitlines())
             if heading.match(line) and not any(_normalise(line) in k or k in _normalise(line)
                                                for k in known)]
    assert not extra, f"原本にない見出し: {extra}"


def test_page_images_are_kept_to_look_at(built):
    pdf, text, _ = built
    pages = text.split("\f")
    wanted = {"Ⅲ": "１．総合（慶弔）共済", "Ⅱ.2": "＜受入共済掛金について＞",
              "資料5": "５．新規採用者対策の実行状況",
              "資料Ⅱ": "３．共済推進県本部・県支部合同会議（ブロック別・地連別）"}
    for name, marker in wanted.items():
        number = next(i for i, page in enumerate(pages, start=1)
                      if marker in page and "......" not in page)
        prefix = ARTIFACTS / f"fidelity-{name.replace('.', '-')}"
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(number), "-l", str(number),
                        "-singlefile", str(pdf), str(prefix)], check=True)
        assert prefix.with_suffix(".png").stat().st_size > 10_000


def test_section_two_numbers_its_items_as_the_original_does(built):
    _, text, _ = built
    body = _body(text)
    start = body.find(_normalise("２．各事業目標の概況"))
    end = body.find(_normalise("Ⅲ．各共済制度の目標到達状況"), start)
    assert 0 <= start < end
    headings = [(body.find(f"{number}{title}", start), title)
                for number, title in zip(["（１）", "（２）", "（３）", "（４）"],
                                         ORIGINAL["section2_items"], strict=True)]
    assert all(start <= at < end for at, _ in headings), headings
    bounds = [at for at, _ in headings] + [end]
    for (at, title), stop in zip(headings, bounds[1:], strict=True):
        marks = re.findall("[①-⑳]", body[at:stop])
        expected = ORIGINAL["section2_items"][title]
        assert marks == list("①②③④⑤⑥⑦⑧⑨⑩")[:expected], (title, marks)
