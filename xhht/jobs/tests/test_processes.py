"""The job worker and the web server as real processes: kill -9 of either, and slow clients.

Each test runs a separate instance (xhht.core.tests.instance): its own data folder and database (SQLite, or
a fresh PostgreSQL database when DATABASE_URL is set), on loopback only.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from xhht.core.tests.instance import Instance, alive, children, cmdline, free_port, http_status, stop_group, wait_until

SLEEPY = "xhht.jobs.tests.handlers.sleepy"


@pytest.fixture(scope="module")
def instance(tmp_path_factory: Any) -> Iterator[Instance]:
    inst = Instance(tmp_path_factory.mktemp("jobs-instance"), "procs")
    inst.env.update(XHHT_JOB_STALE_SECONDS="300")
    inst.xhht("migrate", "-v0")
    yield inst
    inst.drop()


def enqueue(inst: Instance, **params: Any) -> int:
    max_attempts = params.pop("max_attempts", 2)
    upload = params.pop("upload", None)
    upload_arg = "None" if upload is None else f"Path({str(upload)!r})"
    return int(inst.python(
        "from pathlib import Path\nfrom xhht.jobs.services import job_enqueue\n"
        f"out = job_enqueue(handler={SLEEPY!r}, params={params!r}, max_attempts={max_attempts}, upload={upload_arg}).pk"))


def job(inst: Instance, pk: int) -> dict[str, Any]:
    [row] = inst.query("SELECT state, done_units, attempts, error, result, worker FROM jobs_job WHERE id = %s", (pk,))
    result = row[4] if isinstance(row[4], dict) else json.loads(row[4] or "{}")
    return {"state": row[0], "done_units": row[1], "attempts": row[2], "error": row[3], "result": result, "worker": row[5]}


def test_a_job_survives_kill_9_of_its_worker(instance: Instance) -> None:
    pk = enqueue(instance, steps=30, pause=0.25)
    worker = instance.start("worker", "--poll", "0.2", "--beat", "0.3", log="worker1")
    try:
        # Progress is read from the job's own row, by another process, while it runs.
        wait_until(lambda: job(instance, pk)["done_units"] >= 2, timeout=60, what="the job to report progress")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        assert job(instance, pk)["state"] == "running"
    finally:
        stop_group(worker)
    successor = instance.start("worker", "--poll", "0.2", "--beat", "0.3", log="worker2")
    try:
        wait_until(lambda: job(instance, pk)["state"] == "done", timeout=90, what="the successor to finish the job")
    finally:
        stop_group(successor)
    done = job(instance, pk)
    assert done["attempts"] == 2 and done["result"] == {"attempt": 2}
    assert "dừng đột ngột" in done["error"]


def test_a_job_whose_worker_keeps_dying_ends_failed_with_its_reason(instance: Instance, tmp_path: Path) -> None:
    upload = instance.data_dir / "job-uploads" / "dying.csv"
    upload.parent.mkdir(exist_ok=True)
    upload.write_text("x")
    pk = enqueue(instance, steps=40, pause=0.25, max_attempts=1, upload=upload)
    worker = instance.start("worker", "--poll", "0.2", "--beat", "0.3", log="worker3")
    try:
        wait_until(lambda: job(instance, pk)["done_units"] >= 1, timeout=60, what="the job to start")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    finally:
        stop_group(worker)
    instance.xhht("worker", "--once")
    failed = job(instance, pk)
    assert failed["state"] == "failed" and "dừng đột ngột" in failed["error"] and "không chạy lại" in failed["error"]
    assert not upload.exists()


def test_the_worker_and_its_job_survive_kill_9_of_the_web(instance: Instance) -> None:
    with instance.serving() as (url, serve):
        wait_until(lambda: len([p for p in children(serve.pid) if "worker" in cmdline(p)]) == 1, timeout=30, what="the worker")
        pk = enqueue(instance, steps=16, pause=0.25)
        wait_until(lambda: job(instance, pk)["done_units"] >= 1, timeout=60, what="the job to start")
        [worker] = [p for p in children(serve.pid) if "worker" in cmdline(p)]
        [web] = [p for p in children(serve.pid) if "gunicorn" in cmdline(p)]
        os.kill(web, signal.SIGKILL)
        wait_until(lambda: job(instance, pk)["state"] == "done", timeout=90, what="the job to finish without the web")
        assert alive(worker) and job(instance, pk)["attempts"] == 1
        # xhht serve brings the web back.
        wait_until(lambda: http_status(f"{url}/dang-nhap/") == 200, timeout=60, what="the web to come back")
        assert any("gunicorn" in cmdline(p) and p != web for p in children(serve.pid))


def _trickle(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET /dang-nhap/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    return s


def test_clients_trickling_headers_do_not_block_a_normal_request(instance: Instance) -> None:
    """The attack: three slow connections froze `xhht serve` (3 sync workers). Here: more than every thread."""
    instance.env.update(XHHT_WORKERS="1", XHHT_THREADS="2", XHHT_HEADER_TIMEOUT="6")
    port = free_port()
    try:
        with instance.serving("--no-worker", port=port) as (url, _):
            slow = [_trickle(port) for _ in range(2 * 2 + 1)]
            started = time.monotonic()
            for _ in range(3):  # they keep trickling while we ask
                for s in slow:
                    s.sendall(b"a")
                time.sleep(0.3)
            assert http_status(f"{url}/dang-nhap/", timeout=5) == 200
            assert http_status(f"{url}/healthz", timeout=5) in {200, 503}
            assert time.monotonic() - started < 8
            # A head not complete in XHHT_HEADER_TIMEOUT seconds is dropped, having held no thread.
            time.sleep(7)
            for s in slow:
                try:
                    s.sendall(b"b")
                    assert s.recv(100) == b""
                except OSError:
                    pass
                s.close()
    finally:
        for key in ("XHHT_WORKERS", "XHHT_THREADS", "XHHT_HEADER_TIMEOUT"):
            instance.env.pop(key)
