"""Japanese printing as the report does it: numbers (1,234 / △1,234 / ±0 / 103.75% / +2.24P),
full-width numbering (１．／（１）／＜事業推進方針１＞／① ② ③), months and dates
(2024年11月 / 2024年11月30日 / 2024年11月20日・21日 / 2024年11月30日 14:05).

Every printed number, mark and date of the report comes from here, so a change is made once.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from kyosai.domain.periods import YearMonth

__all__ = [
    "action_marker",
    "chapter_label",
    "circled_number",
    "format_change",
    "format_date",
    "format_dates",
    "format_datetime",
    "format_number",
    "format_pct",
    "format_points",
    "format_signed",
    "format_year_month",
    "fullwidth_digits",
    "item_label",
    "paren_number",
    "plan_table_label",
    "policy_label",
]

NEGATIVE = "△"


# --- numbers ------------------------------------------------------------------------------------


def format_number(value: int | Decimal | None, places: int = 0) -> str:
    """1,234 and △1,234 for negatives; empty for a missing figure."""
    if value is None:
        return ""
    text = f"{abs(Decimal(value)):,.{places}f}"
    return f"{NEGATIVE}{text}" if value < 0 else text


def format_change(value: int | Decimal | None, places: int = 0) -> str:
    """増減: 6,680 / △8,121, and ±0 for no change."""
    if value is None:
        return ""
    if value == 0:
        return "±0"
    return format_number(value, places)


def format_signed(value: int | Decimal | None, places: int = 0) -> str:
    """A change with an explicit plus sign: +1,039 / △525 / ±0."""
    if value is None:
        return ""
    if value > 0:
        return "+" + format_number(value, places)
    return format_change(value, places)


def format_pct(value: int | Decimal | None, places: int = 2) -> str:
    """103.75% (the value is already rounded by its policy; this only prints it)."""
    if value is None:
        return ""
    return format_number(value, places) + "%"


def format_points(value: int | Decimal | None, places: int = 2) -> str:
    """A change of a rate in points: +2.24P / △0.50P / ±0.00P."""
    if value is None:
        return ""
    if value == 0:
        return "±" + f"{Decimal(0):.{places}f}P"
    return format_signed(value, places) + "P"


# --- numbering ----------------------------------------------------------------------------------

_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def fullwidth_digits(number: int) -> str:
    """A number in full-width digits, as headings print it: 12 → １２."""
    return str(number).translate(_FULLWIDTH_DIGITS)


def chapter_label(number: int) -> str:
    """A chapter's number as printed: １．"""
    return fullwidth_digits(number) + "．"


def paren_number(number: int) -> str:
    """A numbered sub-heading: （１）, （１２）."""
    return f"（{fullwidth_digits(number)}）"


def policy_label(number: int) -> str:
    """＜事業推進方針１＞."""
    return f"＜事業推進方針{fullwidth_digits(number)}＞"


def plan_table_label(number: int) -> str:
    """The heading of a policy's table: ＜実行計画・実行状況・今後の取り組み１＞."""
    return f"＜実行計画・実行状況・今後の取り組み{fullwidth_digits(number)}＞"


def item_label(number: int) -> str:
    """実行計画 numbers as printed: (1)."""
    return f"({number})"


def circled_number(number: int) -> str:
    """Numbered sentences and 実行状況 as printed: ① … ⑳, then ㉑ … ㊿, then (51)."""
    if 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if 21 <= number <= 35:
        return chr(0x3251 + number - 21)
    if 36 <= number <= 50:
        return chr(0x32B1 + number - 36)
    return f"({number})"


def action_marker(number: int) -> str:
    """今後の取り組み letters as printed: ａ ｂ ｃ … ｚ (full-width), then (27)."""
    if 1 <= number <= 26:
        return chr(0xFF41 + number - 1)
    return f"({number})"


# --- months and dates ---------------------------------------------------------------------------


def format_year_month(month: YearMonth) -> str:
    """2024年11月."""
    return f"{month.year}年{month.month}月"


def format_date(day: date | None) -> str:
    """2024年11月30日 (empty for none), as the report prints dates."""
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def format_datetime(moment: datetime) -> str:
    """2024年11月30日 14:05: the date as format_date prints it and the time to the minute, in the
    moment's own time zone (give it a local time)."""
    return f"{format_date(moment.date())} {moment:%H:%M}"


def format_dates(days: Iterable[date]) -> str:
    """Several days as one: 2024年6月17日 / 2024年11月20日・21日 / 2024年7月17日～20日 (three or
    more days in a row) / 2024年12月27日・2025年1月6日; the year and month only where they change."""
    ordered = sorted(set(days))
    if not ordered:
        return ""
    parts: list[str] = []
    previous: date | None = None
    for run in _consecutive_runs(ordered):
        ends = [run[0], run[-1]] if len(run) >= 3 else run
        texts = []
        for day in ends:
            texts.append(_day_text(day, previous))
            previous = day
        parts.append("～".join(texts) if len(run) >= 3 else "・".join(texts))
    return "・".join(parts)


def _consecutive_runs(ordered: list[date]) -> list[list[date]]:
    runs: list[list[date]] = [[ordered[0]]]
    for day in ordered[1:]:
        if day - runs[-1][-1] == timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _day_text(day: date, previous: date | None) -> str:
    if previous is None or previous.year != day.year:
        return format_date(day)
    if previous.month != day.month:
        return f"{day.month}月{day.day}日"
    return f"{day.day}日"
