"""Charts drawn on the server as inline SVG: no JavaScript library, nothing from a CDN.

Coordinates are computed with Decimal (house rule: no float) and printed to one decimal place.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from kyosai.domain.formatting import format_number

__all__ = ["Series", "line_chart", "nice_ticks"]

Number = int | Decimal
WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 78, 16, 30, 56


@dataclass(frozen=True, slots=True)
class Series:
    """One line: its legend name, a value per x label (None = no figure), its look."""

    name: str
    values: Sequence[Number | None]
    colour: str = "#0b4f8a"
    dash: str = ""  # e.g. "6 4" for a dashed line
    points: bool = True


def _nice_step(span: Decimal, count: int) -> Decimal:
    raw = span / count
    if raw <= 0:
        return Decimal(1)
    exponent = raw.adjusted()
    base = Decimal(10) ** exponent
    for factor in (1, 2, 5, 10):
        if raw <= factor * base:
            return factor * base
    return 10 * base


def nice_ticks(low: Number, high: Number, count: int = 5, *, include_zero: bool = True) -> (
    list[Decimal]
):
    """Round tick values covering [low, high] (and 0, unless include_zero is False)."""
    low, high = Decimal(min(low, 0) if include_zero else low), Decimal(high)
    if high <= low:
        high = low + 1
    step = _nice_step(high - low, count)
    start = (low / step).to_integral_value(ROUND_FLOOR) * step
    end = (high / step).to_integral_value(ROUND_CEILING) * step
    ticks, value = [], start
    while value <= end:
        ticks.append(value)
        value += step
    return ticks


def _fmt(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.1")))


def _tick_label(value: Decimal) -> str:
    if value == value.to_integral_value():
        return format_number(int(value))
    return format_number(value, 2)


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str,
               unit: str = "", include_zero: bool = True, width: int = WIDTH,
               height: int = HEIGHT) -> SafeString:
    """An SVG line chart: one x position per label, a line per series, axes, grid and legend."""
    values = [v for s in series for v in s.values if v is not None]
    if not labels or not values:
        return mark_safe(f'<p class="empty">{escape(title)}: データがありません。</p>')
    ticks = nice_ticks(min(values), max(values), include_zero=include_zero)
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = Decimal(width - LEFT - RIGHT), Decimal(height - TOP - BOTTOM)
    step_x = plot_w / max(1, len(labels) - 1) if len(labels) > 1 else Decimal(0)

    def x(i: int) -> Decimal:
        return LEFT + (step_x * i if len(labels) > 1 else plot_w / 2)

    def y(v: Number) -> Decimal:
        return TOP + plot_h - (Decimal(v) - low) / (high - low) * plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for tick in ticks:
        ty = _fmt(y(tick))
        parts.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{ty}" y2="{ty}" '
                     f'stroke="#d0d7de" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{ty}" text-anchor="end" dominant-baseline="middle" '
                     f'fill="#59636e">{escape(_tick_label(tick))}</text>')
    if unit:
        parts.append(f'<text x="4" y="4" fill="#59636e" dominant-baseline="hanging">'
                     f'（{escape(unit)}）</text>')
    base_y = height - BOTTOM
    for i, label in enumerate(labels):
        parts.append(f'<text x="{_fmt(x(i))}" y="{base_y + 16}" text-anchor="middle" '
                     f'fill="#1f2328">{escape(label)}</text>')
    for s in series:
        parts.extend(_series_svg(s, x, y))
    parts.extend(_legend(series, height))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _series_svg(s: Series, x: Callable[[int], Decimal], y: Callable[[Number], Decimal]) -> list[str]:
    out: list[list[tuple[Decimal, Decimal, Number]]] = []
    segment: list[tuple[Decimal, Decimal, Number]] = []
    for i, value in enumerate(s.values):
        if value is None:
            if segment:
                out.append(segment)
            segment = []
            continue
        segment.append((x(i), y(value), value))
    if segment:
        out.append(segment)
    svg = []
    dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
    for seg in out:
        points = " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py, _ in seg)
        if len(seg) > 1:
            svg.append(f'<polyline fill="none" stroke="{s.colour}" stroke-width="2"{dash} '
                       f'points="{points}"><title>{escape(s.name)}</title></polyline>')
        if s.points:
            for px, py, value in seg:
                label = format_number(value, 0 if Decimal(value) == Decimal(value).to_integral_value() else 2)
                svg.append(f'<circle cx="{_fmt(px)}" cy="{_fmt(py)}" r="3" fill="{s.colour}">'
                           f'<title>{escape(s.name)}: {escape(label)}</title></circle>')
    return svg


def _legend(series: Sequence[Series], height: int) -> list[str]:
    out, x = [], LEFT
    y = height - 14
    for s in series:
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        out.append(f'<line x1="{x}" x2="{x + 24}" y1="{y}" y2="{y}" stroke="{s.colour}" '
                   f'stroke-width="2"{dash}/>')
        out.append(f'<text x="{x + 30}" y="{y}" dominant-baseline="middle" fill="#1f2328">'
                   f'{escape(s.name)}</text>')
        x += 48 + 14 * len(s.name)
    return out
