"""National scale (issue 13): roll-ups, pages, publishing — with their baselines in the same run.

    createdb -h 127.0.0.1 -U postgres xhht_scale_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xhht_scale_bench XHHT_DATA_DIR=/tmp/xhht-bench \\
        python benchmarks/scale_bench.py --districts 50 --communes 40      # 2,000 communes

Builds province B9 of D districts × C communes (benchmarks/indicators_generate.py: every QĐ 89 indicator's
numerator, denominator and reported rate at every commune for 5 years), half the communes' 2020 report submitted,
an officer account per two communes, four offices per district; then times, best of ``--runs``:

* the appendix of the province (selector, and the whole page through Django's test client), and its baseline:
  one bare SQL GROUP BY summing the same elements over every raw value of the subtree (closure join);
* the completeness page of the province and of one district (time, queries, HTML size);
* a value written at a commune, then the province's appendix showing it;
* publishing: ``data_values_write`` of two new values per commune, against a bare COPY of the same rows;
* the data-quality peer check of every commune of the province for 2020.

Prints one line per figure (value, baseline, ratio) for docs/performance.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import indicators_generate as gen  # noqa: E402
from common import best_of, setup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=10)
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-generate", action="store_true", help="reuse the data of the previous run")
    args = parser.parse_args()
    setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from xhht.accounts.models import Role, User
    from xhht.accounts.services import user_create_or_update
    from xhht.indicators.selectors import appendix_build
    from xhht.indicators.services import Value, data_values_write
    from xhht.organisations.models import Organisation
    from xhht.reporting.models import Status, Submission
    from xhht.reporting.validation import outlier_findings_many
    from xhht.units.models import Unit, UnitClosure

    n = args.districts * args.communes
    print(f"# {n} communes ({args.districts} × {args.communes}), {connection.vendor}, {platform.node()}, "
          f"{datetime.now(timezone.utc).strftime('%d/%m/%Y %H:%M')} UTC, load average {os.getloadavg()[0]:.1f}")
    if not args.skip_generate:
        with transaction.atomic():  # what points at the previous run's units goes first
            Submission.objects.filter(unit__code__startswith=gen.PROVINCE).delete()
            User.objects.filter(username__startswith="bench.").delete()
            Organisation.objects.filter(unit__code__startswith=gen.PROVINCE).delete()
        start = time.perf_counter()
        counts = gen.generate(districts=args.districts, communes=args.communes, years=args.years)
        print(f"generate {counts['values']} values and rebuild the roll-ups: {time.perf_counter() - start:.1f} s")
        from xhht.indicators.services import rollups_rebuild

        start = time.perf_counter()
        rollups_rebuild()
        print(f"roll-ups rebuilt from scratch (after a tree change): {time.perf_counter() - start:.1f} s")
        leaves = [f"{gen.PROVINCE}{d:02d}{c:02d}" for d in range(1, args.districts + 1) for c in range(1, args.communes + 1)]
        at = datetime(2021, 1, 10, tzinfo=timezone.utc)
        with transaction.atomic():
            Submission.objects.bulk_create([Submission(form_code="commune", unit_id=c, reporter_key=f"u:{c}", period="2020", version=1,
                                                      status=Status.SUBMITTED, first_submitted_at=at, submitted_at=at)
                                           for i, c in enumerate(leaves) if i % 2 == 0], batch_size=5000)
            User.objects.bulk_create([User(username=f"bench.{c}", unit_id=c, role=Role.COMMUNE_OFFICER, first_name="Cán bộ", last_name=c,
                                           phone="0912345678", password="!") for i, c in enumerate(leaves) if i % 2 == 1], batch_size=5000)
            Organisation.objects.bulk_create([Organisation(unit_id=f"{gen.PROVINCE}{d:02d}", kind=k, name=f"{k} {d}")
                                              for d in range(1, args.districts + 1)
                                              for k in ("education_office", "labour_office", "womens_union", "youth_union")])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    officer = user_create_or_update(actor=None, username="bench.tinh", password=None, role=Role.PROVINCE_OFFICER,
                                    unit=Unit.objects.get(code=gen.PROVINCE))
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    province = Unit.objects.get(code=gen.PROVINCE)
    years = list(range(gen.FIRST_YEAR, gen.FIRST_YEAR + args.years))
    runs = args.runs

    def line(label: str, seconds: float, extra: str = "", baseline: float | None = None) -> None:
        ratio = f" · baseline {baseline * 1000:.0f} ms · ratio {seconds / baseline:.2f}" if baseline else ""
        print(f"{label}: {seconds * 1000:.0f} ms{ratio}{(' · ' + extra) if extra else ''}")

    # Appendix, and its baseline: every raw value of the subtree summed in one GROUP BY.
    build = lambda: appendix_build(unit=province, programme="qd89-2012-2020", years=years)  # noqa: E731
    build()
    with CaptureQueriesContext(connection) as ctx:
        build()
    t_app, _ = best_of(build, runs)
    programme = build().programme
    elements = sorted({e for ind in programme.indicators() for e in (ind.numerator, ind.denominator, ind.count) if e})
    periods = [str(y) for y in range(gen.FIRST_YEAR - 1, gen.FIRST_YEAR + args.years + 1)]
    closure = UnitClosure._meta.db_table
    sql = (f"SELECT v.element, v.period, v.disaggregation, SUM(v.value) FROM indicators_datavalue v JOIN {closure} c "
           f"ON c.descendant_id = v.unit_id WHERE c.ancestor_id = %s AND v.element = ANY(%s) AND v.period = ANY(%s) "
           "GROUP BY v.element, v.period, v.disaggregation")

    def naive() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [gen.PROVINCE, elements, periods])
            cursor.fetchall()

    t_naive, _ = best_of(naive, runs)
    line("appendix of the province (selector)", t_app, f"{len(ctx.captured_queries)} queries", t_naive)
    url = reverse("indicators:unit", args=[gen.PROVINCE]) + f"?tu_nam={years[0]}&den_nam={years[-1]}"
    assert client.get(url).status_code == 200
    t_page, _ = best_of(lambda: client.get(url), runs)
    line("appendix page of the province (HTTP, rendered)", t_page, baseline=t_naive)

    # Completeness: province and one district.
    for code, label in ((gen.PROVINCE, "province"), (f"{gen.PROVINCE}01", "one district")):
        page = reverse("reporting:completeness", args=[code, "2020"])
        client.get(page)
        seen: list[str] = []  # counted by a wrapper: the test client's request resets Django's own query log

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(page)
        assert response.status_code == 200, response.status_code
        html = response.content
        t, _ = best_of(lambda page=page: client.get(page), runs)  # type: ignore[misc]
        line(f"completeness page, {label}", t, f"{len(seen)} queries, {len(html) / 1024:.0f} kB of HTML")

    # A value written at a commune, then the province's appendix showing it.
    commune = f"{gen.PROVINCE}0101"
    ind = programme.indicator("II.5")
    assert ind is not None and ind.denominator

    def write_then_read() -> None:
        data_values_write(actor=None, source="entered", rule="benchmark", values=[
            Value(element=ind.denominator, unit_code=commune, period=str(years[-1]), value=int(time.perf_counter() * 1000) % 100000 + 1)])
        build()

    t_write, _ = best_of(write_then_read, runs)
    line("a value written at a commune, then the province's appendix showing it", t_write)

    # Publishing: ten new values per commune (two elements, five years no generator wrote), against a bare COPY of
    # the same rows into a table of the same columns without indexes.
    leaves = list(UnitClosure.objects.filter(ancestor_id=gen.PROVINCE, descendant__kind="commune").values_list("descendant_id", flat=True))
    values = [Value(element=e, unit_code=c, period=str(gen.FIRST_YEAR + args.years + 5 + y), value=(i * 7 + j + y) % 1000 + 1)
              for y in range(5) for i, c in enumerate(leaves) for j, e in enumerate(("workers_total", "workers_life_skills"))]
    start = time.perf_counter()
    data_values_write(actor=None, source="computed", rule="benchmark", values=values)
    t_pub = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute("CREATE TEMP TABLE bench_copy (LIKE indicators_datavalue INCLUDING DEFAULTS)")
        cursor.execute("ALTER TABLE bench_copy DROP COLUMN id")
        buf = io.StringIO("".join(f"{v.element}\t{v.unit_code}\t{v.period}\t\t{v.value}\tcomputed\tbenchmark\t2026-12-01 00:00:00+00\t\\N\n" for v in values))
        start = time.perf_counter()
        with cursor.copy("COPY bench_copy (element, unit_id, period, disaggregation, value, source, rule, updated_at, updated_by_id) FROM STDIN") as copy:
            copy.write(buf.getvalue())
        t_copy = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_copy")
    print(f"publishing {len(values)} values through data_values_write: {len(values) / t_pub:,.0f} values/s ({t_pub:.2f} s) · "
          f"bare COPY {len(values) / t_copy:,.0f} values/s ({t_copy:.3f} s) · ratio {t_copy / t_pub:.3f}")
    data_values_write(actor=None, source="computed", rule="benchmark", values=[Value(v.element, v.unit_code, v.period, None) for v in values])

    # The peer check of every commune of the province.
    communes = list(Unit.objects.filter(code__in=leaves))
    t_peer, _ = best_of(lambda: outlier_findings_many(units=communes, period=str(years[-1])), max(1, runs // 2))
    line(f"data-quality checks against history and peers, all {len(communes)} communes", t_peer)


if __name__ == "__main__":
    main()
