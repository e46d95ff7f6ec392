"""Section providers: each section of a report is drafted by a provider registered here.

A provider is a function ``(ctx: SectionContext) -> SectionDraft``. It returns

* ``text``: the first draft of the section's narrative (stored when the report is created, then
  edited by people; it may contain ``[[…]]`` placeholders that stay live),
* ``tables``: tables rebuilt from the data at every rendering (cells are placeholders too, so each
  figure is traced),
* ``notices``: plain Vietnamese sentences shown in the draft and the document where a capability
  or its data is missing ("Chưa có dữ liệu: …").

A provider that needs another app guards it with :func:`capability` (an import that may fail) and
with the absence of data. See docs/official_reports.md for wiring the other apps' selectors.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from xhht.core.bulk import in_many
from xhht.core.formatting import format_number
from xhht.indicators.periods import Period, parse_period
from xhht.official_reports.placeholders import escape_text
from xhht.official_reports.resolver import CHILDREN_WORDS, Resolver, latest_period_with, latest_year_with, period_contains, period_overlaps, safe_period
from xhht.organisations.models import Organisation, OrganisationKind
from xhht.steering.models import DocumentKind, LegalDocument, SteeringCommittee
from xhht.units.models import Unit

log = logging.getLogger(__name__)

@dataclass
class TableSpec:
    header_rows: list[list[str]]
    rows: list[list[str]]
    total_rows: int = 0  # how many of the last rows are totals (bold)
    title: str = ""
    first_column_left: bool = True


@dataclass
class SectionDraft:
    text: str = ""
    tables: list[TableSpec] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    source: str = ""  # where the tables came from, when it matters (the appendix: "indicators" or "store")


@dataclass
class SectionContext:
    unit: Unit
    period: Period
    level: str  # province | district | commune
    kind: str  # report kind code
    definition: dict[str, Any]
    resolver: Resolver

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.definition.get("params") or {})

    @property
    def text(self) -> str:
        return str(self.definition.get("text", ""))


Provider = Callable[[SectionContext], SectionDraft]


@dataclass(frozen=True)
class ProviderSpec:
    key: str
    func: Provider
    label: str


PROVIDERS: dict[str, ProviderSpec] = {}


def provider(key: str, label: str) -> Callable[[Provider], Provider]:
    """Register a section provider under ``key`` (the name used in the catalogue files)."""

    def register(func: Provider) -> Provider:
        PROVIDERS[key] = ProviderSpec(key=key, func=func, label=label)
        return func

    return register


def capability(module: str, attr: str | None = None) -> Any:
    """The module (or its attribute) of another app if it exists, else None. Never raises on absence."""
    try:
        if find_spec(module) is None:
            return None
        mod = import_module(module)
    except ImportError:
        return None
    return getattr(mod, attr, None) if attr else mod


def capability_present(params: dict[str, Any]) -> bool:
    """An app counts as landed when it has a selectors or services module."""
    app = params.get("capability")
    if not app:
        return True
    return capability(f"{app}.selectors") is not None or capability(f"{app}.services") is not None


def missing_notice(ctx: SectionContext, what: str = "") -> str:
    params = ctx.params
    name = params.get("capability_name", what or ctx.definition.get("heading", ""))
    if not capability_present(params):
        return f"Chưa có dữ liệu: chức năng «{name}» ({params.get('capability')}) chưa được triển khai."
    return f"Chưa có dữ liệu: chưa có số liệu «{name}» của {ctx.unit.full_name} cho {ctx.period.label}."


def join_paragraphs(*parts: str) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def vn_long_date(d: Any) -> str:
    return f"ngày {d.day:02d} tháng {d.month} năm {d.year}"


def disaggregation_options(key: str) -> str:
    return "".join(f"|{part}" for part in key.split(";") if part)


# --- providers that work from the foundation and the store today ---------------------------------

@provider("narrative", "Văn bản soạn sẵn (người soạn chỉnh sửa)")
def narrative(ctx: SectionContext) -> SectionDraft:
    return SectionDraft(text=ctx.text)


@provider("steering.committees", "Ban Chỉ đạo (sổ Ban Chỉ đạo)")
def steering_committees(ctx: SectionContext) -> SectionDraft:
    committees = list(SteeringCommittee.objects.filter(unit=ctx.unit, active=True).select_related("established_by", "last_consolidated_by"))
    lines = []
    notices = []
    for c in committees:
        line = f"- [[unit:short_committee]] thành lập {escape_text(c.name)}"
        if c.established_by:
            doc = c.established_by
            line += f" (Quyết định số {escape_text(doc.number)} {vn_long_date(doc.issued_on)})"
        members = c.members.count()
        if members:
            line += f", gồm {format_number(members)} thành viên, phân công từng thành viên phụ trách lĩnh vực"
        if c.last_consolidated_by:
            doc = c.last_consolidated_by
            line += f"; kiện toàn theo Quyết định số {escape_text(doc.number)} {vn_long_date(doc.issued_on)}"
        lines.append(line + ".")
    if not committees:
        notices.append(f"Chưa có dữ liệu: sổ Ban Chỉ đạo chưa ghi Ban Chỉ đạo của {ctx.unit.full_name}.")
    if ctx.level != "commune":
        below = [c for c in ctx.resolver.subtree_codes if c != ctx.unit.code]
        if SteeringCommittee.objects.filter(unit_id__in=in_many(below), active=True).exists():
            lines.append("- Chỉ đạo [[unit:children]] thành lập Ban Chỉ đạo thực hiện Đề án “Xây dựng xã hội học tập”; "
                         "số Ban Chỉ đạo cấp dưới đã thành lập: [[count:committees]].")
        else:
            lines.append("- Chỉ đạo [[unit:children]] thành lập Ban Chỉ đạo thực hiện Đề án “Xây dựng xã hội học tập”.")
            notices.append(f"Chưa có dữ liệu: sổ Ban Chỉ đạo chưa ghi Ban Chỉ đạo của {CHILDREN_WORDS[ctx.unit.level]} thuộc {ctx.unit.full_name}.")
    return SectionDraft(text=join_paragraphs("\n\n".join(lines), ctx.text), notices=notices)


@provider("steering.documents", "Văn bản chỉ đạo, điều hành (sổ văn bản)")
def steering_documents(ctx: SectionContext) -> SectionDraft:
    qs = LegalDocument.objects.filter(unit=ctx.unit, issued_on__lte=ctx.period.end).exclude(kind=DocumentKind.REPORT)
    if ctx.period.kind != "phase":
        qs = qs.filter(issued_on__gte=ctx.period.start)
    docs = list(qs.order_by("issued_on", "number"))
    if not docs:
        return SectionDraft(text=ctx.text, notices=[f"Chưa có dữ liệu: sổ văn bản chưa có văn bản chỉ đạo, điều hành của {ctx.unit.full_name} ban hành trong {ctx.period.label}."])
    parts = []
    for d in docs:
        parts.append(f"{d.get_kind_display()} số {escape_text(d.number)} {vn_long_date(d.issued_on)} về việc {escape_text(lower_first(d.title))}")
    prose = "[[unit:committee]] đã ban hành: " + "; ".join(parts) + "."
    table = TableSpec(
        header_rows=[["TT", "Số, ký hiệu", "Ngày ban hành", "Trích yếu nội dung"]],
        rows=[[str(i), escape_text(d.number), d.issued_on.strftime("%d/%m/%Y"), escape_text(d.title)] for i, d in enumerate(docs, 1)],
        first_column_left=False,
    )
    return SectionDraft(text=join_paragraphs(prose, ctx.text), tables=[table])


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text and not text[:2].isupper() else text


@provider("store.lines", "Số liệu từ kho (các dòng có ô số liệu)")
def store_lines(ctx: SectionContext) -> SectionDraft:
    # The lines are always drafted: their figures stay live, so they fill in when the data arrives;
    # until then they show "…" and the notice says why.
    params = ctx.params
    elements = list(params.get("elements", []))
    notices = [missing_notice(ctx)] if elements and not ctx.resolver.has_data(elements) else []
    return SectionDraft(text=join_paragraphs("\n\n".join(params.get("lines", [])), ctx.text), notices=notices)


BAND_WORDS = {"15-25": "từ 15 đến 25", "15-35": "từ 15 đến 35", "15-60": "từ 15 đến 60", "26-35": "từ 26 đến 35", "36-60": "từ 36 đến 60"}


@provider("store.literacy", "Xóa mù chữ: số người biết chữ theo độ tuổi (kho số liệu)")
def store_literacy(ctx: SectionContext) -> SectionDraft:
    params = ctx.params
    population = params["population"]
    levels: dict[str, str] = dict(params["levels"])
    bands: list[str] = list(params["bands"])
    year = latest_year_with(ctx.resolver, population, until=ctx.period.end)
    if year is None:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    lines = [f"- Kết quả cụ thể (thời điểm tháng 12/{year}):"]
    for level, element in levels.items():
        for band in bands:
            opts = f"|age_band={band}|period={year}"
            lines.append(f"+ Tổng số người biết chữ mức độ {level} trong độ tuổi {BAND_WORDS.get(band, band)} là "
                         f"[[ratio:{element}/{population}{opts}]] đạt [[rate:{element}/{population}{opts}]].")
    header = ["Độ tuổi", "Dân số trong độ tuổi"]
    for level in levels:
        header += [f"Biết chữ mức độ {level}", "Tỷ lệ %"]
    rows = []
    for band in bands:
        opts = f"|age_band={band}|period={year}"
        row = [band, f"[[value:{population}{opts}]]"]
        for element in levels.values():
            row += [f"[[value:{element}{opts}]]", f"[[rate:{element}/{population}{opts}]]"]
        rows.append(row)
    table = TableSpec(header_rows=[header], rows=rows, title=f"Kết quả xóa mù chữ thời điểm tháng 12/{year}")
    standards = literacy_standard_lines(ctx)
    if standards:
        lines += ["- Kết quả công nhận đạt chuẩn:", *standards]
    return SectionDraft(text=join_paragraphs(ctx.text, "\n\n".join(lines)), tables=[table])


def _row_periods(ctx: SectionContext, elements: list[str], row_period: str, include_earlier: bool) -> list[str]:
    found = []
    for code in ctx.resolver.periods_with_data(elements):
        p = safe_period(code)
        if p is None or p.kind != row_period:
            continue
        if include_earlier and p.end <= ctx.period.end:
            found.append(code)
        elif not include_earlier and (period_contains(ctx.period, p) or (ctx.period.kind != "phase" and period_overlaps(ctx.period, p))):
            found.append(code)
        elif ctx.period.kind == "phase" and row_period == "school_year" and period_overlaps(ctx.period, p) and p.start.year >= ctx.period.start.year:
            found.append(code)
    return sorted(set(found))


def _cell(column: dict[str, Any], period_option: str, unit_option: str = "") -> str:
    dis = disaggregation_options(column.get("disaggregation", ""))
    if column.get("rate_of"):
        return f"[[rate:{column['element']}/{column['rate_of']}{dis}{period_option}{unit_option}]]"
    return f"[[value:{column['element']}{dis}{period_option}{unit_option}]]"


@provider("store.table", "Bảng theo năm / năm học (kho số liệu)")
def store_table(ctx: SectionContext) -> SectionDraft:
    params = ctx.params
    columns: list[dict[str, Any]] = list(params["columns"])
    elements = sorted({c["element"] for c in columns})
    periods = _row_periods(ctx, elements, params.get("row_period", "year"), bool(params.get("include_earlier")))
    if not periods:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    header = [params.get("row_label", "Kỳ"), *[c["label"] for c in columns]]
    if params.get("note_column"):
        header.append("Ghi chú")
    rows = []
    for code in periods:
        row = [code, *[_cell(c, f"|period={code}") for c in columns]]
        if params.get("note_column"):
            row.append("")
        rows.append(row)
    total = 0
    if params.get("total_row"):
        joined = "+".join(periods)
        row = [str(params["total_row"]), *[_cell(c, f"|period={joined}") for c in columns]]
        if params.get("note_column"):
            row.append("")
        rows.append(row)
        total = 1
    return SectionDraft(text=ctx.text, tables=[TableSpec(header_rows=[header], rows=rows, total_rows=total)])


@provider("store.by_child", "Bảng theo đơn vị trực thuộc (tổng hợp từ cấp dưới)")
def store_by_child(ctx: SectionContext) -> SectionDraft:
    params = ctx.params
    columns: list[dict[str, Any]] = list(params["columns"])
    children = ctx.resolver.children_of(ctx.unit.code)
    if not children:
        return SectionDraft(text=ctx.text, notices=[f"Chưa có dữ liệu: {ctx.unit.full_name} không có đơn vị trực thuộc trong {ctx.period.label}."])
    # Each column reads the latest year of the period that has data for its element (else the period itself).
    column_periods: list[str] = []
    for c in columns:
        column_periods.append(latest_period_with(ctx.resolver, c["element"], within=ctx.period) or "")
    if not any(column_periods) and not ctx.resolver.has_data([c["element"] for c in columns]):
        return SectionDraft(text=ctx.text, notices=[f"Chưa có dữ liệu: chưa có số liệu của các đơn vị trực thuộc {ctx.unit.full_name} trong {ctx.period.label}."])
    header = ["TT", "Đơn vị", *[c["label"] + (f" ({p})" if p and p != ctx.period.code else "") for c, p in zip(columns, column_periods)]]
    rows = []
    for i, code in enumerate(children, 1):
        rows.append([str(i), escape_text(ctx.resolver.unit_name(code)),
                     *[_cell(c, f"|period={p}" if p else "", f"|unit={code}") for c, p in zip(columns, column_periods)]])
    rows.append(["", "Cộng", *[_cell(c, f"|period={p}" if p else "") for c, p in zip(columns, column_periods)]])
    return SectionDraft(text=ctx.text, tables=[TableSpec(header_rows=[header], rows=rows, total_rows=1, first_column_left=False)])


REPORTING_KINDS = [
    OrganisationKind.EDUCATION_OFFICE, OrganisationKind.HOME_AFFAIRS_OFFICE, OrganisationKind.LABOUR_OFFICE,
    OrganisationKind.AGRICULTURE_OFFICE, OrganisationKind.YOUTH_UNION, OrganisationKind.WOMENS_UNION,
    OrganisationKind.STUDY_PROMOTION_ASSOCIATION, OrganisationKind.CULTURE_OFFICE, OrganisationKind.CULTURE_MEDIA_CENTRE,
    OrganisationKind.LABOUR_FEDERATION, OrganisationKind.FATHERLAND_FRONT, OrganisationKind.FINANCE_OFFICE,
    OrganisationKind.VETERANS_ASSOCIATION, OrganisationKind.FARMERS_ASSOCIATION, OrganisationKind.ELDERLY_ASSOCIATION,
]


@provider("organisations.results", "Kết quả của từng cơ quan, tổ chức (danh mục tổ chức; báo cáo thành phần)")
def organisations_results(ctx: SectionContext) -> SectionDraft:
    """Every contributor's narrative in one section (annual and half-year reports): for each organisation
    of the unit, in the catalogue's order, its name in bold words then its sentences. An organisation
    without an approved or submitted report for the period is left out of the text and listed in the
    notices (the pre-issue checklist shows it with a link to its form)."""
    from xhht.official_reports.catalogue import contributions

    by_org: dict[str, list[str]] = {}  # one line per organisation, in the catalogue's order
    notices: list[str] = []
    for key, item in contributions().items():
        if not item.get("organisation_kind"):
            continue
        draft = compose_contribution(ctx, item)
        notices += [n for n in draft.notices if n not in notices]
        # In one line per organisation only the sentences with figures: the general wording is the phase report's.
        body = [p.lstrip("-+ ").strip() for p in draft.text.split("\n\n") if p.strip() and "[[" in p]
        if draft.has_figures and body:
            by_org.setdefault(str(item.get("organisation_name") or item.get("name", key)), []).extend(body)
    parts = [f"- {name}: " + " ".join(lower_first(p) if i == 0 else p for i, p in enumerate(body)) for name, body in by_org.items()]
    return SectionDraft(text=join_paragraphs(ctx.text, "\n\n".join(parts)), notices=notices)


@dataclass
class ContributionDraft:
    text: str
    notices: list[str]
    has_figures: bool


_FIGURE_TOKEN = re.compile(r"\[\[(value|money|rate|ratio):([a-z0-9_/]+)((?:\|[^\[\]|]+)*)\]\]")


def contribution_submission(ctx: SectionContext, item: dict[str, Any]) -> tuple[Any, str]:
    """(the submission whose figures the contribution reads, the unit code its values are stored under),
    or (None, reason): the organisation's approved (else submitted) report for exactly the report's
    period, else the latest one inside it."""
    from xhht.reporting.models import Status, Submission

    kind = item.get("organisation_kind")
    if not kind:
        return None, ""
    org = Organisation.objects.filter(unit=ctx.unit, kind=kind, dissolved_on__isnull=True).first()
    if org is None:
        return None, f"danh mục tổ chức chưa có {item.get('name', kind)} của {ctx.unit.full_name}"
    subs = [s for s in Submission.objects.filter(organisation=org, form_code=item["form"], status__in=[Status.SUBMITTED, Status.APPROVED])
            if (p := safe_period(s.period)) is not None and period_contains(ctx.period, p)]
    if not subs:
        return None, f"{org.name}: chưa có báo cáo «{item['form']}» đã nộp cho {ctx.period.label}"
    exact = [s for s in subs if s.period == ctx.period.code]
    pool = exact or subs
    sub = max(pool, key=lambda s: (s.status == Status.APPROVED, parse_period(s.period).end, -(parse_period(s.period).end - parse_period(s.period).start).days))
    return sub, org.unit_id


def compose_contribution(ctx: SectionContext, item: dict[str, Any]) -> ContributionDraft:
    """A contributor's sentences: each paragraph of the catalogue whose figures all exist is kept, its
    ``rpt_`` figures pinned to the submission's period and unit (live placeholders), an approximate
    figure preceded by its qualifier ("trên 24.000"); a paragraph with a missing figure is left out."""
    from xhht.official_reports.placeholders import parse_one

    sub, unit_code = contribution_submission(ctx, item)
    notices = [f"Thiếu số liệu: {unit_code}."] if sub is None and unit_code else []  # unit_code is then the reason
    texts = dict(sub.texts or {}) if sub is not None else {}
    years = "+".join(str(y) for y in range(ctx.period.start.year, ctx.period.end.year + 1))
    previous = (item.get("previous_phase") or {}).get(ctx.period.code, "")
    prev_years = ""
    if previous and (pp := safe_period(previous)) is not None:
        prev_years = "+".join(str(y) for y in range(pp.start.year, pp.end.year + 1))
    kept: list[str] = []
    has_figures = False
    for para in item["paragraphs"]:
        if para.get("periods") and ctx.period.kind not in para["periods"]:
            continue
        text = str(para["text"])
        if "{prev_years}" in text and not prev_years:
            continue
        text = text.replace("{years}", years).replace("{prev_years}", prev_years).replace("{period}", ctx.period.code)

        def pin(m: re.Match[str]) -> str:
            kind, arg, opts = m.group(1), m.group(2), m.group(3)
            if not arg.startswith("rpt_") or "period=" in opts:
                return m.group(0)
            if not item.get("organisation_kind"):  # a form of the communes: summed up the tree for the period
                return f"[[{kind}:{arg}{opts}|period={ctx.period.code}]]"
            if sub is None:
                return f"[[{kind}:{arg}{opts}|period=__none__]]"
            extra = f"|period={sub.period}" + (f"|unit={unit_code}" if unit_code != ctx.unit.code else "")
            qualifier = texts.get(f"approx__{arg}", "") if kind in {"value", "money"} else ""
            return (f"{qualifier} " if qualifier else "") + f"[[{kind}:{arg}{opts}{extra}]]"

        text = _FIGURE_TOKEN.sub(pin, text)
        if "period=__none__" in text:
            continue
        figures = [parse_one(m.group(0)[2:-2]) for m in _FIGURE_TOKEN.finditer(text)]
        if any(ctx.resolver.resolve(f).value is None for f in figures):
            continue
        has_figures = has_figures or bool(figures)
        kept.append(text)
    return ContributionDraft(text="\n\n".join(kept), notices=notices, has_figures=has_figures)


@provider("organisations.contribution", "Kết quả của một cơ quan, tổ chức (báo cáo thành phần, câu chữ trong danh mục)")
def organisations_contribution(ctx: SectionContext) -> SectionDraft:
    from xhht.official_reports.catalogue import contributions

    keys = list(ctx.params.get("contributions") or [ctx.params.get("contribution", "")])
    texts: list[str] = []
    notices: list[str] = []
    for key in keys:
        item = contributions().get(key)
        if item is None:
            notices.append(f"Danh mục không có phần đóng góp «{key}».")
            continue
        draft = compose_contribution(ctx, item)
        texts.append(draft.text)
        notices += draft.notices
    return SectionDraft(text=join_paragraphs(ctx.text, *texts), notices=notices)


def organisation_result_line(ctx: SectionContext, organisation: Organisation) -> str:
    """One organisation's results: the figures of its latest submitted or approved periodic report
    (xhht.reporting) whose period lies in the report's period, each a live placeholder."""
    from xhht.reporting.catalogue import get_catalogue
    from xhht.reporting.models import Status, Submission

    name = escape_text(organisation.name)
    subs = [s for s in Submission.objects.filter(organisation=organisation, status__in=[Status.SUBMITTED, Status.APPROVED])
            if (p := safe_period(s.period)) is not None and period_contains(ctx.period, p)]
    if not subs:
        return f"- {name}: chưa có báo cáo định kỳ đã nộp trong {ctx.period.label}."
    sub = max(subs, key=lambda s: (parse_period(s.period).end, parse_period(s.period).start))
    form = get_catalogue().forms.get(sub.form_code)
    if form is None:
        return f"- {name}: báo cáo định kỳ «{escape_text(sub.form_code)}» không còn trong danh mục biểu mẫu."
    period_label = parse_period(sub.period).label
    parts = []
    for cell in form.input_cells:
        if not data_value_exists(cell.element, organisation.unit_id, sub.period, cell.disaggregation):
            continue
        dis = "".join(f"|{k}={v}" for k, v in sorted(cell.disaggregation.items()))
        label = escape_text(cell.label + (f" ({cell.sub_label})" if cell.sub_label else ""))
        parts.append(f"{label}: [[value:{cell.element}{dis}|period={sub.period}|unit={organisation.unit_id}]]")
    status = sub.get_status_display().lower()
    head = f"- {name} (báo cáo {period_label}, {status})"
    return head + (": " + "; ".join(parts) + "." if parts else ": báo cáo chưa có số liệu.")


def data_value_exists(element: str, unit_code: str, period: str, disaggregation: dict[str, str]) -> bool:
    from xhht.indicators.models import DataValue

    key = ";".join(f"{k}={v}" for k, v in sorted(disaggregation.items()))
    return DataValue.objects.filter(element=element, unit_id=unit_code, period=period, disaggregation=key).exists()


# --- the appendix ----------------------------------------------------------------------------------

def element_label(code: str) -> str:
    """The element's Vietnamese name from the indicator catalogue when it has landed, else from ours."""
    names = capability("xhht.indicators.selectors", "element_names")
    if callable(names):
        try:
            found = names().get(code)
            if found:
                return str(found)
        except Exception:  # noqa: BLE001 - a foreign selector must not break the report
            log.exception("element names unavailable", extra={"action": "report_render"})
    return ELEMENT_LABELS.get(code, code)


ELEMENT_LABELS = {  # fallback only: element_names() of xhht.indicators reads every app's elements.yaml
    "literacy_population": "Dân số trong độ tuổi",
    "literacy_level1": "Số người biết chữ mức độ 1",
    "literacy_level2": "Số người biết chữ mức độ 2",
    "clc_topics": "Số chuyên đề TTHTCĐ",
    "clc_classes": "Số lớp TTHTCĐ",
    "clc_participants": "Số người tham gia chuyên đề TTHTCĐ",
    "vocational_classes": "Số lớp dạy nghề",
    "vocational_learners": "Số người học nghề",
    "lc_communes": "Số đơn vị cấp xã",
    "lc_commune_evaluated": "Số xã được đánh giá cộng đồng học tập",
    "budget_amount": "Kinh phí thực hiện Đề án (đồng)",
    "lifelong_week_participants": "Số người tham gia Tuần lễ học tập suốt đời",
    "communication_outputs": "Số tin, bài, phóng sự tuyên truyền",
}


PERIOD_KIND_TITLES = {"year": "Theo năm", "school_year": "Theo năm học", "half_year": "Theo 6 tháng", "phase": "Cả giai đoạn"}


@dataclass
class Appendix:
    tables: list[TableSpec]
    source: str  # "indicators" or "store"
    notice: str = ""


def appendix_tables(unit: Unit, period: Period, resolver: Resolver) -> Appendix:
    """The appendix: ``xhht.indicators.selectors.appendix_build`` when it has landed, else every
    element the store holds for the unit's subtree: one table per kind of period (years, school
    years…) inside the report period, one column per period, one row per element and disaggregation."""
    build = capability("xhht.indicators.selectors", "appendix_build")
    notice = ("Chức năng «Chỉ tiêu, phụ lục» (xhht.indicators) chưa cung cấp phụ lục chỉ tiêu: "
              "phụ lục dưới đây liệt kê mọi số liệu có trong kho.")
    if callable(build):
        try:
            on = getattr(resolver, "on", None)
            built = build(unit=unit, period=period.code, **({"on": on} if on else {}))
            table = TableSpec(header_rows=[[escape_text(str(c)) for c in r] for r in built.header_rows],
                              rows=[[escape_text(str(c)) for c in r] for r in built.rows])
            return Appendix(tables=[table], source="indicators")
        except Exception as exc:  # noqa: BLE001 - a foreign selector must not break the report
            log.exception("indicator appendix failed; the general table is used", extra={"action": "report_render"})
            notice = f"Phụ lục chỉ tiêu (xhht.indicators) báo lỗi, dùng bảng số liệu chung: {exc}"
    from xhht.indicators.models import DataValue

    rows_qs = (DataValue.objects.filter(unit_id__in=in_many(resolver.subtree_codes))
               .values_list("element", "disaggregation", "period").distinct())
    periods: dict[str, set[str]] = {}
    series: dict[str, set[tuple[str, str]]] = {}
    for element, dis, code in rows_qs:
        p = safe_period(code)
        if p is not None and period_contains(period, p):
            periods.setdefault(p.kind, set()).add(code)
            series.setdefault(p.kind, set()).add((element, dis))
    if not series:
        return Appendix(tables=[], source="store",
                        notice=f"Chưa có dữ liệu: kho số liệu chưa có số liệu nào của {unit.full_name} trong {period.label}.")
    tables = []
    n = 0
    for kind in ("year", "school_year", "half_year", "phase"):
        if kind not in series:
            continue
        ordered = sorted(periods[kind], key=lambda c: (parse_period(c).start, parse_period(c).end))
        rows = []
        for element, dis in sorted(series[kind], key=lambda s: (element_label(s[0]), s[1])):
            n += 1
            label = element_label(element) + (f" ({dis.replace(';', ', ').replace('age_band=', 'độ tuổi ')})" if dis else "")
            opts = disaggregation_options(dis)
            rows.append([str(n), escape_text(label), *[f"[[value:{element}{opts}|period={c}]]" for c in ordered]])
        tables.append(TableSpec(header_rows=[["TT", "Chỉ tiêu", *ordered]], rows=rows, title=PERIOD_KIND_TITLES[kind]))
    return Appendix(tables=tables, source="store", notice=notice)


@provider("indicators.appendix", "Phụ lục số liệu (xhht.indicators, hoặc kho số liệu)")
def indicators_appendix(ctx: SectionContext) -> SectionDraft:
    appendix = appendix_tables(ctx.unit, ctx.period, ctx.resolver)
    return SectionDraft(tables=appendix.tables, notices=[appendix.notice] if appendix.notice else [], source=appendix.source)


# --- providers wired to the other apps' selectors ---------------------------------------------------
# The selectors decide which rows a table has (school years, years, classes of a rubric); every cell
# stays a placeholder on the store element that the same app writes from the same records, so that
# each figure keeps its trace to the data values and rule that produced it.

def _years_until(ctx: SectionContext, first_year: int | None) -> list[int]:
    start = first_year if first_year is not None else ctx.period.start.year
    return list(range(start, ctx.period.end.year + 1))


def _school_years(ctx: SectionContext) -> list[str]:
    """School years reported in the period: for a phase those that start in it (2016-2017 … 2019-2020),
    otherwise those that overlap it."""
    out = []
    for y in range(ctx.period.start.year - 1, ctx.period.end.year + 1):
        p = parse_period(f"{y}-{y + 1}")
        if ctx.period.kind == "phase":
            if ctx.period.start.year <= y and p.start <= ctx.period.end:
                out.append(p.code)
        elif period_overlaps(ctx.period, p):
            out.append(p.code)
    return out


def _period_rows(ctx: SectionContext, periods: list[str], *, total_label: str = "") -> SectionDraft:
    params = ctx.params
    columns: list[dict[str, Any]] = list(params["columns"])
    header = [params.get("row_label", "Kỳ"), *[c["label"] for c in columns]]
    if params.get("note_column"):
        header.append("Ghi chú")
    rows = []
    for code in periods:
        row = [code, *[_cell(c, f"|period={code}") for c in columns]]
        if params.get("note_column"):
            row.append("")
        rows.append(row)
    if total_label and periods:
        row = [total_label, *[_cell(c, f"|period={'+'.join(periods)}") for c in columns]]
        if params.get("note_column"):
            row.append("")
        rows.append(row)
    return SectionDraft(text=ctx.text, tables=[TableSpec(header_rows=[header], rows=rows, total_rows=1 if total_label and periods else 0)])


@provider("activities.clc_table", "Hoạt động của TTHTCĐ theo năm học (xhht.activities: clc_yearly_table)")
def activities_clc_table(ctx: SectionContext) -> SectionDraft:
    select = capability("xhht.activities.selectors", "clc_yearly_table")
    if select is None:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    table = select(unit=ctx.unit, school_years=_school_years(ctx))
    periods = [r.school_year for r in table.rows if r.topics or r.classes or r.participants]
    if not periods:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    return _period_rows(ctx, periods, total_label=str(ctx.params.get("total_row", "")))


@provider("activities.vocational_table", "Dạy nghề cho lao động nông thôn theo năm (xhht.activities: vocational_yearly_table)")
def activities_vocational_table(ctx: SectionContext) -> SectionDraft:
    select = capability("xhht.activities.selectors", "vocational_yearly_table")
    if select is None:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    first = ctx.params.get("first_year")
    table = select(unit=ctx.unit, years=_years_until(ctx, int(first) if first else None))
    periods = [str(r.year) for r in table.rows if r.classes or r.learners]
    if not periods:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    return _period_rows(ctx, periods, total_label=str(ctx.params.get("total_row", "")))


@provider("activities.communication", "Tin, bài tuyên truyền (xhht.activities: communication_summary)")
def activities_communication(ctx: SectionContext) -> SectionDraft:
    select = capability("xhht.activities.selectors", "communication_summary")
    if select is None:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    summary = select(unit=ctx.unit)
    periods = sorted({r.period for r in summary.rows if (p := safe_period(r.period)) is not None and period_overlaps(ctx.period, p)})
    if not periods:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    joined = "+".join(periods)
    kinds: dict[str, str] = dict(ctx.params.get("kinds", {}))
    present = {k for r in summary.rows if r.period in periods for k in kinds if summary.by_kind.get(k)}
    parts = [f"[[value:communication_outputs|kind={k}|period={joined}]] {word}" for k, word in kinds.items() if k in present]
    lines = [f"- Số tin, bài, phóng sự tuyên truyền về xây dựng xã hội học tập ({', '.join(periods)}): "
             f"[[value:communication_outputs|period={joined}]], gồm " + ", ".join(parts) + "."]
    return SectionDraft(text=join_paragraphs("\n\n".join(lines), ctx.text))


@provider("activities.commendations", "Khen thưởng (xhht.activities: commendation_summary)")
def activities_commendations(ctx: SectionContext) -> SectionDraft:
    select = capability("xhht.activities.selectors", "commendation_summary")
    if select is None:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    summary = select(unit=ctx.unit, years=list(ctx.period.years))
    if not summary.total:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    words: dict[str, str] = dict(ctx.params.get("recipients", {}))
    present = {kind for (_level, kind), n in summary.counts.items() if n}
    parts = [f"[[value:commendations|recipient_kind={k}|over=years]] {w}" for k, w in words.items() if k in present]
    line = (f"- Khen thưởng về thành tích xây dựng xã hội học tập trong {ctx.period.label}: [[value:commendations|over=years]] "
            f"lượt ({', '.join(parts)}).")
    return SectionDraft(text=join_paragraphs(line, ctx.text))


@provider("learning_models.classification", "Xếp loại cộng đồng học tập cấp xã (xhht.learning_models: commune_classification_table)")
def learning_models_classification(ctx: SectionContext) -> SectionDraft:
    select = capability("xhht.learning_models.selectors", "commune_classification_table")
    if select is None:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    if ctx.level == "commune":
        return _commune_own_classification(ctx)
    rows = [r for r in select(unit=ctx.unit, years=list(ctx.period.years)) if r.evaluated]
    if not rows:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    denominator = str(ctx.params.get("denominator", "lc_communes"))
    tables: list[TableSpec] = []
    # One table per rubric's set of classes (TT 44: Tốt/Khá/Trung bình/Không đạt; TT 25: mức 1/mức 2).
    groups: list[tuple[tuple[str, ...], list[Any]]] = []
    for r in rows:
        keys = tuple(r.labels)
        if groups and groups[-1][0] == keys:
            groups[-1][1].append(r)
        else:
            groups.append((keys, [r]))
    for keys, group in groups:
        labels = group[0].labels
        header = ["Năm"]
        for k in keys:
            header += [labels[k], "Tỷ lệ %"]
        header.append("Ghi chú")
        body = []
        for r in group:
            row = [str(r.year)]
            for k in keys:
                element = f"lc_commune_{k}"
                if k == "none":  # no store element: the selector's count, said to be one
                    row += [format_number(r.counts[k]), ""]
                else:
                    row += [f"[[value:{element}|period={r.year}]]", f"[[rate:{element}/{denominator}|period={r.year}]]"]
            note = escape_text(r.note) if r.note else ""
            row.append(f"{note}{'; ' if note else ''}[[value:lc_commune_evaluated|period={r.year}]]/[[value:{denominator}|period={r.year}]] xã được đánh giá")
            body.append(row)
        tables.append(TableSpec(header_rows=[header], rows=body, title=f"Theo {escape_text(group[0].rubric.document_number)}"))
    return SectionDraft(text=ctx.text, tables=tables)


def _commune_own_classification(ctx: SectionContext) -> SectionDraft:
    """A commune's report: its own class or level each year (xhht.learning_models.selectors.commune_results),
    with the 1 the store holds for that class (lc_commune_<class>) as the traced figure."""
    results = capability("xhht.learning_models.selectors", "commune_results")
    parent = ctx.unit.parent
    if results is None or parent is None:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    lines = []
    for year in ctx.period.years:
        for r in results(unit=parent, year=year, only=[ctx.unit.code]):
            if not r.outcome or r.evaluation is None:
                continue
            lines.append(f"- Năm {year}: [[unit:name]] được đánh giá, xếp loại “{escape_text(r.outcome_label)}” "
                         f"([[value:lc_commune_{r.outcome}|period={year}]] xã).")
    if not lines:
        return SectionDraft(text=ctx.text, notices=[missing_notice(ctx)])
    return SectionDraft(text=join_paragraphs(ctx.text, "\n\n".join(lines)))


def literacy_standard_lines(ctx: SectionContext) -> list[str]:
    """The "21/21 xã, thị trấn đạt chuẩn …" lines: communes whose level (computed by xhht.literacy from
    the survey) reaches each level, and the unit's own level; params ``standards``."""
    params = ctx.params
    standards = list(params.get("standards", []))
    if not standards or capability("xhht.literacy.selectors") is None:
        return []
    year = latest_year_with(ctx.resolver, str(standards[0]["element"]), until=ctx.period.end)
    if year is None:
        return []
    lines = []
    for item in standards:
        element, level, words = item["element"], int(item["level"]), item["words"]
        if ctx.level != "commune":
            children = "xã, thị trấn" if ctx.level == "district" else "đơn vị cấp xã"
            lines.append(f"+ [[count:communes_meeting|element={element}|min={level}|period={year}]]/[[count:communes]] "
                         f"{children} đạt chuẩn {words} mức độ {level} (năm {year}).")
        lines.append(f"+ [[unit:title]] đạt chuẩn {words} mức độ [[value:{element}|period={year}]] (năm {year}).")
    return lines

from xhht.official_reports import providers_review  # noqa: E402,F401  (registers indicators.targets_review)
