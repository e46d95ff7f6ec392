"""A separate XHHT instance for process tests: its own data folder and its own database (a SQLite file, or a
fresh PostgreSQL database next to the suite's when DATABASE_URL is set), driven through the ``xhht`` command."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit, urlunsplit

XHHT = str(Path(sys.executable).with_name("xhht"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Instance:
    def __init__(self, data_dir: Path, name: str) -> None:
        self.data_dir = data_dir
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
        self.env.update(XHHT_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="xhht.settings", PYTHONUNBUFFERED="1")
        self.pg_url: str | None = None
        base = os.environ.get("DATABASE_URL")
        if base:
            parts = urlsplit(base)
            # Under pytest-xdist each worker has its own databases (one module's tests may run on both workers).
            worker = os.environ.get("PYTEST_XDIST_WORKER", "")
            self.pg_name = f"{parts.path.lstrip('/')}_{name}" + (f"_{worker}" if worker else "")
            self.pg_admin = urlunsplit(parts._replace(path="/postgres"))
            self.pg_url = urlunsplit(parts._replace(path=f"/{self.pg_name}"))
            self._pg(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            self._pg(f'CREATE DATABASE "{self.pg_name}"')
            self.env["DATABASE_URL"] = self.pg_url
        else:
            self.env.pop("DATABASE_URL", None)

    def _pg(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.pg_admin, autocommit=True) as conn:
            conn.execute(sql)

    def drop(self) -> None:
        if self.pg_url:
            self._pg(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` (with %s placeholders) read straight from this instance's database, without Django."""
        if self.pg_url:
            import psycopg

            with psycopg.connect(self.pg_url, autocommit=True) as conn:
                return list(conn.execute(sql, params).fetchall())
        import sqlite3

        conn = sqlite3.connect(self.data_dir / "xhht.sqlite3", timeout=30)
        try:
            return list(conn.execute(sql.replace("%s", "?"), params).fetchall())
        finally:
            conn.close()

    def xhht(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([XHHT, *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"xhht {' '.join(args)} → {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result

    def python(self, code: str) -> Any:
        """Run ``code`` with Django set up in this instance; it sets ``out``, returned decoded from JSON."""
        script = ("import django, json\ndjango.setup()\nout = None\n" + code + "\nprint('@@OUT@@' + json.dumps(out, default=str))")
        result = subprocess.run([sys.executable, "-c", script], env=self.env, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise AssertionError(result.stderr[-3000:])
        return json.loads(result.stdout.rsplit("@@OUT@@", 1)[1])

    def start(self, *args: str, log: str = "proc") -> subprocess.Popen[bytes]:
        out = (self.data_dir / f"{log}.out").open("ab")
        return subprocess.Popen([XHHT, *args], env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    @contextmanager
    def serving(self, *args: str, port: int | None = None) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
        port = port or free_port()
        proc = self.start("serve", "--port", str(port), *args, log="serve")
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until(lambda: http_status(f"{url}/dang-nhap/") == 200, timeout=90, what="the web server to answer")
            yield url, proc
        finally:
            stop_group(proc)


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process this test started and everything it started (its own session)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=45)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()


def http_status(url: str, timeout: float = 5) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return None


def wait_until(predicate: Any, *, timeout: float, what: str, every: float = 0.3) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
