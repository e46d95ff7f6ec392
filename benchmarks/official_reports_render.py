"""Benchmark: rendering official reports over a generated province, and the three files.

    XHHT_DATA_DIR=/tmp/xhht-bench-or python benchmarks/official_reports_render.py [--districts 10] [--communes 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xhht_scale_bench XHHT_DATA_DIR=/tmp/xhht-bench-or \
        python benchmarks/official_reports_render.py --districts 50 --communes 40     # 2,000 communes (issue 13)

Generates a province of D districts × C communes (fresh SQLite in XHHT_DATA_DIR, unless DATABASE_URL is
set), writes the report's data elements for every commune and year/school year of 2016–2020 through
``data_values_write``, then times: creating the province and a district phase-summary report (first
drafts), the report's page, rendering (every placeholder resolved, summed up the tree), the .docx, the .xlsx,
and one PDF; then, for the province, the report's page viewed again and again while another process builds
the three files as the worker does (page views unaffected: the build is not in the web process).
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--districts", type=int, default=10)
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--skip-concurrent", action="store_true", help="do not time page views while another process builds")
    args = parser.parse_args()
    os.environ.setdefault("XHHT_DATA_DIR", tempfile.mkdtemp(prefix="xhht-bench-or-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xhht.settings")
    os.environ.setdefault("XHHT_TWO_FACTOR", "off")  # the benchmark's officer is logged in by force_login
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)

    from xhht.indicators.services import Value, data_values_write
    from xhht.official_reports.docx_writer import write_docx
    from xhht.official_reports.pdf import docx_to_pdf
    from xhht.official_reports.render import report_render
    from xhht.official_reports.services import report_create, report_generate
    from xhht.official_reports.xlsx_writer import write_xlsx
    from xhht.units.models import Unit
    from xhht.units.services import unit_import

    work = Path(tempfile.mkdtemp(prefix="xhht-bench-or-files-"))
    units = work / "units.csv"
    communes: list[str] = []
    with units.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "kind", "parent_code"])
        w.writerow(["90", "Tỉnh Thử", "province", ""])
        for d in range(args.districts):
            dc = f"9{d:02d}"
            w.writerow([dc, f"Huyện {d}", "district", "90"])
            for c in range(args.communes):
                cc = f"{dc}{c:02d}"
                communes.append(cc)
                w.writerow([cc, f"Xã {d}-{c}", "commune", dc])
    t0 = time.perf_counter()
    unit_import(actor=None, path=units)
    values: list[Value] = []
    for i, code in enumerate(communes):
        for band, pop in (("15-25", 400), ("15-35", 1000), ("15-60", 2000)):
            values += [Value("literacy_population", code, "2019", pop + i % 7, {"age_band": band}),
                       Value("literacy_level1", code, "2019", pop - 3, {"age_band": band}),
                       Value("literacy_level2", code, "2019", pop - 9, {"age_band": band})]
        for y in range(2016, 2020):
            sy = f"{y}-{y + 1}"
            values += [Value("clc_topics", code, sy, 9), Value("clc_classes", code, sy, 8), Value("clc_participants", code, sy, 400 + i % 50)]
        for y in range(2016, 2021):
            values += [Value("vocational_classes", code, str(y), 1), Value("vocational_learners", code, str(y), 25),
                       Value("budget_amount", code, str(y), 2_000_000, {"purpose": "regular_operation", "source": "state_budget"})]
    data_values_write(actor=None, values=values, source="imported", rule="benchmark")
    t_data = time.perf_counter() - t0
    print(f"data: {len(communes)} communes, {len(values)} values written in {t_data:.1f} s")

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from xhht.accounts.models import Role
    from xhht.accounts.services import user_create_or_update

    print(f"# {connection.vendor}, {len(communes)} communes, load average {os.getloadavg()[0]:.1f}")
    officer = user_create_or_update(actor=None, username="bench.report", password=None, role=Role.PROVINCE_OFFICER,
                                    unit=Unit.objects.get(code="90"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    for code, label in (("90", "province"), ("900", "district")):
        t = time.perf_counter()
        report = report_create(actor=None, unit=Unit.objects.get(code=code), period="2016-2020", kind="phase-summary")
        t_create = time.perf_counter() - t
        url = reverse("official_reports:detail", args=[report.pk])
        assert client.get(url).status_code == 200
        t_view = min(_timed(lambda url=url: client.get(url)) for _ in range(3))  # type: ignore[misc]
        print(f"{label}: the report's page (HTTP, rendered) {t_view * 1000:.0f} ms")
        t = time.perf_counter()
        rendered = report_render(report)
        t_render = time.perf_counter() - t
        t = time.perf_counter()
        docx = write_docx(rendered, work / f"{label}.docx")
        t_docx = time.perf_counter() - t
        t = time.perf_counter()
        write_xlsx(rendered, work / f"{label}.xlsx")
        t_xlsx = time.perf_counter() - t
        t = time.perf_counter()
        docx_to_pdf(docx, work)
        t_pdf = time.perf_counter() - t
        print(f"{label}: create+drafts {t_create:.2f} s, render {t_render:.2f} s ({len(rendered.figures)} figures, "
              f"{len(rendered.values_used)} values traced), .docx {t_docx:.2f} s, .xlsx {t_xlsx:.2f} s, .pdf {t_pdf:.2f} s; "
              f"the steps one after another {t_render + t_docx + t_xlsx + t_pdf:.2f} s")
        # What the worker runs: report_generate, LibreOffice making the PDF while this process writes the .xlsx.
        t_all, _ = best_of(lambda: report_generate(report=report, out_dir=Path(tempfile.mkdtemp(prefix="xhht-bench-or-gen-"))), 3)
        print(f"{label}: all three files (report_generate, as the worker builds them; best of 3) {t_all:.2f} s")
        if label == "province" and not args.skip_concurrent:
            _views_during_build(client, url, report.pk, t_view)


def _timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def _build(pk: int) -> None:
    """In another process, as ``xhht worker`` runs it: the three files of report ``pk``."""
    import django

    django.setup()
    from xhht.jobs.runner import worker_priority_lower
    from xhht.official_reports.models import Report
    from xhht.official_reports.services import report_generate

    worker_priority_lower()  # as ``xhht worker`` does

    report_generate(report=Report.objects.get(pk=pk), out_dir=Path(tempfile.mkdtemp(prefix="xhht-bench-or-build-")))


def _views_during_build(client: object, url: str, pk: int, alone: float) -> None:
    """The report's page viewed again and again while another process builds the three files (the worker's job)."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    worker = multiprocessing.get_context("spawn").Process(target=_build, args=(pk,))
    start = time.perf_counter()
    worker.start()
    views = []
    while worker.is_alive():
        views.append(_timed(lambda: client.get(url)))  # type: ignore[attr-defined]
    worker.join()
    build = time.perf_counter() - start
    views.sort()
    median = views[len(views) // 2] if views else float("nan")
    print(f"province: built in another process in {build:.2f} s (with its start-up); meanwhile {len(views)} views of the report's page, "
          f"median {median * 1000:.0f} ms, worst {views[-1] * 1000 if views else float('nan'):.0f} ms · alone {alone * 1000:.0f} ms · "
          f"ratio {median / alone:.2f}")


if __name__ == "__main__":
    main()
