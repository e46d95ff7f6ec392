"""Line charts drawn on the server as inline SVG: no JavaScript library, no network, readable on a phone.

One chart per indicator: the yearly values (the rate for a rate indicator, else the count) as a
line with points, the target as a dashed horizontal line, projections as hollow points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from xhht.core.formatting import format_number

Number = int | Decimal | Fraction

WIDTH, HEIGHT = 420, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 18, 30


def _nice_step(span: float) -> float:
    raw = span / 4 or 1
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _tick_label(value: float) -> str:
    text = format_number(Decimal(str(round(value, 2))), 2)
    return text.rstrip("0").rstrip(",") if "," in text else text


def line_chart_svg(*, title: str, labels: Sequence[str], values: Sequence[Number | None], target: Number | None = None,
                   is_rate: bool = True, projections: Sequence[tuple[str, Number | None, bool]] = ()) -> SafeString:
    """An accessible inline SVG; ``projections`` are (label, value, proposed) points drawn after the years."""
    all_labels = list(labels) + [p[0] for p in projections]
    points = [float(v) if v is not None else None for v in values] + [float(p[1]) if p[1] is not None else None for p in projections]
    known = [v for v in points if v is not None] + ([float(target)] if target is not None else [])
    if not known:
        return mark_safe('<p class="muted">(chưa có số liệu để vẽ biểu đồ)</p>')
    lo, hi = min(known), max(known)
    if is_rate:
        hi = min(100.0, max(hi, lo + 1))
        lo = max(0.0, lo - max(1.0, (hi - lo) * 0.3))
        if hi - lo < 2:
            lo = max(0.0, hi - 2)
    else:
        lo = 0.0
        hi = hi * 1.1 if hi > 0 else 1.0
    step = _nice_step(hi - lo)
    lo = math.floor(lo / step) * step
    hi = math.ceil(hi / step) * step if not is_rate else min(100.0, math.ceil(hi / step) * step)
    if hi <= lo:
        hi = lo + step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(all_labels)

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - lo) / (hi - lo))

    places = 2 if is_rate else 0
    suffix = "%" if is_rate else ""
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg" style="max-width:100%;height:auto;font-family:sans-serif">',
             f"<title>{escape(title)}</title>"]
    tick = lo
    while tick <= hi + 1e-9:
        ty = y(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#ddd" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{ty + 4:.1f}" font-size="10" text-anchor="end" fill="#555">'
                     f'{escape(_tick_label(tick))}</text>')
        tick += step
    for i, label in enumerate(all_labels):
        parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 10}" font-size="10" text-anchor="middle" fill="#333">{escape(label)}</text>')
    if target is not None:
        ty = y(float(target))
        parts.append(f'<line class="target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#c0392b" '
                     f'stroke-width="1.5" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{WIDTH - RIGHT}" y="{ty - 4:.1f}" font-size="10" text-anchor="end" fill="#c0392b">'
                     f'Mục tiêu {escape(format_number(Decimal(target) if not isinstance(target, Fraction) else target, 0 if float(target).is_integer() else 2))}{suffix}</text>')
    actual = [(x(i), y(v)) for i, v in enumerate(points[: len(labels)]) if v is not None]
    if len(actual) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in actual)
        parts.append(f'<polyline class="series" points="{path}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
    for i, v in enumerate(points):
        if v is None:
            continue
        is_projection = i >= len(labels)
        proposed = is_projection and projections[i - len(labels)][2]
        fill = "#fff" if is_projection else "#1f5fa8"
        label = f"{all_labels[i]}: {format_number(Decimal(str(v)), places if not float(v).is_integer() else 0)}{suffix}"
        if is_projection:
            label += " (dự kiến, đề xuất)" if proposed else " (dự kiến)"
        dash = ' stroke-dasharray="2 2"' if proposed else ""
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="{fill}" stroke="#1f5fa8" stroke-width="1.5"'
                     f'{dash}><title>{escape(label)}</title></circle>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
