"""Numbers as Japanese spreadsheets write them: 1,234 / １２３ / △1,234 / ▲1,234 / blank."""

import unicodedata
from decimal import Decimal, InvalidOperation

__all__ = [
    "MAX_COUNT",
    "MAX_DECIMAL_PLACES",
    "MAX_INTEGER_DIGITS",
    "NotANumber",
    "check_places",
    "decimal_places",
    "integer_digits",
    "parse_decimal",
    "parse_integer",
]

#: The one bound on what a number in any imported file may be: at most 15 digits before the
#: point (999兆…). The figures' DECIMAL(18, 2) keeps that with its 2 places, SQLite's 64-bit
#: INTEGER too, and Django reads SQLite decimals with 15 significant digits: so what validation
#: passes, storage takes and gives back unchanged (no OverflowError, no InvalidOperation). A
#: register's narrower column is checked against that column as well (activities.services).
MAX_INTEGER_DIGITS = 15
#: The largest count (人数, 組合員数, 口数, 掛金…) a file may give a 32-bit integer column
#: (PostgreSQL's integer, Django's IntegerField / PositiveIntegerField): checked at the cell.
MAX_COUNT = 2_147_483_647
#: Places after the point the figures keep (rates such as 付帯率 58.95%).
MAX_DECIMAL_PLACES = 2
_LIMIT = Decimal(10) ** MAX_INTEGER_DIGITS

_NEGATIVE_MARKS = ("△", "▲", "-", "−")  # after NFKC, full-width － is "-"


class NotANumber(ValueError):
    """A cell that is not a number in any of the accepted spellings."""


def parse_decimal(text: str | None) -> Decimal | None:
    """A Decimal from a cell; None for a blank cell. Raises NotANumber with a Japanese message."""
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFKC", str(text)).strip()
    if cleaned == "":
        return None
    negative = False
    if cleaned.startswith(_NEGATIVE_MARKS):
        negative = True
        cleaned = cleaned[1:].strip()
    cleaned = cleaned.replace(",", "").replace(" ", "")
    if cleaned.startswith(("+", "-")) or not cleaned:
        raise NotANumber(f"数値ではありません: {text!r}")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise NotANumber(f"数値ではありません: {text!r}") from None
    if not value.is_finite():
        raise NotANumber(f"数値ではありません: {text!r}")
    if value >= _LIMIT:
        raise NotANumber(f"数値が大きすぎます（整数部は {MAX_INTEGER_DIGITS} 桁まで）: {_short(text)}")
    return -value if negative else value


def _short(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:40] + "…")


def integer_digits(value: Decimal | int) -> int:
    """Digits before the point (0.5 → 0, 1234 → 4)."""
    whole = abs(int(value))
    return len(str(whole)) if whole else 0


def decimal_places(value: Decimal | int) -> int:
    """Places after the point that matter (58.950 → 2, 100 → 0)."""
    if isinstance(value, int):
        return 0
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0 or not value:
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -exponent - trailing)


def check_places(value: Decimal | int, places: int = MAX_DECIMAL_PLACES) -> str | None:
    """None when `value` has at most `places` places after the point, else a Japanese message."""
    if decimal_places(value) > places:
        return f"小数点以下は {places} 桁までです: {value}"
    return None


def parse_integer(text: str | None) -> int | None:
    """An int from a cell (件数, 口数, 円); a fraction raises NotANumber."""
    value = parse_decimal(text)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise NotANumber(f"整数で入力してください（小数は使えません）: {text!r}")
    return int(value)
