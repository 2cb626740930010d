"""Charts as inline SVG (no script, no CDN): they print in the PDF and show in the HTML file."""

from decimal import Decimal
from html import escape

from kyosai.domain.formatting import format_pct
from kyosai.domain.reporting import Chart

__all__ = ["chart_svg"]

WIDTH = 640
LABEL_WIDTH = 150
VALUE_WIDTH = 70
BAR_HEIGHT = 16
GAP = 8
TOP = 26
BOTTOM = 22


def chart_svg(chart: Chart) -> str:
    """A horizontal bar per row, a dashed reference line per bar (到達目安), 0–max % scale."""
    if not chart.bars:
        return ""
    scale_max = _scale_max(chart)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP + len(chart.bars) * (BAR_HEIGHT + GAP) + BOTTOM

    def x(value: Decimal) -> str:
        return f"{LABEL_WIDTH + plot * max(value, Decimal(0)) / scale_max:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="IPAexGothic, sans-serif" font-size="10" '
        f'aria-label="{escape(chart.title)}">',
        f'<text x="0" y="14" font-size="11" font-weight="bold">{escape(chart.title)}</text>',
    ]
    for tick in _ticks(scale_max):
        parts.append(
            f'<line x1="{x(tick)}" y1="{TOP - 4}" x2="{x(tick)}" y2="{height - BOTTOM + 2}" '
            f'stroke="#dddddd" stroke-width="0.5"/>'
            f'<text x="{x(tick)}" y="{height - 6}" font-size="8" fill="#555555" text-anchor="middle">{tick}%</text>'
        )
    for index, bar in enumerate(chart.bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        width = float(x(bar.value)) - LABEL_WIDTH
        below = bar.marker is not None and bar.value < bar.marker
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 3}" text-anchor="end" '
            f'font-size="10">{escape(bar.label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{"#c0504d" if below else "#4a78b0"}"/>'
            f'<text x="{WIDTH - 4}" y="{y + BAR_HEIGHT - 3}" text-anchor="end" '
            f'font-size="10">{format_pct(bar.value)}</text>'
        )
        if bar.marker is not None:
            parts.append(
                f'<line x1="{x(bar.marker)}" y1="{y - 3}" x2="{x(bar.marker)}" '
                f'y2="{y + BAR_HEIGHT + 3}" stroke="#222222" stroke-width="1.4" stroke-dasharray="3 2"/>'
            )
    if chart.marker_label:
        parts.append(f'<line x1="{WIDTH - 150}" y1="4" x2="{WIDTH - 150}" y2="16" stroke="#222222" stroke-width="1.4" stroke-dasharray="3 2"/>'
                     f'<text x="{WIDTH - 144}" y="14" font-size="10">'
                     f'{escape(chart.marker_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _scale_max(chart: Chart) -> Decimal:
    values = [bar.value for bar in chart.bars] + [b.marker for b in chart.bars if b.marker]
    top = max([Decimal(100), *values])
    step = Decimal(20)
    return ((top + step - 1) // step) * step


def _ticks(scale_max: Decimal) -> list[Decimal]:
    step = Decimal(20) if scale_max <= 200 else Decimal(50)
    ticks, value = [], Decimal(0)
    while value <= scale_max:
        ticks.append(value)
        value += step
    return ticks
