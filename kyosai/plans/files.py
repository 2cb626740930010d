"""Reading a plan file (plan-2024H1.yaml) into the domain's PlanTree, with Japanese messages.

Every problem is a `CellProblem` placed in the plan (Ⅳ-1-1-(5)) with its key (rating), collected
over the whole file: `FileProblems` is raised and nothing is imported.
"""

import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kyosai.catalog.selectors import fiscal_years
from kyosai.core.files import FileRefused, load_yaml
from kyosai.domain.formatting import item_label
from kyosai.domain.periods import FiscalCalendar, HalfYear, InvalidPeriod
from kyosai.domain.plans import (
    ChapterNode,
    InvalidRating,
    ItemNode,
    PlanTree,
    PolicyNode,
    SectionNode,
    StatusNode,
    confirmation_month,
    is_branch_chapter,
    parse_rating,
    split_confirmation,
)
from kyosai.domain.problems import CellProblem, FileProblems

__all__ = ["NUMBER_MAX", "TITLE_MAX", "read_plan_document", "read_plan_file"]

_ROMAN = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ")


def read_plan_file(path: Path) -> PlanTree:
    """The plan in `path` (YAML, UTF-8), or FileProblems naming every problem (describe each
    with the file's name)."""
    if not path.is_file():
        raise FileProblems([CellProblem.at("", "", "ファイルが見つかりません。")])
    try:
        data = load_yaml(path)  # the shared guard: size, aliases, depth
    except FileRefused as exc:
        raise FileProblems([CellProblem.at("", "", f"{exc}。")]) from None
    calendar = None
    if isinstance(data, dict):
        try:
            calendar = fiscal_years().calendar(
                HalfYear.parse(str(data.get("period", ""))).fiscal_year)
        except ValueError:
            calendar = None
    return read_plan_document(data, calendar)


#: Numbers of sections' chapters, policies and items, and the length of a title, as stored.
NUMBER_MAX = 999
TITLE_MAX = 200


class _Reader:
    """Walks the YAML tree, collecting problems instead of stopping at the first."""

    def __init__(self, calendar: FiscalCalendar) -> None:
        self.calendar = calendar
        self.problems: list[CellProblem] = []
        self.fiscal_year = 0

    def fail(self, where: str, key: str, message: str) -> None:
        self.problems.append(CellProblem.at(where, key, message))

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

    def status(self, text: str, where: str) -> StatusNode:
        try:
            stripped, month = split_confirmation(text)
        except ValueError as exc:
            self.fail(where, "status", str(exc))
            return StatusNode(text)
        if month is None:
            return StatusNode(stripped)
        return StatusNode(stripped, confirmation_month(month, self.fiscal_year, self.calendar))

    def item(self, node: Mapping[str, Any], prefix: str) -> ItemNode:
        number = self.number(node, prefix + "-(?)")
        where = f"{prefix}-{item_label(number)}"
        try:
            rating = parse_rating(node.get("rating"))
        except InvalidRating as exc:
            self.fail(where, "rating", str(exc))
            rating = None
        return ItemNode(
            number=number,
            text=self.text(node, "plan", where),
            statuses=tuple(self.status(t, where) for t in self.texts(node, "status", where)),
            rating=rating,
            next_actions=tuple(self.texts(node, "next_actions", where)),
            code=where,
        )

    def policy(self, node: Mapping[str, Any], prefix: str) -> PolicyNode:
        number = self.number(node, prefix)
        where = f"{prefix}-{number}"
        items = [self.item(child, where) for child in self.children(node, "items", where)]
        self.unique([i.number for i in items], where, "実行計画")
        return PolicyNode(number, self.text(node, "text", where), tuple(items))

    def chapter(self, node: Mapping[str, Any], section: str) -> ChapterNode:
        number = self.number(node, section)
        where = f"{section}-{number}"
        flag = node.get("carried_by_branches")
        if flag is not None and not isinstance(flag, bool):
            self.fail(where, "carried_by_branches", "true か false で記入してください")
            flag = None
        policies = [self.policy(child, where) for child in self.children(node, "policies", where)]
        self.unique([p.number for p in policies], where, "事業推進方針")
        branches = is_branch_chapter(section, number) if flag is None else flag
        return ChapterNode(number, self.text(node, "title", where), branches, tuple(policies),
                           code=where)

    def section(self, node: Mapping[str, Any]) -> SectionNode:
        value = node.get("number")
        number = unicodedata.normalize("NFKC", str(value or "")).strip()
        # NFKC turns Ⅳ into IV; keep the report's single-character numeral.
        number = {"".join(unicodedata.normalize("NFKC", r)): r for r in _ROMAN}.get(number, number)
        if not number:
            self.fail("", "number", "章の番号（Ⅳ など）がありません")
        chapters = [self.chapter(child, number) for child in self.children(node, "chapters", number)]
        self.unique([c.number for c in chapters], number, "章")
        return SectionNode(number, self.text(node, "title", number), tuple(chapters))


def read_plan_document(data: Any, calendar: FiscalCalendar | None = None) -> PlanTree:
    """Read a plan file's tree (as loaded from YAML); raises FileProblems with every problem,
    each placed in the plan (Ⅳ-1-1-(5)) and named by its key."""
    reader = _Reader(calendar or FiscalCalendar())
    if not isinstance(data, dict):
        raise FileProblems([CellProblem.at("", "", "計画ファイルの形式ではありません（YAML の項目が必要です）")])
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
        raise FileProblems(reader.problems)
    return PlanTree(period, tuple(sections))
