"""Imports of the activity registers and of vocational classes' learner lists run as durable jobs (xhht.jobs) in
``xhht worker``, not in the web or API request.

The request checks what it can at once (the right to enter the register; the class seen and editable), saves the upload
under the data folder's job-uploads/ and queues the job; the job reads and checks the whole file as the user who sent
it (all or nothing, every problem named with its file, sheet, row and column) and writes it. The job's row is what the
job pages and the API's job answers read; only the user who sent the file sees it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from xhht.activities.registers import REGISTERS, RegisterSpec
from xhht.activities.selectors import record_for_user_or_none, register_entry_units, register_record_editable
from xhht.jobs.models import Job
from xhht.jobs.runner import JobRefused, Report, job_sender
from xhht.jobs.selectors import job_page_state
from xhht.jobs.uploads import upload_job_start

REGISTER_HANDLER = "xhht.activities.jobs.register_import_job"
LEARNERS_HANDLER = "xhht.activities.jobs.learners_import_job"
def register_import_job(*, job: Job, report: Report) -> dict[str, Any]:
    """The job: import the saved file into its register as the user who sent it (all or nothing)."""
    from xhht.activities.services import activity_records_import

    user = job_sender(job)
    spec = REGISTERS[job.params["register"]]
    if not register_entry_units(spec=spec, user=user):  # their rights changed since
        raise JobRefused("Bạn không có quyền nhập dữ liệu vào sổ này.")
    result = activity_records_import(actor=user, register=spec.key, path=Path(job.upload), display_name=job.params["file"])
    return {"rows": result.rows, "scopes": result.scopes, "changed_scopes": result.changed_scopes}


def learners_import_job(*, job: Job, report: Report) -> dict[str, Any]:
    """The job: replace the class's learner list by the saved file, as the user who sent it (all or nothing)."""
    from xhht.activities.learners import vocational_learners_import

    user = job_sender(job)
    spec = REGISTERS["vocational_class"]
    klass = record_for_user_or_none(spec=spec, user=user, pk=int(job.params["class"]))
    if klass is None or not register_record_editable(spec=spec, user=user, record=klass):  # deleted, or their rights changed
        raise JobRefused("Lớp không còn hoặc bạn không còn quyền sửa danh sách học viên của lớp này: tệp chưa được ghi.")
    count = vocational_learners_import(actor=user, vocational_class=klass, path=Path(job.upload), display_name=job.params["file"])
    return {"count": count, "learners": klass.learners}


def _name(upload: Any) -> str:
    return Path(upload.name or "tệp").name


def register_import_start(*, user: Any, spec: RegisterSpec, upload: Any) -> int:
    """Save the upload and queue its import into ``spec``'s register (the caller has checked the right to enter it);
    returns the job id to follow. Imports of one register run one after another: each replaces whole scopes."""
    return upload_job_start(handler=REGISTER_HANDLER, params={"register": spec.key, "file": _name(upload)}, user=user, upload=upload,
                            prefix="activities", limit=settings.XHHT_MAX_UPLOAD_BYTES, unit_code=getattr(user, "unit_id", None) or "",
                            group=f"activities.import:{spec.key}")


def learners_import_start(*, user: Any, klass: Any, upload: Any) -> int:
    """Save the upload and queue the replacement of ``klass``'s learner list (the caller has checked the class is
    the user's to change); returns the job id to follow. Imports of one class's list run one after another."""
    return upload_job_start(handler=LEARNERS_HANDLER, params={"class": klass.pk, "file": _name(upload)}, user=user, upload=upload,
                            prefix="learners", limit=settings.XHHT_MAX_UPLOAD_BYTES, unit_code=klass.unit_id,
                            group=f"activities.learners_import:{klass.pk}")


def _problems(row: Job, state: dict[str, Any]) -> dict[str, Any]:
    """Every problem also with where it is (file, sheet, row, column): the API's refusals list them so."""
    places = row.result.get("places") or [{"message": p, "file": "", "sheet": None, "row": None, "column": None} for p in state["problems"]]
    return {**state, "places": places}


def register_job_state(job: str, *, user: Any, spec: RegisterSpec) -> dict[str, Any] | None:
    """What the job's page shows, read from its row; None unless ``user`` sent it, into ``spec``'s register."""
    found = job_page_state(job=job, user=user, handler=REGISTER_HANDLER)
    if found is None or found[0].params.get("register") != spec.key:
        return None
    row, state = found
    return {**_problems(row, state), "register": spec.slug, "rows": row.result.get("rows", 0), "scopes": row.result.get("scopes", 0),
            "changed_scopes": row.result.get("changed_scopes", 0)}


def learners_job_state(job: str, *, user: Any, klass: Any) -> dict[str, Any] | None:
    """What the job's page shows, read from its row; None unless ``user`` sent it, for ``klass``'s list."""
    found = job_page_state(job=job, user=user, handler=LEARNERS_HANDLER)
    if found is None or found[0].params.get("class") != klass.pk:
        return None
    row, state = found
    return {**_problems(row, state), "class": klass.pk, "unit": klass.unit_id, "count": row.result.get("count", 0),
            "learners": row.result.get("learners")}


__all__ = ["LEARNERS_HANDLER", "REGISTER_HANDLER", "learners_import_job", "learners_import_start", "learners_job_state",
           "register_import_job", "register_import_start", "register_job_state"]
