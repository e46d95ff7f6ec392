"""Load test of the production serving setup (issue 12): ``xhht serve`` (gunicorn, head-first threaded workers,
and ``xhht worker``) on PostgreSQL, driven by simulated users over loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xhht_load XHHT_DATA_DIR=/tmp/xhht-load \\
        .venv/bin/python benchmarks/load_serve.py [--users 200] [--ramp 120] [--steady 120] [--step 60]

The database named in DATABASE_URL is dropped and re-created, and the Hòa An demo loaded into it. Then:

1. ``--users`` users log in, spread over ``--ramp`` seconds (a login is one PBKDF2 hash, about 0,3 s of CPU), and
   each then loops: a page or a save, then a pause of 5–10 s (about 25 requests/s for 200 users). 80 % are
   commune officers (home, their entry form, saving it, their literacy results), 20 % the district office
   (completeness, the indicator appendix, the district's literacy results, the report page). One user asks
   for one report build (docx, xlsx, PDF by LibreOffice), which ``xhht worker`` makes meanwhile.
2. Steps of ``--step`` seconds with the pauses halved each time, until the page views' p95 passes 1 s.

Bounded: at most ``--users`` connections, each step at most ``--step`` seconds, at most 5 steps. Client and
server share the machine, so the figures are pessimistic (and noisy on a shared machine).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
XHHT = str(Path(sys.executable).with_name("xhht"))
PASSWORD = "xhht-tai-thu-2026"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
INPUT = re.compile(r'<input[^>]*name="([^"]+)"[^>]*>', re.S)
VALUE = re.compile(r'value="([^"]*)"')


def prepare(env: dict[str, str], *, reuse: bool) -> dict[str, Any]:
    import psycopg

    parts = urlsplit(env["DATABASE_URL"])
    admin = urlunsplit(parts._replace(path="/postgres"))
    name = parts.path.lstrip("/")
    if not reuse:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        subprocess.run([XHHT, "demo"], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    script = f"""
import django, json
django.setup()
from xhht.accounts.models import Role
from xhht.accounts.services import user_create_or_update
from xhht.demo.foundation import DISTRICT
from xhht.official_reports.models import Report
from xhht.reporting.selectors import Reporter
from xhht.units.models import Unit
communes = list(Unit.objects.filter(parent_id=DISTRICT).order_by("code"))
users = []
for c in communes:
    user_create_or_update(actor=None, username="tai." + c.code, password={PASSWORD!r}, role=Role.COMMUNE_OFFICER, unit=c)
    users.append({{"username": "tai." + c.code, "unit": c.code, "token": Reporter(c).token}})
user_create_or_update(actor=None, username="tai.huyen", password={PASSWORD!r}, role=Role.DISTRICT_OFFICER, unit=Unit.objects.get(code=DISTRICT))
report = Report.objects.filter(unit_id=DISTRICT).first()
print("@@" + json.dumps({{"communes": users, "district": DISTRICT, "report": report.pk if report else None}}))
"""
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    out = done.stdout
    import json

    return dict(json.loads(out.rsplit("@@", 1)[1]))


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[tuple[float, str, float, int]] = []  # (end time, kind, seconds, status)

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.samples.append((time.monotonic(), kind, seconds, status))

    def window(self, start: float, end: float) -> list[tuple[float, str, float, int]]:
        with self.lock:
            return [s for s in self.samples if start <= s[0] < end]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class User(threading.Thread):
    def __init__(self, index: int, base: str, setup: dict[str, Any], stats: Stats, pace: list[float], stop: threading.Event,
                 start_at: float, build_report: bool) -> None:
        super().__init__(daemon=True)
        self.base, self.stats, self.pace, self.stop, self.start_at = base, stats, pace, stop, start_at
        self.rng = random.Random(index)
        self.district = index % 5 == 0
        communes = setup["communes"]
        self.commune = communes[index % len(communes)]
        self.username = "tai.huyen" if self.district else self.commune["username"]
        self.period = str(2001 + (index // len(communes)) % 15)  # each commune user saves its own year: no edit conflicts
        self.setup = setup
        self.build_report = build_report
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(self, kind: str, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> str:
        request = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(data).encode() if data is not None else None,
                                         headers={"Referer": self.base + path, **(headers or {})})
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=60) as response:
                body = response.read().decode("utf-8", "replace")
                status = response.status
        except urllib.error.HTTPError as exc:
            body, status = exc.read().decode("utf-8", "replace"), exc.code
        except OSError:
            body, status = "", 599
        self.stats.add(kind, time.monotonic() - started, status)
        return body

    def csrf(self, page: str) -> str:
        found = CSRF.search(page)
        return found.group(1) if found else ""

    def run(self) -> None:
        while time.monotonic() < self.start_at:
            if self.stop.wait(0.2):
                return
        page = self.call("login_page", "/dang-nhap/")
        self.call("login", "/dang-nhap/", {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf(page)})
        district, report = self.setup["district"], self.setup["report"]
        commune, token = self.commune["unit"], self.commune["token"]
        entry = f"/bao-cao-dinh-ky/bieu/commune/{token}/{self.period}/"
        if self.build_report and report:
            page = self.call("page", f"/bao-cao/{report}/")
            self.call("report_build", f"/bao-cao/{report}/tao-tep/", {"csrfmiddlewaretoken": self.csrf(page)}, {"HX-Request": "true"})
        while not self.stop.is_set():
            if self.stop.wait(self.rng.uniform(5, 10) * self.pace[0]):
                return
            roll = self.rng.random()
            if self.district:
                if roll < 0.3:
                    self.call("page", f"/bao-cao-dinh-ky/tong-hop/{district}/2020/")
                elif roll < 0.55:
                    self.call("page", f"/chi-tieu/{district}/")
                elif roll < 0.8:
                    self.call("page", f"/xoa-mu-chu/{district}/2019/")
                else:
                    self.call("page", f"/bao-cao/{report}/" if report else "/")
            else:
                if roll < 0.25:
                    self.call("page", "/")
                elif roll < 0.5:
                    self.call("page", entry)
                elif roll < 0.75:
                    page = self.call("page", entry)
                    fields = {}
                    for match in INPUT.finditer(page):
                        tag, name = match.group(0), match.group(1)
                        if 'type="submit"' in tag or 'type="checkbox"' in tag:
                            continue
                        value = VALUE.search(tag)
                        fields[name] = value.group(1) if value else ""
                    self.call("save", entry, fields)
                else:
                    self.call("page", f"/xoa-mu-chu/{commune}/2019/")


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid``'s children that serve the web (not the job worker)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    pids, seen = [pid], set()
    while pids:
        current = pids.pop()
        seen.add(current)
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and int(entry.name) not in seen:
                try:
                    stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(stat[1]) == current:
                    cmd = (entry / "cmdline").read_bytes()
                    if b"worker" in cmd and b"gunicorn" not in cmd:
                        continue
                    pids.append(int(entry.name))
                    total += (int(stat[11]) + int(stat[12])) / tick
    return total


def probe(base: str, setup: dict[str, Any], serve_pid: int, repeat: int) -> None:
    """Each page alone, ``repeat`` times in a row: its latency and the server CPU it costs."""
    district = User(0, base, setup, Stats(), [1.0], threading.Event(), 0, build_report=False)
    commune = User(1, base, setup, Stats(), [1.0], threading.Event(), 0, build_report=False)
    for user in (district, commune):
        page = user.call("login_page", "/dang-nhap/")
        before = tree_cpu(serve_pid)
        user.call("login", "/dang-nhap/", {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": user.csrf(page)})
        print(f"{'login ' + user.username:>40}: server CPU {(tree_cpu(serve_pid) - before) * 1000:6.0f} ms", flush=True)
    d, r, c = setup["district"], setup["report"], commune.commune
    entry = f"/bao-cao-dinh-ky/bieu/commune/{c['token']}/{commune.period}/"
    pages = [(district, f"/bao-cao-dinh-ky/tong-hop/{d}/2020/"), (district, f"/chi-tieu/{d}/"), (district, f"/xoa-mu-chu/{d}/2019/"),
             (district, f"/bao-cao/{r}/"), (commune, "/"), (commune, entry), (commune, f"/xoa-mu-chu/{c['unit']}/2019/")]
    for user, path in pages:
        stats = Stats()
        user.stats = stats
        before = tree_cpu(serve_pid)
        for _ in range(repeat):
            user.call("page", path)
        cpu = (tree_cpu(serve_pid) - before) / repeat
        times = [s[2] for s in stats.samples]
        print(f"{path:>40}: median {pct(times, 50) * 1000:6.0f} ms, server CPU {cpu * 1000:6.0f} ms/request, "
              f"statuses {sorted({s[3] for s in stats.samples})}", flush=True)


def summarise(label: str, samples: list[tuple[float, str, float, int]], seconds: float) -> dict[str, Any]:
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for _, kind, took, status in samples:
        by_kind[kind].append(took)
        if status >= 400 and not (kind == "save" and status in {400, 409}):
            errors[f"{kind} {status}"] += 1
    views = by_kind.get("page", []) + by_kind.get("save", [])
    row = {"label": label, "requests": len(samples), "rate": len(samples) / seconds, "p50": pct(views, 50), "p95": pct(views, 95),
           "p99": pct(views, 99), "max": max(views) if views else float("nan"), "errors": dict(errors),
           "login_p95": pct(by_kind.get("login", []), 95), "save_p95": pct(by_kind.get("save", []), 95)}
    print(f"{label:>24}: {row['requests']:5d} req in {seconds:.0f} s = {row['rate']:5.1f} req/s; page views p50 {row['p50'] * 1000:5.0f} ms, "
          f"p95 {row['p95'] * 1000:5.0f} ms, p99 {row['p99'] * 1000:5.0f} ms, max {row['max'] * 1000:5.0f} ms; "
          f"saves p95 {row['save_p95'] * 1000:4.0f} ms; logins p95 {row['login_p95'] * 1000:4.0f} ms; errors {row['errors'] or 'none'}",
          flush=True)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--ramp", type=float, default=120)
    parser.add_argument("--steady", type=float, default=120)
    parser.add_argument("--step", type=float, default=60)
    parser.add_argument("--port", type=int, default=18631)
    parser.add_argument("--probe", type=int, default=0, help="only time each page alone this many times")
    parser.add_argument("--reuse", action="store_true", help="keep the database as a previous run left it (demo loaded)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("DATABASE_URL must name a PostgreSQL database (it is re-created).", file=sys.stderr)
        return 2
    env = dict(os.environ)
    env.setdefault("XHHT_DATA_DIR", "/tmp/xhht-load")
    env["DJANGO_SETTINGS_MODULE"] = "xhht.settings"
    env["PYTHONPATH"] = str(ROOT)
    env["LOG_LEVEL"] = "WARNING"
    started = time.monotonic()
    setup = prepare(env, reuse=args.reuse)
    print(f"prepared in {time.monotonic() - started:.0f} s: {len(setup['communes'])} communes, report {setup['report']}", flush=True)
    serve = subprocess.Popen([XHHT, "serve", "--host", "127.0.0.1", "--port", str(args.port)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/dang-nhap/", timeout=5).read()
                break
            except OSError:
                time.sleep(1)
        if args.probe:
            probe(base, setup, serve.pid, args.probe)
            return 0
        stats, stop, pace = Stats(), threading.Event(), [1.0]
        t0 = time.monotonic()
        users = [User(i, base, setup, stats, pace, stop, t0 + args.ramp * i / args.users, build_report=(i == 0))
                 for i in range(args.users)]
        for user in users:
            user.start()
        time.sleep(args.ramp)
        summarise("ramp (logins)", stats.window(t0, t0 + args.ramp), args.ramp)
        s0 = time.monotonic()
        time.sleep(args.steady)
        rows = [summarise(f"{args.users} users, 5-10 s", stats.window(s0, s0 + args.steady), args.steady)]
        builds = [s for s in stats.samples if s[1] == "report_build"]
        print(f"report build requests: {[(round(s[2], 3), s[3]) for s in builds]}", flush=True)
        for step in range(1, 6):
            pace[0] = 0.5 ** step
            s0 = time.monotonic()
            time.sleep(args.step)
            row = summarise(f"pauses x{pace[0]:.3f}", stats.window(s0, s0 + args.step), args.step)
            rows.append(row)
            if row["p95"] > 1.0:
                break
        stop.set()
        for user in users:
            user.join(timeout=70)
    finally:
        os.killpg(serve.pid, 15)
        serve.wait(timeout=60)
    jobs = subprocess.run([sys.executable, "-c", "import django;django.setup()\nfrom xhht.jobs.models import Job\n"
                           "print([(j.handler.rsplit('.',1)[-1], j.state, round((j.finished_at-j.started_at).total_seconds(),1) if j.finished_at and j.started_at else None) for j in Job.objects.all()])"],
                          env=env, capture_output=True, text=True).stdout.strip()
    print(f"jobs: {jobs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
