"""Benchmark: a province's appendix (PHỤ LỤC) read through the API vs the same selector called directly.

    XHHT_DATA_DIR=/tmp/xhht-api-bench python benchmarks/api_bench.py --districts 2 --communes 10      # small, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xhht_api_bench python benchmarks/api_bench.py    # 2,000 communes × 10 years

Generates the synthetic province (benchmarks/indicators_generate.py: districts × communes × years of values), then
times, each the best of 5 runs in the same process:
- baseline: ``appendix_build`` for the province (the web's selector) and the same JSON the API returns;
- API: ``GET /api/v1/indicators/<province>/appendix`` with a personal token through Django's whole stack
  (middleware, the limits, token lookup, access check, JSON rendering), with Django's test client (no network).
Prints both, the API's overhead, and values per second (stored values of the province read ÷ time).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import indicators_generate as gen  # noqa: E402
from common import best_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark of the API's appendix read against the selector.")
    parser.add_argument("--districts", type=int, default=20)
    parser.add_argument("--communes", type=int, default=100, help="communes per district (default: 20 × 100 = 2,000)")
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    gen.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from xhht.accounts.models import Role
    from xhht.accounts.services import user_create_or_update
    from xhht.accounts.tokens import api_token_create
    from xhht.api.routers.indicators import appendix_json
    from xhht.indicators.models import DataValue
    from xhht.indicators.selectors import appendix_build
    from xhht.units.models import Unit

    import logging

    logging.getLogger("xhht.request").disabled = True  # one log line per request would be timed too
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.XHHT_API_RATE_LIMIT = "0/60"  # no rate limit: the benchmark measures the read
    start = time.perf_counter()
    counts = gen.generate(districts=args.districts, communes=args.communes, years=args.years)
    generated = time.perf_counter() - start
    year_from, year_to = gen.FIRST_YEAR, gen.FIRST_YEAR + args.years - 1
    province = Unit.objects.get(code=gen.PROVINCE)
    values = DataValue.objects.filter(unit__code__startswith=gen.PROVINCE).count()
    user = user_create_or_update(actor=None, username="bench-api", password=None, role=Role.ADMINISTRATOR, full_name="Benchmark API")
    token = api_token_create(actor=user, user=user, name=f"benchmark {time.time():.0f}").secret
    client = Client()
    url = f"/api/v1/indicators/{gen.PROVINCE}/appendix?programme=qd89-2012-2020&year_from={year_from}&year_to={year_to}"

    def direct() -> bytes:
        appendix = appendix_build(unit=province, programme="qd89-2012-2020", years=range(year_from, year_to + 1))
        return json.dumps(appendix_json(appendix), default=str, ensure_ascii=False).encode()

    def through_api() -> bytes:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200, response.content[:300]
        return bytes(response.content)

    direct(), through_api()  # warm up (catalogue, caches)
    t_direct, body_direct = best_of(direct)
    t_api, body_api = best_of(through_api)
    same = json.loads(body_api)["rows"] == json.loads(body_direct)["rows"]
    load = os.getloadavg()
    print(f"# API benchmark — {date.today():%d/%m/%Y}, {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"{connection.vendor}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"data: {counts['units']} units, {values:,} stored values of the province ({args.districts} districts × {args.communes} communes × "
          f"{args.years} years); generated in {generated:.1f} s")
    print(f"baseline, appendix_build + JSON (selector called directly): {t_direct * 1000:.0f} ms, {values / t_direct:,.0f} values/s")
    print(f"API, GET {url.split('?')[0]} with a token: {t_api * 1000:.0f} ms, {values / t_api:,.0f} values/s, {len(body_api):,} bytes")
    print(f"API overhead: {(t_api - t_direct) * 1000:.0f} ms ({t_api / t_direct:.2f}× the selector); same rows: {same}")


if __name__ == "__main__":
    main()
