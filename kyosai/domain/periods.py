"""The fiscal calendar: months, fiscal years with their own start month, elapsed months, pace."""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from types import MappingProxyType

__all__ = [
    "DEFAULT_CALENDAR",
    "FiscalCalendar",
    "FiscalYears",
    "HalfYear",
    "InvalidMonth",
    "InvalidPeriod",
    "YearMonth",
    "half_year_of",
]

_MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
_HALF_PATTERN = re.compile(r"^(\d{4})H([12])$")
#: The years a month or period may name: a typo such as 0001 or 9999 is refused where it is read
#: (a page's ?as_of=, a file's month column) instead of failing later in date arithmetic.
MIN_YEAR, MAX_YEAR = 1900, 2999


class InvalidMonth(ValueError):
    """A month that is not written YYYY-MM."""


class InvalidPeriod(ValueError):
    """A half-year that is not written like 2024H1."""


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
        if not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR:
            raise InvalidMonth(f"年は{MIN_YEAR}〜{MAX_YEAR}年で指定してください: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> "YearMonth":
        """The month a day falls in."""
        return cls(day.year, day.month)

    def first_day(self) -> date:
        """The month's first day (how `month` date columns store a month: 2024-11 → 2024-11-01)."""
        return date(self.year, self.month, 1)

    def last_day(self) -> date:
        """The month's last day (2024-02 → 2024-02-29, 2024-12 → 2024-12-31)."""
        return self.shift(1).first_day() - timedelta(days=1)

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


#: The calendar of a fiscal year that is not registered: twelve months from June.
DEFAULT_CALENDAR = FiscalCalendar()


@dataclass(frozen=True, slots=True)
class FiscalYears:
    """The registered fiscal years, each with its own calendar (master data, 事業年度).

    The one place that answers "which calendar": by a fiscal year's name, or by a month (the
    registered year whose twelve months contain it). A year not registered runs from June."""

    calendars: Mapping[int, FiscalCalendar] = field(default_factory=lambda: MappingProxyType({}))

    def calendar(self, fiscal_year: int) -> FiscalCalendar:
        """The calendar of a fiscal year (June start when it is not registered)."""
        return self.calendars.get(fiscal_year, DEFAULT_CALENDAR)

    def registered_year_of(self, month: YearMonth) -> int | None:
        """The registered fiscal year containing `month`, None outside every registered year."""
        for year in sorted(self.calendars):
            first = self.calendars[year].first_month(year)
            if first <= month <= first.shift(11):
                return year
        return None

    def containing(self, month: YearMonth) -> tuple[int, FiscalCalendar]:
        """The fiscal year containing `month` and its calendar; outside every registered year,
        the year the default (June) calendar gives."""
        year = self.registered_year_of(month)
        if year is None:
            return DEFAULT_CALENDAR.fiscal_year_of(month), DEFAULT_CALENDAR
        return year, self.calendars[year]


@dataclass(frozen=True, order=True, slots=True)
class HalfYear:
    """半期: 2024H1 is the first six months of FY2024 (2024-06 … 2024-11), H2 the last six.

    Plans, events and the half-year report are all kept per half-year.
    """

    fiscal_year: int
    half: int

    def __post_init__(self) -> None:
        if self.half not in (1, 2):
            raise InvalidPeriod(f"半期は H1 または H2 です: {self.half}")

    @classmethod
    def parse(cls, text: str) -> "HalfYear":
        """Read 2024H1 (full-width and lower case accepted); anything else raises InvalidPeriod."""
        match = _HALF_PATTERN.match(unicodedata.normalize("NFKC", str(text)).strip().upper())
        if not match:
            raise InvalidPeriod(f"期間は 2024H1 のように指定してください: {text!r}")
        if not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR:
            raise InvalidPeriod(f"年度は{MIN_YEAR}〜{MAX_YEAR}年で指定してください: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.fiscal_year}H{self.half}"

    def label(self) -> str:
        """The report's name: 2024年度上半期 / 2024年度下半期."""
        return f"{self.fiscal_year}年度{'上' if self.half == 1 else '下'}半期"

    def months(self, calendar: FiscalCalendar) -> list[YearMonth]:
        """The six months of the period (H1 of FY2024 from June: 2024-06 … 2024-11)."""
        year_months = calendar.months(self.fiscal_year)
        return year_months[:6] if self.half == 1 else year_months[6:]

    def contains(self, day: date, calendar: FiscalCalendar) -> bool:
        return YearMonth.of(day) in self.months(calendar)

    def last_day(self, calendar: FiscalCalendar) -> date:
        """The period's closing date: the last day of its last month."""
        return self.months(calendar)[-1].last_day()

    def previous(self) -> "HalfYear":
        return HalfYear(self.fiscal_year, 1) if self.half == 2 else HalfYear(self.fiscal_year - 1, 2)

    def next(self) -> "HalfYear":
        """H1 → H2 of the same year, H2 → next year's H1 (where plans are carried over to)."""
        return HalfYear(self.fiscal_year, 2) if self.half == 1 else HalfYear(self.fiscal_year + 1, 1)


def half_year_of(day: date, calendar: FiscalCalendar) -> HalfYear:
    """The half-year a day falls in: months 1–6 of the fiscal year are H1, 7–12 are H2."""
    month = YearMonth.of(day)
    return HalfYear(calendar.fiscal_year_of(month), 1 if calendar.elapsed_months(month) <= 6 else 2)
