"""Meetings and events held by HQ (資料編 Ⅱ–Ⅳ): kinds in the report's order, half-year periods,
agenda labels (ア．イ．ウ．… then a b c), attendance, and the drafts that the import and the web
forms both validate here. Reading the YAML transcription: `kyosai.events.files`; printing the
dates and numbers: `kyosai.domain.formatting`.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from kyosai.domain.formatting import chapter_label
from kyosai.domain.periods import FiscalCalendar, HalfYear, InvalidPeriod, half_year_of

__all__ = [
    "AGENDA_KANA",
    "EVENT_KINDS",
    "AgendaLine",
    "DateLine",
    "EventDraft",
    "EventKindSpec",
    "HalfYear",
    "InvalidEvent",
    "InvalidPeriod",
    "Section",
    "VenueLine",
    "agenda_labels",
    "attendance_total",
    "fold_width",
    "half_year_of",
    "kind_spec",
    "search_text",
    "validate_draft",
]


class InvalidEvent(ValueError):
    """An event draft that breaks a rule; `errors` lists every problem in Japanese."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = list(errors)


# ---------------------------------------------------------------------------------------------
# Kinds and sections, in the report's order
# ---------------------------------------------------------------------------------------------


class Section(Enum):
    """The three appendix sections that list HQ's events."""

    HQ_MEETINGS = ("Ⅱ", "本部主催の会議等の開催状況")
    HQ_GATHERINGS = ("Ⅲ", "本部主催の集会・研修会等の開催状況")
    INTERNAL = ("Ⅳ", "自治労共済推進本部の内部会議・研修会の開催状況")

    @property
    def numeral(self) -> str:
        return self.value[0]

    @property
    def title(self) -> str:
        return self.value[1]

    @property
    def heading(self) -> str:
        return f"{self.numeral}．{self.title}"


@dataclass(frozen=True, slots=True)
class EventKindSpec:
    """A kind of event: its code, the report's heading, its section and its place there (1-based).

    `series`: a meeting held as a numbered series (本部共済推進委員会 …): the report lists each
    under the kind's heading as （１）名称（日付）. Another kind's single event is printed in the
    kind's numbered heading itself (２．第10回じちろう全国共済集会（2024年11月20日・21日））.
    """

    code: str
    label: str
    section: Section
    number: int
    series: bool = False

    @property
    def heading(self) -> str:
        """The report's heading: １．本部共済推進委員会 (kinds outside the report: the label only)."""
        if self.number >= 99:
            return self.label
        return chapter_label(self.number) + self.label

    @property
    def order(self) -> int:
        """Sort key across sections: Ⅱ-1 … Ⅱ-n, Ⅲ-1 …, Ⅳ-1 …"""
        return list(Section).index(self.section) * 100 + self.number


_S2, _S3, _S4 = Section.HQ_MEETINGS, Section.HQ_GATHERINGS, Section.INTERNAL

EVENT_KINDS: tuple[EventKindSpec, ...] = (
    EventKindSpec("hq_committee", "本部共済推進委員会", _S2, 1, series=True),
    EventKindSpec("representatives", "共済推進県本部代表者会議", _S2, 2, series=True),
    EventKindSpec("joint_meeting", "共済推進県本部・県支部合同会議（ブロック別・地連別）", _S2, 3,
                  series=True),
    EventKindSpec("liaison", "共同推進に関わる役員連絡会議", _S2, 4),
    EventKindSpec("other_meeting", "その他の本部主催の会議", _S2, 99),
    EventKindSpec("labour_school", "中央労働学校", _S3, 1),
    EventKindSpec("national_rally", "じちろう全国共済集会", _S3, 2),
    EventKindSpec("other_gathering", "その他の本部主催の集会・研修会", _S3, 99),
    EventKindSpec("secretaries", "県支部事務局長会議", _S4, 1, series=True),
    EventKindSpec("branch_staff_training", "県支部担当者研修会", _S4, 2),
    EventKindSpec("audit_training", "県支部業務点検担当者研修会", _S4, 3),
    EventKindSpec("compliance_training", "コンプライアンス研修会", _S4, 4),
    EventKindSpec("new_staff_training", "新任担当者研修会", _S4, 5),
    EventKindSpec("other_internal", "その他の内部会議・研修会", _S4, 99),
)


def kind_spec(code: str) -> EventKindSpec:
    for spec in EVENT_KINDS:
        if spec.code == code:
            return spec
    raise KeyError(f"会議・行事の種類が不明です: {code!r}")


# ---------------------------------------------------------------------------------------------
# Agenda labels
# ---------------------------------------------------------------------------------------------

# The report labels agenda items ア．イ．ウ．エ．オ．カ．キ．ク．ケ．コ．サ．シ．ス… (五十音順, the usual
# order of Japanese official documents after （１）), and sub-items a b c d e.
AGENDA_KANA = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
)
_SUB_LABELS = "abcdefghijklmnopqrstuvwxyz"


def agenda_labels(levels: Sequence[int]) -> list[str]:
    """Labels for agenda items given each item's level (0 = ア．…, 1 = a, b, … under the last ア)."""
    labels: list[str] = []
    top = sub = 0
    for index, level in enumerate(levels, start=1):
        if level == 0:
            if top >= len(AGENDA_KANA):
                raise InvalidEvent([f"議題が多すぎます（{len(AGENDA_KANA)}項目まで）: {index}番目"])
            labels.append(AGENDA_KANA[top])
            top, sub = top + 1, 0
        elif level == 1:
            if top == 0:
                raise InvalidEvent([f"{index}番目の小項目の前に議題がありません"])
            if sub >= len(_SUB_LABELS):
                raise InvalidEvent([f"小項目が多すぎます（{len(_SUB_LABELS)}項目まで）: {index}番目"])
            labels.append(_SUB_LABELS[sub])
            sub += 1
        else:
            raise InvalidEvent([f"{index}番目の議題の階層は0か1です: {level}"])
    return labels


# ---------------------------------------------------------------------------------------------
# Attendance and search
# ---------------------------------------------------------------------------------------------


def attendance_total(counts: Iterable[int | None]) -> int | None:
    """参加者 of an event: the sum over its venues (主会場 503 + 各県拠点 144 = 647); None if none known."""
    known = [count for count in counts if count is not None]
    return sum(known) if known else None


_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20  # ideographic space


def fold_width(text: str) -> str:
    """Full-width ASCII (１２３ＡＢＣ（）) to half-width and lower case, spaces collapsed: for search."""
    folded = text.translate(_FULL_WIDTH).lower()
    return re.sub(r"\s+", " ", folded).strip()


def search_text(*parts: str) -> str:
    """The folded text an event is searched by (title, dates' labels, venues, agenda, minutes)."""
    return fold_width("\n".join(part for part in parts if part))


# ---------------------------------------------------------------------------------------------
# Drafts: what the import and the forms hand to the services
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateLine:
    """One day the event was held, with an optional label (the block of a joint meeting: 九州地連)."""

    day: date
    label: str = ""


@dataclass(frozen=True, slots=True)
class VenueLine:
    """A venue (主会場（千葉）, 各県拠点, WEB) and its attendance when the report gives it."""

    name: str
    attendance: int | None = None


@dataclass(frozen=True, slots=True)
class AgendaLine:
    """An agenda item: level 0 is ア．…, level 1 a sub-item a, b, … of the item above."""

    text: str
    level: int = 0


@dataclass(frozen=True, slots=True)
class EventDraft:
    """An event as entered, before it is saved; `report_period` defaults to the period it was held.

    A half-year report is compiled after its half ends and also lists the events held since, up to
    its compilation: the 2024H1 report lists events up to 2025-01-17. So `report_period` is the
    period held or the one before it (see validate_draft).
    """

    kind: str
    title: str
    dates: tuple[DateLine, ...]
    venues: tuple[VenueLine, ...] = ()
    agenda: tuple[AgendaLine, ...] = ()
    is_web: bool = False
    minutes: str = ""
    report_period: HalfYear | None = None
    source: str = ""
    key: str | None = None

    @property
    def first_day(self) -> date:
        return min(line.day for line in self.dates)

    def held_period(self, calendar: FiscalCalendar) -> HalfYear:
        """The half-year the event was held in, from its first day."""
        return half_year_of(self.first_day, calendar)

    def search_text(self) -> str:
        return search_text(
            self.title, self.minutes, *(line.label for line in self.dates),
            *(venue.name for venue in self.venues), *(item.text for item in self.agenda),
            "web会議" if self.is_web else "",
        )


#: What an event's fields may hold: the lengths the events tables store, a longest event, a
#: largest attendance, and as many dates, venues and agenda items as a page can show.
TITLE_MAX = 255
VENUE_MAX = 255
LABEL_MAX = 100
KEY_MAX = 100
SOURCE_MAX = 255
DAYS_MAX = 366
ATTENDANCE_MAX = 1_000_000
LINES_MAX = 1_000


def _too_long(text: str, limit: int, what: str) -> list[str]:
    return [f"{what}が長すぎます（{limit} 文字まで。{len(text)} 文字）"] if len(text) > limit else []


def validate_draft(draft: EventDraft, calendar: FiscalCalendar) -> list[str]:
    """Every rule an event must satisfy, as Japanese messages (empty when valid)."""
    errors: list[str] = []
    errors += _too_long(draft.title, TITLE_MAX, "名称")
    errors += _too_long(draft.source, SOURCE_MAX, "出典")
    for line in draft.dates:
        errors += _too_long(line.label, LABEL_MAX, "開催日の区分")
    for venue in draft.venues:
        errors += _too_long(venue.name, VENUE_MAX, "会場名")
        if venue.attendance is not None and venue.attendance > ATTENDANCE_MAX:
            errors.append(f"参加者数が大きすぎます（{ATTENDANCE_MAX:,} 人まで）: {venue.attendance:,}")
    for name, lines in (("開催日", draft.dates), ("会場", draft.venues), ("議題", draft.agenda)):
        if len(lines) > LINES_MAX:
            errors.append(f"{name}が多すぎます（{LINES_MAX:,} 件まで）")
    if draft.kind not in {spec.code for spec in EVENT_KINDS}:
        errors.append(f"種類が不明です: {draft.kind!r}")
    if not draft.title.strip():
        errors.append("名称を入力してください")
    if not draft.dates:
        errors.append("開催日を1日以上入力してください")
    elif len({line.day for line in draft.dates}) != len(draft.dates):
        errors.append("同じ開催日が重複しています")
    for venue in draft.venues:
        if not venue.name.strip():
            errors.append("会場名を入力してください")
        if venue.attendance is not None and venue.attendance < 0:
            errors.append(f"参加者数は0以上です: {venue.name} {venue.attendance}")
    try:
        agenda_labels([item.level for item in draft.agenda])
    except InvalidEvent as error:
        errors.extend(error.errors)
    if any(not item.text.strip() for item in draft.agenda):
        errors.append("空の議題があります")
    if draft.dates and draft.report_period is not None:
        held = draft.held_period(calendar)
        if held not in (draft.report_period, draft.report_period.next()):
            errors.append(
                f"{draft.report_period.label()}の報告には、その半期か次の半期（報告書の作成まで）に"
                f"開催したものだけを載せます: 開催は{held.label()}"
            )
    return errors
