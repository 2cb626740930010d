"""The PDCA plan's rules: ratings and their tally, 【N月確認】, where an item sits, carry-over, and
what changed between two states of an item (its history).

Pure Python. A plan is one tree of dataclasses (`PlanTree` → `SectionNode` → `ChapterNode` →
`PolicyNode` → `ItemNode` → `StatusNode`), whether read from its file (`kyosai.plans.files`) or
from the database (`kyosai.plans.selectors`), and the report prints it; the numbers are printed
by `kyosai.domain.formatting`.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from kyosai.domain.evaluation import Rating
from kyosai.domain.formatting import action_marker, circled_number, item_label
from kyosai.domain.periods import FiscalCalendar, HalfYear, InvalidPeriod, YearMonth

__all__ = [
    "ATTENTION_RATINGS",
    "BRANCH_CHAPTERS",
    "HISTORY_LABELS",
    "TALLY_RATINGS",
    "ChapterNode",
    "FieldChange",
    "HalfYear",
    "InvalidPeriod",
    "InvalidRating",
    "ItemNode",
    "PlanTree",
    "PolicyNode",
    "RatingTally",
    "SectionNode",
    "StatusNode",
    "carry_over_item",
    "confirmation_mark",
    "confirmation_month",
    "describe_changes",
    "is_branch_chapter",
    "item_code",
    "needs_attention",
    "parse_rating",
    "split_confirmation",
    "tally",
]

#: The tally's columns in the report's order.
TALLY_RATINGS: tuple[Rating, ...] = (
    Rating.DONE, Rating.ON_TRACK, Rating.NOT_ENOUGH, Rating.NO_PROGRESS, Rating.NOT_YET_DUE,
)

#: Ratings HQ follows up: 十分に実行できているとはいえない and 進捗なし.
ATTENTION_RATINGS: frozenset[Rating] = frozenset({Rating.NOT_ENOUGH, Rating.NO_PROGRESS})

#: Chapters every branch carries out in its own prefecture (report Ⅳ-2 自治労県本部と県支部の共同推進,
#: Ⅳ-3 各県推進本部と県支部の共同推進); a plan file may say otherwise per chapter
#: (`carried_by_branches: true|false`).
BRANCH_CHAPTERS: frozenset[tuple[str, int]] = frozenset({("Ⅳ", 2), ("Ⅳ", 3)})

# Spellings of the rating seen in Word and Excel files, folded onto the legend's five marks.
_RATING_SPELLINGS = {
    "◎": Rating.DONE,
    "○": Rating.ON_TRACK, "〇": Rating.ON_TRACK, "◯": Rating.ON_TRACK,
    "△": Rating.NOT_ENOUGH, "▲": Rating.NOT_ENOUGH,
    "×": Rating.NO_PROGRESS, "✕": Rating.NO_PROGRESS, "x": Rating.NO_PROGRESS,
    "X": Rating.NO_PROGRESS, "✖": Rating.NO_PROGRESS,
    "－": Rating.NOT_YET_DUE, "-": Rating.NOT_YET_DUE, "ー": Rating.NOT_YET_DUE,
    "―": Rating.NOT_YET_DUE, "—": Rating.NOT_YET_DUE, "‐": Rating.NOT_YET_DUE,
    "−": Rating.NOT_YET_DUE,
}

_CONFIRMATION_PATTERN = re.compile(r"\s*【\s*(\d{1,2})\s*月\s*確認\s*】\s*")


class InvalidRating(ValueError):
    """A rating that is none of ◎ ○ △ × －."""


def parse_rating(text: str | None) -> Rating | None:
    """A rating as typed (◎ ○/〇 △ ×/✕ －/-), None when blank; anything else raises."""
    if text is None:
        return None
    cleaned = str(text).strip()
    if not cleaned:
        return None
    try:
        return _RATING_SPELLINGS[cleaned]
    except KeyError:
        raise InvalidRating(f"評価は ◎ ○ △ × － のいずれかです: {text!r}") from None


def needs_attention(rating: Rating | str | None) -> bool:
    """Rated △ or ×: the items HQ follows up."""
    return rating is not None and rating != "" and Rating(rating) in ATTENTION_RATINGS


def is_branch_chapter(section: str, chapter: int) -> bool:
    """Whether every branch carries out the chapter's items (BRANCH_CHAPTERS)."""
    return (section, chapter) in BRANCH_CHAPTERS


# --- 【N月確認】 -------------------------------------------------------------------------------


def split_confirmation(text: str) -> tuple[str, int | None]:
    """The text without its 【N月確認】 mark, and N (None when there is none).

    Full-width digits are read too (【１１月確認】); the last mark wins when several appear.
    """
    months = [int(m) for m in _CONFIRMATION_PATTERN.findall(text)]
    if not months:
        return text.strip(), None
    month = months[-1]
    if not 1 <= month <= 12:
        raise ValueError(f"確認月は1〜12月です: 【{month}月確認】")
    return _CONFIRMATION_PATTERN.sub(" ", text).strip(), month


def confirmation_mark(month: YearMonth | None) -> str:
    """【8月確認】 for a status confirmed in August; empty when not confirmed."""
    return f"【{month.month}月確認】" if month else ""


def confirmation_month(month: int, fiscal_year: int, calendar: FiscalCalendar) -> YearMonth:
    """The calendar month of 【N月確認】 in a fiscal year: 【1月確認】 in FY2024 (June) is 2025-01."""
    for candidate in calendar.months(fiscal_year):
        if candidate.month == month:
            return candidate
    raise ValueError(f"確認月は1〜12月です: {month}")  # pragma: no cover - months() covers 1..12


# --- where an item sits ---------------------------------------------------------------------


def item_code(section: str, chapter: int, policy: int, item: int) -> str:
    """Where an item sits in the plan: Ⅳ-1-1-(5)."""
    return f"{section}-{chapter}-{policy}-{item_label(item)}"


# --- the tally ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RatingTally:
    """How many items carry each rating; `unrated` counts items without one yet."""

    counts: Mapping[Rating, int] = field(default_factory=dict)
    unrated: int = 0

    def count(self, rating: Rating) -> int:
        return self.counts.get(rating, 0)

    @property
    def total(self) -> int:
        """Every item, rated or not."""
        return sum(self.counts.values()) + self.unrated

    def __add__(self, other: "RatingTally") -> "RatingTally":
        counts = {r: self.count(r) + other.count(r) for r in TALLY_RATINGS}
        return RatingTally({r: n for r, n in counts.items() if n}, self.unrated + other.unrated)

    def row(self) -> list[int]:
        """◎ ○ △ × － and the total, as the summary prints them."""
        return [self.count(r) for r in TALLY_RATINGS] + [self.total]


def tally(ratings: Iterable[Rating | str | None]) -> RatingTally:
    """Count ratings (blank or None = not rated yet)."""
    counts: dict[Rating, int] = {}
    unrated = 0
    for rating in ratings:
        if rating is None or rating == "":
            unrated += 1
            continue
        key = Rating(rating)
        counts[key] = counts.get(key, 0) + 1
    return RatingTally(counts, unrated)


# --- the plan's content --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusNode:
    """実行状況 as written, its 【N月確認】 month lifted out; once stored, its id, the day it was
    written and who wrote it."""

    text: str
    confirmed: YearMonth | None = None
    id: int | None = None
    entered_on: date | None = None
    author: str = ""

    @property
    def confirmation(self) -> str:
        """【8月確認】, or empty."""
        return confirmation_mark(self.confirmed)


@dataclass(frozen=True, slots=True)
class ItemNode:
    """実行計画 (1) with its status entries (① ②), rating and next actions (ａ ｂ); once stored,
    its id, its code (Ⅳ-1-1-(5)) and the HQ item a branch's item carries out."""

    number: int
    text: str
    statuses: tuple[StatusNode, ...] = ()
    rating: Rating | None = None
    next_actions: tuple[str, ...] = ()
    id: int | None = None
    code: str = ""
    source_item_id: int | None = None

    @property
    def label(self) -> str:
        return item_label(self.number)

    @property
    def numbered_statuses(self) -> list[tuple[str, StatusNode]]:
        """(①, status), (②, status) …"""
        return [(circled_number(n), status) for n, status in enumerate(self.statuses, start=1)]

    @property
    def lettered_actions(self) -> list[tuple[str, str]]:
        """(ａ, text), (ｂ, text) …"""
        return [(action_marker(n), text) for n, text in enumerate(self.next_actions, start=1)]


@dataclass(frozen=True, slots=True)
class PolicyNode:
    """事業推進方針 and the items carrying it out."""

    number: int
    text: str
    items: tuple[ItemNode, ...] = ()


@dataclass(frozen=True, slots=True)
class ChapterNode:
    """A chapter (Ⅳ-1): its title, whether every branch carries it out, its policies."""

    number: int
    title: str
    carried_by_branches: bool
    policies: tuple[PolicyNode, ...] = ()
    code: str = ""

    @property
    def items(self) -> list[ItemNode]:
        return [item for policy in self.policies for item in policy.items]

    @property
    def tally(self) -> RatingTally:
        return tally(item.rating for item in self.items)


@dataclass(frozen=True, slots=True)
class SectionNode:
    """A section of the plan (Ⅳ, Ⅴ, Ⅵ)."""

    number: str
    title: str
    chapters: tuple[ChapterNode, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanTree:
    """A whole plan, as read from its file or stored (then with its id and owner), as the report
    prints sections Ⅳ–Ⅵ."""

    period: HalfYear
    sections: tuple[SectionNode, ...]
    plan_id: int | None = None
    owner_code: str = ""
    owner_name: str = ""

    @property
    def chapters(self) -> list[ChapterNode]:
        return [chapter for section in self.sections for chapter in section.chapters]

    @property
    def items(self) -> list[ItemNode]:
        return [item for chapter in self.chapters for item in chapter.items]

    @property
    def tally(self) -> RatingTally:
        return tally(item.rating for item in self.items)

    def placed_items(self) -> list[tuple[SectionNode, ChapterNode, PolicyNode, ItemNode]]:
        """Every item with the section, chapter and policy it sits in."""
        return [
            (s, c, p, i)
            for s in self.sections for c in s.chapters for p in c.policies for i in p.items
        ]

    def counts(self) -> dict[str, int]:
        policies = [p for c in self.chapters for p in c.policies]
        return {"sections": len(self.sections), "chapters": len(self.chapters),
                "policies": len(policies), "items": len(self.items)}


# --- carry-over -----------------------------------------------------------------------------


def carry_over_item(item: ItemNode, *, include_done: bool = True) -> ItemNode | None:
    """The item as it starts the next period: same plan, no status or rating yet, and this
    period's 今後の取り組み as its starting next actions. Items rated ◎ (完了) are dropped when
    `include_done` is False."""
    if not include_done and item.rating == Rating.DONE:
        return None
    return ItemNode(number=item.number, text=item.text, next_actions=item.next_actions)


# --- history --------------------------------------------------------------------------------

#: The item snapshot's keys as the history names them.
HISTORY_LABELS: dict[str, str] = {
    "text": "実行計画",
    "rating": "評価",
    "statuses": "実行状況",
    "next_actions": "今後の取り組み",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One changed part of an item: its label, and the values before and after as lines."""

    label: str
    before: tuple[str, ...]
    after: tuple[str, ...]


def _lines(item: ItemNode | None) -> dict[str, tuple[str, ...]]:
    if item is None:
        return {key: () for key in HISTORY_LABELS}
    return {
        "text": (item.text,) if item.text else (),
        "rating": (f"{item.rating.value} {item.rating.label}",) if item.rating else (),
        "statuses": tuple(s.text + confirmation_mark(s.confirmed) for s in item.statuses),
        "next_actions": item.next_actions,
    }


def describe_changes(before: ItemNode | None, after: ItemNode | None) -> list[FieldChange]:
    """What changed between two states of an item (None: it did not exist), in the order the
    report prints an item; the item's number is not compared."""
    was, now = _lines(before), _lines(after)
    return [FieldChange(label, was[key], now[key])
            for key, label in HISTORY_LABELS.items() if was[key] != now[key]]
