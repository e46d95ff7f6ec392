"""Writes: checking stores nothing; accepting figures stores the report, the figures and their trace.

A report being checked is kept, between the check and the officer's decision, as a pending copy in the
data folder (not in the database), named by a random token and removed when accepted or after
:data:`PENDING_HOURS`. Only :func:`report_figures_accept` writes to the database, in one transaction,
with an audit entry; it never submits or approves the draft.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from xhht.audit.services import audit_record
from xhht.indicators.services import Value, data_values_write
from xhht.report_checker.documents import document_read
from xhht.report_checker.engine import Result, check_document
from xhht.report_checker.models import AcceptedFigure, CheckedReport
from xhht.report_checker.selectors import Recognised, form_for_unit, recognised_figures, unit_context
from xhht.reporting.selectors import Reporter, can_edit_reporter, form_values, submission_find
from xhht.reporting.services import ReportingError, submission_save
from xhht.units.models import Unit

PENDING_HOURS = 2
RULE_PREFIX = "report_checker:"


class AcceptRefused(Exception):
    """Figures not accepted; the message says why, in Vietnamese. Nothing was written."""


def pending_dir() -> Path:
    return Path(settings.DATA_DIR) / "report_checker_pending"


def pending_cleanup(*, now: float | None = None) -> int:
    """Remove the pending copies older than :data:`PENDING_HOURS`; returns how many."""
    folder = pending_dir()
    if not folder.exists():
        return 0
    limit = (now or time.time()) - PENDING_HOURS * 3600
    removed = 0
    for path in folder.iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def pending_keep(*, path: Path, name: str, user_id: int) -> str:
    """Keep a copy of a checked report for the officer's decision; returns its token."""
    pending_cleanup()
    folder = pending_dir()
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(18)
    shutil.copyfile(path, folder / f"{token}.bin")
    (folder / f"{token}.json").write_text(json.dumps({"name": name, "user": user_id}), encoding="utf-8")
    return token


def pending_get(*, token: str, user_id: int) -> tuple[Path, str]:
    folder = pending_dir()
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        raise AcceptRefused("Không tìm thấy báo cáo đã kiểm tra: hãy tải lên lại.")
    pending_cleanup()
    data, meta = folder / f"{token}.bin", folder / f"{token}.json"
    if not data.exists() or not meta.exists():
        raise AcceptRefused(f"Báo cáo đã kiểm tra không còn (chỉ giữ {PENDING_HOURS} giờ): hãy tải lên lại.")
    info = json.loads(meta.read_text(encoding="utf-8"))
    if info.get("user") != user_id:
        raise AcceptRefused("Báo cáo này do người khác tải lên.")
    return data, str(info["name"])


def pending_drop(*, token: str) -> None:
    for suffix in (".bin", ".json"):
        (pending_dir() / f"{token}{suffix}").unlink(missing_ok=True)


def report_check(*, path: Path, name: str, unit: Unit | None = None) -> Result:
    """Check a report file (raises :class:`xhht.core.tabular.Rejected`); writes nothing."""
    document = document_read(path, name=name)
    return check_document(document, context=unit_context(unit))


@dataclass
class Accepted:
    report: CheckedReport
    figures: list[Recognised]
    changed: int


def report_figures_accept(*, actor: Any, path: Path, name: str, unit: Unit, period: str, keys: list[str]) -> Accepted:
    """Carry the recognised figures ``keys`` of the report at ``path`` into ``unit``'s periodic-report draft
    for ``period``: the report file and each statement are stored as the figures' source. One transaction."""
    reporter = Reporter(unit)
    if not can_edit_reporter(actor, reporter):
        raise PermissionDenied("Bạn không có quyền nhập báo cáo của đơn vị này.")
    form = form_for_unit(unit)
    if form is None:
        raise AcceptRefused(f"{unit.title_name} không có biểu báo cáo định kỳ để nhận số liệu.")
    result = report_check(path=path, name=name, unit=unit)
    recognised, conflicts = recognised_figures(result=result, form=form)
    chosen = [r for r in recognised if r.key in set(keys)]
    if not chosen:
        raise AcceptRefused("Chưa chọn số liệu nào để nhận vào báo cáo.")
    existing = submission_find(form=form, reporter=reporter, period=period)
    if existing is not None and not existing.is_editable:
        raise AcceptRefused(f"Báo cáo định kỳ kỳ {period} đang ở trạng thái «{existing.get_status_display()}»: không nhận thêm số liệu được.")
    values: dict[str, object] = {k: v for k, v in form_values(form=form, unit_code=unit.code, period=period).items()}
    for item in chosen:
        values[item.key] = item.value
    texts = existing.texts if existing else {}
    data = path.read_bytes()
    now = timezone.now()
    report = CheckedReport()
    try:
        with transaction.atomic():
            report = CheckedReport(name=name[:255], sha256=hashlib.sha256(data).hexdigest(), size=len(data), unit=unit, form_code=form.code,
                                   period=period, statements_checked=result.statements_checked,
                                   findings=[f.as_dict() for f in result.findings], accepted_by=actor if actor.is_authenticated else None,
                                   accepted_at=now)
            with path.open("rb") as handle:
                report.file.save(f"{report.sha256[:16]}{Path(name).suffix.lower()[:6]}", File(handle), save=False)
            report.save()
            AcceptedFigure.objects.bulk_create([
                AcceptedFigure(report=report, element=i.element, disaggregation=i.disaggregation, value=i.value, label=i.label[:200],
                               where=i.where, statement=i.statement) for i in chosen])
            saved = submission_save(actor=actor, form=form, reporter=reporter, period=period, values=values, texts=texts,
                                    base_version=existing.version if existing else 0, source="entered",
                                    note=f"Nhận {len(chosen)} số liệu từ báo cáo «{name}» đã kiểm tra")
            # The save is a web action (the form's other cells keep being "entered"); the accepted cells then name
            # the report file as their source, so the trace links to it.
            data_values_write(actor=actor, source="imported", rule=f"{RULE_PREFIX}{report.pk}", values=[
                Value(element=i.element, unit_code=unit.code, period=period, value=i.value,
                      disaggregation=dict(p.split("=", 1) for p in i.disaggregation.split(";")) if i.disaggregation else {})
                for i in chosen])
            audit_record(actor=actor, action="report_checker_accept", instance=report, unit_code=unit.code,
                         changes={i.key: [None, str(i.value)] for i in chosen},
                         note=f"{form.code} {period}; {len(result.findings)} phát hiện" + (f"; bỏ qua (mâu thuẫn): {', '.join(conflicts)}" if conflicts else ""))
    except ReportingError as exc:
        if report.file:
            report.file.delete(save=False)  # the transaction is undone; the file must go too
        raise AcceptRefused(str(exc)) from None
    return Accepted(report, chosen, saved.changed)
