"""Report builds (.docx, .xlsx and LibreOffice's .pdf, up to minutes) run as jobs in ``xhht worker``."""

from __future__ import annotations

import itertools
from typing import Any

from xhht.jobs.models import ACTIVE, Job
from xhht.jobs.runner import JobRefused, Report as Progress, job_sender, job_start
from xhht.jobs.services import JobBusy, job_enqueue
from xhht.official_reports.models import Report
from xhht.official_reports.pdf import PdfUnavailable

HANDLER = "xhht.official_reports.jobs.report_issue_job"


def report_issue_job(*, job: Job, report: Progress) -> dict[str, Any]:
    from xhht.official_reports.services import ReportError, report_issue

    steps = itertools.count(1)
    target = Report.objects.get(pk=job.params["report"])
    try:
        issued = report_issue(actor=job_sender(job), report=target, progress=lambda label: report(next(steps), label),
                              gap_reason=job.params.get("gap_reason", ""), checklist_fingerprint=job.params.get("fingerprint"))
    except (PdfUnavailable, ReportError) as exc:
        raise JobRefused(str(exc)) from exc
    return {"version": issued.version}


def issue_start(*, user: Any, report: Report, gap_reason: str = "", checklist_fingerprint: str | None = None) -> Job:
    """Queue the build of ``report``'s files (with the reason for issuing with gaps, and the checklist shown);
    when one is already queued or running, that one is returned."""
    params: dict[str, Any] = {"report": report.pk, "gap_reason": gap_reason, "fingerprint": checklist_fingerprint}
    try:
        job = job_enqueue(handler=HANDLER, params=params, user=user, unit_code=report.unit_id,
                          lock_key=f"official_reports.issue:{report.pk}")
    except JobBusy:
        active = issue_active(report=report)
        if active is None:  # it ended meanwhile
            return issue_start(user=user, report=report, gap_reason=gap_reason, checklist_fingerprint=checklist_fingerprint)
        return active
    return job_start(job)


def issue_active(*, report: Report) -> Job | None:
    return Job.objects.filter(handler=HANDLER, lock_key=f"official_reports.issue:{report.pk}", state__in=ACTIVE).first()


def issue_job(*, report: Report, pk: int) -> Job | None:
    return Job.objects.filter(handler=HANDLER, pk=pk, params__report=report.pk).first()
