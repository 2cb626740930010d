"""Dates as Japanese offices write them: 2024-04-01, 2024/4/1, 2024年4月1日 and 和暦
(昭和55年4月1日, S55.4.1, R6.4.1, 令和元年5月1日), full-width digits included; printed in 和暦 here
(西暦 printing: `kyosai.domain.formatting.format_date`).
"""

import functools
import re
import unicodedata
from datetime import date

__all__ = ["ERAS", "InvalidDate", "format_japanese_date", "parse_date", "parse_year_month_date"]


class InvalidDate(ValueError):
    """A cell that is not a date in any accepted spelling, or a date that does not exist.

    The message quotes the cell; `reason` is the same without it (for files whose cells may hold
    personal data, such as the roster).
    """

    def __init__(self, reason: str, text: object) -> None:
        super().__init__(f"{reason}: {text!r}")
        self.reason = reason


#: 和暦: (name, letter, first day). An era's year 1 is its first day's calendar year.
ERAS: tuple[tuple[str, str, date], ...] = (
    ("明治", "M", date(1868, 10, 23)),
    ("大正", "T", date(1912, 7, 30)),
    ("昭和", "S", date(1926, 12, 25)),
    ("平成", "H", date(1989, 1, 8)),
    ("令和", "R", date(2019, 5, 1)),
)
_ERA_BY_WORD = {**{name: i for i, (name, _, _) in enumerate(ERAS)},
                **{letter: i for i, (_, letter, _) in enumerate(ERAS)}}

_WESTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_JAPANESE = re.compile(
    r"^(明治|大正|昭和|平成|令和|[MTSHR])\s*(\d{1,2}|元)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_EXCEL_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$")  # openpyxl's datetime cells


def _exists(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidDate("存在しない日付です", text) from None


@functools.lru_cache(maxsize=65_536)
def parse_date(text: str | None) -> date | None:
    """A date from a cell; None for a blank cell. Raises InvalidDate with a Japanese message.

    A 和暦 date must lie within its era (昭和64年1月7日 exists, 昭和64年1月8日 does not).
    """
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFKC", str(text)).strip().upper()
    if cleaned == "":
        return None
    if match := _EXCEL_TIME.match(cleaned):
        cleaned = match.group(1)
    if match := _WESTERN.match(cleaned) or _COMPACT.match(cleaned):
        return _exists(int(match.group(1)), int(match.group(2)), int(match.group(3)), text)
    if match := _JAPANESE.match(cleaned):
        era = _ERA_BY_WORD[match.group(1)]
        name, _, first = ERAS[era]
        era_year = 1 if match.group(2) == "元" else int(match.group(2))
        if era_year < 1:
            raise InvalidDate("存在しない日付です", text)
        day = _exists(first.year + era_year - 1, int(match.group(3)), int(match.group(4)), text)
        end = ERAS[era + 1][2] if era + 1 < len(ERAS) else None
        if day < first or (end is not None and day >= end):
            raise InvalidDate(f"{name}{match.group(2)}年にその日付はありません", text)
        return day
    raise InvalidDate("日付は 2024-04-01、2024/4/1 または 和暦（昭和55年4月1日、S55.4.1）で入力してください", text)


_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


@functools.lru_cache(maxsize=4096)
def parse_year_month_date(text: str | None) -> date | None:
    """YYYY-MM (also 2015/4, 2015年4月, or a full date) → the first day of that month."""
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFKC", str(text)).strip()
    if cleaned == "":
        return None
    match = _YEAR_MONTH.match(cleaned)
    if match:
        return _exists(int(match.group(1)), int(match.group(2)), 1, text)
    try:
        day = parse_date(cleaned)
    except InvalidDate:
        raise InvalidDate("年月は YYYY-MM 形式で入力してください", text) from None
    return None if day is None else day.replace(day=1)


def format_japanese_date(day: date | None) -> str:
    """和暦: 昭和55年4月1日, 令和元年5月1日 (an era's first year is 元年); empty for none or
    before 明治."""
    if day is None:
        return ""
    for name, _, first in reversed(ERAS):
        if day >= first:
            year = day.year - first.year + 1
            return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return ""
