"""The demo after the seed: 2021–2026 across the July 2025 reform. EVERY FIGURE HERE IS SYNTHETIC ("số liệu minh họa").

The seed ends in 2020. So that a 2026 annual report of xã Hòa An and a 2021–2025 phase review of the province
can be generated, this module writes made-up but consistent figures, each marked as demo data:

* store values of the QĐ 1373 indicators and the new communes' survey counts of December 2025 (literacy by age
  band) carry the rule ``minh-hoa:…`` (shown in every figure's trace, and the
  phase review prints a "SỐ LIỆU MINH HỌA" notice when it reads them);
* periodic reports carry the note "Số liệu minh họa" in their text answers and in their history;
* the two official reports start with a "(Số liệu minh họa …)" line.

2021–2024: the 15 communes left after the 2020 merger (placeholder codes of the demo) report to district 051.
2025 onwards (the tree of 31/12/2025): the four new communes (loaded by ``foundation.reforms_load``, format 4)
report straight to the province; each new commune's figures are the sums of its predecessors' (rules.md §5b),
its learning centre and its own count of communes are one. 2026-H1: three communes approved by the province,
xã Bạch Đằng has not reported (the completeness page has someone to remind). Loading twice changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from xhht.demo.foundation import NGUYEN_HUE_2020, PROVINCE, XA_BACH_DANG, XA_HOA_AN, XA_NAM_TUAN, XA_NGUYEN_HUE, reforms_load
from xhht.indicators.periods import parse_period
from xhht.indicators.services import Value, data_values_write
from xhht.official_reports.models import Report
from xhht.official_reports.services import default_header, report_create
from xhht.reporting.catalogue import get_catalogue
from xhht.reporting.demo import commune_values
from xhht.reporting.selectors import Reporter, submission_find
from xhht.reporting.services import submission_approve, submission_save, submission_submit
from xhht.units.models import Unit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SYNTHETIC = "số liệu minh họa"
RULE = "minh-hoa:demo 2021-2026 (số liệu minh họa, không phải số liệu thật)"
NOTE = "Số liệu minh họa (dữ liệu mẫu trình diễn hệ thống), không phải số liệu thật."
REPORT_MARK = "(Số liệu minh họa: báo cáo mẫu trình diễn hệ thống, các số liệu từ năm 2021 không phải số liệu thật.) "

# The 15 commune-level units after the early-2020 merger (rules.md §5b), by the demo's placeholder codes.
POST_2020 = ["05100", "05106", "05115", "05107", "05108", "05116", "05120", "05113", "05111", NGUYEN_HUE_2020, "05118", "05101", "05103",
             "05114", "05112"]
# Nghị quyết 1657/NQ-UBTVQH15 as read in rules.md §5b (Bạch Đằng also takes Thịnh Vượng, outside the demo).
NEW_COMMUNES = {
    XA_HOA_AN: ["05100", "05107", "05113"],  # Nước Hai, Đại Tiến, Hồng Việt
    XA_NAM_TUAN: ["05108", "05106", "05115"],  # Đức Long, Dân Chủ, Nam Tuấn
    XA_NGUYEN_HUE: ["05118", "05116", NGUYEN_HUE_2020],  # Quang Trung, Ngũ Lão, Nguyễn Huệ (code of Trưng Vương since 2020)
    XA_BACH_DANG: ["05103", "05101"],  # Bình Dương, Bạch Đằng
}
OLD_YEARS = [2021, 2022, 2023, 2024]
NEW_YEARS = [2025, 2026]
HALF_2026_MISSING = XA_BACH_DANG


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def _share(total: int, percent: Fraction) -> int:
    return int(total * percent / 100)


def indicator_values(index: int, year: int) -> dict[str, int]:
    """QĐ 1373 figures of one old commune for one year: made up, rising towards the 2025 targets."""
    base = commune_values(index, year)
    pop_15_60 = int(base["rpt_literacy_population[age_band=15-60]"])  # type: ignore[call-overload]
    households = int(base["rpt_households"])  # type: ignore[call-overload]
    step = year - 2021
    pop15 = pop_15_60 + pop_15_60 // 5
    return {
        "communes_total": 1,
        "communes_xmc2": 0 if (index + year) % 7 == 0 else 1,
        "working_age_population": pop_15_60,
        "working_age_skilled": _share(pop_15_60, Fraction(40 + 3 * step + index % 4)),
        "pop15_population": pop15,
        "pop15_trained": _share(pop15, Fraction(35 + 3 * step + index % 5)),
        "pop15_university": _share(pop15, Fraction(6 + step, 1) + Fraction(index % 3, 2)),
        "clc_total": 1,
        "clc_applying_it": 0 if (index + year) % 3 == 0 else 1,
        "learning_citizens_eligible": 2 * households,
        "learning_citizens": _share(2 * households, Fraction(30 + 3 * step + index % 6)),
    }


def _summed(parts: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            out[key] = out.get(key, 0) + value
    return out


def _new_commune_figures(code: str, year: int) -> tuple[dict[str, Any], dict[str, int]]:
    """A new commune's report values and indicator figures: the sums of its predecessors' (made-up) figures."""
    index = {c: i for i, c in enumerate(POST_2020)}
    reports = [commune_values(index[c], year) for c in NEW_COMMUNES[code]]
    values = _summed(reports)
    values["rpt_clc_managers"] = 3  # one learning centre per new commune
    values["rpt_clc_funding_state"] = 1_190_000 * 2
    figures = _summed([indicator_values(index[c], year) for c in NEW_COMMUNES[code]])
    figures.update({"communes_total": 1, "communes_xmc2": 1, "clc_total": 1, "clc_applying_it": 1})
    return values, figures


LITERACY = {"literacy_population": "rpt_literacy_population", "literacy_level1": "rpt_literacy_level1", "literacy_level2": "rpt_literacy_level2"}


def _survey(code: str, year: int, report: dict[str, Any]) -> list[Value]:
    """The household survey's literacy counts of December of ``year`` (what xhht.literacy would store), made up
    from the same synthetic report values, for the three bands the reports print."""
    return [Value(element=element, unit_code=code, period=str(year), value=report[f"{source}[age_band={band}]"], disaggregation={"age_band": band})
            for element, source in LITERACY.items() for band in ("15-25", "15-35", "15-60")]


def _report(reporter: Reporter, period: str, values: dict[str, Any], *, submitted: str | None, approved: str | None) -> None:
    form = get_catalogue().forms["commune"]
    if submission_find(form=form, reporter=reporter, period=period) is not None:
        return
    start = submitted or f"{parse_period(period).end.year}-11-20T08:00"
    sub = submission_save(actor=None, form=form, reporter=reporter, period=period, values=values, base_version=0,
                          texts={"difficulties": NOTE}, source="imported", note=NOTE, now=_at(start), check_rights=False).submission
    if submitted is None:
        return
    sub = submission_submit(actor=None, submission=sub, now=_at(submitted), check_rights=False)
    if approved:
        submission_approve(actor=None, submission=sub, comment=NOTE, now=_at(approved), check_rights=False)


def _store(code: str, year: int, figures: dict[str, int]) -> list[Value]:
    return [Value(element=e, unit_code=code, period=str(year), value=v) for e, v in figures.items()]


def _reports(actor: Any) -> None:
    xa = Unit.objects.get(code=XA_HOA_AN)
    province = Unit.objects.get(code=PROVINCE)
    for unit, period, kind, issuer, day in [(xa, "2026", "annual", "commune_committee", date(2026, 12, 1)),
                                            (province, "2021-2025", "review", "province_education_department", date(2026, 1, 20))]:
        if Report.objects.filter(unit=unit, period=period, kind=kind).exists():
            continue
        header = default_header(unit=unit, kind=kind, period=parse_period(period), issuer=issuer)
        report_create(actor=actor, unit=unit, period=period, kind=kind, issuer=issuer,
                      header={"intro": REPORT_MARK + str(header["intro"]), "report_date": day, "place": unit.name if unit.level == 3 else "Cao Bằng"})


def load(*, actor: Any = None) -> None:
    with transaction.atomic():
        reforms_load(actor=actor)  # the 2020 and 2025 reorganisations (no-op when `xhht demo` has run them)
        values: list[Value] = []
        for index, code in enumerate(POST_2020):
            commune = Unit.objects.get(code=code)
            for year in OLD_YEARS:
                # Sent in January, approved by the district (the route of the tree of 31/12 of the year).
                _report(Reporter(commune), str(year), commune_values(index, year),
                        submitted=f"{year + 1}-01-{8 + index % 6:02d}T09:00", approved=f"{year + 1}-01-{16 + index % 5:02d}T15:00")
                values += _store(code, year, indicator_values(index, year))
        for code in NEW_COMMUNES:
            commune = Unit.objects.get(code=code)
            for year in NEW_YEARS:
                report, figures = _new_commune_figures(code, year)
                values += _store(code, year, figures)
                if year == 2025:  # approved by the province: no district any more
                    values += _survey(code, year, report)
                    _report(Reporter(commune), "2025", report, submitted="2026-01-09T09:00", approved="2026-01-19T10:00")
                else:
                    if code != HALF_2026_MISSING:
                        _report(Reporter(commune), "2026-H1", report, submitted="2026-07-10T09:00", approved="2026-07-20T10:00")
                    if code == XA_HOA_AN:  # the 2026 annual report is being prepared
                        _report(Reporter(commune), "2026", report, submitted=None, approved=None)
        data_values_write(actor=actor, values=values, source="imported", rule=RULE)
        _reports(actor)
