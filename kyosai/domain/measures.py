"""Measures (件数, 口数, 掛金 …): their kind, unit and reporting lag, and the report's words for them."""

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "MEASURES",
    "MEASURE_WORDS",
    "SECTION3_NAMES",
    "MeasureKind",
    "MeasureSpec",
    "Unit",
    "UnknownMeasure",
    "measure_for_word",
]


class MeasureKind(StrEnum):
    """How a measure accumulates, which decides its benchmark for the mark."""

    STOCK = "stock"  # valid contracts at the month's end: reached at 100 %
    FLOW = "flow"  # cumulative from the fiscal year's start: reached at the pace (到達目安)
    RATE = "rate"  # a percentage such as 付帯率: reached at 100 %, change in points (P)


class Unit(StrEnum):
    """The unit a measure is counted in; money is stored in yen and shown in 千円."""

    CONTRACTS = "件"
    UNITS = "口"
    YEN = "円"
    PERCENT = "%"


class UnknownMeasure(KeyError):
    """A measure word the report does not use."""


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    """One measure as the organisation defines it."""

    code: str
    name: str
    short_name: str
    kind: MeasureKind
    unit: Unit
    reporting_lag_months: int = 0  # 受入共済掛金 is reported one month after the others

    @property
    def is_money(self) -> bool:
        return self.unit is Unit.YEN

    @property
    def display_unit(self) -> str:
        """The unit a figure is printed in: money in 千円 (see money.py), otherwise its own unit."""
        return "千円" if self.is_money else self.unit.value

    @property
    def section3_name(self) -> str:
        """The measure's word in section Ⅲ's tables (保有契約, 新契約, 付帯率, 移行契約)."""
        return SECTION3_NAMES.get(self.code, self.short_name)


#: Section Ⅲ calls 保有件数 保有契約 (as the original report prints it); every other measure keeps
#: its short name there.
SECTION3_NAMES: dict[str, str] = {"holdings": "保有契約"}


MEASURES: dict[str, MeasureSpec] = {
    spec.code: spec
    for spec in (
        MeasureSpec("holdings", "保有件数", "件数", MeasureKind.STOCK, Unit.CONTRACTS),
        MeasureSpec("units", "保有口数", "口数", MeasureKind.STOCK, Unit.UNITS),
        MeasureSpec("premiums", "受入共済掛金", "掛金", MeasureKind.FLOW, Unit.YEN, 1),
        MeasureSpec("loading", "予定付加掛金", "付加", MeasureKind.FLOW, Unit.YEN),
        MeasureSpec("new_contracts", "新契約件数", "新契約", MeasureKind.FLOW, Unit.CONTRACTS),
        MeasureSpec("attachment_rate", "付帯率", "付帯率", MeasureKind.RATE, Unit.PERCENT),
        MeasureSpec("migrations", "移行契約件数", "移行契約", MeasureKind.FLOW, Unit.CONTRACTS),
    )
}

#: The words the report (and its spreadsheets) use for each measure.
MEASURE_WORDS: dict[str, str] = {
    "件数": "holdings",
    "保有件数": "holdings",
    "保有契約": "holdings",
    "口数": "units",
    "保有口数": "units",
    "掛金": "premiums",
    "受入共済掛金": "premiums",
    "付加": "loading",
    "予定付加掛金": "loading",
    "新契約": "new_contracts",
    "新契約件数": "new_contracts",
    "付帯率": "attachment_rate",
    "移行契約": "migrations",
    "移行契約件数": "migrations",
}


def measure_for_word(word: str) -> MeasureSpec:
    """The measure a report word or identifier names (件数 → holdings); UnknownMeasure otherwise."""
    key = word.strip()
    code = MEASURE_WORDS.get(key, key)
    try:
        return MEASURES[code]
    except KeyError:
        raise UnknownMeasure(key) from None
