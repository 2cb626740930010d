"""資料編 Ⅱ–Ⅳ laid out as the original lists HQ's events (`kyosai.reports.sources.event_blocks`)."""

from dataclasses import dataclass, field
from datetime import date

from kyosai.domain.events import agenda_labels, kind_spec
from kyosai.domain.reporting import Heading, Paragraph
from kyosai.reports.sources import event_blocks


@dataclass
class _Line:
    day: date
    label: str = ""


@dataclass
class _Item:
    text: str
    level: int = 0


@dataclass
class _Many:
    items: list[object]

    def all(self) -> list[object]:
        return self.items


@dataclass
class _Event:
    kind: str
    title: str
    days: list[_Line]
    agenda: list[_Item] = field(default_factory=list)
    is_web: bool = False

    @property
    def kind_spec(self):
        return kind_spec(self.kind)

    @property
    def dates(self) -> _Many:
        return _Many(list(self.days))

    def labelled_agenda(self):
        return list(zip(agenda_labels([i.level for i in self.agenda]), self.agenda, strict=True))


def _texts(blocks):
    return [(type(b).__name__, b.text) for b in blocks]


def test_a_series_lists_each_meeting_under_the_kinds_heading_with_its_date():
    blocks = event_blocks([
        _Event("hq_committee", "第4回本部共済推進委員会", [_Line(date(2024, 12, 9))],
               [_Item("実施報告")]),
        _Event("hq_committee", "第5回本部共済推進委員会", [_Line(date(2025, 1, 17))]),
    ])
    assert _texts(blocks) == [
        ("Heading", "Ⅱ．本部主催の会議等の開催状況"),
        ("Heading", "１．本部共済推進委員会"),
        ("Heading", "（１）第4回本部共済推進委員会（2024年12月9日）"),
        ("Paragraph", "＜主な議題＞"),
        ("Paragraph", "ア．実施報告"),
        ("Heading", "（２）第5回本部共済推進委員会（2025年1月17日）"),
    ]
    assert [b.level for b in blocks if isinstance(b, Heading)] == [2, 3, 3, 3]


def test_a_one_off_kind_prints_its_event_in_the_numbered_heading_web_meetings_marked():
    blocks = event_blocks([
        _Event("national_rally", "第10回じちろう全国共済集会",
               [_Line(date(2024, 11, 20)), _Line(date(2024, 11, 21))],
               [_Item("分科会"), _Item("分科会Ⅰ", 1), _Item("分科会Ⅱ", 1)]),
        _Event("compliance_training", "2024年度コンプライアンス研修会",
               [_Line(date(2024, 12, 13))], is_web=True),
    ])
    assert _texts(blocks) == [
        ("Heading", "Ⅲ．本部主催の集会・研修会等の開催状況"),
        ("Heading", "２．第10回じちろう全国共済集会（2024年11月20日・21日）"),
        ("Paragraph", "＜主な議題＞"),
        ("Paragraph", "ア．分科会\n　a 分科会Ⅰ\n　b 分科会Ⅱ"),
        ("Heading", "Ⅳ．自治労共済推進本部の内部会議・研修会の開催状況"),
        ("Heading", "４．2024年度コンプライアンス研修会（WEB会議）（2024年12月13日）"),
    ]


def test_two_events_of_a_one_off_kind_are_listed_as_a_series():
    blocks = event_blocks([
        _Event("labour_school", "第55期中央労働学校", [_Line(date(2024, 7, 17))]),
        _Event("labour_school", "第56期中央労働学校", [_Line(date(2024, 11, 5))]),
    ])
    assert [b.text for b in blocks if isinstance(b, Heading)][1:] == [
        "１．中央労働学校", "（１）第55期中央労働学校（2024年7月17日）",
        "（２）第56期中央労働学校（2024年11月5日）"]


def test_a_meeting_held_block_by_block_lists_one_date_per_block():
    blocks = event_blocks([_Event(
        "joint_meeting", "2024年6月共済推進県本部・県支部合同会議（ブロック別・地連別）",
        [_Line(date(2024, 6, 5), "九州地連"), _Line(date(2024, 7, 4), "近畿地連")])])
    assert _texts(blocks)[2:] == [
        ("Heading", "（１）2024年6月共済推進県本部・県支部合同会議（ブロック別・地連別）"),
        ("Paragraph", "＜開催日＞"),
        ("Paragraph", "ア．九州地連　2024年6月5日\nイ．近畿地連　2024年7月4日"),
    ]
    assert all(b.style == "list" for b in blocks if isinstance(b, Paragraph) and "\n" in b.text)
