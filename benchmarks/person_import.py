"""Person import (format 2) against a bare COPY of the same CSV files, and the disk it takes, in one run (PostgreSQL).

    createdb -h 127.0.0.1 -U postgres xhht_import_bench   # (re)created by the script
    XHHT_DATA_DIR=/tmp/xhht-bench python benchmarks/person_import.py --persons 2000000 --workers 2
    # --database NAME (or XHHT_IMPORT_BENCH_DB) runs it in another database, beside someone else's run

Files: ``literacy_bench.generate`` (one CSV per district of 20 communes, --per-commune persons per commune).
Timed, each on the same files:

  copy        baseline: a bare ``COPY … FROM STDIN (FORMAT csv)`` of every file into a scratch table of text columns,
              no index, one transaction per file — what PostgreSQL itself does with these bytes
  import      ``persons_import`` of every file one after another (checks, staging, replace, households,
              aggregates), into the empty table; then the same again over the loaded table (re-import: replace)
  folder      ``persons_import_folder`` (``xhht import persons FOLDER --workers N``) into the emptied table: files in
              parallel worker processes, indexes dropped and rebuilt around the load, ANALYZE after
  disk        the person, household and village tables with their indexes against the CSV bytes

Prints one JSON object (ratios are import throughput / COPY throughput; the load average is printed at start and end).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

PG_DB = "xhht_import_bench"
YEAR = 2019


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bare_copy(files: list[Path]) -> float:
    """Seconds to COPY every file into a scratch table of text columns (no index), one transaction per file."""
    from django.db import connection, transaction

    from literacy_bench import HEADER

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_scratch")
        cursor.execute("CREATE TABLE bench_copy_scratch (" + ", ".join(f"{c} text" for c in HEADER) + ")")
    start = time.perf_counter()
    for path in files:
        with transaction.atomic(), connection.cursor() as cursor, path.open("rb") as handle:
            with cursor.cursor.copy("COPY bench_copy_scratch FROM STDIN (FORMAT csv, HEADER true)") as copy:
                while block := handle.read(1024 * 1024):
                    copy.write(block)
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), pg_total_relation_size('bench_copy_scratch') FROM bench_copy_scratch")
        rows, size = cursor.fetchone()
        cursor.execute("DROP TABLE bench_copy_scratch")
    print(f"bare COPY: {rows} rows, {size} bytes, {elapsed:.2f} s", file=sys.stderr)
    return elapsed


def sizes() -> dict[str, int]:
    from django.db import connection

    out: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in ("literacy_surveyperson", "literacy_household", "literacy_village", "literacy_communeaggregate"):
            cursor.execute("SELECT pg_relation_size(%s), pg_indexes_size(%s), pg_total_relation_size(%s)", [table, table, table])
            heap, indexes, total = cursor.fetchone()
            out[f"{table}_heap"] = heap
            out[f"{table}_indexes"] = indexes
            out[f"{table}_total"] = total
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--per-commune", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", default="/tmp/xhht-person-import-bench")
    parser.add_argument("--reuse-files", action="store_true")
    parser.add_argument("--database", default=os.environ.get("XHHT_IMPORT_BENCH_DB", PG_DB),
                        help=f"the PostgreSQL database to (re)create and use (default {PG_DB})")
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", args.database):
        parser.error("--database: a plain PostgreSQL name (lower-case letters, digits, _)")
    work = Path(args.work) / f"{args.persons}-{args.per_commune}"
    (work / "data").mkdir(parents=True, exist_ok=True)
    figures: dict[str, object] = {"persons": args.persons, "per_commune": args.per_commune, "workers": args.workers,
                                  "machine": f"{platform.node()} {os.cpu_count()} cores", "load_start": loadavg(),
                                  "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    import literacy_bench
    from literacy_bench import generate, setup_django

    literacy_bench.PG_DB = args.database
    figures["database"] = args.database

    if args.reuse_files and (work / "units.csv").exists():
        units, files = work / "units.csv", sorted(work.glob("persons-*.csv"))
    else:
        units, files, _ = generate(work, args.persons, args.per_commune)
    csv_bytes = sum(p.stat().st_size for p in files)
    figures["files"] = len(files)
    figures["csv_bytes"] = csv_bytes
    setup_django("postgres", work)  # drops and creates the database (xhht_import_bench unless told)
    from django.conf import settings
    from django.db import connection

    from xhht.literacy.models import SurveyPerson
    from xhht.literacy.services import persons_import, persons_import_folder
    from xhht.units.services import unit_import

    settings.XHHT_MAX_PERSONS_FILE_BYTES = 4 * 1024 * 1024 * 1024
    unit_import(actor=None, path=units)

    copy_s = bare_copy(files)
    figures["copy_s"] = round(copy_s, 2)
    figures["copy_persons_per_s"] = int(args.persons / copy_s)

    def timed_import() -> float:
        start = time.perf_counter()
        total = sum(persons_import(actor=None, year=YEAR, path=p, publish=False).persons for p in files)
        assert total == args.persons, total
        return time.perf_counter() - start

    import_s = timed_import()
    figures["import_s"] = round(import_s, 2)
    figures["import_persons_per_s"] = int(args.persons / import_s)
    figures["ratio_import_vs_copy"] = round(copy_s / import_s, 3)
    assert SurveyPerson.objects.count() == args.persons
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE literacy_surveyperson") if connection.connection.autocommit else None
    disk = sizes()
    figures.update(disk)
    stored = disk["literacy_surveyperson_total"] + disk["literacy_household_total"] + disk["literacy_village_total"]
    figures["disk_persons_households_villages"] = stored
    figures["ratio_disk_vs_csv"] = round(stored / csv_bytes, 2)

    reimport_s = timed_import()
    figures["reimport_s"] = round(reimport_s, 2)
    figures["ratio_reimport_vs_copy"] = round(copy_s / reimport_s, 3)

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE literacy_surveyperson, literacy_household, literacy_communeaggregate, literacy_villageaggregate")
    connection.close()
    start = time.perf_counter()
    result = persons_import_folder(actor=None, year=YEAR, paths=files, workers=args.workers, publish=False)
    folder_s = time.perf_counter() - start
    assert result.persons == args.persons and not result.refused, result
    figures["folder_s"] = round(folder_s, 2)
    figures["folder_persons_per_s"] = int(args.persons / folder_s)
    figures["ratio_folder_vs_copy"] = round(copy_s / folder_s, 3)
    assert SurveyPerson.objects.count() == args.persons
    disk = sizes()
    stored = disk["literacy_surveyperson_total"] + disk["literacy_household_total"] + disk["literacy_village_total"]
    figures["disk_after_folder"] = stored
    figures["ratio_disk_after_folder_vs_csv"] = round(stored / csv_bytes, 2)
    figures["load_end"] = loadavg()
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
