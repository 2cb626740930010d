"""The fiscal calendar: months, fiscal years with their own start month, elapsed months, pace."""

import re
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["FiscalCalendar", "InvalidMonth", "YearMonth"]

_MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


class InvalidMonth(ValueError):
    """A month that is not written YYYY-MM."""


@dataclass(frozen=True, order=True, slots=True)
class YearMonth:
    """A calendar month such as 2024-11."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise InvalidMonth(f"月は1〜12で指定してください: {self.month}")

    @classmethod
    def parse(cls, text: str) -> "YearMonth":
        """Read YYYY-MM; anything else raises InvalidMonth."""
        match = _MONTH_PATTERN.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise InvalidMonth(f"年月は YYYY-MM 形式で指定してください: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    def shift(self, months: int) -> "YearMonth":
        """The month `months` later (negative: earlier)."""
        index = self.year * 12 + self.month - 1 + months
        return YearMonth(index // 12, index % 12 + 1)

    def previous_year(self) -> "YearMonth":
        """The same month one year earlier (前年同期)."""
        return YearMonth(self.year - 1, self.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def label(self) -> str:
        """The report's short label: 24年11月."""
        return f"{self.year % 100}年{self.month}月"


@dataclass(frozen=True, slots=True)
class FiscalCalendar:
    """事業年度: twelve months from `start_month`; a fiscal year is named by its first month's year."""

    start_month: int = 6

    def __post_init__(self) -> None:
        if not 1 <= self.start_month <= 12:
            raise ValueError(f"事業年度の開始月は1〜12で指定してください: {self.start_month}")

    def fiscal_year_of(self, month: YearMonth) -> int:
        """FY2024 runs 2024-06 … 2025-05 when the year starts in June."""
        return month.year if month.month >= self.start_month else month.year - 1

    def first_month(self, fiscal_year: int) -> YearMonth:
        return YearMonth(fiscal_year, self.start_month)

    def months(self, fiscal_year: int) -> list[YearMonth]:
        first = self.first_month(fiscal_year)
        return [first.shift(i) for i in range(12)]

    def elapsed_months(self, month: YearMonth) -> int:
        """Months of the fiscal year up to and including `month` (June → 1, November → 6)."""
        return (month.month - self.start_month) % 12 + 1

    def pace(self, month: YearMonth) -> Fraction:
        """到達目安: the share of a year's flow target due by `month` (elapsed ÷ 12), exact."""
        return Fraction(self.elapsed_months(month), 12)
