"""A server-side SVG bar chart (no script, no external resource): literacy rates per age band."""

from __future__ import annotations

from fractions import Fraction
from html import escape

from django.utils.safestring import SafeString, mark_safe

from xhht.core.formatting import format_number, format_rate
from xhht.literacy.selectors import UnitResult


def bands_chart(result: UnitResult, *, floor: int = 80) -> SafeString:
    """Horizontal bars of the level 1 and level 2 rates per band, from ``floor``% to 100%, with the 90% line."""
    rows = list(result.bands.items())
    width, left, right, bar, gap = 640, 70, 80, 14, 12
    height = 30 + len(rows) * (2 * bar + gap) + 20
    span = width - left - right

    def x(numerator: int, denominator: int) -> float:
        if not denominator:
            return left
        share = Fraction(numerator * 100, denominator)
        return left + float(max(share - floor, Fraction(0)) / (100 - floor)) * span

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-wide" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="Tỷ lệ biết chữ theo độ tuổi">']
    for tick in range(floor, 101, 5):
        tx = left + (tick - floor) / (100 - floor) * span
        parts.append(f'<line x1="{tx:.1f}" y1="20" x2="{tx:.1f}" y2="{height - 20}" stroke="#d6dce3"/>'
                     f'<text x="{tx:.1f}" y="14" font-size="11" text-anchor="middle" fill="#5b6775">{tick}%</text>')
    line = left + (90 - floor) / (100 - floor) * span
    parts.append(f'<line x1="{line:.1f}" y1="20" x2="{line:.1f}" y2="{height - 20}" stroke="#9b1c1c" stroke-dasharray="4 3"/>')
    y = 26
    for band, counts in rows:
        t = counts.total
        parts.append(f'<text x="{left - 8}" y="{y + bar + 4}" font-size="13" text-anchor="end">{escape(band)}</text>')
        for measure, colour in (("level1", "#0b4f8a"), ("level2", "#17663a")):
            end = x(t[measure], t["population"])
            label = format_rate(t[measure], t["population"]) or "–"
            parts.append(f'<rect x="{left}" y="{y}" width="{max(end - left, 0):.1f}" height="{bar}" fill="{colour}">'
                         f'<title>{escape(band)} tuổi, biết chữ mức {measure[-1]}: {format_number(t[measure])} / {format_number(t["population"])} người ({escape(label)})</title></rect>'
                         f'<text x="{end + 4:.1f}" y="{y + bar - 3}" font-size="11">{escape(label)}</text>')
            y += bar
        y += gap
    parts.append(f'<rect x="{left}" y="{height - 14}" width="10" height="10" fill="#0b4f8a"/>'
                 f'<text x="{left + 14}" y="{height - 5}" font-size="11">Biết chữ mức độ 1</text>'
                 f'<rect x="{left + 140}" y="{height - 14}" width="10" height="10" fill="#17663a"/>'
                 f'<text x="{left + 154}" y="{height - 5}" font-size="11">Biết chữ mức độ 2</text>'
                 f'<line x1="{left + 290}" y1="{height - 9}" x2="{left + 310}" y2="{height - 9}" stroke="#9b1c1c" stroke-dasharray="4 3"/>'
                 f'<text x="{left + 314}" y="{height - 5}" font-size="11">Ngưỡng 90%</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
