"""The seven registers described once: their columns, how a row is read and checked, who owns a record.

The web form, the Excel/CSV importer and the export all go through these descriptions, so a value
refused on import is refused the same way on the form, with the same Vietnamese message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

from xhht.accounts.access import can_edit_organisation, can_edit_unit
from xhht.activities import parsing
from xhht.activities.models import BudgetLine, ClcStaffing, ClcTopic, Commendation, CommunicationItem, LifelongWeek, VocationalClass
from xhht.organisations.models import Organisation, OrganisationKind
from xhht.core.text import fold
from xhht.units.models import Unit


@dataclass(frozen=True)
class Column:
    name: str  # canonical header and form field; a model field, except unit_code / organisation
    label: str  # Vietnamese header (also accepted on import) and form label
    kind: str  # text | count | count_optional | money | school_year | year | year_or_phase | choice | flag | unit | organisation
    required: bool = True
    vocabulary: str = ""
    max_length: int = 0
    help: str = ""
    aliases: tuple[str, ...] = ()  # other headers accepted on import (e.g. the seed's own wording)
    example: str = ""  # a typical value, shown in the template's guidance sheet (text columns; other kinds derive theirs)


@dataclass(frozen=True)
class RegisterSpec:
    key: str  # name used in rules.yaml
    slug: str  # URL segment
    title: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    period_field: str
    period_kind: str  # school_year | year (a year, or a phase for year_or_phase)
    window: str  # programme window in registers.yaml
    owner: str  # centre | unit | organisation
    scope: tuple[str, ...]  # an import replaces the records of each such scope found in the file
    unique: tuple[str, ...] = ()
    checks: tuple[Callable[[dict[str, Any]], list[tuple[str, str]]], ...] = field(default_factory=tuple)
    summary_help: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def record_fields(self) -> list[str]:
        """Model fields compared when deciding whether a replace changes anything."""
        names = [c.name for c in self.columns if c.kind not in {"unit", "organisation"}]
        names.insert(0, "unit_id")
        if self.owner == "centre":
            names.insert(1, "centre_id")
        if self.owner == "organisation":
            names.insert(1, "organisation_id")
        return names


class RowInvalid(Exception):
    """A record's data is refused; ``problems`` is a list of (column or "", Vietnamese message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(m for _, m in problems))


def _breakdown_not_above(total: str, parts: list[str]) -> Callable[[dict[str, Any]], list[tuple[str, str]]]:
    def check(data: dict[str, Any]) -> list[tuple[str, str]]:
        problems = []
        whole = data.get(total)
        if whole is None:
            return []
        for part in parts:
            value = data.get(part)
            if value is not None and value > whole:
                problems.append((part, f"số {VOCATIONAL_LABELS[part]} ({value}) lớn hơn số người học ({whole})."))
        return problems

    return check


def _classes_need_participants(data: dict[str, Any]) -> list[tuple[str, str]]:
    if data.get("classes") and data.get("participants") == 0:
        return [("participants", "có lớp thì phải có người tham gia.")]
    return []


VOCATIONAL_LABELS = {
    "ethnic_minority": "người dân tộc thiểu số",
    "poor_household": "người thuộc hộ nghèo",
    "policy_beneficiary": "đối tượng chính sách",
    "disabled": "người khuyết tật",
}

DATA_SHEET = "Dữ liệu"  # the sheet of a workbook the import reads (the template's guidance sheet is not read)

UNIT = Column("unit_code", "Mã đơn vị", "unit", help="mã xã, thị trấn (hoặc huyện)")
NOTE = Column("note", "Ghi chú", "text", required=False, max_length=500)

CLC_STAFFING = RegisterSpec(
    key="clc_staffing",
    slug="can-bo-tthtcd",
    title="Cán bộ trung tâm học tập cộng đồng",
    model=ClcStaffing,
    columns=(
        Column("unit_code", "Mã xã", "unit", help="mã xã, thị trấn có trung tâm"),
        Column("school_year", "Năm học", "school_year"),
        Column("managers", "Cán bộ quản lý", "count"),
        Column("accountants_treasurers", "Kế toán, thủ quỹ", "count"),
        NOTE,
    ),
    period_field="school_year",
    period_kind="school_year",
    window="learning_society",
    owner="centre",
    scope=("centre", "school_year"),
    unique=("centre", "school_year"),
)

CLC_TOPIC = RegisterSpec(
    key="clc_topic",
    slug="chuyen-de",
    title="Chuyên đề của trung tâm học tập cộng đồng",
    model=ClcTopic,
    columns=(
        Column("unit_code", "Mã xã", "unit", help="mã xã, thị trấn có trung tâm"),
        Column("school_year", "Năm học", "school_year", help="ví dụ 2019-2020", aliases=("Năm",)),
        Column("title", "Tên chuyên đề", "text", max_length=300, aliases=("Chuyên đề",), example="Kỹ thuật nuôi gà thả vườn"),
        Column("subject_area", "Lĩnh vực", "choice", vocabulary="clc_subject_area"),
        Column("speaker_organisation", "Báo cáo viên (cơ quan)", "text", required=False, max_length=250,
               example="Trạm Khuyến nông huyện"),
        Column("classes", "Số lớp", "count"),
        Column("participants", "Người tham gia", "count"),
        NOTE,
    ),
    period_field="school_year",
    period_kind="school_year",
    window="learning_society",
    owner="centre",
    scope=("centre", "school_year"),
    checks=(_classes_need_participants,),
)

VOCATIONAL = RegisterSpec(
    key="vocational_class",
    slug="day-nghe",
    title="Lớp dạy nghề cho lao động nông thôn",
    model=VocationalClass,
    columns=(
        UNIT,
        Column("year", "Năm", "year"),
        Column("name", "Tên lớp", "text", max_length=250, example="Lớp 01/2021: May dân dụng"),
        Column("trade", "Nghề", "text", max_length=200, example="May dân dụng"),
        Column("sector", "Nhóm nghề", "choice", vocabulary="vocational_sector"),
        Column("level", "Trình độ", "choice", vocabulary="vocational_level"),
        Column("organiser", "Cơ sở tổ chức", "text", required=False, max_length=250, example="Trung tâm Giáo dục nghề nghiệp huyện"),
        Column("funding_source", "Nguồn kinh phí", "choice", vocabulary="funding_source"),
        Column("learners", "Số người học", "count"),
        Column("ethnic_minority", "Người dân tộc thiểu số", "count_optional", aliases=("Dân tộc thiểu số",)),
        Column("poor_household", "Lao động thuộc hộ nghèo", "count_optional"),
        Column("policy_beneficiary", "Lao động là đối tượng chính sách", "count_optional"),
        Column("disabled", "Lao động là người khuyết tật", "count_optional", aliases=("Lao động là người tàn tật", "Người khuyết tật", "Người tàn tật")),
        NOTE,
    ),
    period_field="year",
    period_kind="year",
    window="vocational_training",
    owner="unit",
    scope=("unit", "year"),
    checks=(_breakdown_not_above("learners", ["ethnic_minority", "poor_household", "policy_beneficiary", "disabled"]),),
)

LIFELONG_WEEK = RegisterSpec(
    key="lifelong_week",
    slug="tuan-le-hoc-tap",
    title="Tuần lễ hưởng ứng học tập suốt đời",
    model=LifelongWeek,
    columns=(
        UNIT,
        Column("year", "Năm", "year"),
        Column("theme", "Chủ đề", "text", required=False, max_length=300, example="Học tập suốt đời vì tương lai"),
        Column("host_school", "Trường đăng cai", "text", required=False, max_length=250, example="Trường Tiểu học xã"),
        Column("host_centre", "TTHTCĐ phối hợp", "text", required=False, max_length=250, example="TTHTCĐ xã"),
        Column("participants", "Người tham gia", "count_optional"),
        Column("delegates", "Đại biểu", "count_optional"),
        Column("books_collected", "Sách thu được", "count_optional"),
        Column("banners", "Băng rôn, khẩu hiệu", "count_optional"),
        NOTE,
    ),
    period_field="year",
    period_kind="year",
    window="learning_society",
    owner="unit",
    scope=("unit", "year"),
    unique=("unit", "year"),
)

COMMUNICATION = RegisterSpec(
    key="communication",
    slug="truyen-thong",
    title="Tin, bài tuyên truyền",
    model=CommunicationItem,
    columns=(
        UNIT,
        Column("organisation", "Cơ quan", "organisation", help="tên cơ quan, tổ chức của đơn vị", example="Hội Khuyến học xã"),
        Column("period", "Năm hoặc giai đoạn", "year_or_phase", help="2019, hoặc 2012-2020"),
        Column("channel", "Kênh", "choice", vocabulary="communication_channel"),
        Column("kind", "Loại", "choice", vocabulary="communication_kind"),
        Column("count", "Số lượng", "count"),
        Column("estimated", "Ước tính", "flag", required=False),
        NOTE,
    ),
    period_field="period",
    period_kind="year",
    window="learning_society",
    owner="organisation",
    scope=("organisation", "period"),
    unique=("organisation", "period", "channel", "kind"),
)

COMMENDATION = RegisterSpec(
    key="commendation",
    slug="khen-thuong",
    title="Khen thưởng",
    model=Commendation,
    columns=(
        UNIT,
        Column("year", "Năm", "year"),
        Column("level", "Hình thức, cấp khen", "choice", vocabulary="commendation_level"),
        Column("recipient_kind", "Đối tượng", "choice", vocabulary="commendation_recipient"),
        Column("recipient_name", "Tên tập thể, cá nhân", "text", required=False, max_length=250, example="Nguyễn Văn A"),
        Column("decision", "Quyết định", "text", required=False, max_length=120, example="Số 123/QĐ-UBND ngày 15/12/2021"),
        Column("reason", "Thành tích", "text", required=False, max_length=500, example="Có thành tích xuất sắc trong phong trào khuyến học"),
        NOTE,
    ),
    period_field="year",
    period_kind="year",
    window="learning_society",
    owner="unit",
    scope=("unit", "year"),
)

BUDGET = RegisterSpec(
    key="budget_line",
    slug="kinh-phi",
    title="Kinh phí",
    model=BudgetLine,
    columns=(
        UNIT,
        Column("period", "Năm hoặc giai đoạn", "year_or_phase"),
        Column("source", "Nguồn", "choice", vocabulary="funding_source"),
        Column("purpose", "Nội dung chi", "choice", vocabulary="budget_purpose"),
        Column("amount", "Số tiền (đồng)", "money", help="ví dụ 25.000.000"),
        Column("beneficiary", "Đơn vị sử dụng", "text", required=False, max_length=250, example="TTHTCĐ xã"),
        NOTE,
    ),
    period_field="period",
    period_kind="year",
    window="learning_society",
    owner="unit",
    scope=("unit", "period"),
)

REGISTERS: dict[str, RegisterSpec] = {
    s.key: s for s in [CLC_TOPIC, CLC_STAFFING, VOCATIONAL, LIFELONG_WEEK, COMMUNICATION, COMMENDATION, BUDGET]
}
BY_SLUG: dict[str, RegisterSpec] = {s.slug: s for s in REGISTERS.values()}


def register_fields() -> dict[str, dict[str, str]]:
    """{register: {field name: ""} + {"__period__": period kind}}, for checking rules.yaml."""
    out: dict[str, dict[str, str]] = {}
    for spec in REGISTERS.values():
        fields = {f.name: "" for f in spec.model._meta.concrete_fields}
        fields["__period__"] = spec.period_kind
        out[spec.key] = fields
    return out


def centre_of(unit_code: str) -> Organisation | None:
    return Organisation.objects.filter(unit_id=unit_code, kind=OrganisationKind.COMMUNITY_LEARNING_CENTRE).order_by("pk").first()


class Lookups:
    """Units, centres and organisations read once per import instead of once per row."""

    def __init__(self) -> None:
        self._units: dict[str, Unit | None] = {}
        self._centres: dict[str, Organisation | None] = {}
        self._organisations: dict[str, list[Organisation]] = {}

    def unit(self, code: str) -> Unit | None:
        if code not in self._units:
            self._units[code] = Unit.objects.filter(code=code).first()
        return self._units[code]

    def centre(self, code: str) -> Organisation | None:
        if code not in self._centres:
            self._centres[code] = centre_of(code)
        return self._centres[code]

    def organisations(self, code: str) -> list[Organisation]:
        if code not in self._organisations:
            self._organisations[code] = list(Organisation.objects.filter(unit_id=code))
        return self._organisations[code]


def parse_row(spec: RegisterSpec, raw: Mapping[str, str | None], *, user: Any | None = None, lookups: Lookups | None = None) -> dict[str, Any]:
    """Read one row (form or file) into model field values; raises :class:`RowInvalid` with every problem.

    With ``user``, a unit or organisation the user may not change is a problem too.
    """
    from xhht.activities.definitions import catalogue

    cat = catalogue()
    lookups = lookups or Lookups()
    window = cat.windows[spec.window]
    data: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    unit: Unit | None = None
    for column in spec.columns:
        text = raw.get(column.name)
        text = text.strip() if isinstance(text, str) else text
        try:
            if column.kind == "unit":
                code = (text or "").strip()
                if not code:
                    raise ValueError("thiếu mã đơn vị.")
                unit = lookups.unit(code)
                if unit is None:
                    raise ValueError(f"không có đơn vị mã «{code}».")
                if spec.owner == "centre":
                    centre = lookups.centre(unit.code)
                    if centre is None:
                        raise ValueError(f"{unit.full_name} chưa có trung tâm học tập cộng đồng.")
                    data["centre"] = centre
                    if user is not None and not can_edit_organisation(user, centre):
                        raise ValueError(f"bạn không có quyền nhập dữ liệu cho {unit.full_name}.")
                elif spec.owner == "unit" and user is not None and not can_edit_unit(user, unit):
                    raise ValueError(f"bạn không có quyền nhập dữ liệu cho {unit.full_name}.")
                data["unit"] = unit
            elif column.kind == "organisation":
                if unit is None:
                    continue  # the unit's own problem is reported already
                name = (text or "").strip()
                if not name:
                    raise ValueError("thiếu tên cơ quan.")
                candidates = lookups.organisations(unit.code)
                organisation = next((o for o in candidates if name.isdigit() and len(name) < 18 and o.pk == int(name)), None)
                if organisation is None:
                    organisation = next((o for o in candidates if fold(o.name) == fold(name) or (o.short_name and fold(o.short_name) == fold(name))), None)
                if organisation is None:
                    raise ValueError(f"{unit.full_name} không có cơ quan «{name}».")
                if user is not None and not can_edit_organisation(user, organisation):
                    raise ValueError(f"bạn không có quyền nhập dữ liệu cho {organisation.name}.")
                data["organisation"] = organisation
            elif column.kind == "text":
                value = text or ""
                if column.required and not value:
                    raise ValueError(f"thiếu {column.label.lower()}.")
                if column.max_length and len(value) > column.max_length:
                    raise ValueError(f"{column.label} dài quá {column.max_length} ký tự.")
                data[column.name] = value
            elif column.kind == "count":
                data[column.name] = parsing.parse_count(text, what=column.label.lower())
            elif column.kind == "count_optional":
                data[column.name] = parsing.parse_count(text, what=column.label.lower(), required=False)
            elif column.kind == "money":
                data[column.name] = parsing.parse_money(text, what=column.label.lower())
            elif column.kind == "school_year":
                data[column.name] = parsing.parse_school_year(text, first=window.first_year, last=window.last_year)
            elif column.kind == "year":
                data[column.name] = parsing.parse_year(text, first=window.first_year, last=window.last_year)
            elif column.kind == "year_or_phase":
                data[column.name] = parsing.parse_year_or_phase(text, first=window.first_year, last=window.last_year)
            elif column.kind == "choice":
                data[column.name] = parsing.parse_choice(text, cat.choices(column.vocabulary), what=column.label.lower(), required=column.required)
            elif column.kind == "flag":
                data[column.name] = parsing.parse_flag(text)
            else:  # pragma: no cover - a programming error
                raise AssertionError(column.kind)
        except ValueError as exc:
            problems.append((column.name, str(exc)))
    if not problems:
        for check in spec.checks:
            problems.extend(check(data))
    if problems:
        raise RowInvalid(problems)
    return data


def record_to_row(spec: RegisterSpec, record: Any, *, labels: bool = True) -> dict[str, Any]:
    """The record as a row of the register's columns (labels for vocabulary values when ``labels``)."""
    from xhht.activities.definitions import catalogue

    cat = catalogue()
    row: dict[str, Any] = {}
    for column in spec.columns:
        if column.kind == "unit":
            row[column.name] = record.unit_id
        elif column.kind == "organisation":
            row[column.name] = record.organisation.name
        elif column.kind == "choice":
            code = getattr(record, column.name)
            row[column.name] = cat.label(column.vocabulary, code) if labels else code
        elif column.kind == "flag":
            row[column.name] = 1 if getattr(record, column.name) else None
        elif column.kind == "money":
            value = getattr(record, column.name)
            row[column.name] = int(value) if isinstance(value, Decimal) else value
        else:
            value = getattr(record, column.name)
            row[column.name] = None if value in (None, "") else value
    return row


def record_form_values(spec: RegisterSpec, record: Any) -> dict[str, Any]:
    """The record's stored values as the form (or an API update) starts from: codes, not labels; the organisation by id."""
    values = record_to_row(spec, record, labels=False)
    if spec.owner == "organisation":
        values["organisation"] = record.organisation_id
    return values


def aliases(spec: RegisterSpec) -> dict[str, str]:
    """Accepted Vietnamese headers: each column's label and aliases (folded by open_table)."""
    out = {c.label: c.name for c in spec.columns}
    for c in spec.columns:
        out.update({a: c.name for a in c.aliases})
    return out


def required_columns(spec: RegisterSpec) -> list[str]:
    """Columns a file must have; optional counts, flags and free text may be left out entirely."""
    return [c.name for c in spec.columns if c.required and c.kind not in {"flag", "count_optional"}]
