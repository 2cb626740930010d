"""The 2024H1 transcription against the report itself: counts, order, dates, attendance."""

import io
import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from kyosai.accounts.access import SYSTEM
from kyosai.core.models import AuditEntry
from kyosai.domain.events import HalfYear
from kyosai.events.models import AgendaItem, Event, EventDate
from kyosai.events.selectors import events_for_period, events_held_in, group_by_section

pytestmark = pytest.mark.django_db

_FULL = str.maketrans("０１２３４５６７８９", "0123456789")


def _appendix(report: str) -> list[str]:
    """The non-blank lines of 資料編 Ⅱ–Ⅳ, from its Ⅱ heading (the fixture holds only these parts)."""
    lines = report.splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() == "Ⅱ．本部主催の会議等の開催状況")
    return [line for line in lines[start:] if line.strip()]


def _agenda_counts(lines: list[str]) -> list[int]:
    """Top-level agenda items (ア．イ．…) under each <主な議題> of the report."""
    counts: list[int] = []
    counting = False
    for line in lines:
        if "主な議題" in line:
            counts.append(0)
            counting = True
        elif re.match(r"^\s*(（[0-9０-９]+）|[0-9０-９]+．|[ⅡⅢⅣ]．|<開催日>)", line):
            counting = False
        elif counting and re.match(r"^\s*[ア-ン]．", line):
            counts[-1] += 1
    return counts


def _heading_dates(lines: list[str]) -> list[date]:
    """The first day printed in each event heading （YYYY 年 M 月 D 日…）, in the report's order."""
    days = []
    for index, line in enumerate(lines):
        if "主な議題" not in line:
            continue
        heading = next(lines[n] + lines[n + 1] for n in range(index - 1, 0, -1)
                       if re.match(r"^\s*(（[0-9０-９]+）|[0-9０-９]+．)", lines[n]))
        match = re.search(r"（(\d{4})\s*年\s*(\d+)\s*月\s*(\d+)\s*日", heading.translate(_FULL))
        if match:
            days.append(date(*map(int, match.groups())))
    return days


def test_it_imports_every_event_of_the_appendix(imported, seed_report):
    lines = _appendix(seed_report)
    assert Event.objects.count() == sum("主な議題" in line for line in lines) == 20
    assert imported == "本部の会議・行事 20件（新規 20、更新 0、変更なし 0）"


def test_each_event_has_the_reports_number_of_agenda_items_in_the_reports_order(imported, seed_report):
    events = events_for_period("2024H1", access=SYSTEM)
    counts = [sum(1 for item in e.agenda_items.all() if item.level == 0) for e in events]
    assert counts == _agenda_counts(_appendix(seed_report))
    sub_items = sum(bool(re.match(r"^\s*[a-e] \S", line)) for line in _appendix(seed_report))
    assert AgendaItem.objects.filter(level=1).count() == sub_items == 9


def test_events_are_listed_in_the_reports_order_with_the_reports_dates(imported, seed_report):
    events = events_for_period(HalfYear(2024, 1), access=SYSTEM)
    with_heading_date = [e.starts_on for e in events if e.kind != "joint_meeting"]
    assert with_heading_date == _heading_dates(_appendix(seed_report))
    sections = group_by_section(events)
    assert [s.section.numeral for s in sections] == ["Ⅱ", "Ⅲ", "Ⅳ"]
    assert [[k.spec.label for k in s.kinds] for s in sections][2] == [
        "県支部事務局長会議", "県支部担当者研修会", "県支部業務点検担当者研修会",
        "コンプライアンス研修会", "新任担当者研修会",
    ]
    committee = sections[0].kinds[0]
    assert [number for number, _ in committee.numbered] == [f"（{n}）" for n in "１２３４５６７"]


def test_the_national_rally_counts_both_venues(imported):
    rally = Event.objects.get(kind="national_rally")
    assert [(v.name, v.attendance) for v in rally.venues.all()] == [
        ("主会場（千葉）", 503), ("各県拠点", 144),
    ]
    assert rally.attendance() == 647
    assert rally.date_text() == "2024年11月20日・21日"
    assert [label for label, _ in rally.labelled_agenda()] == list("アイウ") + list("abcd") + ["エ", *"abcde"]


def test_the_joint_meeting_is_one_event_held_block_by_block(imported, seed_report):
    meeting = Event.objects.get(kind="joint_meeting")
    blocks = [(line.label, line.day) for line in meeting.dates.all()]
    assert blocks[0] == ("九州地連", date(2024, 6, 5))
    assert blocks[-1] == ("近畿地連", date(2024, 7, 4))
    assert len(blocks) == 5
    assert EventDate.objects.filter(event__kind="labour_school").count() == 4  # 7月17日～20日


def test_periods_held_are_derived_from_the_dates_and_the_report_prints_later_ones_too(imported):
    assert len(events_for_period("2024H1", access=SYSTEM)) == 20
    held_in_h1 = events_held_in("2024H1", access=SYSTEM)
    assert all(date(2024, 6, 1) <= e.starts_on <= date(2024, 11, 30) for e in held_in_h1)
    late = Event.objects.exclude(held_period="2024H1")
    assert {e.held_period for e in late} == {"2024H2"}
    assert len(held_in_h1) + late.count() == 20
    assert all(e.starts_on >= date(2024, 12, 1) for e in late)


def test_a_second_import_changes_nothing_and_writes_no_history(imported):
    entries = AuditEntry.objects.filter(object_type="events.event").count()
    assert entries == 20
    assert "新規 0、更新 0、変更なし 20" in call_command_output("import_events")
    assert AuditEntry.objects.filter(object_type="events.event").count() == entries
    assert Event.objects.count() == 20


def test_an_import_updates_an_event_that_changed_since(imported):
    event = Event.objects.get(import_key="2024h1-compliance-training-01")
    event.agenda_items.all().delete()
    assert "新規 0、更新 1、変更なし 19" in call_command_output("import_events")
    assert event.agenda_items.count() == 1
    entry = AuditEntry.objects.filter(object_id=str(event.pk), action="update").get()
    assert entry.before is not None
    assert entry.after is not None
    assert entry.before["agenda"] == []
    assert entry.after["agenda"] == [[0, "適切な共済活動のために"]]
    assert entry.source == "cli"


def test_it_rejects_a_bad_file_with_exit_status_2_and_writes_nothing(db, tmp_path):
    bad = tmp_path / "events.yaml"
    bad.write_text(
        "report_period: 2024H1\nevents:\n"
        "  - {key: ok, kind: hq_committee, title: 委員会, dates: [2024-06-17]}\n"
        "  - {key: bad, kind: hq_committee, title: 委員会, dates: [2024-02-30]}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_events", str(bad))
    assert caught.value.returncode == 2
    assert "events の 2 件目（bad）「dates」" in str(caught.value)
    assert Event.objects.count() == 0


def test_it_rejects_an_event_the_report_period_cannot_print(db, tmp_path):
    bad = tmp_path / "events.yaml"
    bad.write_text(
        "report_period: 2024H2\nevents:\n"
        "  - {key: early, kind: hq_committee, title: 委員会, dates: [2024-06-17]}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="early"):
        call_command("import_events", str(bad))
    assert not Event.objects.exists()


def test_it_rejects_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="見つかりません") as caught:
        call_command("import_events", str(tmp_path / "none.yaml"))
    assert caught.value.returncode == 2


def test_the_listing_command_prints_the_period_in_report_order(imported):
    out = call_command_output("events", "--period", "2024H1", "--format", "csv").splitlines()
    assert out[0] == "期,章,種類,名称,開催日,形式・会場,参加者,議題数"
    assert len(out) == 21
    assert out[1].startswith("2024H1,Ⅱ,本部共済推進委員会,2024年度第10回本部共済推進委員会,2024年6月17日")
    rally = next(line for line in out if "全国共済集会" in line.split(",")[3])
    assert rally.endswith(",主会場（千葉）・各県拠点,647,4")
    assert out[-1].split(",")[3] == "新任担当者研修会"


def test_the_listing_command_searches_and_rejects_a_bad_period(imported):
    out = call_command_output("events", "--search", "ＷＥＢ", "--format", "csv").splitlines()
    assert len(out) - 1 == Event.objects.filter(is_web=True).count() == 6
    with pytest.raises(CommandError) as caught:
        call_command("events", "--period", "2024-1")
    assert caught.value.returncode == 2


def call_command_output(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, verbosity=0)
    return out.getvalue()
