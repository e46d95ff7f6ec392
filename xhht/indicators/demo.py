"""Indicators demo: the figures of the appendix (PHỤ LỤC) of Báo cáo 298/BC-UBND (Hòa An, 2020).

Until the literacy engine computes rows I.1–I.3 from person records, the appendix's figures are
loaded into the store at huyện Hòa An (051) as ``source=imported``, rule "Phụ lục BC 298/BC-UBND":

* the counts the appendix prints (numerators) for every year;
* the rates the appendix prints, into the indicator's reported-rate element (``*_rate``,
  aggregation none) — the appendix gives no denominators for 2016–2019, and inferring one from a
  rounded rate would be a guess;
* for the column 2020 the literacy denominators that the report's text gives (mục III.1.1.a,
  "thời điểm tháng 12/2019"): 15–25: 7916; 15–35: 20126 → 26–35: 20126 − 7916 = 12210; 15–60:
  39564 → 36–60: 39564 − 20126 = 19438. So the 2020 rates (98,75; 97,94; 94,22) are recomputed by
  the engine from numerator and denominator, and match the printed ones;
* rows I.1–I.3 are stored at the survey year, one before the column (``period_offset: -1`` in the
  catalogue): the appendix's column 2020 is the survey of December 2019 — the literacy engine's
  survey year 2019, whose computed district figures (7817/7916 …) are the same numbers;
* the projections for 2021–2025 and 2026–2030 as ``source=projected`` values of the rate elements
  (period codes "2021-2025", "2026-2030").

Idempotent: data_values_write skips unchanged values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xhht.indicators.models import Source
from xhht.indicators.services import Value, data_values_write

DISTRICT = "051"
RULE = "Phụ lục BC 298/BC-UBND"
RULE_TEXT = "BC 298/BC-UBND, mục III.1.1.a (thời điểm 12/2019)"
YEARS = [2016, 2017, 2018, 2019, 2020]

# (count element, rate element, disaggregation, period offset, counts per column year, rates per column year)
APPENDIX: list[tuple[str, str, dict[str, str], int, list[int | None], list[str | None]]] = [
    ("literacy_level2", "literacy_level2_rate", {"age_band": "15-25"}, -1, [8182, 9673, 8948, 8415, 7817], ["99.48", "99.69", "99.03", "98.88", None]),
    ("literacy_level2", "literacy_level2_rate", {"age_band": "26-35"}, -1, [8287, 11036, 11587, 11872, 11959], ["99.5", "98.34", "99.03", "97.87", None]),
    ("literacy_level2", "literacy_level2_rate", {"age_band": "36-60"}, -1, [14704, 7809, 7723, 18113, 18315], ["98.1", "95.77", "97.67", "94.06", None]),
    ("literacy_new_continuing", "literacy_new_continuing_rate", {}, 0, [0, 0, 0, 0, 0], ["0", "0", "0", "0", "0"]),
    ("it_fl_learners", "it_fl_rate", {}, 0, [121, 310, 472, 560, 75], ["100", "100", "100", "100", "100"]),
    ("officials_learners", "officials_learners_rate", {}, 0, [30, 196, 16, 51, None], ["100", "100", "100", "100", None]),
    ("pupils_life_skills", "pupils_life_skills_rate", {}, 0, [6341, 5675, 5601, 6157, 6146], ["100", "100", "100", "100", "100"]),
]

DENOMINATORS_SURVEY_2019 = [("literacy_population", {"age_band": "15-25"}, 7916), ("literacy_population", {"age_band": "26-35"}, 12210),
                     ("literacy_population", {"age_band": "36-60"}, 19438)]

PROJECTIONS = [
    ("literacy_level2_rate", {"age_band": "15-25"}, "99", "99.5"),
    ("literacy_level2_rate", {"age_band": "26-35"}, "98", "99"),
    ("literacy_level2_rate", {"age_band": "36-60"}, "97", "98"),
    ("literacy_new_continuing_rate", {}, "0", "0"),
]


def imported_values(unit_code: str = DISTRICT) -> list[Value]:
    values: list[Value] = []
    for count_el, rate_el, dis, offset, counts, rates in APPENDIX:
        for year, count, rate in zip(YEARS, counts, rates, strict=True):
            period = str(year + offset)
            if count is not None:
                values.append(Value(element=count_el, unit_code=unit_code, period=period, value=count, disaggregation=dis))
            if rate is not None:
                values.append(Value(element=rate_el, unit_code=unit_code, period=period, value=Decimal(rate), disaggregation=dis))
    return values


def load(*, actor: Any = None) -> None:
    data_values_write(actor=actor, values=imported_values(), source=Source.IMPORTED, rule=RULE)
    data_values_write(actor=actor, values=[Value(element=el, unit_code=DISTRICT, period="2019", value=v, disaggregation=dis)
                                           for el, dis, v in DENOMINATORS_SURVEY_2019], source=Source.IMPORTED, rule=RULE_TEXT)
    projected = []
    for el, dis, p1, p2 in PROJECTIONS:
        projected.append(Value(element=el, unit_code=DISTRICT, period="2021-2025", value=Decimal(p1), disaggregation=dis))
        projected.append(Value(element=el, unit_code=DISTRICT, period="2026-2030", value=Decimal(p2), disaggregation=dis))
    data_values_write(actor=actor, values=projected, source=Source.PROJECTED, rule=RULE)
