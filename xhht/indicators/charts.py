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
        parts.append(f'<text x="{LEFT - 4}" y="{ty + 4:.1f}" font-size="13" text-anchor="end" fill="#555">'
                     f'{escape(_tick_label(tick))}</text>')
        tick += step
    for i, label in enumerate(all_labels):
        parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 10}" font-size="13" text-anchor="middle" fill="#333">{escape(label)}</text>')
    if target is not None:
        ty = y(float(target))
        parts.append(f'<line class="target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#c0392b" '
                     f'stroke-width="1.5" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{WIDTH - RIGHT}" y="{ty - 4:.1f}" font-size="13" text-anchor="end" fill="#c0392b">'
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


PALETTE = ["#17663a", "#1f5fa8", "#d4a017", "#a11", "#6b7785", "#7a4fa3"]


def stacked_bars_svg(*, title: str, rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[str],
                     colours: Sequence[str] | None = None) -> SafeString:
    """Horizontal bars, one per row (a unit, a year), split into ``series`` (on time / late / missing…), each part's
    count written in it when it fits and in its tooltip; a legend below. Counts only (exact integers)."""
    colours = list(colours or PALETTE)
    rows = [(label, [int(v or 0) for v in values]) for label, values in rows]
    if not rows or not any(sum(v) for _, v in rows):
        return mark_safe('<p class="muted">(chưa có số liệu để vẽ biểu đồ)</p>')
    biggest = max(sum(v) for _, v in rows)
    left, right, bar, gap, top = 120, 44, 20, 8, 6
    legend_rows = math.ceil(len(series) / 2)
    height = top + len(rows) * (bar + gap) + 8 + legend_rows * 20
    span = WIDTH - left - right
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg" style="max-width:100%;height:auto;font-family:sans-serif">',
             f"<title>{escape(title)}</title>"]
    y = top
    for label, values in rows:
        short = label if len(label) <= 16 else label[:15] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + bar - 5}" font-size="13" text-anchor="end" fill="#333">{escape(short)}<title>{escape(label)}</title></text>')
        x = float(left)
        for i, value in enumerate(values):
            if not value:
                continue
            w = span * value / biggest
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colours[i % len(colours)]}">'
                         f'<title>{escape(label)} · {escape(series[i])}: {escape(format_number(value))}</title></rect>')
            if w >= 9 * len(format_number(value)) + 4:
                parts.append(f'<text x="{x + w / 2:.1f}" y="{y + bar - 5}" font-size="13" text-anchor="middle" fill="#fff">{escape(format_number(value))}</text>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar - 5}" font-size="13" fill="#333">{escape(format_number(sum(values)))}</text>')
        y += bar + gap
    y += 4
    for i, name in enumerate(series):
        lx = 8 + (i % 2) * (WIDTH // 2)
        ly = y + (i // 2) * 20
        parts.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colours[i % len(colours)]}"/>'
                     f'<text x="{lx + 16}" y="{ly + 11}" font-size="13" fill="#333">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
