"""Writing official reports: create with first drafts, edit, and issue (generate and keep the files)."""

from __future__ import annotations

import hashlib
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xhht.audit.services import audit_record, diff, snapshot
from xhht.indicators.periods import Period, parse_period
from xhht.official_reports.catalogue import CatalogueError, report_kind
from xhht.official_reports.docx_writer import write_docx
from xhht.official_reports.issuers import issuer_get, issuers_for
from xhht.official_reports.models import IssuedVersion, Report, ReportSection
from xhht.official_reports.pdf import PdfConversion
from xhht.official_reports.placeholders import TOKEN, Placeholder, PlaceholderError, parse
from xhht.official_reports.providers import PROVIDERS, SectionContext
from xhht.official_reports.render import RenderedReport, report_render
from xhht.official_reports.resolver import Resolver, level_name
from xhht.official_reports.xlsx_writer import write_xlsx
from xhht.units.models import PREFIX, Unit, UnitKind

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
HEADER_FIELDS = ["issuing_body_superior", "issuing_body", "number", "place", "report_date", "title", "abstract", "intro",
                 "closing", "recipients", "signer_authority", "signer_name", "trace_annex"]
Progress = Callable[[str], None]


class ReportError(ValueError):
    """A request that cannot be carried out; the message is Vietnamese, for the user."""


@dataclass(frozen=True)
class OutlineItem:
    key: str
    number: str
    level: int
    heading: str
    provider: str
    definition: dict[str, Any]


LETTERS = "abcdefghiklmnopqrstuvxy"  # Vietnamese point letters (no j, w, z); đ is not used for numbering here


def outline(kind: str, level: str) -> list[OutlineItem]:
    """The catalogue's sections for a unit of ``level``, numbered I., 1., 1.1. in order."""
    items: list[OutlineItem] = []

    def walk(sections: list[dict[str, Any]], depth: int, prefix: str, letters: bool = False) -> None:
        n = 0
        for s in sections:
            if s.get("levels") and level not in s["levels"]:
                continue
            n += 1
            if letters:  # a parent with `numbering: letters`: a), b), c)… as the seed numbers its points
                number = f"{LETTERS[n - 1]})"
                child_prefix = f"{prefix}{n}."
            elif depth == 1:
                number = f"{ROMAN[n - 1]}."
                child_prefix = ""
            elif depth == 2:
                number = f"{n}."
                child_prefix = f"{n}."
            else:
                number = f"{prefix}{n}."
                child_prefix = f"{prefix}{n}."
            items.append(OutlineItem(key=s["key"], number=number, level=depth, heading=s["heading"],
                                     provider=s.get("provider", ""), definition=s))
            walk(s.get("sections", []), depth + 1, child_prefix, s.get("numbering") == "letters")

    walk(report_kind(kind).sections, 1, "")
    return items


def default_header(*, unit: Unit, kind: str, period: Any = None, issuer: str | None = None) -> dict[str, Any]:
    """The header a new report starts with. With a ``period`` (or an ``issuer``), the issuing body's lines,
    number, signer and recipients come from ``catalogue/bodies/issuers.yaml`` for the tree in force at the
    period's end (:mod:`xhht.official_reports.issuers`)."""
    data = report_kind(kind).data
    level = level_name(unit)
    recipients = (data.get("recipients") or {}).get(level, [])
    values = _default_header(unit=unit, data=data, recipients=recipients)
    if period is not None or issuer is not None:
        body = issuer_get(issuer, level) if issuer else next(iter(issuers_for(level)), None)
        if body is not None:
            on = period.end if period is not None else timezone.localdate()
            values.update({k: v for k, v in body.header(unit=unit, on=on).items() if v or k != "recipients"})
            if body.speaker_for(unit) != f"Ủy ban nhân dân {unit.full_name}":  # a department speaks for itself
                values["intro"] = str(values["intro"]).replace("[[unit:committee]]", body.speaker_for(unit))
    return values


def _default_header(*, unit: Unit, data: dict[str, Any], recipients: list[str]) -> dict[str, Any]:
    return {
        "issuing_body_superior": "ỦY BAN NHÂN DÂN",
        "issuing_body": f"{PREFIX[UnitKind(unit.kind)]} {unit.name}".upper(),
        "number": "     /BC-UBND",
        "place": unit.name,
        "report_date": timezone.localdate(),
        "title": data["title"],
        "abstract": data["abstract"],
        "intro": data["intro"],
        "closing": data["closing"],
        "recipients": "\n".join(recipients),
        "signer_authority": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
        "signer_name": "",
        "trace_annex": False,
    }


def _nfc(value: Any) -> Any:
    """Vietnamese typed on some systems arrives decomposed (NFD); store one form so that search and
    the documents' fonts see the same letters."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _check_text(text: str, what: str) -> None:
    try:
        parse(text, strict=True)
    except PlaceholderError as exc:
        raise ReportError(f"{what}: {exc}") from exc


def _check_section_text(report: Report, text: str, what: str) -> None:
    """A section's text as an officer wrote it (issue 14): every placeholder closed, every figure naming a data
    element of the catalogue, every ``unit=`` inside the report's area. The first problem is refused with its words."""
    _check_text(text, what)
    stripped = TOKEN.sub("", text)
    if "[[" in stripped or "]]" in stripped:
        at = stripped.find("[[") if "[[" in stripped else stripped.find("]]")
        raise ReportError(f"{what}: ô số liệu chưa đóng hoặc thừa dấu ngoặc gần «{stripped[max(0, at - 20):at + 30].strip()}»: "
                          "mỗi ô số liệu viết trong [[ và ]].")
    from xhht.indicators.selectors import element_names

    known = element_names()
    resolver = Resolver(unit=report.unit, period=parse_period(report.period))
    for segment in parse(text, strict=True):
        if not isinstance(segment, Placeholder):
            continue
        for element in [*segment.elements, *([segment.option("element")] if segment.option("element") else [])]:
            if element not in known:
                raise ReportError(f"{what}: ô số liệu «[[{segment.source}]]» dùng phần tử dữ liệu «{element}» không có trong danh mục.")
        unit_code = segment.option("unit")
        if unit_code and not resolver.in_subtree(unit_code):
            raise ReportError(f"{what}: ô số liệu «[[{segment.source}]]» lấy số liệu của đơn vị «{unit_code}» "
                              f"không thuộc phạm vi báo cáo của {report.unit.full_name}.")


def section_draft(*, report: Report, key: str) -> str:
    """The first draft of one section's narrative, from the catalogue text and the provider's data."""
    items = {i.key: i for i in outline(report.kind, level_name(report.unit))}
    item = items[key]
    if not item.provider:
        return str(item.definition.get("text", ""))
    resolver = Resolver(unit=report.unit, period=parse_period(report.period))
    ctx = SectionContext(unit=report.unit, period=resolver.period, level=level_name(report.unit), kind=report.kind,
                         definition=item.definition, resolver=resolver)
    return PROVIDERS[item.provider].func(ctx).text


def report_create(*, actor: Any, unit: Unit, period: str, kind: str, header: dict[str, Any] | None = None,
                  issuer: str | None = None, on: date | None = None) -> Report:
    """A new report with the Decree 30 header (defaults from the unit, overridden by ``header``) and a
    first draft of every section generated from the data. Refused for a unit that did not exist in the
    period, unless its figures are read on the tree of a later date ``on`` on which it exists."""
    try:
        per = parse_period(period)
        definition = report_kind(kind)
    except (ValueError, CatalogueError) as exc:
        raise ReportError(str(exc)) from exc
    if per.kind not in definition.data["period_types"]:
        raise ReportError(f"Loại báo cáo «{definition.name}» dùng cho kỳ {', '.join(definition.data['period_types'])}, không dùng cho {per.label}.")
    _check_unit_exists(unit=unit, period=per, on=on)
    try:
        values = default_header(unit=unit, kind=kind, period=per, issuer=issuer)
    except CatalogueError as exc:
        raise ReportError(str(exc)) from exc
    for key, value in (header or {}).items():
        if key not in HEADER_FIELDS:
            raise ReportError(f"Trường «{key}» không có trong phần đầu báo cáo.")
        values[key] = _nfc(value)
    for key in ("abstract", "intro", "closing"):
        _check_text(str(values[key]), key)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        report = Report.objects.create(unit=unit, period=per.code, kind=kind, catalogue_version=definition.data["version"],
                                       created_by=user, **values)
        resolver = Resolver(unit=unit, period=per)
        for order, item in enumerate(outline(kind, level_name(unit))):
            text = str(item.definition.get("text", ""))
            if item.provider:
                ctx = SectionContext(unit=unit, period=per, level=level_name(unit), kind=kind, definition=item.definition, resolver=resolver)
                text = PROVIDERS[item.provider].func(ctx).text
            ReportSection.objects.create(report=report, key=item.key, order=order, level=item.level, number=item.number,
                                         heading=item.heading, provider=item.provider, text=text, updated_by=user)
        audit_record(actor=actor, action="report_create", instance=report, unit_code=unit.code,
                     changes={"kind": [None, kind], "period": [None, per.code], "number": [None, report.number]})
    return report


def report_update(*, actor: Any, report: Report, **fields: Any) -> Report:
    """Change the header fields (number, date, recipients, signer…)."""
    unknown = set(fields) - set(HEADER_FIELDS)
    if unknown:
        raise ReportError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}.")
    for key in ("abstract", "intro", "closing"):
        if key in fields:
            _check_text(str(fields[key]), key)
    with transaction.atomic():
        before = snapshot(report, HEADER_FIELDS)
        for key, value in fields.items():
            setattr(report, key, _nfc(value))
        report.save()
        changes = diff(before, snapshot(report, HEADER_FIELDS))
        if changes:
            audit_record(actor=actor, action="report_update", instance=report, unit_code=report.unit_id, changes=changes)
    return report


def report_section_update(*, actor: Any, section: ReportSection, text: str) -> ReportSection:
    text = _nfc(text).replace("\r\n", "\n")
    _check_section_text(section.report, text, section.heading)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        old = section.text
        section.text, section.edited, section.updated_by = text, True, user
        section.save()
        if old != text:
            audit_record(actor=actor, action="report_section_update", instance=section.report, unit_code=section.report.unit_id,
                         changes={f"section:{section.key}": [old, text]})
    return section


def report_section_redraft(*, actor: Any, section: ReportSection) -> ReportSection:
    """Replace a section's text by a fresh draft from the current data (e.g. after another app's data arrived)."""
    text = section_draft(report=section.report, key=section.key)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        old = section.text
        section.text, section.edited, section.updated_by = text, False, user
        section.save()
        audit_record(actor=actor, action="report_section_redraft", instance=section.report, unit_code=section.report.unit_id,
                     changes={f"section:{section.key}": [old, text]})
    return section


@dataclass
class GeneratedFiles:
    docx: Path
    xlsx: Path
    pdf: Path | None
    rendered: RenderedReport


def file_stem(report: Report) -> str:
    safe_number = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in report.number.strip()).strip("-") or "bao-cao"
    return f"bao-cao-{report.unit_id}-{report.period}-{safe_number}"


def report_generate(*, report: Report, out_dir: Path, pdf: bool = True, progress: Progress | None = None,
                    on: date | None = None) -> GeneratedFiles:
    """Write the .docx, .xlsx and (LibreOffice) .pdf of ``report`` into ``out_dir``. Reads only.

    ``on``: the figures of the period read on the tree of that date (format 4).
    """
    step = progress or (lambda _: None)
    out_dir.mkdir(parents=True, exist_ok=True)
    step("Tính số liệu")
    rendered = report_render(report, on=on)
    stem = file_stem(report)
    step("Tạo tệp .docx")
    docx = write_docx(rendered, out_dir / f"{stem}.docx")
    pdf_path = None
    if not pdf:
        step("Tạo phụ lục .xlsx")
        xlsx = write_xlsx(rendered, out_dir / f"{stem}-phu-luc.xlsx")
    else:
        # LibreOffice makes the PDF in its own process while this one writes the .xlsx: the two cores both work.
        with PdfConversion(docx, out_dir) as conversion:
            step("Tạo phụ lục .xlsx và chuyển sang .pdf (LibreOffice)")
            xlsx = write_xlsx(rendered, out_dir / f"{stem}-phu-luc.xlsx")
            step("Chuyển sang .pdf (LibreOffice)")
            pdf_path = conversion.wait()
    step("Xong")
    return GeneratedFiles(docx=docx, xlsx=xlsx, pdf=pdf_path, rendered=rendered)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def report_issue_precheck(*, report: Report, gap_reason: str = "", checklist_fingerprint: str | None = None) -> tuple[list[dict[str, Any]], str]:
    """The pre-issue checklist, recomputed: the gaps to keep on the version and the cleaned reason, or
    :class:`ReportError` when the inputs changed since the checklist was shown or gaps have no reason."""
    from xhht.official_reports.selectors import report_checklist

    checklist = report_checklist(report)
    if checklist_fingerprint is not None and checklist_fingerprint != checklist.fingerprint:
        raise ReportError("Số liệu đầu vào của báo cáo đã thay đổi sau khi danh sách kiểm tra được hiển thị: "
                          "chưa phát hành. Hãy xem lại danh sách kiểm tra đã cập nhật rồi phát hành lại.")
    gap_reason = _nfc(gap_reason or "").strip()
    if checklist.items and not gap_reason:
        raise ReportError(f"Còn {len(checklist.items)} nguồn số liệu (báo cáo đầu vào, sổ theo dõi, điều tra) chưa nộp hoặc chưa được duyệt: "
                          "muốn phát hành vẫn phải "
                          "xác nhận và ghi lý do (trang «Kiểm tra trước khi phát hành»).")
    if len(gap_reason) > 500:
        raise ReportError("Lý do phát hành khi còn thiếu số liệu dài quá 500 ký tự.")
    return [item.as_dict() for item in checklist.items], gap_reason


def report_issue(*, actor: Any, report: Report, pdf: bool = True, progress: Progress | None = None, note: str = "",
                 gap_reason: str = "", checklist_fingerprint: str | None = None) -> IssuedVersion:
    """Generate the files and keep them as a new version, with who, when, file hashes and the data used.

    The pre-issue checklist is recomputed first: when the caller showed a checklist (``checklist_fingerprint``)
    and the inputs changed since, nothing is issued; when inputs are missing or unapproved, issuing needs a
    reason (``gap_reason``), kept on the version with the list of gaps and audited."""
    gaps, gap_reason = report_issue_precheck(report=report, gap_reason=gap_reason, checklist_fingerprint=checklist_fingerprint)
    with tempfile.TemporaryDirectory(prefix="xhht-report-") as tmp:
        files = report_generate(report=report, out_dir=Path(tmp), pdf=pdf, progress=progress)
        user = actor if getattr(actor, "is_authenticated", False) else None
        with transaction.atomic():
            Report.objects.select_for_update().filter(pk=report.pk).first()
            version = (report.versions.aggregate(n=Max("version"))["n"] or 0) + 1
            issued = IssuedVersion(report=report, version=version, issued_by=user, note=note, gaps=gaps,
                                   gap_reason=gap_reason if gaps else "",
                                   docx_sha256=_sha256(files.docx), xlsx_sha256=_sha256(files.xlsx),
                                   pdf_sha256=_sha256(files.pdf) if files.pdf else "",
                                   data_snapshot=sorted(files.rendered.values_used.values(), key=lambda v: (v["element"], v["unit_code"], v["period"], v["disaggregation"])),
                                   text_snapshot={"header": snapshot(report, HEADER_FIELDS), "sections": files.rendered.texts()})
            issued.docx.save(files.docx.name, ContentFile(files.docx.read_bytes()), save=False)
            issued.xlsx.save(files.xlsx.name, ContentFile(files.xlsx.read_bytes()), save=False)
            if files.pdf:
                issued.pdf.save(files.pdf.name, ContentFile(files.pdf.read_bytes()), save=False)
            issued.save()
            audit_record(actor=actor, action="report_issue", instance=report, unit_code=report.unit_id,
                         changes={"version": [None, version], "docx_sha256": [None, issued.docx_sha256],
                                  **({"gaps": [None, len(gaps)], "gap_reason": [None, gap_reason]} if gaps else {})},
                         note=f"{len(issued.data_snapshot)} giá trị số liệu" + (f"; phát hành khi còn thiếu {len(gaps)} nguồn số liệu: {gap_reason}" if gaps else ""))
    return issued


def _withdraw(*, actor: Any, issued: IssuedVersion, reason: str) -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    issued.withdrawn_at, issued.withdrawn_by, issued.withdrawal_reason = timezone.now(), user, reason
    issued.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_record(actor=actor, action="report_withdraw", instance=issued.report, unit_code=issued.report.unit_id,
                 changes={"public_version": [issued.version, None]}, note=reason)


def report_version_publish(*, actor: Any, issued: IssuedVersion) -> IssuedVersion:
    """Make an issued version readable by anyone, without an account. It replaces the version of the same
    report made public before (withdrawn, with that as the reason): the public sees one version per report."""
    with transaction.atomic():
        Report.objects.select_for_update().filter(pk=issued.report_id).first()
        issued.refresh_from_db()
        if issued.is_public:
            raise ReportError(f"Phiên bản {issued.version} đã được công khai.")
        for other in IssuedVersion.objects.filter(report_id=issued.report_id, published_at__isnull=False, withdrawn_at__isnull=True):
            _withdraw(actor=actor, issued=other, reason=f"Thay bằng phiên bản {issued.version}.")
        user = actor if getattr(actor, "is_authenticated", False) else None
        issued.published_at, issued.published_by = timezone.now(), user
        issued.withdrawn_at, issued.withdrawn_by, issued.withdrawal_reason = None, None, ""
        issued.save(update_fields=["published_at", "published_by", "withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        audit_record(actor=actor, action="report_publish", instance=issued.report, unit_code=issued.report.unit_id,
                     changes={"public_version": [None, issued.version]})
    return issued


def report_version_withdraw(*, actor: Any, issued: IssuedVersion, reason: str) -> IssuedVersion:
    """Take a public version off the public pages; the reason is required and kept (and audited)."""
    reason = _nfc(reason or "").strip()
    if not reason:
        raise ReportError("Cần ghi lý do gỡ công khai.")
    if len(reason) > 300:
        raise ReportError("Lý do gỡ công khai dài quá 300 ký tự.")
    with transaction.atomic():
        Report.objects.select_for_update().filter(pk=issued.report_id).first()
        issued.refresh_from_db()
        if not issued.is_public:
            raise ReportError(f"Phiên bản {issued.version} không đang công khai.")
        _withdraw(actor=actor, issued=issued, reason=reason)
    return issued


def report_for_cli(*, actor: Any, unit: Unit, period: str, kind: str | None, on: date | None = None) -> Report:
    """The latest report of the unit, period and kind, or a new draft when there is none.

    Refused for a unit that did not exist in the period (or, with ``on``, on that date).
    """
    from xhht.official_reports.catalogue import default_kind_for_period

    try:
        per = parse_period(period)
        kind = kind or default_kind_for_period(per.kind)
    except (ValueError, CatalogueError) as exc:
        raise ReportError(str(exc)) from exc
    _check_unit_exists(unit=unit, period=per, on=on)
    existing = Report.objects.filter(unit=unit, period=per.code, kind=kind).order_by("-report_date", "-id").first()
    return existing or report_create(actor=actor, unit=unit, period=per.code, kind=kind, on=on)


def _check_unit_exists(*, unit: Unit, period: Period, on: date | None) -> None:
    """Refuse a report of a unit that did not exist in the period (or, read on the tree of ``on``, on that date)."""
    from xhht.units.selectors import unit_existed_during

    if on is not None:
        if not unit_existed_during(unit=unit, start=on, end=on):
            raise ReportError(f"{unit.title_name} không tồn tại vào ngày {on:%d/%m/%Y}; không thể lập báo cáo theo địa giới ngày đó.")
    elif not unit_existed_during(unit=unit, start=period.start, end=period.end):
        raise ReportError(f"{unit.title_name} không tồn tại trong {period.label} ({period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}); "
                          "hãy lập báo cáo của đơn vị tồn tại trong kỳ, hoặc đọc số liệu theo địa giới một ngày sau (--on).")
