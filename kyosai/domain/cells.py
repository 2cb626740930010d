"""Numbers as Japanese spreadsheets write them: 1,234 / １２３ / △1,234 / ▲1,234 / blank."""

import unicodedata
from decimal import Decimal, InvalidOperation

__all__ = ["NotANumber", "parse_decimal", "parse_integer"]

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
    return -value if negative else value


def parse_integer(text: str | None) -> int | None:
    """An int from a cell (件数, 口数, 円); a fraction raises NotANumber."""
    value = parse_decimal(text)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise NotANumber(f"整数で入力してください（小数は使えません）: {text!r}")
    return int(value)
