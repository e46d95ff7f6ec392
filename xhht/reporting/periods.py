"""Period arithmetic the reporting cycle needs: the previous period, the same period years back, due dates."""

from __future__ import annotations

from datetime import date, timedelta

from xhht.indicators.periods import Period, parse_period


def years_back(code: str, years: int) -> str | None:
    """The comparable period ``years`` earlier: 2019 -> 2018; 2019-H1 -> 2018-H1; 2019-2020 -> 2018-2019."""
    period = parse_period(code)
    if period.kind == "year":
        return str(period.start.year - years)
    if period.kind == "half_year":
        return f"{period.start.year - years}-{code[-2:]}"
    if period.kind == "school_year":
        return f"{period.start.year - years}-{period.end.year - years}"
    return None


def previous_period(code: str) -> str | None:
    """The period just before: 2020 -> 2019; 2020-H1 -> 2019-H2; 2020-H2 -> 2020-H1; 2019-2020 -> 2018-2019."""
    period = parse_period(code)
    if period.kind == "half_year":
        return f"{period.start.year}-H1" if code.endswith("H2") else f"{period.start.year - 1}-H2"
    return years_back(code, 1)


def due_date(period: Period, days_after_end: int) -> date:
    return period.end + timedelta(days=days_after_end)
