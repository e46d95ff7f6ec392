"""A server-side SVG bar chart (no script, no external resource): literacy rates per age band."""

from __future__ import annotations

from fractions import Fraction
from html import escape

from django.utils.safestring import SafeString, mark_safe

from xhht.core.formatting import format_number, format_rate
from xhht.literacy.selectors import UnitResult


PHONE_WIDTH = 360


def bands_chart(result: UnitResult, *, floor: int = 80, width: int = 640) -> SafeString:
    """Horizontal bars of the level 1 and level 2 rates per band, from ``floor``% to 100%, with the 90% line.

    ``width=PHONE_WIDTH`` draws it for a phone's screen, drawn at about its own size there (text ≥ 10 px) and whole:
    the 640-unit chart needs sideways scrolling there to reach the rates past 90%, the ones that matter. Its legend
    then takes two lines."""
    rows = list(result.bands.items())
    narrow = width < 500
    left, right, bar, gap = (48, 52, 14, 12) if narrow else (70, 80, 14, 12)
    legend = 34 if narrow else 20
    height = 30 + len(rows) * (2 * bar + gap) + legend
    span = width - left - right

    def x(numerator: int, denominator: int) -> float:
        if not denominator:
            return left
        share = Fraction(numerator * 100, denominator)
        return left + float(max(share - floor, Fraction(0)) / (100 - floor)) * span

    kind = "chart-phone" if narrow else "chart-wide"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="Tỷ lệ biết chữ theo độ tuổi">']
    for tick in range(floor, 101, 5):
        tx = left + (tick - floor) / (100 - floor) * span
        parts.append(f'<line x1="{tx:.1f}" y1="20" x2="{tx:.1f}" y2="{height - legend}" stroke="#d6dce3"/>'
                     f'<text x="{tx:.1f}" y="14" font-size="11" text-anchor="middle" fill="#5b6775">{tick}%</text>')
    line = left + (90 - floor) / (100 - floor) * span
    parts.append(f'<line x1="{line:.1f}" y1="20" x2="{line:.1f}" y2="{height - legend}" stroke="#9b1c1c" stroke-dasharray="4 3"/>')
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
    # The legend: one line; on a phone the 90% line's key goes on a second one.
    key_x, key_y = (8, height - 28) if narrow else (left, height - 14)
    line_x = 8 if narrow else left + 290
    parts.append(f'<rect x="{key_x}" y="{key_y}" width="10" height="10" fill="#0b4f8a"/>'
                 f'<text x="{key_x + 14}" y="{key_y + 9}" font-size="11">Biết chữ mức độ 1</text>'
                 f'<rect x="{key_x + 140}" y="{key_y}" width="10" height="10" fill="#17663a"/>'
                 f'<text x="{key_x + 154}" y="{key_y + 9}" font-size="11">Biết chữ mức độ 2</text>'
                 f'<line x1="{line_x}" y1="{height - 9}" x2="{line_x + 20}" y2="{height - 9}" stroke="#9b1c1c" stroke-dasharray="4 3"/>'
                 f'<text x="{line_x + 24}" y="{height - 5}" font-size="11">Ngưỡng 90%</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
