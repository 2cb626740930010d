"""Ranking branches or unions: by change and by achievement, and the ones that grew most.

Competition ranking (1, 2, 2, 4): equal figures share a rank; rows without the figure are not
ranked. Ties keep the given (report) order, so a ranking depends only on the figures.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TypeVar

from kyosai.domain.formatting import format_signed

__all__ = ["growers_sentence", "ranked", "top_decliners", "top_growers"]

T = TypeVar("T")
Figure = int | Decimal


def ranked(rows: Sequence[T], key: Callable[[T], Figure | None]) -> list[tuple[int, T]]:
    """(rank, row), largest figure first; rows whose figure is None are left out."""
    present = [row for row in rows if key(row) is not None]
    ordered = sorted(present, key=lambda row: -key(row))  # type: ignore[operator]
    out: list[tuple[int, T]] = []
    for position, row in enumerate(ordered, start=1):
        if out and key(out[-1][1]) == key(row):
            out.append((out[-1][0], row))
        else:
            out.append((position, row))
    return out


def top_growers(rows: Sequence[T], change: Callable[[T], Figure | None], limit: int = 5) -> list[T]:
    """The rows that grew most (change > 0), largest first, at most `limit`."""
    return [row for _, row in ranked(rows, change) if (change(row) or 0) > 0][:limit]


def top_decliners(rows: Sequence[T], change: Callable[[T], Figure | None], limit: int = 5) -> list[T]:
    """The rows that fell most (change < 0), largest fall first, at most `limit`."""
    falling = [row for _, row in ranked(rows, lambda row: _negated(change(row)))]
    return [row for row in falling if (change(row) or 0) < 0][:limit]


def _negated(value: Figure | None) -> Figure | None:
    return None if value is None else -value


def growers_sentence(labelled: Sequence[tuple[str, Figure]], unit: str, noun: str = "県支部",
                     places: int = 0) -> str:
    """前年同期から最も増加した5県支部は、東京（+1,234件）、…です。"""
    if not labelled:
        return f"前年同期から増加した{noun}はありません。"
    listing = "、".join(f"{label}（{format_signed(value, places)}{unit}）" for label, value in labelled)
    return f"前年同期から最も増加した{len(labelled)}{noun}は、{listing}です。"
