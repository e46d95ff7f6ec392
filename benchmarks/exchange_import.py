"""Benchmark: import a DHIS2 dataValueSet of N values (1 M by default) through ``datavalues_import``, against a bare
PostgreSQL COPY of the same rows into a scratch table, measured in the same run (issue 17: the import should reach
at least a tenth of COPY's rate, in values per second).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xhht_exchange_bench python benchmarks/exchange_import.py [--values 1000000]

A synthetic province "B8" (districts × 20 communes) gets, for every commune, year and summed element of the
catalogue kept by year without disaggregation, one value. The payload is the dataValueSet JSON another system would
send (codes as they are); the import parses it, checks every value (catalogue, period, number, the administrator's
scope), counts new/changed values, and writes them with their history, audit entries and roll-ups up the tree, in one
transaction. 1 M values are about 85 MB of JSON: the size bound (XHHT_EXCHANGE_MAX_BYTES, 50 MB by default) is raised
for the run. The baseline is ``COPY scratch (element, unit_id, period, disaggregation, value) FROM STDIN`` of the same
rows into an unindexed scratch table. The import runs on an empty store for the province (every value new).

A second reference, the store's own floor: a COPY of the same rows into an empty twin of the value table (``CREATE
TABLE … (LIKE … INCLUDING INDEXES)``: its columns, unique key and indexes). No import that keeps its values in that table can beat it: the ratio of that
COPY to the bare one bounds every import's ratio, whatever it does besides (parse, check, history, roll-ups, audit).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import province_tree_replace, setup  # noqa: E402

PROVINCE = "B8"
FIRST_YEAR = 2011
YEARS = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=1_000_000)
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        raise SystemExit("Benchmark cần PostgreSQL (DATABASE_URL=postgres://…): so với COPY.")
    from xhht.accounts.models import Role, User
    from xhht.exchange.services import datavalues_import
    from xhht.indicators.catalogue import catalogue
    from xhht.indicators.models import DataRollup, DataValue, DataValueHistory

    elements = sorted(e.code for e in catalogue().elements.values()
                      if e.aggregation == "sum" and not e.sum_of and "year" in e.period_types and e.value_type == "integer")
    communes_needed = math.ceil(args.values / (YEARS * len(elements)))
    districts = math.ceil(communes_needed / 20)
    print(f"{len(elements)} phần tử × {YEARS} năm × {communes_needed} xã ({districts} huyện) → {args.values} giá trị")
    with transaction.atomic():
        old = [f"{PROVINCE}%"]
        with connection.cursor() as cursor:
            for table, column in [(DataValue._meta.db_table, "unit_id"), (DataRollup._meta.db_table, "unit_id"),
                                  (DataValueHistory._meta.db_table, "unit_code")]:
                cursor.execute(f"DELETE FROM {table} WHERE {column} LIKE %s", old)
        leaves = province_tree_replace(code=PROVINCE, name="Tỉnh thử trao đổi", districts=districts, communes=20)
    admin, _ = User.objects.get_or_create(username="bench.exchange", defaults={"role": Role.ADMINISTRATOR, "is_superuser": True})
    rows: list[tuple[str, str, str, str, Decimal]] = []
    n = 0
    for unit in leaves:
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            for el in elements:
                if n >= args.values:
                    break
                rows.append((el, unit, str(year), "", Decimal((n * 7919) % 5000)))
                n += 1
    payload = json.dumps({"dataValues": [{"dataElement": e, "period": p, "orgUnit": u, "value": str(v)} for e, u, p, _, v in rows]},
                         separators=(",", ":")).encode()
    settings.XHHT_EXCHANGE_MAX_BYTES = max(len(payload) + 1, settings.XHHT_EXCHANGE_MAX_BYTES)
    print(f"dataValueSet: {len(payload) / 1024 / 1024:.1f} MB")

    # Baseline: a bare COPY of the same rows into a scratch table, in the same run.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_exchange_copy")
        cursor.execute("CREATE TABLE bench_exchange_copy (element varchar(80), unit_id varchar(20), period varchar(20), "
                       "disaggregation varchar(200), value numeric(20, 4))")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.copy("COPY bench_exchange_copy (element, unit_id, period, disaggregation, value) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    copy_seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_exchange_copy")

    # The store's floor: the same rows COPYed into an empty twin of the value table (its columns, unique key, indexes).
    table = DataValue._meta.db_table
    now = datetime.now(timezone.utc)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_exchange_floor")
        cursor.execute(f"CREATE TABLE bench_exchange_floor (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS "
                       "INCLUDING INDEXES)")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.copy("COPY bench_exchange_floor (element, unit_id, period, disaggregation, value, source, rule, updated_at, "
                         "updated_by_id) FROM STDIN") as copy:
            for e, u, p, d, v in rows:
                copy.write_row((e, u, p, d, v, "imported", "bench", now, admin.pk))
    floor_seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_exchange_floor")

    start = time.perf_counter()
    summary = datavalues_import(user=admin, payload=payload, fmt="dhis2")
    import_seconds = time.perf_counter() - start
    assert summary.ok, summary.conflicts[:5]
    assert summary.imported == len(rows), (summary.imported, len(rows))
    stored = DataValue.objects.filter(unit__code__startswith=PROVINCE).count()
    assert stored == len(rows), stored

    copy_rate, import_rate, floor_rate = len(rows) / copy_seconds, len(rows) / import_seconds, len(rows) / floor_seconds
    print(f"{datetime.now(timezone.utc).strftime('%d/%m/%Y %H:%M')} UTC, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"COPY thuần        {len(rows):>9} giá trị  {copy_seconds:8.2f} s  {copy_rate:>10,.0f} giá trị/s")
    print(f"COPY vào bản sao bảng giá trị (khóa, chỉ mục) {floor_seconds:8.2f} s  {floor_rate:>10,.0f} giá trị/s "
          f"= 1/{copy_rate / floor_rate:.1f} của COPY thuần: trần của mọi cách nhập giữ số liệu trong bảng này")
    print(f"Nhập dataValueSet {len(rows):>9} giá trị  {import_seconds:8.2f} s  {import_rate:>10,.0f} giá trị/s")
    ratio = import_rate / copy_rate
    print(f"Tỷ lệ nhập/COPY: 1/{1 / ratio:.1f} ({'đạt' if ratio >= 0.1 else 'CHƯA đạt'} mục tiêu ≥ 1/10)")


if __name__ == "__main__":
    main()
