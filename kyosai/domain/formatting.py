"""Japanese number formatting as the report prints it: 1,234 / △1,234 / ±0 / 103.75% / +2.24P."""

from decimal import Decimal

__all__ = ["format_change", "format_number", "format_pct", "format_points", "format_signed"]

NEGATIVE = "△"


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
