"""``/healthz``: is this instance able to serve and to run jobs? JSON, 200 when all is well, 503 otherwise."""

from __future__ import annotations

import shutil
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from xhht.jobs.models import Job, JobState
from xhht.jobs.selectors import worker_last_beat

WORKER_SILENT_AFTER = timedelta(seconds=60)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, Any]] = {}
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True, "vendor": connection.vendor, "ms": round((time.monotonic() - started) * 1000, 1)}
    except Exception as exc:  # noqa: BLE001 - the answer is the report
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    if checks["database"]["ok"]:
        beat = worker_last_beat()
        age = (timezone.now() - beat.beat_at).total_seconds() if beat else None
        checks["worker"] = {"ok": age is not None and age <= WORKER_SILENT_AFTER.total_seconds(),
                            "last_beat_seconds_ago": None if age is None else round(age, 1),
                            "queued_jobs": Job.objects.filter(state=JobState.QUEUED).count()}
    else:
        checks["worker"] = {"ok": False, "error": "database unavailable"}
    usage = shutil.disk_usage(settings.DATA_DIR)
    checks["disk"] = {"ok": usage.free >= settings.XHHT_HEALTH_MIN_FREE_BYTES, "free_bytes": usage.free}
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503)
