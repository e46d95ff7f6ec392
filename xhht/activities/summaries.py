"""The seed-style yearly summary of each register, as a generic table for the web page and the export.

Cells stay exact (int, Decimal, Fraction or None); the template and the workbook format them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from xhht.activities import selectors
from xhht.activities.definitions import catalogue
from xhht.activities.registers import RegisterSpec
from xhht.core.formatting import rate
from xhht.units.models import Unit

Cell = int | Decimal | Fraction | str | None


@dataclass(frozen=True)
class SummaryColumn:
    label: str
    kind: str = "number"  # text | number | money | percent


@dataclass(frozen=True)
class SummaryTable:
    title: str
    columns: list[SummaryColumn]
    rows: list[list[Cell]]
    total: list[Cell] | None
    note: str = ""

    @property
    def display_rows(self) -> list[list[tuple[Cell, str]]]:
        """Each row's cells paired with their column's kind (for the template)."""
        return [list(zip(row, [c.kind for c in self.columns], strict=True)) for row in self.rows]

    @property
    def display_total(self) -> list[tuple[Cell, str]] | None:
        return None if self.total is None else list(zip(self.total, [c.kind for c in self.columns], strict=True))


def _sorted_periods(periods: Sequence[str]) -> list[str]:
    return sorted(set(periods))


def build_summary(spec: RegisterSpec, *, unit: Unit, periods: Sequence[str]) -> SummaryTable:
    periods = _sorted_periods(periods)
    cat = catalogue()
    if spec.key == "clc_topic":
        table = selectors.clc_yearly_table(unit=unit, school_years=periods)
        return SummaryTable(
            f"Kết quả hoạt động chuyên đề – {unit.full_name}",
            [SummaryColumn("Năm học", "text"), SummaryColumn("Số chuyên đề"), SummaryColumn("Số lớp"), SummaryColumn("Người tham gia")],
            [[r.school_year, r.topics, r.classes, r.participants] for r in table.rows],
            [table.total.school_year, table.total.topics, table.total.classes, table.total.participants],
        )
    if spec.key == "clc_staffing":
        rows: list[list[Cell]] = []
        for school_year in periods:
            s = selectors.clc_staff_summary(unit=unit, school_year=school_year)
            rows.append([s.school_year, s.centres, s.managers, s.accountants_treasurers, f"{s.communes_with_centre}/{s.communes}",
                         rate(s.communes_with_centre, s.communes)])
        return SummaryTable(
            f"Trung tâm học tập cộng đồng và cán bộ – {unit.full_name}",
            [SummaryColumn("Năm học", "text"), SummaryColumn("Số TTHTCĐ"), SummaryColumn("Cán bộ quản lý"), SummaryColumn("Kế toán, thủ quỹ"),
             SummaryColumn("Xã có TTHTCĐ", "text"), SummaryColumn("Tỷ lệ", "percent")],
            rows, None,
        )
    if spec.key == "vocational_class":
        vt = selectors.vocational_yearly_table(unit=unit, years=[int(p) for p in periods])

        def cells(r: Any) -> list[Cell]:
            return [r.year, r.classes, r.learners, r.ethnic_minority, r.poor_household, r.policy_beneficiary, r.disabled]

        return SummaryTable(
            f"Kết quả dạy nghề cho lao động nông thôn – {unit.full_name}",
            [SummaryColumn("Năm", "text"), SummaryColumn("Số lớp"), SummaryColumn("Số người học"), SummaryColumn("Người dân tộc thiểu số"),
             SummaryColumn("Lao động thuộc hộ nghèo"), SummaryColumn("Lao động là đối tượng chính sách"), SummaryColumn("Lao động là người tàn tật")],
            [cells(r) for r in vt.rows], cells(vt.total),
            note="Ô để trống: đơn vị không báo cáo số liệu này (khác với 0).",
        )
    if spec.key == "lifelong_week":
        ls = selectors.lifelong_week_summary(unit=unit, years=[int(p) for p in periods])
        return SummaryTable(
            f"Tuần lễ hưởng ứng học tập suốt đời – {unit.full_name}",
            [SummaryColumn("Năm", "text"), SummaryColumn("Đơn vị", "text"), SummaryColumn("Chủ đề", "text"), SummaryColumn("Người tham gia"),
             SummaryColumn("Đại biểu"), SummaryColumn("Sách thu được"), SummaryColumn("Băng rôn, khẩu hiệu")],
            [[str(r.year), r.unit_code, r.theme, r.participants, r.delegates, r.books_collected, r.banners] for r in ls.rows],
            ["Cộng", "", "", ls.participants, ls.delegates, ls.books_collected, ls.banners],
        )
    if spec.key == "communication":
        cs = selectors.communication_summary(unit=unit, periods=periods or None)
        kinds = cat.choices("communication_kind")
        return SummaryTable(
            f"Tin, bài tuyên truyền về xây dựng xã hội học tập – {unit.full_name}",
            [SummaryColumn("Cơ quan", "text"), *[SummaryColumn(label) for _, label in kinds]],
            [[org, *[counts.get(code) for code, _ in kinds]] for org, counts in cs.by_organisation.items()],
            ["Cộng", *[cs.by_kind.get(code) for code, _ in kinds]],
        )
    if spec.key == "commendation":
        ms = selectors.commendation_summary(unit=unit, years=[int(p) for p in periods])
        recipients = cat.choices("commendation_recipient")
        levels = [(c, l) for c, l in cat.choices("commendation_level") if any(k[0] == c for k in ms.counts)]
        return SummaryTable(
            f"Khen thưởng – {unit.full_name}",
            [SummaryColumn("Hình thức, cấp khen", "text"), *[SummaryColumn(label) for _, label in recipients]],
            [[label, *[ms.counts.get((code, r)) for r, _ in recipients]] for code, label in levels],
            ["Cộng", *[sum(v for (_, r2), v in ms.counts.items() if r2 == r) or None for r, _ in recipients]],
        )
    if spec.key == "budget_line":
        purposes = cat.choices("budget_purpose")
        rows = []
        grand: dict[str, Decimal] = {}
        for period in periods:
            bs = selectors.budget_summary(unit=unit, years=[period])
            rows.append([period, *[bs.by_purpose.get(code) for code, _ in purposes], bs.total])
            for code, amount in bs.by_purpose.items():
                grand[code] = grand.get(code, Decimal(0)) + amount
        return SummaryTable(
            f"Kinh phí – {unit.full_name}",
            [SummaryColumn("Năm / giai đoạn", "text"), *[SummaryColumn(label, "money") for _, label in purposes], SummaryColumn("Tổng", "money")],
            rows, ["Cộng", *[grand.get(code) for code, _ in purposes], sum(grand.values(), Decimal(0))],
        )
    raise KeyError(spec.key)  # pragma: no cover
