"""DHIS2/ADX dataValueSet imports run as durable jobs (xhht.jobs) in ``xhht worker``: asked for (``async=true``, as
DHIS2's own ``POST /api/dataValueSets?async=true``) or because the payload is above ``XHHT_EXCHANGE_INLINE_MAX_BYTES``.

The request bounds and saves the payload under the data folder's job-uploads/ and queues the job; the job reads it
and calls :func:`xhht.exchange.services.datavalues_import` as the user who sent it. The job's result is the import
summary in the synchronous answer's JSON shape (``ImportSummary.as_dict()``) with ``httpStatusCode``, the status
the synchronous answer would have had. A payload with a conflict ends the job ``rejected`` (nothing written), its
summary kept with the conflicts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from xhht.exchange.mapping import Mapping, mapping_read
from xhht.jobs.models import Job
from xhht.jobs.runner import JobRefused, Report, job_sender, job_start
from xhht.jobs.selectors import job_page_state
from xhht.jobs.services import job_enqueue

HANDLER = "xhht.exchange.jobs.datavalues_import_job"
GROUP = "exchange.datavalues_import"  # one exchange import writes at a time: two payloads may hold the same values
DEFAULT_INLINE_MAX_BYTES = 1024 * 1024


def inline_max_bytes() -> int:
    """The largest payload imported within the request (settings.XHHT_EXCHANGE_INLINE_MAX_BYTES, 1 MB by default)."""
    return int(getattr(settings, "XHHT_EXCHANGE_INLINE_MAX_BYTES", DEFAULT_INLINE_MAX_BYTES))


def api_mapping() -> Mapping | None:
    """The mapping the API's imports and exports use: the file named by settings.XHHT_EXCHANGE_MAPPING, or none."""
    path = getattr(settings, "XHHT_EXCHANGE_MAPPING", "")
    return mapping_read(path) if path else None


def datavalues_import_job(*, job: Job, report: Report) -> dict[str, Any]:
    """The job: import the saved payload as the user who sent it; the summary is the job's result."""
    from xhht.exchange.services import ExchangeError, datavalues_import

    params = job.params
    user = job_sender(job)
    try:
        summary = datavalues_import(user=user, payload=Path(job.upload).read_bytes(), fmt=params["format"], mapping=api_mapping(),
                                    dry_run=bool(params.get("dry_run")))
    except ExchangeError as exc:  # the payload as a whole: malformed, no such format
        raise JobRefused(exc.message, result={"status": "ERROR", "message": exc.message, "detail": exc.message, "field": None,
                                              "httpStatusCode": exc.status}) from None
    answer = {**summary.as_dict(), "httpStatusCode": summary.http_status}
    if not summary.ok:
        raise JobRefused(answer["message"], result={**answer, "problems": [c.message for c in summary.conflicts]})
    return answer


def import_start(*, user: Any, path: Path, fmt: str, dry_run: bool) -> Job:
    """Queue the import of the payload saved at ``path`` (the job owns it from now)."""
    params = {"format": fmt, "dry_run": dry_run, "bytes": path.stat().st_size, "file": f"dataValueSet ({'ADX' if fmt == 'adx' else 'DHIS2 JSON'})"}
    job = job_enqueue(handler=HANDLER, params=params, user=user,
                      unit_code=getattr(user, "unit_id", None) or "", upload=path, group=GROUP)
    return job_start(job)


def import_state(job: str, *, user: Any) -> tuple[Job, dict[str, Any]] | None:
    """The job's row and what its answer shows (state, queued, problems; ``summary`` once it ended with one); None
    unless ``user`` sent it."""
    found = job_page_state(job=job, user=user, handler=HANDLER)
    if found is None:
        return None
    row, state = found
    summary = {key: value for key, value in row.result.items() if key != "problems"} if "status" in row.result else None
    return row, {**state, "completed": not row.active, "summary": summary}
