"""Benchmark of the household survey: import throughput and full recomputation, with DuckDB as the reference.

    python benchmarks/literacy_bench.py --engine sqlite   --persons 1000000
    python benchmarks/literacy_bench.py --engine postgres --persons 1000000

A generator writes format-2 CSV files (one per district, --per-commune persons per commune (5 000 unless
told; a national instance has about 30 000), 20 communes per district, one synthetic province "90"), into a fresh database of its own
(SQLite file under --work, or the PostgreSQL database xhht_literacy_bench). Then it times:

  import      persons_import of every district file (streamed, COPY on PostgreSQL), persons/s
  rebuild     the per-commune aggregate rebuilt from all persons (one SQL GROUP BY per year)
  results     unit_results of the province from the aggregates (every commune's bands and levels,
              district and province levels) — what a national recompute does
  commune     unit_results of one commune after its import
  naive       the same band counts straight from the person rows (GROUP BY commune over persons)
  duckdb      the same band counts by DuckDB over the same CSV files (load, then query)

and checks that all three ways give the same counts. Prints one JSON object.
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

PER_COMMUNE = 5000
COMMUNES_PER_DISTRICT = 20
YEAR = 2019
PG_DB = "xhht_literacy_bench"
HEADER = ["commune_code", "village", "household_id", "person_id", "full_name", "sex", "birth_date", "ethnicity", "disability",
          "highest_grade_completed", "enrolled_grade", "literacy_phase_completed", "primary_completion_year",
          "lower_secondary_completion_year"]
ETHNIC = ["Tày", "Nùng", "Kinh", "Kinh", "Dao", "H'Mông", "Thái", "Mường"]
BANDS = [("15-25", 15, 25), ("15-35", 15, 35), ("15-60", 15, 60), ("26-35", 26, 35), ("36-60", 36, 60)]


def generate(work: Path, persons: int, per_commune: int = PER_COMMUNE) -> tuple[Path, list[Path], list[str]]:
    """Units CSV and one persons CSV per district; returns (units file, person files, commune codes)."""
    rng = random.Random(2019)
    communes_total = max(1, persons // per_commune)
    districts = (communes_total + COMMUNES_PER_DISTRICT - 1) // COMMUNES_PER_DISTRICT
    units = work / "units.csv"
    codes: list[str] = []
    files: list[Path] = []
    with units.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "kind", "parent_code", "valid_from", "valid_to", "special_difficulty"])
        w.writerow(["90", "Tỉnh Thử", "province", "", "", "", "0"])
        for d in range(districts):
            dcode = f"9{d:03d}"
            w.writerow([dcode, f"Huyện {d}", "district", "90", "", "", "0"])
            for c in range(COMMUNES_PER_DISTRICT):
                if len(codes) == communes_total:
                    break
                ccode = f"{dcode}{c:02d}"
                codes.append(ccode)
                w.writerow([ccode, f"Xã {d}-{c}", "commune", dcode, "", "", "1" if rng.random() < 0.2 else "0"])
    made = 0
    for d in range(districts):
        path = work / f"persons-{d:03d}.csv"
        files.append(path)
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            for ccode in codes[d * COMMUNES_PER_DISTRICT:(d + 1) * COMMUNES_PER_DISTRICT]:
                n = persons - made if ccode == codes[-1] else per_commune
                for i in range(n):
                    age = min(int(rng.expovariate(1 / 30)), 90)
                    by = YEAR - age
                    r = rng.random()
                    if age < 6:
                        grade, enrolled = 0, None
                    elif age <= 18:
                        grade = max(0, age - 6 - (1 if r < 0.05 else 0))
                        enrolled = grade + 1 if grade < 12 and r > 0.1 else None
                    else:
                        grade = 0 if r < 0.02 else (rng.randint(1, 4) if r < 0.06 else rng.randint(5, 12))
                        enrolled = None
                    phase = 2 if grade < 5 and rng.random() < 0.3 else 0
                    w.writerow([ccode, f"Thôn {i % 12}", f"H{i // 4}", f"P{i}", f"Người {i}", "M" if r < 0.5 else "F",
                                str(by) if i % 3 else f"{by}-06-15", rng.choice(ETHNIC), "2" if r > 0.998 else "0", grade,
                                "" if enrolled is None else enrolled, phase, "", ""])
                made += n
    return units, files, codes


def setup_django(engine: str, work: Path) -> None:
    os.environ["XHHT_DATA_DIR"] = str(work / "data")
    if engine == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    else:
        os.environ.pop("DATABASE_URL", None)
        db = work / "data" / "xhht.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xhht.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--per-commune", type=int, default=PER_COMMUNE, help="persons per commune")
    parser.add_argument("--work", default="/tmp/xhht-literacy-bench")
    parser.add_argument("--reuse-files", action="store_true", help="do not regenerate the CSV files")
    args = parser.parse_args()
    work = Path(args.work) / (f"{args.persons}" if args.per_commune == PER_COMMUNE else f"{args.persons}-{args.per_commune}")
    (work / "data").mkdir(parents=True, exist_ok=True)
    figures: dict[str, object] = {"engine": args.engine, "persons": args.persons, "per_commune": args.per_commune, "machine": f"{platform.node()} {os.cpu_count()} cores",
                                  "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    t = time.perf_counter()
    if args.reuse_files and (work / "units.csv").exists():
        units = work / "units.csv"
        files = sorted(work.glob("persons-*.csv"))
        with units.open(encoding="utf-8") as f:
            codes = [r["code"] for r in csv.DictReader(f) if r["kind"] == "commune"]
    else:
        units, files, codes = generate(work, args.persons, args.per_commune)
    figures["generate_s"] = round(time.perf_counter() - t, 2)
    figures["communes"] = len(codes)
    figures["csv_bytes"] = sum(p.stat().st_size for p in files)

    setup_django(args.engine, work)
    from django.conf import settings
    from django.db import connection

    from xhht.literacy.models import CommuneAggregate, SurveyPerson
    from xhht.literacy.selectors import unit_results
    from xhht.literacy.services import aggregates_rebuild, attestation_set, persons_import
    from xhht.units.models import Unit
    from xhht.units.services import unit_import

    settings.XHHT_MAX_PERSONS_FILE_BYTES = 4 * 1024 * 1024 * 1024
    unit_import(actor=None, path=units)

    t = time.perf_counter()
    total = 0
    for path in files:
        total += persons_import(actor=None, year=YEAR, path=path, publish=False).persons
    elapsed = time.perf_counter() - t
    figures["import_s"] = round(elapsed, 2)
    figures["import_persons_per_s"] = int(total / elapsed)
    assert total == args.persons == SurveyPerson.objects.count(), (total, args.persons)

    if args.engine == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE literacy_surveyperson") if connection.connection.autocommit else None
            cursor.execute("ANALYZE literacy_surveyperson")
            cursor.execute("ANALYZE literacy_communeaggregate")

    t = time.perf_counter()
    aggregates_rebuild(year=YEAR)
    figures["rebuild_all_aggregates_s"] = round(time.perf_counter() - t, 2)
    figures["aggregate_rows"] = CommuneAggregate.objects.count()

    province = Unit.objects.get(code="90")
    for recognition in ("literacy", "primary", "lower_secondary"):
        attestation_set(actor=None, unit=province, year=YEAR, recognition=recognition, level=3)
    unit_results(unit=province, year=YEAR)  # warm
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        result = unit_results(unit=province, year=YEAR)
        runs.append(time.perf_counter() - t)
    figures["results_province_from_aggregates_s"] = round(min(runs), 3)
    commune = Unit.objects.get(code=codes[len(codes) // 2])
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        unit_results(unit=commune, year=YEAR)
        runs.append(time.perf_counter() - t)
    figures["results_one_commune_s"] = round(min(runs), 4)
    ours = {band: dict(result.bands[band].total) for band, _, _ in BANDS}

    # The naive way: the same counts straight from the person rows.
    cases = ", ".join(
        f"SUM(CASE WHEN {YEAR} - birth_year BETWEEN {a} AND {b} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {YEAR} - birth_year BETWEEN {a} AND {b} AND (literacy_phase >= 1 OR highest_grade >= 3) THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {YEAR} - birth_year BETWEEN {a} AND {b} AND (literacy_phase >= 2 OR highest_grade >= 5) THEN 1 ELSE 0 END)"
        for _, a, b in BANDS)
    naive_sql = f"SELECT commune_id, {cases} FROM literacy_surveyperson WHERE year = {YEAR} AND disability <> 2 GROUP BY commune_id"
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(naive_sql)
        rows = cursor.fetchall()
    figures["naive_group_by_persons_s"] = round(time.perf_counter() - t, 2)
    naive = {band: {m: sum(int(r[1 + 3 * i + j]) for r in rows) for j, m in enumerate(("population", "level1", "level2"))}
             for i, (band, _, _) in enumerate(BANDS)}
    assert naive == ours, (naive, ours)

    try:
        import duckdb
    except ImportError:
        figures["duckdb"] = "not installed"
    else:
        con = duckdb.connect()
        pattern = str(work / "persons-*.csv")
        t = time.perf_counter()
        con.execute(f"CREATE TABLE p AS SELECT commune_code, CAST(substr(CAST(birth_date AS VARCHAR), 1, 4) AS INTEGER) AS birth_year, "
                    f"CAST(highest_grade_completed AS INTEGER) AS highest_grade, CAST(literacy_phase_completed AS INTEGER) AS literacy_phase, "
                    f"CAST(disability AS INTEGER) AS disability FROM read_csv('{pattern}', header=true, all_varchar=true)")
        figures["duckdb_load_csv_s"] = round(time.perf_counter() - t, 2)
        duck_sql = naive_sql.replace("literacy_surveyperson", "p").replace("commune_id", "commune_code").replace(f"year = {YEAR} AND ", "")
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            drows = con.execute(duck_sql).fetchall()
            runs.append(time.perf_counter() - t)
        figures["duckdb_group_by_s"] = round(min(runs), 3)
        duck = {band: {m: sum(int(r[1 + 3 * i + j]) for r in drows) for j, m in enumerate(("population", "level1", "level2"))}
                for i, (band, _, _) in enumerate(BANDS)}
        assert duck == ours, (duck, ours)
        figures["ratio_results_vs_duckdb"] = round(float(figures["results_province_from_aggregates_s"]) / max(min(runs), 1e-9), 2)  # type: ignore[arg-type]
    figures["ratio_naive_vs_results"] = round(float(figures["naive_group_by_persons_s"]) / float(figures["results_province_from_aggregates_s"]), 1)  # type: ignore[arg-type]
    figures["counts_agree"] = True
    figures["bands_15_60"] = ours["15-60"]
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
