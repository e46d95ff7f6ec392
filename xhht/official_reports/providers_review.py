"""The section of the phase review (báo cáo sơ kết): the milestone's targets against the results, and the next targets.

Registered with the other section providers (imported at the end of :mod:`xhht.official_reports.providers`).
The table is read through ``xhht.indicators.selectors.appendix_build`` — the same rows, targets and
comparisons as the appendix page — so that a figure reads the same in both places.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from xhht.core.formatting import format_number, format_percent
from xhht.official_reports.placeholders import escape_text
from xhht.official_reports.providers import SectionContext, SectionDraft, TableSpec, capability, missing_notice, provider

UNKNOWN = "chưa xác định"
SYNTHETIC_PREFIX = "minh-hoa"
SYNTHETIC_NOTICE = ("SỐ LIỆU MINH HỌA: các số liệu từ năm 2021 của đơn vị này là số liệu tổng hợp để trình diễn hệ thống "
                    "(dữ liệu mẫu), không phải số liệu thật.")


def _target_text(target: Any, is_rate: bool) -> str:
    if target is None or target.value is None:
        return UNKNOWN
    return f"{format_number(target.value)}%" if is_rate else format_number(target.value)


def _result_text(cell: Any, is_rate: bool) -> str:
    if cell is None or cell.is_empty:
        return "chưa có số liệu"
    if is_rate:
        if cell.rate is None:
            return "chưa có số liệu"
        counts = f" ({format_number(cell.numerator)}/{format_number(cell.denominator)})" if cell.numerator is not None and cell.denominator else ""
        return f"{format_percent(Fraction(cell.rate))}{counts}"
    return format_number(cell.count)


def synthetic_in(unit_codes: list[str], years: list[int]) -> bool:
    """Whether the store holds demo figures ("số liệu minh họa", rule ``minh-hoa:…``) for these units and years."""
    from xhht.indicators.models import DataValue

    return DataValue.objects.filter(unit_id__in=unit_codes, period__in=[str(y) for y in years], rule__startswith=SYNTHETIC_PREFIX).exists()


@provider("indicators.targets_review", "Sơ kết: mục tiêu mốc so với kết quả, mục tiêu mốc sau (xhht.indicators)")
def targets_review(ctx: SectionContext) -> SectionDraft:
    build = capability("xhht.indicators.selectors", "appendix_build")
    targets_for = capability("xhht.indicators.selectors", "targets_for")
    if not callable(build) or not callable(targets_for):
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx, "chỉ tiêu (xhht.indicators)")])
    params = ctx.params
    milestone, following = int(params.get("milestone", ctx.period.end.year)), int(params.get("next_milestone", 0))
    years = [y for y in ctx.period.years if y <= milestone] or [milestone]
    appendix = build(unit=ctx.unit, programme=params["programme"], years=years)
    targets = targets_for(programme=appendix.programme, unit=ctx.unit)
    header = ["TT", "Chỉ tiêu", f"Mục tiêu năm {milestone}", f"Kết quả năm {milestone}", "Đánh giá"]
    if following:
        header.append(f"Mục tiêu đến năm {following}")
    rows: list[list[str]] = []
    for row in appendix.rows:
        if row.indicator is None:
            rows.append([escape_text(row.tt), escape_text(row.name), "", "", "", *([""] if following else [])])
            continue
        ind = row.indicator
        is_rate = ind.kind == "rate"
        own = targets.get(ind.code, {})
        cell = next((c for c in row.cells if c.year == milestone), None)
        status = cell.status_label if cell is not None and cell.status else ("—" if cell is None or cell.is_empty else UNKNOWN)
        line = [escape_text(row.tt), escape_text(row.name), _target_text(own.get(milestone), is_rate), _result_text(cell, is_rate), status]
        if following:
            line.append(_target_text(own.get(following), is_rate))
        rows.append(line)
    notices = []
    text = ctx.text
    if synthetic_in(ctx.resolver.subtree_codes, years):
        # Demo figures are said to be demo figures in the document itself, not only on the screen (issue 18).
        text = f"{SYNTHETIC_NOTICE}\n\n{ctx.text}" if ctx.text else SYNTHETIC_NOTICE
        notices.append(SYNTHETIC_NOTICE)
    if any(UNKNOWN in r for r in rows):
        notices.append("«chưa xác định»: mục tiêu chưa đối chiếu được với văn bản gốc (để trống trong danh mục chỉ tiêu), không suy đoán.")
    return SectionDraft(text=text, tables=[TableSpec(header_rows=[header], rows=rows)], notices=notices)
