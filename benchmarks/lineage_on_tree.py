"""A nation's survey of one year read on the tree of 2025-07-01 (format 4), against reading it on its own tree.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xhht_lineage_bench XHHT_DATA_DIR=/tmp/xhht-lineage \
        python benchmarks/lineage_on_tree.py

Before 2025: 34 provinces × 14 districts × 21 communes = 9 996 communes of 10 000 persons (≈ 100 M persons),
written as the per-commune aggregate rows such a survey produces (the readers never scan persons; loading 100 M
raw persons takes hours here: see literacy_bench.py). On 2025-07-01 (imported as a format-4 file through
``unit_changes_import``): every district ends; each three communes of a district become one new commune under
the province (3 332 communes); in one district of three, a commune is split by villages (Thôn 1–5 to one new
commune, Thôn 6–10 to the next), with its per-village counts. Times (best of 3):

  own_national / on_national   units_results of the 34 provinces at once for 2019, on its own tree / on 2025-07-01
  *_per_province_s             the same as 34 calls of unit_results (one per province), for comparison
  own_province / on_province   the same for one province (294 → 98 communes)
  mapping_cold                 building the mapping of the nation's ~10 600 change rows (cached afterwards)
  duckdb                       DuckDB re-aggregating the same aggregate rows through the same mapping in memory
"""

from __future__ import annotations

import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of, setup  # noqa: E402

YEAR = 2019
ON = date(2025, 7, 1)
PROVINCES, DISTRICTS, COMMUNES = 34, 14, 21
PERSONS = 10_000
VILLAGES = [f"Thôn {i}" for i in range(1, 11)]
BASIS = "Nghị quyết thử/NQ-UBTVQH15"


def codes() -> tuple[list[str], list[str], list[str]]:
    provinces = [f"{p + 10:02d}" for p in range(PROVINCES)]
    districts = [f"{p}{d:02d}" for p in provinces for d in range(DISTRICTS)]
    communes = [f"{d}{c:02d}" for d in districts for c in range(COMMUNES)]
    return provinces, districts, communes


def is_split(district: str) -> bool:
    return int(district[2:]) % 3 == 0


def build_units(provinces: list[str], districts: list[str], communes: list[str]) -> None:
    from xhht.units.models import Unit, UnitVersion

    rows = [(p, f"Tỉnh {p}", "province", None) for p in provinces]
    rows += [(d, f"Huyện {d}", "district", d[:2]) for d in districts]
    rows += [(c, f"Xã {c}", "commune", c[:4]) for c in communes]
    Unit.objects.bulk_create([Unit(code=c, name=n, kind=k, parent_id=p) for c, n, k, p in rows], batch_size=5000)
    UnitVersion.objects.bulk_create([UnitVersion(unit_id=c, name=n, kind=k, parent_id=p) for c, n, k, p in rows], batch_size=5000)


def aggregate_rows(communes: list[str], segments: list[int]) -> list[tuple[object, ...]]:
    rng = random.Random(11)
    widths = [b - a for a, b in zip(segments, segments[1:])] + [15]
    rows = []
    for code in communes:
        shares = [w * rng.uniform(0.8, 1.2) for w in widths]
        total = sum(shares)
        for age, share in zip(segments, shares):
            cell = int(PERSONS * share / total) // 4
            for sex in ("M", "F"):
                for minority in (False, True):
                    for unable in (False, True):
                        pop = cell // 400 if unable else cell - cell // 400
                        l2 = int(pop * rng.uniform(0.9, 1.0))
                        l1 = min(pop, l2 + pop // 50)
                        rows.append((code, YEAR, age, sex, minority, unable, pop, l1, l2, pop if age >= 6 else 0,
                                     pop if age >= 11 else int(pop * 0.9), 0, int(pop * 0.92) if age >= 15 else 0,
                                     int(pop * 0.7) if 15 <= age < 19 else 0))
    return rows


COLUMNS = ["commune_id", "year", "age_from", "sex", "minority", "unable_to_learn", "population", "level1", "level2",
           "entered_grade1", "completed_primary", "in_primary", "lower_secondary_diploma", "studying_upper"]


def village_rows(rows: list[tuple[object, ...]], split: set[str]) -> list[tuple[object, ...]]:
    """Each split commune's rows divided over its 10 villages (exactly: the villages add up to the commune)."""
    out = []
    for row in rows:
        if row[0] not in split:
            continue
        counts = [int(v) for v in row[6:]]  # type: ignore[call-overload]
        for i, village in enumerate(VILLAGES):
            part = [n // 10 + (1 if i < n % 10 else 0) for n in counts]
            out.append((row[0], row[1], village, *row[2:6], *part))
    return out


def copy_rows(table: str, columns: list[str], rows: list[tuple[object, ...]]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"ANALYZE {table}")
        else:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


def changes_file(path: Path, provinces: list[str], districts: list[str]) -> tuple[int, dict[str, list[tuple[str, str | None, float]]]]:
    """The reform as format 4; returns the number of rows and the mapping (target → (source, villages half, share))."""
    lines = ["effective_date,basis,code,name,kind,parent_code,from_code,from_villages,from_share,end"]
    mapping: dict[str, list[tuple[str, str | None, float]]] = {}
    for d in districts:
        for g in range(COMMUNES // 3):
            target = f"N{d}{g}"
            members = [f"{d}{c:02d}" for c in range(3 * g, 3 * g + 3)]
            first = True
            for source in members:
                head = f"{ON},{BASIS},{target}," + (f"Mới {target},commune,{d[:2]}," if first else ",,,")
                first = False
                if is_split(d) and source == f"{d}02":
                    lines.append(head + f"{source},{';'.join(VILLAGES[:5])},0.5,")
                    lines.append(f"{ON},{BASIS},N{d}1,,,,{source},{';'.join(VILLAGES[5:])},0.5,")
                    mapping.setdefault(target, []).append((source, "low", 0.5))
                    mapping.setdefault(f"N{d}1", []).append((source, "high", 0.5))
                else:
                    lines.append(head + f"{source},,,")
                    mapping.setdefault(target, []).append((source, None, 1.0))
        lines.append(f"{ON},{BASIS},{d},,,,,,,1")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1, mapping


def main() -> None:
    setup()
    from django.db import connection, transaction

    from xhht.literacy.catalogue import rules
    from xhht.literacy.models import CommuneAggregate, Village, VillageAggregate
    from xhht.literacy.selectors import unit_results, units_results
    from xhht.units.changes import unit_changes_import
    from xhht.units.models import Unit
    from xhht.units.selectors import _MAPPINGS, tree_mapping

    figures: dict[str, object] = {"engine": connection.vendor, "machine": f"{platform.node()} {os.cpu_count()} cores, {platform.machine()}",
                                  "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    provinces, districts, communes = codes()
    split = {f"{d}02" for d in districts if is_split(d)}
    rows = aggregate_rows(communes, rules().age_segments())
    vrows = village_rows(rows, split)
    work = Path(tempfile.mkdtemp(prefix="xhht-lineage-"))
    n_changes, mapping = changes_file(work / "changes.csv", provinces, districts)
    if not Unit.objects.filter(code=provinces[0]).exists():
        t = time.perf_counter()
        with transaction.atomic():
            build_units(provinces, districts, communes)
            copy_rows(CommuneAggregate._meta.db_table, COLUMNS, rows)
            Village.objects.bulk_create([Village(commune_id=c, name=v) for c in sorted(split) for v in VILLAGES], batch_size=5000)
            copy_rows(VillageAggregate._meta.db_table, COLUMNS[:2] + ["village"] + COLUMNS[2:], vrows)
        figures["setup_s"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        result = unit_changes_import(actor=None, path=work / "changes.csv")
        figures["reform_import_s"] = round(time.perf_counter() - t, 1)
        figures["reform_import"] = {"rows": n_changes, "created": result.created, "changed": result.changed, "ended": result.ended}
    figures["communes_2019"] = len(communes)
    figures["communes_2025"] = len(mapping)
    figures["split_by_village"] = len(split)
    figures["aggregate_rows"] = len(rows)
    figures["village_aggregate_rows"] = len(vrows)
    figures["persons_represented"] = sum(int(r[6]) for r in rows)  # type: ignore[call-overload]

    _MAPPINGS.clear()
    t = time.perf_counter()
    tree_mapping(year=YEAR, on=ON)
    figures["mapping_cold_s"] = round(time.perf_counter() - t, 3)
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]

    units = {u.code: u for u in Unit.objects.filter(code__in=provinces)}
    nation = [units[p] for p in provinces]
    own_national, own = best_of(lambda: units_results(units=nation, year=YEAR), runs=3)
    on_national, on = best_of(lambda: units_results(units=nation, year=YEAR, on=ON), runs=3)
    # The former way, for comparison: unit_results of each province in turn (34 sets of queries).
    own_each, each = best_of(lambda: [unit_results(unit=units[p], year=YEAR) for p in provinces], runs=1)
    on_each, each_on = best_of(lambda: [unit_results(unit=units[p], year=YEAR, on=ON) for p in provinces], runs=1)
    assert each == own and each_on == on, "the nation at once must equal its provinces one by one"
    figures.update({"own_national_per_province_s": round(own_each, 3), "on_national_per_province_s": round(on_each, 3)})
    own_province, one_own = best_of(lambda: unit_results(unit=units[provinces[5]], year=YEAR), runs=3)
    on_province, one_on = best_of(lambda: unit_results(unit=units[provinces[5]], year=YEAR, on=ON), runs=3)
    figures.update({"own_national_s": round(own_national, 3), "on_national_s": round(on_national, 3),
                    "own_province_ms": round(own_province * 1000, 1), "on_province_ms": round(on_province * 1000, 1),
                    "ratio_national": round(on_national / own_national, 2), "ratio_province": round(on_province / own_province, 2)})
    # The same persons on both trees, and every new commune's sum is exactly its territory's.
    assert [r.persons for r in own] == [r.persons for r in on]
    assert {b: c.total for b, c in one_own.bands.items()} == {b: c.total for b, c in one_on.bands.items()}
    assert len(one_on.children) == DISTRICTS * COMMUNES // 3 and len(one_own.children) == DISTRICTS
    figures["province_children"] = {"own": len(one_own.children), "on": len(one_on.children)}

    # Baseline: DuckDB re-aggregates the same rows through the same mapping (band 15-35, three measures), in memory.
    import duckdb

    import csv

    def dump(name: str, header: list[str], data: list[tuple[object, ...]]) -> str:
        path = work / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(data)
        return str(path)

    con = duckdb.connect()
    con.execute(f"CREATE TABLE agg AS SELECT * FROM read_csv('{dump('agg', ['commune', 'age', 'unable', 'population', 'level1', 'level2'], [(r[0], r[2], r[5], r[6], r[7], r[8]) for r in rows])}', types={{'commune': 'VARCHAR'}})")
    con.execute(f"CREATE TABLE vagg AS SELECT * FROM read_csv('{dump('vagg', ['commune', 'village', 'age', 'unable', 'population', 'level1', 'level2'], [(r[0], r[2], r[3], r[6], r[7], r[8], r[9]) for r in vrows])}', types={{'commune': 'VARCHAR'}})")
    flat = [(t, src, h or "") for t, parts in mapping.items() for src, h, _ in parts]
    con.execute(f"CREATE TABLE map AS SELECT * FROM read_csv('{dump('map', ['target', 'source', 'half'], flat)}', types={{'source': 'VARCHAR', 'half': 'VARCHAR'}})")
    query = """
        SELECT target, SUM(population), SUM(level1), SUM(level2) FROM (
          SELECT m.target, a.population, a.level1, a.level2 FROM agg a JOIN map m ON m.source = a.commune AND coalesce(m.half, '') = ''
          WHERE NOT a.unable AND a.age BETWEEN 15 AND 35
          UNION ALL
          SELECT m.target, v.population, v.level1, v.level2 FROM vagg v JOIN map m ON m.source = v.commune AND coalesce(m.half, '') <> ''
            AND ((m.half = 'low' AND v.village IN ('Thôn 1','Thôn 2','Thôn 3','Thôn 4','Thôn 5'))
              OR (m.half = 'high' AND v.village NOT IN ('Thôn 1','Thôn 2','Thôn 3','Thôn 4','Thôn 5')))
          WHERE NOT v.unable AND v.age BETWEEN 15 AND 35
        ) GROUP BY target"""
    duck, out = best_of(lambda: con.execute(query).fetchall(), runs=3)
    figures["duckdb_national_s"] = round(duck, 3)
    figures["duckdb_targets"] = len(out)
    figures["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
