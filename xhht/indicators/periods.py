"""Periods as canonical text codes.

    "2019"        a calendar year
    "2019-H1"     a half-year (H1 = January–June, H2 = July–December)
    "2019-2020"   a school year (the two years are consecutive)
    "2016-2020"   a multi-year phase (more than two years)

The same code is used in the store, in URLs and on the command line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SPAN = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")


@dataclass(frozen=True)
class Period:
    code: str
    kind: str  # year | half_year | school_year | phase
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"năm {self.code}"
        if self.kind == "half_year":
            return f"6 tháng {'đầu' if self.code.endswith('H1') else 'cuối'} năm {self.code[:4]}"
        if self.kind == "school_year":
            return f"năm học {self.code}"
        return f"giai đoạn {self.code}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))


def parse_period(text: str) -> Period:
    """Parse a period code (also accepting "2019–2020" and "2019/2020"); raises ValueError in Vietnamese."""
    text = (text or "").strip()
    if m := _YEAR.match(text):
        y = int(m.group(1))
        return Period(text, "year", date(y, 1, 1), date(y, 12, 31))
    if m := _HALF.match(text):
        y, h = int(m.group(1)), int(m.group(2))
        return Period(text, "half_year", date(y, 1, 1) if h == 1 else date(y, 7, 1), date(y, 6, 30) if h == 1 else date(y, 12, 31))
    if m := _SPAN.match(text):
        a, b = int(m.group(1)), int(m.group(2))
        if b == a + 1:
            # A school year runs from September to the end of May of the next year.
            return Period(f"{a}-{b}", "school_year", date(a, 9, 1), date(b, 8, 31))
        if b > a + 1:
            return Period(f"{a}-{b}", "phase", date(a, 1, 1), date(b, 12, 31))
    raise ValueError(f"Kỳ báo cáo «{text}» không hợp lệ: dùng 2019 (năm), 2019-H1 (6 tháng), 2019-2020 (năm học) hoặc 2016-2020 (giai đoạn).")
