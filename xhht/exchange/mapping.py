"""The mapping file: XHHT codes → the other system's identifiers (docs/exchange.md, example in
xhht/exchange/examples/mapping.yaml).

Four tables, each optional; a code with no entry is sent as it is (and read back as it is):

    elements:         XHHT data element code        → DHIS2/ADX dataElement
    disaggregations:  XHHT disaggregation key       → DHIS2 categoryOptionCombo ("" is the total)
    units:            XHHT unit code                → orgUnit
    categories:       XHHT category (age_band, sex) → ADX attribute name (ADX carries categories as attributes:
                      an XML name without a colon, not dataElement, value or categoryOptionCombo)

plus ``data_set`` (the dataSet written on export). YAML, or CSV with the columns ``table,xhht,other``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TABLES = ("elements", "disaggregations", "units", "categories")
MAX_MAPPING_BYTES = 5 * 1024 * 1024
# An ADX category is an attribute of <dataValue>: an XML name without a colon (NCName), not one ADX itself uses.
_ATTRIBUTE_NAME = re.compile(r"[^\W\d][\w.\-]*")
ADX_RESERVED = ("dataElement", "value", "categoryOptionCombo")


class MappingError(ValueError):
    """A mapping file that cannot be used (message in Vietnamese, naming the file and the row)."""


@dataclass(frozen=True)
class Mapping:
    elements: dict[str, str] = field(default_factory=dict)
    disaggregations: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    data_set: str = ""

    def reverse(self, table: str) -> dict[str, str]:
        return {other: xhht for xhht, other in getattr(self, table).items()}

    def out(self, table: str, code: str) -> str:
        return getattr(self, table).get(code, code)


IDENTITY = Mapping()


def _check_one_to_one(name: str, tables: dict[str, dict[str, str]]) -> None:
    for table, entries in tables.items():
        seen: dict[str, str] = {}
        for xhht, other in entries.items():
            if other in seen:
                raise MappingError(f"Tệp ánh xạ {name}: bảng «{table}», mã «{other}» của hệ thống kia gán cho cả «{seen[other]}» và «{xhht}».")
            seen[other] = xhht


def _check_adx_categories(name: str, categories: dict[str, str]) -> None:
    for xhht, other in categories.items():
        if not _ATTRIBUTE_NAME.fullmatch(other) or other in ADX_RESERVED:
            raise MappingError(f"Tệp ánh xạ {name}: bảng «categories», «{xhht}»: «{other}» không dùng được làm tên thuộc tính ADX "
                               f"(chữ, số, _, - hoặc ., bắt đầu bằng chữ hoặc _; khác {', '.join(ADX_RESERVED)}).")


def mapping_parse(data: bytes, *, name: str = "tệp ánh xạ") -> Mapping:
    """Read a mapping file (YAML, or CSV ``table,xhht,other``); raises :class:`MappingError`."""
    if len(data) > MAX_MAPPING_BYTES:
        raise MappingError(f"Tệp ánh xạ {name} quá lớn (tối đa {MAX_MAPPING_BYTES // (1024 * 1024)} MB).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MappingError(f"Tệp ánh xạ {name} không phải văn bản UTF-8.") from None
    tables: dict[str, dict[str, str]] = {t: {} for t in TABLES}
    data_set = ""
    first = text.lstrip().split("\n", 1)[0].replace(" ", "").lower()
    if name.lower().endswith(".csv") or first.startswith("table,xhht,other"):
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if [h.strip().lower() for h in header or []][:3] != ["table", "xhht", "other"]:
            raise MappingError(f"Tệp ánh xạ {name}, dòng 1: cần tiêu đề «table,xhht,other».")
        for line, row in enumerate(reader, start=2):
            if not row or not any(c.strip() for c in row):
                continue
            if len(row) < 3:
                raise MappingError(f"Tệp ánh xạ {name}, dòng {line}: cần 3 cột (table, xhht, other).")
            table, xhht, other = row[0].strip(), row[1].strip(), row[2].strip()
            if table == "data_set":
                data_set = other
                continue
            if table not in tables:
                raise MappingError(f"Tệp ánh xạ {name}, dòng {line}, cột table: «{table}» không phải một trong {', '.join(TABLES)}, data_set.")
            if not other:
                raise MappingError(f"Tệp ánh xạ {name}, dòng {line}, cột other: thiếu mã của hệ thống kia cho «{xhht}».")
            tables[table][xhht] = other
    else:
        try:
            raw: Any = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f", dòng {mark.line + 1}" if mark is not None else ""
            raise MappingError(f"Tệp ánh xạ {name}{where}: không đọc được YAML.") from None
        if not isinstance(raw, dict):
            raise MappingError(f"Tệp ánh xạ {name}: cần các bảng {', '.join(TABLES)} ở gốc.")
        unknown = sorted(set(raw) - set(TABLES) - {"data_set"})
        if unknown:
            raise MappingError(f"Tệp ánh xạ {name}: bảng «{', '.join(unknown)}» không có (chỉ có {', '.join(TABLES)}, data_set).")
        data_set = str(raw.get("data_set") or "")
        for table in TABLES:
            entries = raw.get(table) or {}
            if not isinstance(entries, dict):
                raise MappingError(f"Tệp ánh xạ {name}, bảng «{table}»: cần các cặp «mã XHHT: mã hệ thống kia».")
            for xhht, other in entries.items():
                if other is None or str(other).strip() == "":
                    raise MappingError(f"Tệp ánh xạ {name}, bảng «{table}», «{xhht}»: thiếu mã của hệ thống kia.")
                tables[table]["" if xhht is None else str(xhht)] = str(other).strip()
    _check_one_to_one(name, tables)
    _check_adx_categories(name, tables["categories"])
    return Mapping(data_set=data_set, **tables)


def mapping_read(path: Path | str) -> Mapping:
    path = Path(path)
    return mapping_parse(path.read_bytes(), name=path.name)
