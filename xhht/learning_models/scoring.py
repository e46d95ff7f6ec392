"""The score of an evaluation, computed from its rubric and its indicator values — never typed.

Values per indicator: for a yes/no (or computed) indicator 1 = met, 0 = not met; for a graded indicator
the points given (0 … max). ``None`` = not entered yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from xhht.core.formatting import format_number
from xhht.learning_models.rubrics import Band, Indicator, Rubric


class ScoreError(ValueError):
    """A value an indicator cannot take (points above the maximum, below zero, yes/no not 0 or 1)."""


def enterable(indicator: Indicator) -> bool:
    """A value can be entered: a yes/no judgement, or points whose maximum is known."""
    return indicator.is_yes_no or indicator.max_points is not None


def check_value(indicator: Indicator, value: Decimal | None) -> None:
    """Refuse a value the indicator cannot take; message in Vietnamese."""
    if value is None:
        return
    if value < 0:
        raise ScoreError(f"Chỉ tiêu «{indicator.code}»: điểm không được âm ({format_number(value, 2)}).")
    if not enterable(indicator):
        raise ScoreError(f"Chỉ tiêu «{indicator.code}»: điểm tối đa chưa xác định trong văn bản, chưa nhập được.")
    if indicator.is_yes_no:
        if value not in (0, 1):
            raise ScoreError(f"Chỉ tiêu «{indicator.code}»: chỉ nhận Đạt (1) hoặc Không đạt (0).")
        return
    if indicator.max_points is not None and value > indicator.max_points:
        raise ScoreError(f"Chỉ tiêu «{indicator.code}»: {_pts(value)} điểm vượt điểm tối đa {_pts(indicator.max_points)}.")


def _pts(value: Decimal | Fraction) -> str:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return format_number(value, 0 if value == value.to_integral_value() else 2)


@dataclass
class IndicatorLine:
    indicator: Indicator
    value: Decimal | None
    points: Decimal | None  # points earned (points rubrics); None when not known
    met: bool | None  # yes/no indicators


@dataclass
class ScoreResult:
    rubric: Rubric
    lines: list[IndicatorLine]
    total: Decimal | None  # points rubrics: the sum, when every indicator's maximum is known
    outcome: str | None  # band or level code; "none" = no level met; None = undetermined
    outcome_label: str
    passing: bool | None
    reasons: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # indicators not entered
    undefined: list[str] = field(default_factory=list)  # indicators whose text/points are not known

    @property
    def determined(self) -> bool:
        return self.outcome is not None


def score(rubric: Rubric, values: Mapping[str, Decimal | int | None]) -> ScoreResult:
    lines: list[IndicatorLine] = []
    for ind in rubric.indicators:
        raw = values.get(ind.code)
        value = None if raw is None else Decimal(raw)
        check_value(ind, value)
        met = None if value is None or not ind.is_yes_no else value == 1
        points: Decimal | None = None
        if value is not None and ind.max_points is not None:
            points = (ind.max_points if met else Decimal(0)) if ind.is_yes_no else value
        lines.append(IndicatorLine(ind, value, points, met))
    if rubric.scoring == "levels":
        return _score_levels(rubric, lines)
    return _score_points(rubric, lines)


def _score_points(rubric: Rubric, lines: list[IndicatorLine]) -> ScoreResult:
    missing = [ln.indicator.code for ln in lines if ln.value is None and enterable(ln.indicator)]
    undefined = [ln.indicator.code for ln in lines if ln.indicator.max_points is None]
    known_total = sum((ln.points for ln in lines if ln.points is not None), Decimal(0))
    failed_prereq = [ln for ln in lines if ln.indicator.prerequisite and ln.met is False]
    fail_band = next((b for b in reversed(rubric.bands) if not b.passing), None)
    reasons: list[str] = []
    if failed_prereq:
        for ln in failed_prereq:
            note = "" if ln.indicator.prerequisite_verified else " (điều kiện bắt buộc là tham số chưa xác minh)"
            reasons.append(f"Điều kiện bắt buộc không đạt: {ln.indicator.display_title}{note}.")
        total = known_total if not undefined and not missing else None
        if total is not None:
            reasons.append(f"Tổng điểm {_pts(total)} không được tính để xếp loại vì điều kiện bắt buộc không đạt.")
        label = fail_band.label if fail_band else "Không đạt"
        return ScoreResult(rubric, lines, total, fail_band.code if fail_band else "none", label, False, reasons, missing, undefined)
    if undefined:
        reasons.append(f"{len(undefined)} chỉ tiêu chưa xác định điểm tối đa trong văn bản: chưa thể tính tổng điểm và xếp loại.")
        return ScoreResult(rubric, lines, None, None, "Chưa xác định", None, reasons, missing, undefined)
    if missing:
        reasons.append(f"Còn {len(missing)} chỉ tiêu chưa chấm.")
        return ScoreResult(rubric, lines, None, None, "Chưa đủ điểm các chỉ tiêu", None, reasons, missing, undefined)
    total = known_total
    if any(b.min is None or b.upper is None for b in rubric.bands):
        reasons.append(f"Tổng điểm {_pts(total)}; ngưỡng xếp loại chưa xác định trong văn bản.")
        return ScoreResult(rubric, lines, total, None, "Chưa xác định", None, reasons, missing, undefined)
    band = classify_total(rubric, total)
    if band is None:  # validation guarantees contiguity; only a total outside 0…max lands here
        reasons.append(f"Tổng điểm {_pts(total)} nằm ngoài các khoảng xếp loại.")
        return ScoreResult(rubric, lines, total, None, "Chưa xác định", None, reasons, missing, undefined)
    higher = [b for b in rubric.bands if b.min is not None and b.min > (band.min or 0)]
    if higher:
        nxt = min(higher, key=lambda b: b.min or 0)
        assert nxt.min is not None
        need = Fraction(nxt.min)
        if rubric.bands_basis == "percent_of_max":
            assert rubric.max_points is not None
            need = need * Fraction(rubric.max_points) / 100
        short = need - Fraction(total)
        reasons.append(f"Tổng điểm {_pts(total)}/{_pts(rubric.max_points or Decimal(0))}: còn thiếu {_pts(short)} điểm để đạt loại {nxt.label}.")
    else:
        reasons.append(f"Tổng điểm {_pts(total)}/{_pts(rubric.max_points or Decimal(0))}: đạt loại cao nhất.")
    if not band.verified:
        reasons.append("Ngưỡng xếp loại là tham số chưa xác minh với văn bản (xem bộ tiêu chí).")
    return ScoreResult(rubric, lines, total, band.code, band.label, band.passing, reasons, missing, undefined)


def classify_total(rubric: Rubric, total: Decimal) -> Band | None:
    """The band of a total (None where the cut-offs are not known or the total lies outside them)."""
    measure: Decimal | Fraction = total
    if rubric.bands_basis == "percent_of_max":
        if rubric.max_points is None:
            return None
        measure = Fraction(total) * 100 / Fraction(rubric.max_points)
    return next((b for b in rubric.bands if _contains(b, measure)), None)


def _contains(band: Band, measure: Decimal | Fraction) -> bool:
    if band.min is None or band.upper is None:
        return False
    value = Fraction(measure)
    lo, hi = Fraction(band.min), Fraction(band.upper)
    return lo <= value and (value <= hi if band.upper_inclusive else value < hi)


def _score_levels(rubric: Rubric, lines: list[IndicatorLine]) -> ScoreResult:
    missing = [ln.indicator.code for ln in lines if ln.value is None]
    undefined = [ln.indicator.code for ln in lines if not ln.indicator.defined]
    reasons: list[str] = []
    held = None
    for level in rubric.levels:  # ascending rank; a level presupposes the ones below it
        required = [ln for ln in lines if level.code in ln.indicator.levels]
        failed = [ln for ln in required if ln.met is False]
        unknown = [ln for ln in required if ln.met is None]
        if failed:
            names = "; ".join(f"{ln.indicator.code} ({ln.indicator.display_title})" for ln in failed)
            reasons.append(f"Chưa đạt {level.label}: chỉ tiêu không đạt — {names}.")
            break
        if unknown:
            reasons.append(f"{level.label}: còn {len(unknown)} chỉ tiêu chưa đánh giá.")
            if held is None:
                return ScoreResult(rubric, lines, None, None, "Chưa đủ đánh giá các chỉ tiêu", None, reasons, missing, undefined)
            break
        held = level
    if held is None:
        return ScoreResult(rubric, lines, None, "none", rubric.outcome_label("none"), False, reasons, missing, undefined)
    reasons.insert(0, f"Đạt tất cả chỉ tiêu của {held.label}.")
    return ScoreResult(rubric, lines, None, held.code, held.label, True, reasons, missing, undefined)
