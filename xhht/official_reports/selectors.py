"""Reading official reports, scoped to what the user may see."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Max, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from xhht.accounts.access import scope_codes, unit_for_user_or_404
from xhht.official_reports.models import IssuedVersion, Report
from xhht.official_reports.placeholders import Run


def report_list(*, user: Any) -> QuerySet[Report]:
    qs = Report.objects.select_related("unit").order_by("-report_date", "-id")
    scope = scope_codes(user)
    return qs if scope is None else qs.filter(unit_id__in=scope)


def report_for_user_or_404(user: Any, pk: int) -> Report:
    """The report, or 404 when it does not exist or its unit is outside the user's reach."""
    report = Report.objects.select_related("unit").filter(pk=pk).first()
    if report is None:
        raise Http404("Không tìm thấy báo cáo.")
    unit_for_user_or_404(user, report.unit_id)
    return report


def issued_version_or_404(report: Report, version: int) -> IssuedVersion:
    issued = report.versions.filter(version=version).select_related("issued_by").first()
    if issued is None:
        raise Http404("Không có phiên bản này.")
    return issued


def runs_html(runs: list[Run], report_pk: int) -> SafeString:
    """Runs as HTML: text escaped (user text never runs as a template or a script), each figure
    linked to the page listing the data values it came from."""
    parts: list[str] = []
    base = reverse("official_reports:trace", args=[report_pk])
    for run in runs:
        fig = run.figure
        if fig is None:
            parts.append(escape(run.text))
        elif fig.error:
            parts.append(f'<mark class="fig-error" title="{escape(fig.error)}">{escape(run.text)}</mark>')
        else:
            href = f"{base}?{urlencode({'f': fig.source})}"
            cls = "fig missing" if fig.value is None else "fig"
            parts.append(f'<a class="{cls}" href="{escape(href)}">{escape(run.text)}</a>')
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


# ---------------------------------------------------------------------------------------------
# The report's page: its document rendered once per report and data version
# ---------------------------------------------------------------------------------------------

REPORT_PAGE_SECONDS = 24 * 3600  # an entry of a data version no longer current is never read again: the cache drops it


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """The program's own files (code, catalogues, templates) as this process found them when it started: a cached
    page made by other code (before an upgrade, or by a worker not yet restarted) is not served."""
    import xhht

    root = Path(xhht.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".yaml", ".yml", ".html", ".json"} and "tests" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_mtime_ns}:{stat.st_size};".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class ReportPage:
    html: SafeString  # the document: header, sections with their tables, signature, appendix
    missing: int  # figures with no value in the store
    errors: int  # placeholders written wrong
    period_label: str


def _document_context(report: Report, rendered: Any, can_edit: bool) -> dict[str, Any]:
    def html(runs: list[Run]) -> SafeString:
        return runs_html(runs, report.pk)

    sections = [{
        "s": s,
        "heading": html(s.heading),
        "paragraphs": [html(p) for p in s.paragraphs],
        "tables": [{"title": html(t.title), "header": [[html(c) for c in row] for row in t.header_rows],
                    "rows": [[html(c) for c in row] for row in t.rows], "total_from": len(t.rows) - t.total_rows} for t in s.tables],
    } for s in rendered.sections]
    appendix = [{"header": [[html(c) for c in row] for row in t.header_rows], "rows": [[html(c) for c in row] for row in t.rows]}
                for t in rendered.appendix_tables]
    return {"report": report, "rendered": rendered, "sections": sections, "appendix": appendix, "can_edit": can_edit,
            "abstract": html(rendered.abstract), "intro": [html(p) for p in rendered.intro], "closing": html(rendered.closing),
            "appendix_subtitle": html(rendered.appendix_subtitle)}


def report_page(report: Report, *, can_edit: bool) -> ReportPage:
    """The report's document as its page shows it, every figure resolved (a province's report takes a second to
    render): from the cache settings.XHHT_REPORT_PAGE_CACHE names when one was made for this report, this header,
    the same right to edit (the "sửa" links), this program and the current data version (audit.selectors.data_version:
    any change anywhere makes a new one, so no figure is ever older than the data); rendered and kept otherwise."""
    from django.conf import settings
    from django.core.cache import caches
    from django.template.loader import render_to_string

    from xhht.audit.selectors import data_version
    from xhht.official_reports.render import Renderer

    cache = caches[str(getattr(settings, "XHHT_REPORT_PAGE_CACHE", "shared"))]
    version = data_version()  # read before the figures, so that they are at least as new as the version
    key = (f"xhht-report-page:{report.pk}:{int(can_edit)}:{report.updated_at.isoformat()}:{version.last_entry}:{code_stamp()}")
    kept = cache.get(key)
    if kept is not None:
        return kept
    rendered = Renderer(report).render()
    page = ReportPage(html=render_to_string("official_reports/_document.html", _document_context(report, rendered, can_edit)),
                      missing=sum(1 for f in rendered.figures if f.value is None and not f.error and f.trace is not None),
                      errors=sum(1 for f in rendered.figures if f.error), period_label=rendered.period.label)
    if version.exact:
        cache.set(key, page, REPORT_PAGE_SECONDS)
    return page


# ---------------------------------------------------------------------------------------------
# What the public reads: the versions the issuing offices made public, nothing else
# ---------------------------------------------------------------------------------------------


def public_versions(*, unit_code: str | None = None, year: int | None = None) -> QuerySet[IssuedVersion]:
    """The public version of each report that has one, newest report first."""
    qs = (IssuedVersion.objects.filter(published_at__isnull=False, withdrawn_at__isnull=True)
          .select_related("report", "report__unit").order_by("-report__report_date", "-report_id"))
    if unit_code:
        qs = qs.filter(report__unit_id=unit_code)
    if year:
        qs = qs.filter(report__report_date__year=year)
    return qs


def public_units() -> list[tuple[str, str]]:
    """(code, name) of the units that have a public report, for the list's filter."""
    from xhht.units.models import Unit
    from xhht.units.selectors import sort_units

    codes = public_versions().values_list("report__unit_id", flat=True).distinct()
    return [(u.code, u.full_name) for u in sort_units(Unit.objects.filter(code__in=list(codes)))]


def public_version_or_404(report_pk: int) -> IssuedVersion:
    """The public version of the report; 404 for a report with none (never published, or withdrawn)."""
    # A foreign-key lookup does not narrow an out-of-range integer to "no row" as a primary-key lookup does.
    issued = public_versions().filter(report_id=report_pk).first() if 0 < report_pk < 2**31 else None
    if issued is None:
        raise Http404("Báo cáo này không được công khai.")
    return issued


# --- the checklist shown before a version is issued (issue 14) ----------------------------------------


@dataclass
class ChecklistItem:
    """One input the report reads that is missing or not yet approved: who, which form, its state, where to fix it."""

    unit_name: str
    reporter_name: str
    form_code: str
    form_title: str
    state: str
    url: str
    contacts: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit_name, "reporter": self.reporter_name, "form": self.form_code, "form_title": self.form_title,
                "state": self.state, "url": self.url, "contacts": self.contacts}


@dataclass
class Checklist:
    items: list[ChecklistItem]
    fingerprint: str  # changes whenever an input of the report changes (a submission's state or version, a stored value)


def report_input_forms(report: Report) -> list[str]:
    """The periodic-report forms whose figures the report's sections read (catalogue/contributions)."""
    from xhht.official_reports.catalogue import contributions

    return sorted({str(item["form"]) for item in contributions().values()})


def report_checklist(report: Report) -> Checklist:
    """Every input of the report that is missing, late or not approved, by unit and form, with a link to the
    form and to the people responsible (the reporting app's completeness, restricted to the forms the report
    reads and to the report's period; then the registers, learning-model evaluations and household survey the
    text reads, ``sources.source_gaps``); and a fingerprint of all its inputs, to refuse issuing on a stale list."""
    from xhht.indicators.models import DataValue
    from xhht.indicators.periods import parse_period
    from xhht.official_reports.resolver import Resolver
    from xhht.reporting.models import Status
    from xhht.reporting.selectors import completeness

    period = parse_period(report.period)
    rows = completeness(unit=report.unit, period=period, form_codes=report_input_forms(report)).rows
    items: list[ChecklistItem] = []
    state_parts: list[list[Any]] = []
    for row in rows:
        sub = row.submission
        state_parts.append([row.form.code, row.reporter.key, sub.pk if sub else None, sub.status if sub else None, sub.version if sub else None])
        if sub is not None and sub.status == Status.APPROVED:
            continue
        state = "chưa nộp" if sub is None else {Status.SUBMITTED: "đã nộp, chưa được duyệt", Status.RETURNED: "bị trả lại, chưa nộp lại",
                                                Status.DRAFT: "đang soạn, chưa nộp"}.get(Status(sub.status), sub.get_status_display())
        url = reverse("reporting:entry", args=[row.form.code, row.reporter.token, period.code])
        items.append(ChecklistItem(unit_name=row.reporter.unit.full_name, reporter_name=row.reporter.name, form_code=row.form.code,
                                   form_title=row.form.title, state=state, url=url,
                                   contacts=[{"name": c.name, "phone": c.phone, "email": c.email} for c in row.contacts]))
    # The registers, evaluations and survey the text reads (sources.py): present, and approved where they can be.
    from xhht.official_reports.sources import source_gaps
    from xhht.reporting.selectors import Reporter, contacts_for

    gaps, source_state = source_gaps(report)
    state_parts.append(source_state)
    reporters = [Reporter(g.unit, g.organisation) for g in gaps]
    contacts = contacts_for(reporters) if reporters else {}
    for gap, reporter in zip(gaps, reporters, strict=True):
        items.append(ChecklistItem(unit_name=gap.unit.full_name, reporter_name=reporter.name, form_code=gap.source,
                                   form_title=gap.title, state=gap.state, url=gap.url,
                                   contacts=[{"name": c.name, "phone": c.phone, "email": c.email} for c in contacts.get(reporter.key, [])]))
    codes = Resolver(unit=report.unit, period=period).subtree_codes
    stats = DataValue.objects.filter(unit_id__in=codes).aggregate(n=Count("id"), last=Max("updated_at"))
    state_parts.append([stats["n"], stats["last"].isoformat() if stats["last"] else ""])
    fingerprint = hashlib.sha256(json.dumps(state_parts, sort_keys=True, default=str).encode()).hexdigest()
    return Checklist(items=items, fingerprint=fingerprint)
