"""``xhht worker``: run queued jobs (imports, report builds, PDF) outside the web process."""

from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone

from xhht.jobs.runner import Progress, job_run, progress_flush, worker_priority_lower
from xhht.jobs.services import job_claim, jobs_recover, worker_beat, worker_leave, worker_name

log = logging.getLogger("xhht.jobs")


class Command(BaseCommand):
    help = "Chạy các tác vụ nền (nhập phiếu điều tra, tạo báo cáo, chuyển PDF) cho đến khi bị dừng."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--poll", type=float, default=1.0, help="giây chờ giữa hai lần tìm việc (mặc định 1)")
        parser.add_argument("--beat", type=float, default=2.0, help="giây giữa hai nhịp tim (mặc định 2)")
        parser.add_argument("--once", action="store_true", help="chạy hết việc đang chờ rồi thoát")

    def handle(self, *args: Any, poll: float, beat: float, once: bool, **options: Any) -> None:
        name = worker_name()
        started = timezone.now()
        stopping = threading.Event()
        progress = Progress()

        def stop(signum: int, frame: Any) -> None:
            log.info("worker stopping after the current job", extra={"action": "worker_stop", "worker": name})
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

        def heartbeat() -> None:
            while not stopping.wait(beat):
                try:
                    worker_beat(name=name, started_at=started)
                    progress_flush(progress, worker=name)
                except OperationalError:  # SQLite: a long write holds the lock; beat again later
                    log.warning("worker heartbeat delayed", extra={"action": "worker_beat", "worker": name}, exc_info=True)
                finally:
                    close_old_connections()
            connection.close()

        niceness = worker_priority_lower()
        worker_beat(name=name, started_at=started)
        log.info("worker started", extra={"action": "worker_start", "worker": name, "nice": niceness})
        beater = threading.Thread(target=heartbeat, name="xhht-worker-beat", daemon=True)
        beater.start()
        last_recover = 0.0
        try:
            while not stopping.is_set():
                close_old_connections()
                if time.monotonic() - last_recover > 10:
                    jobs_recover()
                    last_recover = time.monotonic()
                job = job_claim(worker=name)
                if job is None:
                    if once:
                        break
                    stopping.wait(poll)
                    continue
                job_run(job=job, worker=name, progress=progress)
        finally:
            stopping.set()
            beater.join(timeout=beat + 5)
            worker_leave(name=name)
            log.info("worker stopped", extra={"action": "worker_stop", "worker": name})
