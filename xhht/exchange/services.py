"""Exchange of indicator values with other systems: DHIS2 dataValueSets JSON and ADX XML (docs/exchange.md).

Import is all or nothing: every value is checked (the mapping, the catalogue, the period, the number, the caller's
right to write the unit, as on the web) before anything is written; one refused value refuses the whole payload and
the summary names each refused value (its position, its field, the reason in Vietnamese). The write goes through
:func:`xhht.indicators.services.data_values_write` (history, audit, roll-ups, bulk COPY on PostgreSQL), and the
import itself is audited with the acting user, refused or not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from xhht.accounts.access import can_edit_unit, can_view_unit
from xhht.audit.services import audit_record
from xhht.core.bulk import in_many
from xhht.core.numbers import NumberError, parse_number
from xhht.exchange import adx, dhis2
from xhht.exchange.mapping import IDENTITY, Mapping
from xhht.exchange.rows import FormatError, OutRow, Row
from xhht.exchange.selectors import export_values
from xhht.indicators.models import DataValue, Source
from xhht.indicators.periods import parse_period
from xhht.indicators.services import Value, data_values_write_counted, disaggregation_key
from xhht.units.models import Unit

_DIGITS = re.compile(r"^[0-9]{1,15}$")
FORMATS = {"dhis2": "dhis2", "json": "dhis2", "adx": "adx", "xml": "adx"}
CONTENT_TYPES = {"dhis2": "application/json", "adx": "application/adx+xml"}
# The size bound, checked before parsing (settings.XHHT_EXCHANGE_MAX_BYTES, 50 MB by default).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "XHHT_EXCHANGE_MAX_BYTES", DEFAULT_MAX_BYTES))


class ExchangeError(ValueError):
    """The payload as a whole is refused (nothing read, nothing written): ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Conflict:
    """One refused value: where it is in the payload, which field, the value given, why (Vietnamese).
    ``kind``: invalid (400), forbidden (403: a unit the caller may read but not write), not_found (404: a unit that
    does not exist or that the caller may not read, told apart no more than on the web)."""

    where: str
    field: str
    value: str
    reason: str
    kind: str = "invalid"

    @property
    def message(self) -> str:
        return f"{self.where}, {self.field} «{self.value}»: {self.reason}"


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.conflicts

    @property
    def status(self) -> str:
        return "SUCCESS" if self.ok else "ERROR"

    @property
    def http_status(self) -> int:
        kinds = {c.kind for c in self.conflicts}
        return 403 if "forbidden" in kinds else 404 if "not_found" in kinds else 400 if kinds else 200

    def as_dict(self) -> dict[str, Any]:
        """The summary as the API answers it (shaped like DHIS2's import summary)."""
        message = "Đã nhập số liệu." if self.ok else f"Không ghi gì: {len(self.conflicts)} giá trị bị từ chối."
        first = self.conflicts[0] if self.conflicts else None
        return {"status": self.status, "dryRun": self.dry_run,
                # The API's error shape too: the Vietnamese message and the first field at fault.
                "detail": message if not self.ok else None,
                "field": f"{first.where}.{first.field}" if first else None,
                "importCount": {"imported": self.imported, "updated": self.updated, "ignored": self.ignored, "deleted": 0},
                "message": message,
                "conflicts": [{"object": c.where, "property": c.field, "value": c.value, "message": c.reason} for c in self.conflicts]}


def format_name(fmt: str) -> str:
    name = FORMATS.get((fmt or "").strip().lower())
    if name is None:
        raise ExchangeError(f"Định dạng «{fmt}» không hỗ trợ: dùng dhis2 (JSON dataValueSet) hoặc adx (XML).", status=415)
    return name


def _parse(payload: bytes, fmt: str) -> list[Row]:
    limit = max_bytes()
    if len(payload) > limit:
        raise ExchangeError(f"Dữ liệu quá lớn ({len(payload) / 1024 / 1024:.1f} MB)".replace(".", ",") + f"; tối đa {limit // (1024 * 1024)} MB mỗi lần nhập: "
                            "hãy chia nhỏ.", status=413)
    try:
        return dhis2.datavalueset_parse(payload) if fmt == "dhis2" else adx.adx_parse(payload)
    except FormatError as exc:
        raise ExchangeError(str(exc), status=400) from None


def _disaggregation(row: Row, fmt: str, mapping: Mapping, reverse_dis: dict[str, str], reverse_cat: dict[str, str]) -> dict[str, str]:
    """The XHHT disaggregation of a row; ValueError (Vietnamese) if the identifier cannot be read."""
    if fmt == "adx" and row.coc is None:
        return {reverse_cat.get(k, k): v for k, v in (row.categories or {}).items()}
    if row.categories:
        raise ValueError("có cả categoryOptionCombo và thuộc tính phân tổ: chỉ dùng một cách.")
    coc = (row.coc or "").strip()
    if coc in reverse_dis:
        key = reverse_dis[coc]
    elif coc in dhis2.DEFAULT_COCS:
        key = ""
    else:
        key = coc
    parts: dict[str, str] = {}
    for part in filter(None, key.split(";")):
        name, eq, option = part.partition("=")
        if not eq or not name or not option:
            raise ValueError("không có trong tệp ánh xạ và không phải một phân tổ XHHT (ví dụ age_band=15-35;sex=F).")
        parts[name] = option
    return parts


def _combo_check(row: Row, *, fmt: str, mapping: Mapping, elements: dict[str, Any], rev_el: dict[str, str], rev_dis: dict[str, str],
                 rev_cat: dict[str, str], read_period: Any, dis_field: str) -> _Combo:
    """What a row's element, period and disaggregation say, checked once for every row that shares them."""
    before: list[tuple[str, str, str]] = []  # (field, value, reason): element and period, named before the unit
    after: list[tuple[str, str, str]] = []  # the disaggregation, named after the unit
    element_code = rev_el.get(row.data_element, row.data_element)
    el = elements.get(element_code)
    if el is None:
        before.append(("dataElement", row.data_element, "không có phần tử dữ liệu này trong danh mục XHHT (và không có trong tệp ánh xạ)."))
    period = ""
    try:
        period = read_period(row.period)
    except ValueError as exc:
        before.append(("period", row.period, str(exc)))
    else:
        if el is not None:
            kind = parse_period(period)
            if kind.kind not in el.period_types:
                before.append(("period", row.period, f"phần tử «{el.code}» không nhận số liệu cho {kind.label} "
                                                     f"(danh mục: {', '.join(el.period_types)})."))
    shown_dis = (row.coc or "") if row.coc is not None or fmt == "dhis2" else ";".join(f"{k}={v}" for k, v in sorted((row.categories or {}).items()))
    parts: dict[str, str] = {}
    try:
        parts = _disaggregation(row, fmt, mapping, rev_dis, rev_cat)
    except ValueError as exc:
        after.append((dis_field, shown_dis, str(exc)))
    else:
        if el is not None:
            unknown = sorted(set(parts) - set(el.disaggregations))
            if unknown:
                declared = ", ".join(el.disaggregations) or "không phân tổ"
                after.append((dis_field, shown_dis, f"phần tử «{el.code}» không phân tổ theo «{', '.join(unknown)}» (danh mục: {declared})."))
    return _Combo(element=element_code, period=period, parts=parts, key=disaggregation_key(parts), whole=el is not None and el.value_type == "integer",
                  before=before, after=after)


@dataclass(frozen=True)
class _Combo:
    element: str
    period: str  # "" when unreadable
    parts: dict[str, str]
    key: str
    whole: bool  # an integer element: the value must be a whole number
    before: list[tuple[str, str, str]]
    after: list[tuple[str, str, str]]


def _rows_to_values(rows: Sequence[Row], *, user: Any, fmt: str, mapping: Mapping) -> tuple[list[Value], list[Conflict]]:
    """Check every row, in order, and turn the good ones into values; the conflicts name each refused row.

    What a row's element, period and disaggregation say is checked once per distinct combination
    (:func:`_combo_check`), its unit once per unit: the per-row work is a few dictionary lookups and the number."""
    from xhht.indicators.catalogue import catalogue

    elements = catalogue().elements
    rev_el, rev_unit = mapping.reverse("elements"), mapping.reverse("units")
    rev_dis, rev_cat = mapping.reverse("disaggregations"), mapping.reverse("categories")
    read_period = dhis2.period_from_dhis2 if fmt == "dhis2" else adx.period_from_adx
    unit_field = "orgUnit"
    dis_field = "categoryOptionCombo" if fmt == "dhis2" else "thuộc tính phân tổ"
    wanted_units = {rev_unit.get(r.org_unit, r.org_unit) for r in rows}
    existing = set(Unit.objects.filter(code__in=in_many(sorted(wanted_units))).values_list("code", flat=True))
    unit_state: dict[str, tuple[str, str, str] | None] = {}
    combos: dict[tuple[Any, ...], _Combo] = {}
    conflicts: list[Conflict] = []
    values: list[Value] = []
    seen: dict[tuple[str, str, str, str], str] = {}
    digits = _DIGITS.match
    for row in rows:
        ck = (row.data_element, row.period, row.coc, tuple(sorted(row.categories.items())) if row.categories else None)
        combo = combos.get(ck)
        if combo is None:
            combo = combos[ck] = _combo_check(row, fmt=fmt, mapping=mapping, elements=elements, rev_el=rev_el, rev_dis=rev_dis,
                                              rev_cat=rev_cat, read_period=read_period, dis_field=dis_field)
        unit_code = rev_unit.get(row.org_unit, row.org_unit)
        if unit_code not in unit_state:
            if unit_code not in existing or not can_view_unit(user, unit_code):
                unit_state[unit_code] = (unit_field, "không có đơn vị này, hoặc bạn không được xem đơn vị này.", "not_found")
            elif not can_edit_unit(user, unit_code):
                unit_state[unit_code] = (unit_field, "bạn không có quyền ghi số liệu của đơn vị này.", "forbidden")
            else:
                unit_state[unit_code] = None
        refused = unit_state[unit_code]
        text = row.value
        number: Decimal | None = None
        if combo.before or combo.after or refused is not None or text is None or not digits(text):
            bad = len(conflicts)
            conflicts.extend(Conflict(row.where, f, v, reason) for f, v, reason in combo.before)
            if refused is not None:
                conflicts.append(Conflict(row.where, refused[0], row.org_unit, refused[1], refused[2]))
            conflicts.extend(Conflict(row.where, f, v, reason) for f, v, reason in combo.after)
            if text is None or not text.strip():
                conflicts.append(Conflict(row.where, "value", text or "", "thiếu giá trị (XHHT không xóa số liệu qua tệp trao đổi)."))
            else:
                try:
                    # Plain digits (what other systems send, nearly always) are exact as they are; anything else goes
                    # through the one number reader, which refuses the ambiguous and the malformed.
                    number = Decimal(text) if digits(text) else parse_number(text, whole=combo.whole, max_digits=15)
                except NumberError as exc:
                    conflicts.append(Conflict(row.where, "value", text, str(exc)))
            if len(conflicts) > bad or not combo.period or number is None:
                continue
        else:
            number = Decimal(text)
        key = (combo.element, unit_code, combo.period, combo.key)
        if key in seen:
            conflicts.append(Conflict(row.where, "dataElement", row.data_element, f"trùng giá trị đã có ở {seen[key]} (cùng phần tử, đơn vị, kỳ, phân tổ)."))
            continue
        seen[key] = row.where
        values.append(Value(element=combo.element, unit_code=unit_code, period=combo.period, value=number, disaggregation=combo.parts))
    return values, conflicts


def _counts(values: Sequence[Value]) -> tuple[int, int, int]:
    """(new, changed, unchanged) against the stored values: a dry run's summary (a write counts as it writes)."""
    current: dict[tuple[str, str, str, str], Decimal] = {}
    elements = sorted({v.element for v in values})
    periods = sorted({v.period for v in values})
    units = sorted({v.unit_code for v in values})
    for i in range(0, len(units), 2000):
        rows = DataValue.objects.filter(element__in=elements, period__in=periods, unit_id__in=units[i:i + 2000]).values_list(
            "element", "unit_id", "period", "disaggregation", "value")
        for e, u, p, d, value in rows.iterator(chunk_size=10000):
            current[(e, u, p, d)] = value
    new = changed = same = 0
    for v in values:
        old = current.get((v.element, v.unit_code, v.period, disaggregation_key(v.disaggregation)))
        if old is None:
            new += 1
        elif Decimal(old) == Decimal(v.value or 0):
            same += 1
        else:
            changed += 1
    return new, changed, same


def datavalues_import(*, user: Any, payload: bytes, fmt: str, mapping: Mapping | None = None, dry_run: bool = False) -> ImportSummary:
    """Import a DHIS2 dataValueSet (``fmt="dhis2"``) or an ADX document (``fmt="adx"``), all or nothing.

    Raises :class:`ExchangeError` when the payload as a whole is refused (401 no user, 413 too large, 400 malformed,
    415 unknown format). Otherwise returns the summary: with conflicts, nothing was written (``http_status`` says
    400/403/404); with ``dry_run``, everything is checked and counted and nothing written.
    """
    name = format_name(fmt)
    if not getattr(user, "is_authenticated", False):
        raise ExchangeError("Cần đăng nhập (hoặc mã truy cập API) để nhập số liệu.", status=401)
    rows = _parse(payload, name)
    values, conflicts = _rows_to_values(rows, user=user, fmt=name, mapping=mapping or IDENTITY)
    summary = ImportSummary(conflicts=conflicts, dry_run=dry_run)
    fmt_label = "DHIS2 dataValueSet" if name == "dhis2" else "ADX"
    if conflicts:
        audit_record(actor=user, action="datavalues_import_refused", object_type="indicators.datavalue", object_id=name,
                     object_repr=f"Nhập số liệu {fmt_label}: từ chối", changes={"rows": [None, len(rows)], "conflicts": [None, len(conflicts)]},
                     note="; ".join(c.message for c in conflicts[:5])[:2000])
        return summary
    if dry_run:
        summary.imported, summary.updated, summary.ignored = _counts(values)
        return summary
    with transaction.atomic():
        counts = data_values_write_counted(actor=user, values=values, source=Source.IMPORTED, rule=f"Nhập {fmt_label}")
        summary.imported, summary.updated = counts.new, counts.updated
        summary.ignored = len(values) - counts.new - counts.updated  # the same figure as stored (an exchange never removes)
        audit_record(actor=user, action="datavalues_import", object_type="indicators.datavalue", object_id=name,
                     object_repr=f"Nhập số liệu {fmt_label}",
                     changes={"imported": [None, summary.imported], "updated": [None, summary.updated], "ignored": [None, summary.ignored]},
                     note=f"{len(rows)} giá trị, {len({v.unit_code for v in values})} đơn vị")
    return summary


def _number_text(value: Decimal) -> str:
    """Plain decimal text, never an exponent (``1E+3``): ADX's schema types the value xs:decimal."""
    if value == value.to_integral_value():
        return format(value.to_integral_value(), "f")
    return format(value.normalize(), "f")


def datavalues_export(*, user: Any, unit_code: str, period_from: str, period_to: str, elements: Sequence[str] | None = None,
                      fmt: str, mapping: Mapping | None = None) -> bytes:
    """The values of ``unit_code`` and every unit under it (those ``user`` may read), for the periods within
    ``period_from``…``period_to`` (XHHT period codes: 2016, 2019-H1, 2019-2020, 2016-2020), as a DHIS2 dataValueSet
    or an ADX document. Raises :class:`ExchangeError` (401, 404 for a unit the user may not read, 400 bad period)."""
    name = format_name(fmt)
    if not getattr(user, "is_authenticated", False):
        raise ExchangeError("Cần đăng nhập (hoặc mã truy cập API) để xuất số liệu.", status=401)
    mapping = mapping or IDENTITY
    code = mapping.reverse("units").get(unit_code, unit_code)
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not can_view_unit(user, unit):
        raise ExchangeError(f"Không tìm thấy đơn vị «{unit_code}».", status=404)
    try:
        start, end = parse_period(period_from), parse_period(period_to)
    except ValueError as exc:
        raise ExchangeError(str(exc), status=400) from None
    if end.end < start.start:
        raise ExchangeError(f"Kỳ cuối «{period_to}» ở trước kỳ đầu «{period_from}».", status=400)
    out = []
    for element, unit_id, period, key, value in export_values(user=user, unit=unit, start=start, end=end, elements=elements):
        parts = dict(p.split("=", 1) for p in key.split(";") if p)
        coc = mapping.disaggregations.get(key) or (key or None)
        out.append(OutRow(data_element=mapping.out("elements", element), period=period, org_unit=mapping.out("units", unit_id),
                          value=_number_text(Decimal(value)), coc=coc,
                          categories={mapping.out("categories", k): v for k, v in parts.items()}))
    if name == "dhis2":
        return dhis2.datavalueset_write(out, data_set=mapping.data_set)
    return adx.adx_write(out, data_set=mapping.data_set)
