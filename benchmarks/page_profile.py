"""Profile of the pages in the load mix (issue 12): time and SQL queries of each, in process, at two sizes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xhht_load XHHT_DATA_DIR=/tmp/xhht-load \\
        .venv/bin/python benchmarks/page_profile.py [--runs 10] [--province 10x20] [--demo]

Runs the pages of ``benchmarks/load_serve.py``'s mix through Django's test client (no network, no server):
for each, the median and p95 of ``--runs`` requests after one warm-up, the number of SQL queries and the size
of the HTML. Two sizes:

* the Hòa An demo (loaded with ``--demo`` into an empty database, or already there): one district of 21
  communes, its reports, literacy survey and official report;
* a synthetic province of D districts × C communes (``--province DxC``, made by
  ``benchmarks/indicators_generate.py``: indicator values of every commune for 5 years, half the communes'
  2020 report submitted): the province office's completeness, appendix and literacy pages.

Logins are timed separately (one PBKDF2 hash each). Nothing here is concurrent: it is what one request costs.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import setup  # noqa: E402
from load_serve import PASSWORD, form_fields  # noqa: E402


def measure(client: Any, label: str, path: str, runs: int, form: bool = False) -> dict[str, Any]:
    """``form``: post the page's own form back (fetched afresh before each timed post, as a browser would)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def once() -> Any:
        if form:
            return client.post(path, data, follow=True)
        response = client.get(path, follow=True)
        return response

    def fresh() -> dict[str, str] | None:
        return form_fields(client.get(path).content.decode()) if form else None

    data = fresh()
    once()  # warm-up: templates compiled, catalogues read
    times, queries, response = [], 0, None
    for _ in range(runs):
        data = fresh()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = once()
            times.append(time.perf_counter() - start)
        queries = len(captured.captured_queries)
    times.sort()
    row = {"label": label, "path": path, "median": statistics.median(times), "p95": times[min(len(times) - 1, int(0.95 * len(times)))],
           "queries": queries, "bytes": len(b"".join(response) if response.streaming else response.content) if response else 0,
           "status": response.status_code if response is not None else 0}
    print(f"{label:<46} {row['median'] * 1000:7.1f} ms  p95 {row['p95'] * 1000:7.1f} ms  {queries:4d} queries  "
          f"{row['bytes'] / 1024:6.1f} KiB  {row['status']}  {path}", flush=True)
    return row


def verified_client(user: Any) -> Any:
    """A client logged in as ``user`` with its second factor verified (district and province offices use TOTP)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="tải thử", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def demo_pages(runs: int) -> None:
    from django.test import Client

    from xhht.accounts.models import Role, User
    from xhht.accounts.services import user_create_or_update
    from xhht.demo.foundation import DISTRICT
    from xhht.official_reports.models import Report
    from xhht.reporting.selectors import Reporter
    from xhht.units.models import Unit

    commune = Unit.objects.filter(parent_id=DISTRICT).order_by("code").first()
    assert commune is not None, "the demo is not loaded (use --demo)"
    officer = User.objects.filter(username="tai." + commune.code).first() or user_create_or_update(
        actor=None, username="tai." + commune.code, password=PASSWORD, role=Role.COMMUNE_OFFICER, unit=commune)
    district_officer = User.objects.filter(username="tai.huyen").first() or user_create_or_update(
        actor=None, username="tai.huyen", password=PASSWORD, role=Role.DISTRICT_OFFICER, unit=Unit.objects.get(code=DISTRICT))
    report = Report.objects.filter(unit_id=DISTRICT).first()
    communes = Unit.objects.filter(parent_id=DISTRICT).count()
    print(f"\n# Hòa An demo: district {DISTRICT}, {communes} communes")

    login = Client(HTTP_HOST="localhost")
    start = time.perf_counter()
    for _ in range(3):
        login.logout()
        login.post("/dang-nhap/", {"username": officer.username, "password": PASSWORD})
    print(f"{'log in (POST /dang-nhap/, one password hash)':<46} {(time.perf_counter() - start) / 3 * 1000:7.1f} ms")

    c = Client(HTTP_HOST="localhost")
    c.force_login(officer)
    d = verified_client(district_officer)
    entry = f"/bao-cao-dinh-ky/bieu/commune/{Reporter(commune).token}/2003/"
    measure(c, "commune: home (→ unit page)", "/", runs)
    measure(c, "commune: entry form", entry, runs)
    measure(c, "commune: entry form saved (POST, then page)", entry, runs, form=True)
    measure(c, "commune: literacy results", f"/xoa-mu-chu/{commune.code}/2019/", runs)
    measure(d, "district: completeness", f"/bao-cao-dinh-ky/tong-hop/{DISTRICT}/2020/", runs)
    measure(d, "district: indicator appendix", f"/chi-tieu/{DISTRICT}/", runs)
    measure(d, "district: literacy results", f"/xoa-mu-chu/{DISTRICT}/2019/", runs)
    if report:
        measure(d, "district: official report page", f"/bao-cao/{report.pk}/", runs)
    measure(d, "static file (baseline: WhiteNoise)", "/static/xhht/xhht.js", runs)


def province_pages(runs: int, districts: int, communes: int, generate: bool) -> None:
    import indicators_generate as gen
    from django.db import connection, transaction

    from xhht.accounts.models import Role
    from xhht.accounts.services import user_create_or_update
    from xhht.reporting.models import Status, Submission
    from xhht.units.models import Unit

    if generate or not Unit.objects.filter(code=gen.PROVINCE).exists():
        start = time.perf_counter()
        with transaction.atomic():
            Submission.objects.filter(unit__code__startswith=gen.PROVINCE).delete()
        counts = gen.generate(districts=districts, communes=communes, years=5)
        leaves = [f"{gen.PROVINCE}{d:02d}{c:02d}" for d in range(1, districts + 1) for c in range(1, communes + 1)]
        at = datetime(2021, 1, 10, tzinfo=timezone.utc)
        Submission.objects.bulk_create([Submission(form_code="commune", unit_id=c, reporter_key=f"u:{c}", period="2020", version=1,
                                                   status=Status.SUBMITTED, first_submitted_at=at, submitted_at=at)
                                        for i, c in enumerate(leaves) if i % 2 == 0], batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"\n(generated {counts['values']} values in {time.perf_counter() - start:.0f} s)")
    n = Unit.objects.filter(parent__parent_id=gen.PROVINCE).count()
    officer = user_create_or_update(actor=None, username="tai.tinh", password=None, role=Role.PROVINCE_OFFICER,
                                    unit=Unit.objects.get(code=gen.PROVINCE))
    p = verified_client(officer)
    print(f"\n# synthetic province {gen.PROVINCE}: {n} communes")
    measure(p, "province: home (→ reporting dashboard)", "/", runs)
    measure(p, "province: completeness", f"/bao-cao-dinh-ky/tong-hop/{gen.PROVINCE}/2020/", runs)
    measure(p, "province: indicator appendix", f"/chi-tieu/{gen.PROVINCE}/", runs)
    measure(p, "province: literacy results", f"/xoa-mu-chu/{gen.PROVINCE}/2019/", runs)
    measure(p, "province: unit page", f"/don-vi/{gen.PROVINCE}/", runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--demo", action="store_true", help="load the Hòa An demo first (into an empty database)")
    parser.add_argument("--province", default="10x20", help="DxC communes of the synthetic province, or 0 to skip")
    parser.add_argument("--regenerate", action="store_true", help="make the synthetic province again")
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", "localhost"]
    settings.DEBUG = False
    if args.demo:
        call_command("demo")
    print(f"# {connection.vendor}, {platform.node()}, {datetime.now(timezone.utc).strftime('%d/%m/%Y %H:%M')} UTC, "
          f"load average {os.getloadavg()[0]:.1f}; median and p95 of {args.runs} requests after one warm-up")
    demo_pages(args.runs)
    if args.province != "0":
        districts, communes = (int(x) for x in args.province.lower().split("x"))
        province_pages(args.runs, districts, communes, args.regenerate)


if __name__ == "__main__":
    main()
