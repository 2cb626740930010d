"""kyosai import events is logged and undone: the events of the file's keys, with their days,
venues and agenda, come back exactly."""

import io
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyosai.core.models import AuditEntry
from kyosai.events.models import AgendaItem, Event, EventDate, EventVenue
from kyosai.events.services import save_event
from kyosai.results.models import ImportLog, ImportSnapshot
from tests.reverting import assert_file_kept, last_import_id, refused, revert, rows_of

pytestmark = pytest.mark.django_db

TABLES = (Event, EventDate, EventVenue, AgendaItem)

FIRST = """report_period: 2024H1
events:
  - key: k1
    kind: hq_committee
    title: 第1回本部共済推進委員会
    dates: [2024-06-17]
    agenda: [議事要録, 集会の開催について]
  - key: k2
    kind: national_rally
    title: 全国共済集会
    dates: [2024-09-14]
    venues:
      - {name: 主会場（千葉）, attendance: 503}
"""

SECOND = """report_period: 2024H1
events:
  - key: k1
    kind: hq_committee
    title: 第1回本部共済推進委員会（訂正）
    dates: [2024-06-18, 2024-06-19]
    agenda: [議事要録]
  - key: k3
    kind: hq_committee
    title: 第2回本部共済推進委員会
    dates: [2024-07-16]
"""

OTHER = """report_period: 2024H1
events:
  - key: k9
    kind: hq_committee
    title: 第9回本部共済推進委員会
    dates: [2024-10-16]
"""


@pytest.fixture(autouse=True)
def home(settings, tmp_path):
    settings.KYOSAI_HOME = tmp_path / "home"


def run_import(tmp_path: Path, name: str, text: str) -> int:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    call_command("import_events", str(path), stdout=io.StringIO(), stderr=io.StringIO(),
                 verbosity=0)
    return last_import_id()


def test_reverting_the_later_import_gives_back_the_events_after_the_first(tmp_path):
    run_import(tmp_path, "a.yaml", FIRST)
    after_first = rows_of(*TABLES)
    log_id = run_import(tmp_path, "b.yaml", SECOND)
    assert rows_of(*TABLES) != after_first
    log = ImportLog.objects.get(pk=log_id)
    assert (log.dataset, log.rows_total, log.rows_added, log.rows_replaced) == ("events", 2, 1, 1)
    assert_file_kept(log_id, SECOND.encode())
    # deleted: k3 and its day, k1's two new days and its new agenda line (an import rewrites an
    # event's lines); restored: k1, its day and its two agenda lines
    assert "削除 5 行、復元 4 行" in revert(log_id)
    assert rows_of(*TABLES) == after_first
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT_REVERT,
                                     object_id=str(log_id)).count() == 1


def test_a_dry_run_writes_nothing(tmp_path):
    run_import(tmp_path, "a.yaml", FIRST)
    log_id = run_import(tmp_path, "b.yaml", SECOND)
    before = rows_of(*TABLES, ImportLog, AuditEntry)
    revert(log_id, "--dry-run")
    assert rows_of(*TABLES, ImportLog, AuditEntry) == before


def test_refused_after_a_later_import_of_the_same_keys_but_not_of_other_keys(tmp_path):
    first = run_import(tmp_path, "a.yaml", FIRST)
    run_import(tmp_path, "other.yaml", OTHER)  # other keys: no obstacle
    later = run_import(tmp_path, "b.yaml", SECOND)
    assert f"後の取込（取込番号 {later}）" in refused(first)
    revert(later)
    revert(first)
    assert list(Event.objects.values_list("import_key", flat=True)) == ["k9"]


def test_refused_after_a_web_edit_of_an_event_of_the_import(tmp_path):
    log_id = run_import(tmp_path, "a.yaml", FIRST)
    event = Event.objects.get(import_key="k2")
    save_event(replace(event.to_draft(), title="全国共済集会（訂正）"), event=event)
    before = rows_of(*TABLES)
    assert "取込以外の方法" in refused(log_id)
    assert rows_of(*TABLES) == before


def test_an_invalid_file_leaves_no_log_and_no_snapshot(tmp_path):
    with pytest.raises(CommandError):
        run_import(tmp_path, "bad.yaml", FIRST.replace("2024-09-14", "2024-13-14"))
    assert not ImportLog.objects.exists()
    assert not ImportSnapshot.objects.exists()
    assert not Event.objects.exists()


def test_the_demo_load_is_logged_as_demo(tmp_path):
    from kyosai.events.demo import load_demo

    load_demo()
    log = ImportLog.objects.get()
    assert (log.dataset, log.source) == ("events", "demo")
    assert "デモデータの読み込み" in refused(log.pk)


def test_an_import_failing_after_it_began_writing_leaves_no_log_and_no_snapshot(tmp_path):
    from datetime import date

    from kyosai.domain.events import DateLine, EventDraft, InvalidEvent
    from kyosai.events.services import import_events

    good = EventDraft(kind="hq_committee", title="本部共済推進委員会",
                      dates=(DateLine(date(2024, 6, 17)),), key="k1")
    with pytest.raises(InvalidEvent):  # the second event is refused once the first is saved
        import_events([good, replace(good, title=" ", key="k2")], data=b"events")
    assert not ImportLog.objects.exists()
    assert not ImportSnapshot.objects.exists()
    assert not Event.objects.exists()
