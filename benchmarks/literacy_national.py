"""National-scale recompute from per-commune aggregates, with DuckDB scanning 100 M raw rows as the reference.

    python benchmarks/literacy_national.py --engine postgres
    python benchmarks/literacy_national.py --engine sqlite

Importing 100 M persons takes hours on this machine (see literacy_bench.py for import throughput), and
the recompute never reads persons anyway: it reads ``CommuneAggregate``. So this benchmark writes the
aggregate rows a national survey would produce — 3 640 communes of ~29 400 persons (107 M persons):
33 provinces of 10 districts × 10 communes and one large province of 34 districts × 10 communes
(~10 M persons) — with attestations for every unit, and times:

  national    unit_results of every province (all communes' bands and levels, districts, provinces)
  province10m unit_results of the large (~10 M-person) province
  commune     unit_results of one commune
  duckdb      DuckDB computing the band counts per commune over 100 M generated raw rows in memory
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from literacy_bench import BANDS, YEAR, setup_django  # noqa: E402

PERSONS_PER_COMMUNE = 29_400


def write_units(path: Path) -> tuple[list[str], list[str], list[str]]:
    provinces, districts, communes = [], [], []
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "kind", "parent_code", "valid_from", "valid_to", "special_difficulty"])
        for p in range(34):
            pcode = f"{p + 10:02d}"
            provinces.append(pcode)
            w.writerow([pcode, f"Tỉnh {p}", "province", "", "", "", "0"])
            for d in range(34 if p == 0 else 10):
                dcode = f"{pcode}{d:02d}"
                districts.append(dcode)
                w.writerow([dcode, f"Huyện {p}-{d}", "district", pcode, "", "", "0"])
                for c in range(10):
                    ccode = f"{dcode}{c:02d}"
                    communes.append(ccode)
                    w.writerow([ccode, f"Xã {p}-{d}-{c}", "commune", dcode, "", "", "1" if rng.random() < 0.2 else "0"])
    return provinces, districts, communes


def aggregate_rows(communes: list[str], segments: list[int]) -> list[tuple[object, ...]]:
    rng = random.Random(11)
    widths = [b - a for a, b in zip(segments, segments[1:])] + [15]
    rows = []
    for code in communes:
        shares = [w * rng.uniform(0.8, 1.2) for w in widths]
        total = sum(shares)
        for age, share in zip(segments, shares):
            n = int(PERSONS_PER_COMMUNE * share / total)
            for sex in ("M", "F"):
                for minority in (False, True):
                    cell = n // 4
                    for unable in (False, True):
                        pop = cell // 400 if unable else cell - cell // 400
                        l2 = pop if unable is False and age >= 6 and rng.random() < 0.5 else int(pop * 0.95)
                        l1 = min(pop, l2 + pop // 50)
                        rows.append((code, YEAR, age, sex, minority, unable, pop, l1, l2, pop if age >= 6 else 0,
                                     pop if age >= 11 else int(pop * 0.9), 0, int(pop * 0.92) if age >= 15 else 0,
                                     int(pop * 0.7) if 15 <= age < 19 else 0))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--work", default="/tmp/xhht-literacy-national")
    parser.add_argument("--duckdb-rows", type=int, default=100_000_000)
    args = parser.parse_args()
    work = Path(args.work)
    (work / "data").mkdir(parents=True, exist_ok=True)
    figures: dict[str, object] = {"engine": args.engine, "machine": f"{platform.node()} {os.cpu_count()} cores",
                                  "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    setup_django(args.engine, work)
    from django.db import connection, transaction

    from xhht.literacy.catalogue import rules
    from xhht.literacy.models import Attestation, CommuneAggregate
    from xhht.literacy.selectors import unit_results
    from xhht.units.models import Unit
    from xhht.units.services import unit_import

    t = time.perf_counter()
    provinces, districts, communes = write_units(work / "units.csv")
    unit_import(actor=None, path=work / "units.csv")
    figures["units_setup_s"] = round(time.perf_counter() - t, 1)
    figures["communes"] = len(communes)
    figures["persons_represented"] = len(communes) * PERSONS_PER_COMMUNE
    rows = aggregate_rows(communes, rules().age_segments())
    columns = ["commune_id", "year", "age_from", "sex", "minority", "unable_to_learn", "population", "level1", "level2",
               "entered_grade1", "completed_primary", "in_primary", "lower_secondary_diploma", "studying_upper"]
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        table = CommuneAggregate._meta.db_table
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})", rows)
        Attestation.objects.bulk_create([Attestation(unit_id=code, year=YEAR, recognition=rec, level=3)
                                         for code in [*provinces, *districts, *communes]
                                         for rec in ("literacy", "primary", "lower_secondary")], batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    figures["aggregate_rows"] = len(rows)
    figures["aggregate_load_s"] = round(time.perf_counter() - t, 1)

    units = {u.code: u for u in Unit.objects.filter(code__in=provinces)}
    for p in provinces[:2]:
        unit_results(unit=units[p], year=YEAR)  # warm
    runs = []
    for _ in range(2):
        t = time.perf_counter()
        levels = [unit_results(unit=units[p], year=YEAR).standards for p in provinces]
        runs.append(time.perf_counter() - t)
    figures["national_recompute_s"] = round(min(runs), 2)
    figures["provinces_at_xmc2"] = sum(1 for s in levels if s["literacy"] == 2)
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        big = unit_results(unit=units[provinces[0]], year=YEAR)
        runs.append(time.perf_counter() - t)
    figures["province_10m_s"] = round(min(runs), 3)
    figures["province_10m_persons"] = big.persons
    commune = Unit.objects.get(code=communes[len(communes) // 2])
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        unit_results(unit=commune, year=YEAR)
        runs.append(time.perf_counter() - t)
    figures["commune_s"] = round(min(runs), 4)

    try:
        import duckdb
    except ImportError:
        figures["duckdb"] = "not installed"
    else:
        con = duckdb.connect()
        n = args.duckdb_rows
        t = time.perf_counter()
        con.execute(f"""CREATE TABLE p AS SELECT CAST(i % {len(communes)} AS INTEGER) AS commune,
            CAST({YEAR} - (hash(i) % 91) AS SMALLINT) AS birth_year, CAST(hash(i * 7) % 13 AS TINYINT) AS highest_grade,
            CAST(hash(i * 13) % 3 AS TINYINT) AS literacy_phase, CAST(CASE WHEN hash(i * 17) % 500 = 0 THEN 2 ELSE 0 END AS TINYINT) AS disability
            FROM range({n}) t(i)""")
        figures["duckdb_generate_s"] = round(time.perf_counter() - t, 1)
        cases = ", ".join(
            f"SUM(CASE WHEN {YEAR} - birth_year BETWEEN {a} AND {b} THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN {YEAR} - birth_year BETWEEN {a} AND {b} AND (literacy_phase >= 1 OR highest_grade >= 3) THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN {YEAR} - birth_year BETWEEN {a} AND {b} AND (literacy_phase >= 2 OR highest_grade >= 5) THEN 1 ELSE 0 END)"
            for _, a, b in BANDS)
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            con.execute(f"SELECT commune, {cases} FROM p WHERE disability <> 2 GROUP BY commune").fetchall()
            runs.append(time.perf_counter() - t)
        figures["duckdb_rows"] = n
        figures["duckdb_group_by_s"] = round(min(runs), 2)
        figures["ratio_national_vs_duckdb"] = round(float(figures["national_recompute_s"]) / min(runs), 2)  # type: ignore[arg-type]
        con.close()
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
