"""DHIS2 dataValueSets JSON (docs.dhis2.org, "Data values" / Web API ``/api/dataValueSets``): reading and writing.

A document is ``{"dataSet", "period", "orgUnit", "completeDate", "attributeOptionCombo", "dataValues": [...]}``; each
data value has ``dataElement``, ``period``, ``orgUnit``, ``categoryOptionCombo``, ``value`` (and optional
``attributeOptionCombo``, ``storedBy``, ``created``, ``lastUpdated``, ``comment``, ``followup``). The set-level
``period``/``orgUnit`` apply to values that do not give their own.

Periods (DHIS2 ISO period identifiers): ``2019`` a year, ``2019S1``/``2019S2`` a half-year (SixMonthly),
``2019Sep`` a school year (FinancialSep: 1 September 2019 – 31 August 2020). XHHT's multi-year phases have no
DHIS2 period type: they are written as XHHT's own code (``2016-2020``) and read back only in that form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from xhht.exchange.rows import FormatError, OutRow, Row
from xhht.indicators.periods import parse_period

_YEAR = re.compile(r"^(\d{4})$")
_SIX = re.compile(r"^(\d{4})S([12])$")
_SEP = re.compile(r"^(\d{4})Sep$")
_PHASE = re.compile(r"^(\d{4})-(\d{4})$")
# DHIS2's default category option combo ("default"): the total, when the mapping says nothing else.
DEFAULT_COCS = {"", "default", "HllvX50cXC0"}


def period_from_dhis2(text: str) -> str:
    """DHIS2 period identifier → XHHT period code; ValueError (Vietnamese) for any other text."""
    text = (text or "").strip()
    if m := _YEAR.match(text):
        return m.group(1)
    if m := _SIX.match(text):
        return f"{m.group(1)}-H{m.group(2)}"
    if m := _SEP.match(text):
        return f"{m.group(1)}-{int(m.group(1)) + 1}"
    if (m := _PHASE.match(text)) and int(m.group(2)) > int(m.group(1)) + 1:
        return f"{m.group(1)}-{m.group(2)}"
    raise ValueError(f"kỳ «{text}» không hợp lệ: dùng 2019 (năm), 2019S1/2019S2 (6 tháng), 2019Sep (năm học) hoặc 2016-2020 (giai đoạn).")


def period_to_dhis2(code: str) -> str:
    p = parse_period(code)
    if p.kind == "year":
        return code
    if p.kind == "half_year":
        return f"{code[:4]}S{code[-1]}"
    if p.kind == "school_year":
        return f"{p.start.year}Sep"
    return p.code


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def datavalueset_parse(payload: bytes) -> list[Row]:
    """Read a dataValueSet JSON document; raises :class:`FormatError` if it is not one."""
    try:
        doc = json.loads(payload.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FormatError("Nội dung không phải văn bản UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise FormatError(f"JSON sai cú pháp ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}.") from None
    if not isinstance(doc, dict):
        raise FormatError("Cần một đối tượng dataValueSet (JSON bắt đầu bằng «{»).")
    values = doc.get("dataValues")
    if not isinstance(values, list):
        raise FormatError("Thiếu danh sách «dataValues» trong dataValueSet.")
    set_period, set_unit = _text(doc.get("period")), _text(doc.get("orgUnit"))
    rows: list[Row] = []
    for i, item in enumerate(values):
        if not isinstance(item, dict):
            raise FormatError(f"dataValues[{i}] không phải một đối tượng JSON.")
        get = item.get
        element, period, unit, value, coc = get("dataElement"), get("period"), get("orgUnit"), get("value"), get("categoryOptionCombo")
        # Strings (nearly always) as they are; numbers, booleans and the rest through _text.
        rows.append(Row(f"dataValues[{i}]", (element if type(element) is str else _text(element)) or "",
                        (period if type(period) is str else _text(period)) or set_period or "",
                        (unit if type(unit) is str else _text(unit)) or set_unit or "",
                        value if type(value) is str else _text(value), coc if type(coc) is str else _text(coc)))
    return rows


def datavalueset_write(rows: Iterable[OutRow], *, data_set: str = "") -> bytes:
    values = []
    for r in rows:
        item = {"dataElement": r.data_element, "period": period_to_dhis2(r.period), "orgUnit": r.org_unit}
        if r.coc:
            item["categoryOptionCombo"] = r.coc
        item["value"] = r.value
        values.append(item)
    doc: dict[str, Any] = {"dataSet": data_set} if data_set else {}
    doc["dataValues"] = values
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
