"""Reading HQ's events from a YAML transcription (events-2024H1.yaml) into the domain's drafts.

Every problem is a `CellProblem` placed at its entry (「events の 2 件目（key）」) and key
(「dates」), collected over the whole file: `FileProblems` is raised and nothing is imported.
"""

from datetime import date, timedelta
from pathlib import Path

import yaml

from kyosai.catalog.selectors import fiscal_years
from kyosai.core.files import FileRefused, load_yaml
from kyosai.domain.events import (
    DAYS_MAX,
    KEY_MAX,
    AgendaLine,
    DateLine,
    EventDraft,
    VenueLine,
    validate_draft,
)
from kyosai.domain.periods import HalfYear, InvalidPeriod, YearMonth
from kyosai.domain.problems import CellProblem, FileProblems

__all__ = ["load_event_file", "read_event_entries"]


class _DatesAsText(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # the C loader when built
    """Safe YAML that leaves 2024-06-17 as text, so a bad date is reported with its entry."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_event_file(path: Path) -> list[EventDraft]:
    """Read and check a YAML transcription; FileProblems names each problem's entry and key
    (describe them with the file's name)."""
    try:
        document = load_yaml(Path(path), loader=_DatesAsText)  # the shared guard
    except FileRefused as error:
        raise FileProblems([CellProblem.at("", "", str(error))]) from None
    drafts = read_event_entries(document)
    problems = [
        CellProblem.at(_place(number, draft.key or ""), "", message)
        for number, draft in enumerate(drafts, start=1)
        for message in validate_draft(draft, fiscal_years().containing(YearMonth.of(draft.first_day))[1])
    ]
    if problems:
        raise FileProblems(problems)
    return drafts


def _place(number: int, key: str) -> str:
    return f"events の {number} 件目（{key or 'key なし'}）"


class _Entry:
    """Collects one entry's problems, each with the key it is about."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append((key, message))


def read_event_entries(document: object) -> list[EventDraft]:
    """Drafts from `{report_period, source, events: [...]}`; FileProblems names every problem.

    An entry has key, kind, title, dates (a day, `{date, label}` or `{from, to}`), optional venues
    (`{name, attendance}`), web, minutes, source_line and agenda (a text, or `{text, items: [...]}`
    for an item with sub-items a, b, …).
    """
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        raise FileProblems([CellProblem.at("", "events", "最上位に events: の一覧がありません")])
    top = _Entry()
    default_period = _optional_period(document.get("report_period"), "report_period", top)
    problems = [CellProblem.at("", key, message) for key, message in top.problems]
    source = str(document.get("source") or "")
    drafts: list[EventDraft] = []
    keys: set[str] = set()
    for number, entry in enumerate(document["events"], start=1):
        if not isinstance(entry, dict):
            problems.append(CellProblem.at(f"events の {number} 件目", "", "項目の形式が不正です"))
            continue
        key = str(entry.get("key") or "").strip()
        found = _Entry()
        draft = _draft_from_entry(entry, key, default_period, source, found)
        if not key:
            found.fail("key", "key がありません")
        elif key in keys:
            found.fail("key", "key が重複しています")
        elif len(key) > KEY_MAX:
            found.fail("key", f"key が長すぎます（{KEY_MAX} 文字まで）")
        keys.add(key)
        problems += [CellProblem.at(_place(number, key), field, message)
                     for field, message in found.problems]
        if draft is not None and not found.problems:
            drafts.append(draft)
    if problems:
        raise FileProblems(problems)
    return drafts


def _draft_from_entry(entry: dict[str, object], key: str, default_period: HalfYear | None,
                      source: str, found: _Entry) -> EventDraft | None:
    period = _optional_period(entry.get("report_period"), "report_period", found) or default_period
    dates = _date_lines(entry.get("dates"), found)
    venues = _venue_lines(entry.get("venues") or [], found)
    agenda = _agenda_lines(entry.get("agenda") or [], found)
    line = entry.get("source_line")
    if found.problems:
        return None
    return EventDraft(
        kind=str(entry.get("kind") or ""), title=str(entry.get("title") or "").strip(),
        dates=dates, venues=venues, agenda=agenda, is_web=bool(entry.get("web", False)),
        minutes=str(entry.get("minutes") or "").strip(), report_period=period,
        source=f"{source}:{line}" if source and line else source, key=key,
    )


def _optional_period(value: object, name: str, found: _Entry) -> HalfYear | None:
    if value in (None, ""):
        return None
    try:
        return HalfYear.parse(str(value))
    except InvalidPeriod as error:
        found.fail(name, str(error))
        return None


def _as_day(value: object, name: str, found: _Entry) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        found.fail(name, f"日付は YYYY-MM-DD で指定してください: {value!r}")
        return None


def _date_lines(value: object, found: _Entry) -> tuple[DateLine, ...]:
    if not isinstance(value, list) or not value:
        found.fail("dates", "開催日を1日以上指定してください")
        return ()
    lines: list[DateLine] = []
    for item in value:
        if isinstance(item, dict) and "from" in item:
            first = _as_day(item.get("from"), "dates.from", found)
            last = _as_day(item.get("to"), "dates.to", found)
            if first and last:
                if last < first:
                    found.fail("dates", f"終了日が開始日より前です: {first}～{last}")
                span = (last - first).days + 1
                if span > DAYS_MAX:
                    found.fail("dates", f"開催期間が長すぎます（{DAYS_MAX} 日まで）: {first}～{last}")
                    continue
                lines.extend(DateLine(first + timedelta(days=n)) for n in range(max(span, 0)))
        elif isinstance(item, dict):
            day = _as_day(item.get("date"), "dates.date", found)
            if day:
                lines.append(DateLine(day, str(item.get("label") or "").strip()))
        else:
            day = _as_day(item, "dates", found)
            if day:
                lines.append(DateLine(day))
    return tuple(lines)


def _venue_lines(value: object, found: _Entry) -> tuple[VenueLine, ...]:
    if not isinstance(value, list):
        found.fail("venues", "一覧で指定してください")
        return ()
    lines: list[VenueLine] = []
    for item in value:
        if isinstance(item, str):
            lines.append(VenueLine(item.strip()))
            continue
        if not isinstance(item, dict):
            found.fail("venues", f"形式が不正です: {item!r}")
            continue
        attendance = item.get("attendance")
        if attendance is not None and (isinstance(attendance, bool) or not isinstance(attendance, int)):
            found.fail("venues.attendance", f"整数で指定してください: {attendance!r}")
            continue
        lines.append(VenueLine(str(item.get("name") or "").strip(), attendance))
    return tuple(lines)


def _agenda_lines(value: object, found: _Entry) -> tuple[AgendaLine, ...]:
    if not isinstance(value, list):
        found.fail("agenda", "一覧で指定してください")
        return ()
    lines: list[AgendaLine] = []
    for item in value:
        if isinstance(item, dict):
            lines.append(AgendaLine(str(item.get("text") or "").strip()))
            subs = item.get("items") or []
            if not isinstance(subs, list):
                found.fail("agenda.items", f"一覧で指定してください: {subs!r}"[:200])
                continue
            lines.extend(AgendaLine(str(sub).strip(), 1) for sub in subs)
        else:
            lines.append(AgendaLine(str(item).strip()))
    return tuple(lines)
