"""Load test of the production serving setup (issue 12): ``xhht serve`` (gunicorn, head-first threaded workers,
and ``xhht worker``) on PostgreSQL, driven by simulated users over loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xhht_load XHHT_DATA_DIR=/tmp/xhht-load \\
        .venv/bin/python benchmarks/load_serve.py [--users 200] [--ramp 120] [--steady 120] [--step 45]

The database named in DATABASE_URL is dropped and re-created, and the Hòa An demo loaded into it (``--reuse``
keeps a database a previous run prepared). Then ``xhht serve`` is started on a free loopback port and:

0. **Baseline**: for ``--baseline`` seconds, one client alone fetches a static file (WhiteNoise, no database)
   and the login page, one after the other: what the server costs with nothing else running. During every later
   phase a probe keeps fetching the same static file once a second, so its latency shows the server's queue
   (a slow static file means requests wait for a thread or the CPU, not for their page).
1. **Ramp**: ``--users`` users log in, spread over ``--ramp`` seconds (a login is one PBKDF2 hash, about
   0,25 s of CPU; district and province officers then give their TOTP code, as production requires), and each
   then loops: one page or one save, then a pause of 5–10 s (about 25 requests/s for 200 users). 80 % are
   commune officers (home, their entry form, saving it, their literacy results), 20 % district officers
   (completeness, the indicator appendix, the district's literacy results, the official report page); each
   has an account of their own.
2. **Steady** for ``--steady`` seconds. At its start a district officer asks for one report build (docx,
   xlsx, PDF by LibreOffice), which ``xhht worker`` makes meanwhile: page views while the job ran are
   reported apart from the others, from the job's own start and end times.
3. **Rate steps** of ``--step`` seconds, the pauses multiplied by ``--factor`` (0,7) each time, until the page
   views' p95 passes 1 s (at most ``--max-steps``): the request rate at which p95 crosses 1 s is interpolated
   between the last two steps.

Each phase prints, per kind of request, the count, p50 / p95 / p99 / max, the errors (status ≥ 400 or no
answer within 60 s), and the achieved rate. "Page views" are every page and save (not logins, static files,
the build request). Bounded: at most ``--users`` + 2 connections; each phase a fixed number of seconds.
Client and server share the machine (the client is Python threads), so the figures are pessimistic; on a
machine shared with other work they are only an upper bound. ``--probe N`` instead times each page alone N
times (latency, and the web processes' CPU from /proc).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
XHHT = str(Path(sys.executable).with_name("xhht"))
PASSWORD = "xhht-tai-thu-2026"
STATIC = "/static/xhht/xhht.js"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Not page views: they are reported, but the p95 target is about pages and saves.
NOT_VIEWS = {"login", "login_page", "totp", "static", "report_build"}
INPUT = re.compile(r'<input[^>]*name="([^"]+)"[^>]*>', re.S)
VALUE = re.compile(r'value="([^"]*)"')


def form_fields(page: str) -> dict[str, str]:
    """An entry form's fields as the browser would post them back unchanged (also used by page_profile.py)."""
    fields = {}
    for match in INPUT.finditer(page):
        tag, name = match.group(0), match.group(1)
        if 'type="submit"' in tag or 'type="checkbox"' in tag:
            continue
        value = VALUE.search(tag)
        fields[name] = value.group(1) if value else ""
    return fields


def prepare(env: dict[str, str], *, reuse: bool, district_users: int) -> dict[str, Any]:
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
import django, json, secrets
django.setup()
from django_otp.plugins.otp_totp.models import TOTPDevice
from xhht.accounts.models import Role, User
from xhht.accounts.services import user_create_or_update
from xhht.demo.foundation import DISTRICT
from xhht.official_reports.models import Report
from xhht.reporting.selectors import Reporter
from xhht.units.models import Unit
communes = list(Unit.objects.filter(parent_id=DISTRICT).order_by("code"))
users = []
for c in communes:
    name = "tai." + c.code
    if not User.objects.filter(username=name).exists():
        user_create_or_update(actor=None, username=name, password={PASSWORD!r}, role=Role.COMMUNE_OFFICER, unit=c)
    users.append({{"username": name, "unit": c.code, "token": Reporter(c).token}})
district = Unit.objects.get(code=DISTRICT)
officers = []
for i in range({district_users}):
    name = f"tai.huyen.{{i}}"
    user = User.objects.filter(username=name).first() or user_create_or_update(
        actor=None, username=name, password={PASSWORD!r}, role=Role.DISTRICT_OFFICER, unit=district)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="tải thử", confirmed=True, key=secrets.token_hex(20))
    officers.append({{"username": name, "key": device.key}})
report = Report.objects.filter(unit_id=DISTRICT).first()
print("@@" + json.dumps({{"communes": users, "officers": officers, "district": DISTRICT, "report": report.pk if report else None}}))
"""
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return dict(json.loads(done.stdout.rsplit("@@", 1)[1]))


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[tuple[float, str, float, int]] = []  # (wall-clock end, kind, seconds, status)

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.samples.append((time.time(), kind, seconds, status))

    def window(self, start: float, end: float) -> list[tuple[float, str, float, int]]:
        with self.lock:
            return [s for s in self.samples if start <= s[0] < end]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def totp(key_hex: str) -> str:
    from django_otp.oath import TOTP

    return str(TOTP(bytes.fromhex(key_hex)).token()).zfill(6)


class Client:
    """One browser: its own cookies, every request timed and counted under a kind."""

    def __init__(self, base: str, stats: Stats) -> None:
        self.base, self.stats = base, stats
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

    @staticmethod
    def csrf(page: str) -> str:
        found = CSRF.search(page)
        return found.group(1) if found else ""

    def log_in(self, username: str, totp_key: str | None) -> None:
        page = self.call("login_page", "/dang-nhap/")
        page = self.call("login", "/dang-nhap/", {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf(page)})
        if totp_key:  # the login answered with the second factor's page (district and province offices)
            self.call("totp", "/tai-khoan/xac-thuc/", {"token": totp(totp_key), "next": "/", "csrfmiddlewaretoken": self.csrf(page)})


class User(threading.Thread):
    def __init__(self, index: int, base: str, setup: dict[str, Any], stats: Stats, pace: list[float], stop: threading.Event,
                 start_at: float) -> None:
        super().__init__(daemon=True)
        self.pace, self.stop, self.start_at = pace, stop, start_at
        self.client = Client(base, stats)
        self.rng = random.Random(index)
        self.district = index % 5 == 0
        communes = setup["communes"]
        self.commune = communes[index % len(communes)]
        officer = setup["officers"][(index // 5) % len(setup["officers"])] if self.district else None
        self.username = officer["username"] if officer else self.commune["username"]
        self.totp_key = officer["key"] if officer else None
        self.period = str(2001 + (index // len(communes)) % 15)  # each commune user saves its own year: no edit conflicts
        self.setup = setup

    def run(self) -> None:
        while time.monotonic() < self.start_at:
            if self.stop.wait(0.2):
                return
        self.client.log_in(self.username, self.totp_key)
        while not self.stop.is_set():
            if self.stop.wait(self.rng.uniform(5, 10) * self.pace[0]):
                return
            self.step()

    def step(self) -> None:
        call, district, report = self.client.call, self.setup["district"], self.setup["report"]
        roll = self.rng.random()
        if self.district:
            if roll < 0.3:
                call("completeness", f"/bao-cao-dinh-ky/tong-hop/{district}/2020/")
            elif roll < 0.55:
                call("appendix", f"/chi-tieu/{district}/")
            elif roll < 0.8:
                call("literacy_district", f"/xoa-mu-chu/{district}/2019/")
            else:
                call("report_page", f"/bao-cao/{report}/" if report else "/")
            return
        entry = f"/bao-cao-dinh-ky/bieu/commune/{self.commune['token']}/{self.period}/"
        if roll < 0.25:
            call("home", "/")
        elif roll < 0.5:
            call("entry_form", entry)
        elif roll < 0.75:
            call("save", entry, form_fields(call("entry_form", entry)))
        else:
            call("literacy_commune", f"/xoa-mu-chu/{self.commune['unit']}/2019/")


def static_probe(base: str, stats: Stats, stop: threading.Event) -> None:
    """The baseline kept during the load: one static file a second."""
    client = Client(base, stats)
    while not stop.wait(1.0):
        client.call("static", STATIC)


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
    stats = Stats()
    district = User(0, base, setup, stats, [1.0], threading.Event(), 0)
    commune = User(1, base, setup, stats, [1.0], threading.Event(), 0)
    for user in (district, commune):
        before = tree_cpu(serve_pid)
        user.client.log_in(user.username, user.totp_key)
        print(f"{'log in ' + user.username:>44}: server CPU {(tree_cpu(serve_pid) - before) * 1000:6.0f} ms", flush=True)
    d, r, c = setup["district"], setup["report"], commune.commune
    entry = f"/bao-cao-dinh-ky/bieu/commune/{c['token']}/{commune.period}/"
    pages = [(commune, STATIC), (district, f"/bao-cao-dinh-ky/tong-hop/{d}/2020/"), (district, f"/chi-tieu/{d}/"),
             (district, f"/xoa-mu-chu/{d}/2019/"), (district, f"/bao-cao/{r}/"), (commune, "/"), (commune, entry),
             (commune, f"/xoa-mu-chu/{c['unit']}/2019/")]
    for user, path in pages:
        user.client.stats = Stats()
        before = tree_cpu(serve_pid)
        for _ in range(repeat):
            user.client.call("page", path)
        cpu = (tree_cpu(serve_pid) - before) / repeat
        times = [s[2] for s in user.client.stats.samples]
        print(f"{path:>44}: median {pct(times, 50) * 1000:6.0f} ms, server CPU {cpu * 1000:6.0f} ms/request, "
              f"statuses {sorted({s[3] for s in user.client.stats.samples})}", flush=True)


def is_error(kind: str, status: int) -> bool:
    return status >= 400 or status == 599


def summarise(label: str, samples: list[tuple[float, str, float, int]], seconds: float, *, detail: bool = True) -> dict[str, Any]:
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for _, kind, took, status in samples:
        by_kind[kind].append(took)
        if is_error(kind, status):
            errors[f"{kind} {status}"] += 1
    views = [took for _, kind, took, _ in samples if kind not in NOT_VIEWS]
    row = {"label": label, "requests": len(samples), "rate": len(samples) / seconds, "views": len(views),
           "p50": pct(views, 50), "p95": pct(views, 95), "p99": pct(views, 99), "max": max(views) if views else float("nan"),
           "errors": dict(errors), "static_p95": pct(by_kind.get("static", []), 95)}
    print(f"\n== {label}: {len(samples)} requests in {seconds:.0f} s = {row['rate']:.1f} req/s ({len(views) / seconds:.1f} page views/s); "
          f"page views p50 {ms(row['p50'])}, p95 {ms(row['p95'])}, p99 {ms(row['p99'])}, max {ms(row['max'])}; "
          f"errors: {dict(errors) or 'none'}", flush=True)
    if detail:
        print(f"   {'kind':<18} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}")
        for kind in sorted(by_kind):
            v = by_kind[kind]
            print(f"   {kind:<18} {len(v):5d} {ms(pct(v, 50)):>8} {ms(pct(v, 95)):>8} {ms(pct(v, 99)):>8} {ms(max(v)):>8}", flush=True)
    return row


def ms(seconds: float) -> str:
    return "—" if seconds != seconds else f"{seconds * 1000:.0f} ms"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def job_times(env: dict[str, str]) -> list[dict[str, Any]]:
    code = ("import django, json\ndjango.setup()\nfrom xhht.jobs.models import Job\n"
            "print('@@' + json.dumps([{'handler': j.handler.rsplit('.', 1)[-1], 'state': j.state, "
            "'created': j.created_at.timestamp(), 'started': j.started_at.timestamp() if j.started_at else None, "
            "'finished': j.finished_at.timestamp() if j.finished_at else None} for j in Job.objects.order_by('pk')]))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout
    return list(json.loads(out.rsplit("@@", 1)[1])) if "@@" in out else []


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--baseline", type=float, default=15)
    parser.add_argument("--ramp", type=float, default=120)
    parser.add_argument("--steady", type=float, default=120)
    parser.add_argument("--step", type=float, default=45)
    parser.add_argument("--factor", type=float, default=0.7, help="pauses multiplied by this at each rate step")
    parser.add_argument("--max-steps", type=int, default=8)
    parser.add_argument("--port", type=int, default=0, help="loopback port of xhht serve (default: a free one)")
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
    os.environ["DJANGO_SETTINGS_MODULE"] = "xhht.settings"
    sys.path.insert(0, str(ROOT))
    print(f"# {datetime.now(timezone.utc):%d/%m/%Y %H:%M} UTC, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; {args.users} users", flush=True)
    started = time.monotonic()
    setup = prepare(env, reuse=args.reuse, district_users=max(1, (args.users + 4) // 5))
    print(f"prepared in {time.monotonic() - started:.0f} s: {len(setup['communes'])} communes, {len(setup['officers'])} district "
          f"officers, report {setup['report']}", flush=True)
    port = args.port or free_port()
    serve = subprocess.Popen([XHHT, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    stop = threading.Event()
    users: list[User] = []
    rows: list[dict[str, Any]] = []
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
        stats = Stats()
        # 0. Baseline: one client alone.
        alone = Client(base, stats)
        t0 = time.time()
        while time.time() < t0 + args.baseline:
            alone.call("static", STATIC)
            alone.call("login_page", "/dang-nhap/")
        summarise("baseline: one client alone (static file, login page)", stats.window(t0, time.time()), time.time() - t0)
        threading.Thread(target=static_probe, args=(base, stats, stop), daemon=True).start()
        # 1. Ramp: logins spread over the ramp.
        pace = [1.0]
        t0, m0 = time.time(), time.monotonic()
        users = [User(i, base, setup, stats, pace, stop, m0 + args.ramp * i / args.users) for i in range(args.users)]
        for user in users:
            user.start()
        time.sleep(args.ramp)
        summarise(f"ramp: {args.users} logins over {args.ramp:.0f} s", stats.window(t0, t0 + args.ramp), args.ramp)
        # 2. Steady, with one report build asked for at its start.
        s0 = time.time()
        builder = Client(base, stats)
        officer = setup["officers"][0]
        builder.log_in(officer["username"], officer["key"])
        if setup["report"]:
            page = builder.call("report_page", f"/bao-cao/{setup['report']}/")
            builder.call("report_build", f"/bao-cao/{setup['report']}/tao-tep/", {"csrfmiddlewaretoken": builder.csrf(page)},
                         {"HX-Request": "true"})
        time.sleep(max(0.0, s0 + args.steady - time.time()))
        steady = stats.window(s0, s0 + args.steady)
        rows.append(summarise(f"steady: {args.users} users, pauses 5-10 s", steady, args.steady))
        builds = [j for j in job_times(env) if j["handler"].startswith("report") and j["started"] and j["created"] >= s0 - 5]
        if builds:
            b0, b1 = builds[-1]["started"], builds[-1]["finished"] or time.time()
            during = [s for s in steady if b0 <= s[0] <= b1 and s[1] not in NOT_VIEWS]
            outside = [s for s in steady if not b0 <= s[0] <= b1 and s[1] not in NOT_VIEWS]
            print(f"   report build: {builds[-1]['state']} in {b1 - b0:.1f} s in the worker; page views while it ran: "
                  f"{len(during)}, p95 {ms(pct([s[2] for s in during], 95))}; the rest of the steady phase: "
                  f"{len(outside)}, p95 {ms(pct([s[2] for s in outside], 95))}", flush=True)
        # 3. Rate steps until p95 passes 1 s.
        for step in range(1, args.max_steps + 1):
            if rows[-1]["p95"] > 1.0:
                break
            pace[0] = args.factor ** step
            s0 = time.time()
            time.sleep(args.step)
            rows.append(summarise(f"step {step}: pauses x{pace[0]:.2f}", stats.window(s0, s0 + args.step), args.step, detail=False))
        print("\n# rate (page views/s) → page views' p95, static probe p95:")
        for row in rows:
            print(f"   {row['label']:<36} {row['views'] / (args.steady if row is rows[0] else args.step):6.1f}/s  "
                  f"p95 {ms(row['p95']):>9}  static p95 {ms(row['static_p95']):>8}  errors {sum(row['errors'].values())}")
        over = next((i for i, row in enumerate(rows) if row["p95"] > 1.0), None)
        if over is None:
            print("p95 stayed under 1 s at every step: raise --max-steps or lower --factor to find the crossing.")
        elif over == 0:
            print("p95 was over 1 s already at the steady rate.")
        else:
            a, b = rows[over - 1], rows[over]
            ra = a["views"] / (args.steady if over - 1 == 0 else args.step)
            rb = b["views"] / args.step
            crossing = ra + (rb - ra) * (1.0 - a["p95"]) / (b["p95"] - a["p95"])
            print(f"p95 crosses 1 s at about {crossing:.1f} page views/s (between {ra:.1f}/s, p95 {ms(a['p95'])}, "
                  f"and {rb:.1f}/s, p95 {ms(b['p95'])}).")
    finally:
        stop.set()
        for user in users:
            user.join(timeout=70)
        os.killpg(serve.pid, 15)
        serve.wait(timeout=60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
