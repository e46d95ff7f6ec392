"""Benchmark: build the appendix (PHỤ LỤC) for a province of 10 districts × 20 communes × 10 years.

    XHHT_DATA_DIR=/tmp/xhht-bench python benchmarks/indicators_appendix.py            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xhht_indicators_bench python benchmarks/indicators_appendix.py

Generates the data (benchmarks/indicators_generate.py), then times, each the best of 5 runs:
the appendix computed on read from the store for the province, one district and one commune
(10 years, phase column, projections proposed from the trend), the .xlsx export of the
province's appendix, and the visibility of a new commune value at province level (write + rebuild).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import indicators_generate as gen  # noqa: E402
from common import best_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark of the indicator appendix.")
    parser.add_argument("--districts", type=int, default=10)
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    gen.setup()
    from django.db import connection

    from xhht.indicators.selectors import appendix_build, appendix_xlsx
    from xhht.indicators.services import Value, data_values_write
    from xhht.units.models import Unit

    start = time.perf_counter()
    counts = gen.generate(districts=args.districts, communes=args.communes, years=args.years)
    generated = time.perf_counter() - start
    years = list(range(gen.FIRST_YEAR, gen.FIRST_YEAR + args.years))
    province = Unit.objects.get(code=gen.PROVINCE)
    district = Unit.objects.get(code=f"{gen.PROVINCE}01")
    commune = Unit.objects.get(code=f"{gen.PROVINCE}0101")

    def build(unit: Unit) -> Any:
        return appendix_build(unit=unit, programme="qd89-2012-2020", years=years, propose_projections=True)

    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    build(province)  # warm up
    with connection.execute_wrapper(count):
        build(province)
    t_province, appendix = best_of(lambda: build(province))
    t_district, _ = best_of(lambda: build(district))
    t_commune, _ = best_of(lambda: build(commune))
    t_xlsx, data = best_of(lambda: appendix_xlsx(appendix))
    before = appendix.row("I.1").cells[-1].count

    old = build(commune).row("I.1").cells[-1].count or 0
    start = time.perf_counter()
    # Row I.1 reads the survey of the year before its column (period_offset in the catalogue).
    stored_year = years[-1] + appendix.row("I.1").indicator.period_offset
    data_values_write(actor=None, values=[Value(element="literacy_level2", unit_code=commune.code, period=str(stored_year), value=old + 1,
                                                disaggregation={"age_band": "15-25"})], source="entered", rule="benchmark")
    after = build(province).row("I.1").cells[-1].count
    t_visible = time.perf_counter() - start
    assert after == before + 1, (before, after)
    print(f"# indicators appendix benchmark — {date.today():%d/%m/%Y}, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, {connection.vendor}")
    print(f"data: {counts['units']} units, {counts['values']:,} values ({args.districts} districts × {args.communes} communes × {args.years} years); "
          f"generated in {generated:.1f} s")
    print(f"appendix, province (10 years, {len(appendix.rows)} rows): {t_province * 1000:.0f} ms, {len(queries)} queries")
    print(f"appendix, district: {t_district * 1000:.0f} ms; commune: {t_commune * 1000:.0f} ms")
    print(f"xlsx export of the province appendix: {t_xlsx * 1000:.0f} ms ({len(data):,} bytes)")
    print(f"a new commune value written and read back at province level: {t_visible * 1000:.0f} ms (1 write + 1 province appendix build)")


if __name__ == "__main__":
    main()
