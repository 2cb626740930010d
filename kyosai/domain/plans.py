"""The PDCA plan's rules: periods, ratings and their tally, 【N月確認】, report numbering, carry-over.

Pure Python. The plan file (plan-2024H1.yaml) is read here into plain dataclasses, with every
problem named by its place in the plan (Ⅳ-1-1-(5)) so the import can refuse a bad file whole.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kyosai.domain.evaluation import Rating
from kyosai.domain.periods import FiscalCalendar, HalfYear, InvalidPeriod, YearMonth

__all__ = [
    "ATTENTION_RATINGS",
    "BRANCH_CHAPTERS",
    "HISTORY_LABELS",
    "TALLY_RATINGS",
    "ChapterDraft",
    "FieldChange",
    "HalfYear",
    "InvalidPeriod",
    "InvalidRating",
    "ItemDraft",
    "PlanDocument",
    "PlanFileError",
    "PlanProblem",
    "PolicyDraft",
    "RatingTally",
    "SectionDraft",
    "StatusDraft",
    "action_marker",
    "carry_over_item",
    "chapter_label",
    "confirmation_month",
    "describe_changes",
    "is_branch_chapter",
    "item_code",
    "item_label",
    "needs_attention",
    "parse_rating",
    "policy_label",
    "read_plan_document",
    "split_confirmation",
    "status_marker",
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
_ROMAN = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ")


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


def confirmation_month(month: int, fiscal_year: int, calendar: FiscalCalendar) -> YearMonth:
    """The calendar month of 【N月確認】 in a fiscal year: 【1月確認】 in FY2024 (June) is 2025-01."""
    for candidate in calendar.months(fiscal_year):
        if candidate.month == month:
            return candidate
    raise ValueError(f"確認月は1〜12月です: {month}")  # pragma: no cover - months() covers 1..12


# --- the report's numbering -----------------------------------------------------------------


def item_label(number: int) -> str:
    """実行計画 numbers as printed: (1)."""
    return f"({number})"


def status_marker(number: int) -> str:
    """実行状況 numbers as printed: ① … ⑳, then ㉑ … ㊿."""
    if 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if 21 <= number <= 35:
        return chr(0x3251 + number - 21)
    if 36 <= number <= 50:
        return chr(0x32B1 + number - 36)
    return f"({number})"


def action_marker(number: int) -> str:
    """今後の取り組み letters as printed: ａ ｂ ｃ … (full-width)."""
    if 1 <= number <= 26:
        return chr(0xFF41 + number - 1)
    return f"({number})"


def chapter_label(number: int) -> str:
    """Chapter numbers as printed: １．"""
    return "".join(chr(0xFF10 + int(d)) for d in str(number)) + "．"


def policy_label(number: int) -> str:
    """＜事業推進方針１＞."""
    return "＜事業推進方針" + "".join(chr(0xFF10 + int(d)) for d in str(number)) + "＞"


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


# --- the plan file --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusDraft:
    """実行状況 as written, its 【N月確認】 month lifted out."""

    text: str
    confirmed: YearMonth | None = None


@dataclass(frozen=True, slots=True)
class ItemDraft:
    """実行計画 with its status entries, rating and next actions."""

    number: int
    text: str
    statuses: tuple[StatusDraft, ...] = ()
    rating: Rating | None = None
    next_actions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PolicyDraft:
    """事業推進方針."""

    number: int
    text: str
    items: tuple[ItemDraft, ...] = ()


@dataclass(frozen=True, slots=True)
class ChapterDraft:
    number: int
    title: str
    carried_by_branches: bool
    policies: tuple[PolicyDraft, ...] = ()


@dataclass(frozen=True, slots=True)
class SectionDraft:
    number: str
    title: str
    chapters: tuple[ChapterDraft, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanDocument:
    """A whole plan as read from its file."""

    period: HalfYear
    sections: tuple[SectionDraft, ...]

    def items(self) -> list[tuple[SectionDraft, ChapterDraft, PolicyDraft, ItemDraft]]:
        return [
            (s, c, p, i)
            for s in self.sections for c in s.chapters for p in c.policies for i in p.items
        ]

    def counts(self) -> dict[str, int]:
        chapters = [c for s in self.sections for c in s.chapters]
        policies = [p for c in chapters for p in c.policies]
        return {"sections": len(self.sections), "chapters": len(chapters),
                "policies": len(policies), "items": len(self.items())}


@dataclass(frozen=True, slots=True)
class PlanProblem:
    """One problem of a plan file: where (Ⅳ-1-1-(5)), which key, what."""

    where: str
    key: str
    message: str

    def describe(self, filename: str) -> str:
        place = f" {self.where}" if self.where else ""
        key = f"「{self.key}」" if self.key else ""
        return f"{filename}{place}{key}: {self.message}"


class PlanFileError(ValueError):
    """The plan file cannot be imported; `problems` lists every problem found."""

    def __init__(self, problems: list[PlanProblem]) -> None:
        super().__init__(f"{len(problems)} 件のエラー")
        self.problems = problems


#: Numbers of sections' chapters, policies and items, and the length of a title, as stored.
NUMBER_MAX = 999
TITLE_MAX = 200


class _Reader:
    """Walks the YAML tree, collecting problems instead of stopping at the first."""

    def __init__(self, calendar: FiscalCalendar) -> None:
        self.calendar = calendar
        self.problems: list[PlanProblem] = []
        self.fiscal_year = 0

    def fail(self, where: str, key: str, message: str) -> None:
        self.problems.append(PlanProblem(where, key, message))

    def number(self, node: Mapping[str, Any], where: str) -> int:
        value = node.get("number")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= NUMBER_MAX:
            self.fail(where, "number", f"番号は1以上 {NUMBER_MAX} 以下の整数です: {value!r}"[:200])
            return 0
        return value

    def text(self, node: Mapping[str, Any], key: str, where: str) -> str:
        value = node.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(where, key, "文字列で記入してください")
            return ""
        if key == "title" and len(value.strip()) > TITLE_MAX:
            self.fail(where, key, f"表題が長すぎます（{TITLE_MAX} 文字まで）")
            return ""
        return value.strip()

    def texts(self, node: Mapping[str, Any], key: str, where: str) -> list[str]:
        value = node.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(where, key, "文字列の一覧で記入してください")
            return []
        return [v.strip() for v in value if v.strip()]

    def children(self, node: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
        value = node.get(key)
        if not isinstance(value, list) or not value:
            self.fail(where, key, "1件以上の一覧が必要です")
            return []
        if not all(isinstance(child, dict) for child in value):
            self.fail(where, key, "各要素は項目（キー: 値）で記入してください")
            return []
        return value

    def unique(self, numbers: Sequence[int], where: str, what: str) -> None:
        seen = [n for n in numbers if n]
        for number in sorted({n for n in seen if seen.count(n) > 1}):
            self.fail(where, "number", f"{what}の番号 {number} が重複しています")

    def status(self, text: str, where: str) -> StatusDraft:
        try:
            stripped, month = split_confirmation(text)
        except ValueError as exc:
            self.fail(where, "status", str(exc))
            return StatusDraft(text)
        if month is None:
            return StatusDraft(stripped)
        return StatusDraft(stripped, confirmation_month(month, self.fiscal_year, self.calendar))

    def item(self, node: Mapping[str, Any], prefix: str) -> ItemDraft:
        number = self.number(node, prefix + "-(?)")
        where = f"{prefix}-{item_label(number)}"
        try:
            rating = parse_rating(node.get("rating"))
        except InvalidRating as exc:
            self.fail(where, "rating", str(exc))
            rating = None
        return ItemDraft(
            number=number,
            text=self.text(node, "plan", where),
            statuses=tuple(self.status(t, where) for t in self.texts(node, "status", where)),
            rating=rating,
            next_actions=tuple(self.texts(node, "next_actions", where)),
        )

    def policy(self, node: Mapping[str, Any], prefix: str) -> PolicyDraft:
        number = self.number(node, prefix)
        where = f"{prefix}-{number}"
        items = [self.item(child, where) for child in self.children(node, "items", where)]
        self.unique([i.number for i in items], where, "実行計画")
        return PolicyDraft(number, self.text(node, "text", where), tuple(items))

    def chapter(self, node: Mapping[str, Any], section: str) -> ChapterDraft:
        number = self.number(node, section)
        where = f"{section}-{number}"
        flag = node.get("carried_by_branches")
        if flag is not None and not isinstance(flag, bool):
            self.fail(where, "carried_by_branches", "true か false で記入してください")
            flag = None
        policies = [self.policy(child, where) for child in self.children(node, "policies", where)]
        self.unique([p.number for p in policies], where, "事業推進方針")
        branches = is_branch_chapter(section, number) if flag is None else flag
        return ChapterDraft(number, self.text(node, "title", where), branches, tuple(policies))

    def section(self, node: Mapping[str, Any]) -> SectionDraft:
        value = node.get("number")
        number = unicodedata.normalize("NFKC", str(value or "")).strip()
        # NFKC turns Ⅳ into IV; keep the report's single-character numeral.
        number = {"".join(unicodedata.normalize("NFKC", r)): r for r in _ROMAN}.get(number, number)
        if not number:
            self.fail("", "number", "章の番号（Ⅳ など）がありません")
        chapters = [self.chapter(child, number) for child in self.children(node, "chapters", number)]
        self.unique([c.number for c in chapters], number, "章")
        return SectionDraft(number, self.text(node, "title", number), tuple(chapters))


def read_plan_document(data: Any, calendar: FiscalCalendar | None = None) -> PlanDocument:
    """Read a plan file's tree (as loaded from YAML); raises PlanFileError with every problem."""
    reader = _Reader(calendar or FiscalCalendar())
    if not isinstance(data, dict):
        raise PlanFileError([PlanProblem("", "", "計画ファイルの形式ではありません（YAML の項目が必要です）")])
    period: HalfYear | None = None
    try:
        period = HalfYear.parse(str(data.get("period", "")))
    except InvalidPeriod as exc:
        reader.fail("", "period", str(exc))
    fiscal_year = data.get("fiscal_year")
    if fiscal_year is not None and period is not None and fiscal_year != period.fiscal_year:
        reader.fail("", "fiscal_year", f"期間 {period} の事業年度と一致しません: {fiscal_year!r}")
    reader.fiscal_year = period.fiscal_year if period else 0
    sections = [reader.section(child) for child in reader.children(data, "sections", "")]
    numbers = [s.number for s in sections]
    for number in sorted({n for n in numbers if numbers.count(n) > 1}):
        reader.fail(number, "number", f"章 {number} が重複しています")
    if reader.problems or period is None:
        raise PlanFileError(reader.problems)
    return PlanDocument(period, tuple(sections))


# --- carry-over -----------------------------------------------------------------------------


def carry_over_item(item: ItemDraft, *, include_done: bool = True) -> ItemDraft | None:
    """The item as it starts the next period: same plan, no status or rating yet, and this
    period's 今後の取り組み as its starting next actions. Items rated ◎ (完了) are dropped when
    `include_done` is False."""
    if not include_done and item.rating == Rating.DONE:
        return None
    return ItemDraft(number=item.number, text=item.text, next_actions=item.next_actions)


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


def _as_lines(key: str, value: Any) -> tuple[str, ...]:
    if value is None or value == "" or value == []:
        return ()
    if key == "statuses":
        lines = []
        for entry in value:
            mark = f"【{int(entry['confirmed'][5:])}月確認】" if entry.get("confirmed") else ""
            lines.append(f"{entry.get('text', '')}{mark}")
        return tuple(lines)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if key == "rating":
        return (f"{value} {Rating(value).label}",)
    return (str(value),)


def describe_changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> list[FieldChange]:
    """What changed between two item snapshots, in the order the report prints an item."""
    old, new = before or {}, after or {}
    changes = []
    for key, label in HISTORY_LABELS.items():
        was, now = _as_lines(key, old.get(key)), _as_lines(key, new.get(key))
        if was != now:
            changes.append(FieldChange(label, was, now))
    return changes
