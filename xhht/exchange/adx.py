"""ADX, the Aggregate Data Exchange of IHE QRPH (ISO 17369 SDMX profile): reading and writing.

    <adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-12-01T10:00:00Z">
      <group orgUnit="05115" period="2019-01-01/P1Y" dataSet="XHHT">
        <dataValue dataElement="literacy_new_literate" value="12"/>
        <dataValue dataElement="literacy_level2_rate" age_band="15-35" value="98.75"/>
      </group>
    </adx>

A group is one org unit and one period; the ``dataValue``'s attributes other than ``dataElement`` and ``value`` are
its disaggregation (category = option); DHIS2's ADX also accepts a ``categoryOptionCombo`` attribute instead, read
through the mapping's disaggregations as in JSON. Group attributes other than orgUnit, period and dataSet (attribute
categories, completeDate) are not kept by XHHT and are ignored. Periods are ISO 8601 start/duration: ``2019-01-01/P1Y`` a year,
``2019-01-01/P6M`` and ``2019-07-01/P6M`` the half-years, ``2019-09-01/P1Y`` a school year, ``2016-01-01/P5Y`` a
phase. Read with defusedxml: a DTD, an entity declaration or an external reference is refused (no XXE).

What :func:`adx_write` writes validates against the profile's generic XML Schema (xhht/exchange/schemas/adx, its
source in the README there; tested in tests/test_adx_schema.py): ``exported``, one group per org unit and period, each
with at least one dataValue, decimal values without exponent, category attribute names that are XML names (the mapping
file checks them). The schema wants at least one group, each with at least one dataValue: there is no valid ADX document
with no values, so an export that finds none is refused with :data:`EMPTY_EXPORT` (an ``ExchangeError``, 404: the API
and ``xhht exchange export`` answer with it) rather than written as an ``<adx>`` no receiver would accept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timezone
from itertools import groupby
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from xhht.exchange.rows import FormatError, OutRow, Row
from xhht.indicators.periods import parse_period

NS = "urn:ihe:qrph:adx:2015"
_PERIOD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})/P(\d+)([YMWD])$")
_VALUE_ATTRS = {"dataElement", "value", "categoryOptionCombo"}
EMPTY_EXPORT = ("Không có giá trị nào để xuất trong phạm vi đã chọn (đơn vị, kỳ, phần tử dữ liệu). Tài liệu ADX phải có ít nhất "
                "một nhóm (group) với ít nhất một giá trị (dataValue), nên không tạo tệp ADX rỗng: hãy chọn kỳ hoặc đơn vị khác, "
                "hoặc xuất dạng JSON (format=dhis2) để nhận một danh sách rỗng.")


def period_from_adx(text: str) -> str:
    """ADX period (start/duration) → XHHT period code; ValueError (Vietnamese) for any period XHHT does not keep."""
    m = _PERIOD.match((text or "").strip())
    if m:
        year, start, n, unit = int(m.group(1)), f"{m.group(2)}-{m.group(3)}", int(m.group(4)), m.group(5)
        if unit == "Y" and start == "01-01" and n == 1:
            return str(year)
        if unit == "M" and n == 6 and start in {"01-01", "07-01"}:
            return f"{year}-H{1 if start == '01-01' else 2}"
        if unit == "Y" and start == "09-01" and n == 1:
            return f"{year}-{year + 1}"
        if unit == "Y" and start == "01-01" and n >= 3:
            return f"{year}-{year + n - 1}"
    raise ValueError(f"kỳ «{text}» không hợp lệ hoặc XHHT không lưu: dùng 2019-01-01/P1Y (năm), 2019-01-01/P6M, 2019-07-01/P6M "
                     "(6 tháng), 2019-09-01/P1Y (năm học) hoặc 2016-01-01/P5Y (giai đoạn).")


def period_to_adx(code: str) -> str:
    p = parse_period(code)
    if p.kind == "year":
        return f"{p.start.year}-01-01/P1Y"
    if p.kind == "half_year":
        return f"{p.start.isoformat()}/P6M"
    if p.kind == "school_year":
        return f"{p.start.year}-09-01/P1Y"
    return f"{p.start.year}-01-01/P{p.end.year - p.start.year + 1}Y"


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def adx_parse(payload: bytes) -> list[Row]:
    """Read an ADX document; raises :class:`FormatError` for malformed XML, a DTD or entities, or another document."""
    try:
        root = fromstring(payload, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FormatError("Tệp XML có khai báo DTD, thực thể (entity) hoặc tham chiếu ra ngoài: không nhận (chống tấn công XXE).") from None
    except ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        raise FormatError(f"XML sai cú pháp ở dòng {line}, cột {col + 1}.") from None
    ns, name = _local(root.tag)
    if name != "adx" or ns != NS:
        raise FormatError(f"Không phải tài liệu ADX: phần tử gốc phải là <adx xmlns=\"{NS}\">.")
    rows: list[Row] = []
    for g, group in enumerate(root, start=1):
        if _local(group.tag) != (NS, "group"):
            raise FormatError(f"Phần tử thứ {g} trong <adx> là <{_local(group.tag)[1]}>, cần <group>.")
        unit, period = group.get("orgUnit", ""), group.get("period", "")
        for v, value in enumerate((el for el in group if _local(el.tag) == (NS, "dataValue")), start=1):
            cats = {k: val for k, val in value.attrib.items() if k not in _VALUE_ATTRS and not k.startswith("{")}
            rows.append(Row(where=f"group {g}, dataValue {v}", data_element=value.get("dataElement", ""), period=period, org_unit=unit,
                            value=value.get("value"), categories=cats, coc=value.get("categoryOptionCombo")))
    return rows


def adx_write(rows: Iterable[OutRow], *, data_set: str = "") -> bytes:
    """The rows as an ADX document; ``ExchangeError`` (404, :data:`EMPTY_EXPORT`) when there is none."""
    root = Element("adx", {"xmlns": NS, "exported": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")})
    for (unit, period), values in groupby(rows, key=lambda r: (r.org_unit, r.period)):
        attrs = {"orgUnit": unit, "period": period_to_adx(period)}
        if data_set:
            attrs["dataSet"] = data_set
        group = SubElement(root, "group", attrs)
        for r in values:
            SubElement(group, "dataValue", {"dataElement": r.data_element, **r.categories, "value": r.value})
    if len(root) == 0:
        from xhht.exchange.services import ExchangeError  # services imports this module: the error is taken at run time

        raise ExchangeError(EMPTY_EXPORT, status=404)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode("utf-8")
