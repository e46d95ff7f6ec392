"""Benchmark: importing and summarising the activity registers at scale.

    XHHT_DATA_DIR=/tmp/xhht-bench-activities python benchmarks/activities_import.py [--rows 20000]
    (or with DATABASE_URL=postgres://… for PostgreSQL)

Generates a CSV of CLC topics spread over the 21 Hòa An centres and the school years 2012-2013 …
2029-2030 (so each centre and year is one replace scope), imports it through the real service
(parse, check, replace, audit, recompute the indicator values), imports it again (nothing changes),
then times the district's yearly table. The database is migrated and the foundation loaded first.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xhht.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from xhht.activities.models import ClcTopic
    from xhht.activities.selectors import clc_yearly_table
    from xhht.activities.services import activity_records_import
    from xhht.demo.foundation import load
    from xhht.units.models import Unit

    load()
    ClcTopic.objects.all().delete()
    communes = [u.code for u in Unit.objects.filter(parent_id="051").order_by("code")]
    years = [f"{y}-{y + 1}" for y in range(2012, 2030)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "topics.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Mã xã", "Năm học", "Tên chuyên đề", "Lĩnh vực", "Báo cáo viên (cơ quan)", "Số lớp", "Người tham gia"])
            for i in range(args.rows):
                writer.writerow([communes[i % len(communes)], years[(i // len(communes)) % len(years)], f"Chuyên đề {i}", "law", "Cán bộ Tư pháp xã", 1, 40 + i % 7])
        started = time.perf_counter()
        result = activity_records_import(actor=None, register="clc_topic", path=path)
        first = time.perf_counter() - started
        started = time.perf_counter()
        activity_records_import(actor=None, register="clc_topic", path=path)
        second = time.perf_counter() - started
    started = time.perf_counter()
    table = clc_yearly_table(unit=Unit.objects.get(code="051"), school_years=years)
    summary = time.perf_counter() - started
    assert table.total.topics == args.rows
    engine = django.db.connection.vendor
    print(f"{engine}: {args.rows} rows, {result.scopes} scopes: import {first:.1f} s ({args.rows / first:.0f} rows/s), "
          f"re-import unchanged {second:.1f} s, yearly table over {len(years)} school years {summary * 1000:.0f} ms")


if __name__ == "__main__":
    main()
