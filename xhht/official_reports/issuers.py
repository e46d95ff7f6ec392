"""The issuing bodies of official reports and their Decree-30 header lines, as catalogue data.

``catalogue/bodies/issuers.yaml`` names each body (a commune People's Committee, a province's People's
Committee, the province's education department as the standing agency…), the two lines of its name,
the symbol of its number, its signing authority and its recipients, which follow the tree in force at
the end of the report's period (a commune reports to its district until 30/06/2025, to the province
from 01/07/2025).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from xhht.core.yamlfile import YamlSyntaxError, read_yaml
from xhht.official_reports.catalogue import CATALOGUE_DIR, CatalogueError
from xhht.units.models import PREFIX, Unit, UnitKind

ISSUERS_FILE = CATALOGUE_DIR / "bodies" / "issuers.yaml"
FIELDS = ("key", "name", "levels", "superior", "body", "number", "speaker", "signer_authority", "recipients")
LEVELS = {"province", "district", "commune"}


@dataclass(frozen=True)
class Issuer:
    key: str
    name: str
    levels: tuple[str, ...]
    superior: str
    body: str
    number: str
    speaker: str
    signer_authority: str
    recipients: tuple[tuple[date | None, date | None, tuple[str, ...]], ...]

    def words(self, unit: Unit) -> dict[str, str]:
        full = f"{PREFIX[UnitKind(unit.kind)]} {unit.name}"
        return {"unit": full, "UNIT": full.upper(), "name": unit.name}

    def header(self, *, unit: Unit, on: date) -> dict[str, str]:
        """The header fields of a report of ``unit`` whose period ends on ``on``."""
        w = self.words(unit)
        lines: tuple[str, ...] = ()
        for start, end, found in self.recipients:
            if (start is None or start <= on) and (end is None or on <= end):
                lines = found
        return {
            "issuing_body_superior": self.superior.format(**w),
            "issuing_body": self.body.format(**w),
            "number": self.number,
            "signer_authority": self.signer_authority,
            "recipients": "\n".join(line.format(**w) for line in lines),
        }

    def speaker_for(self, unit: Unit) -> str:
        return self.speaker.format(**self.words(unit))


def _date(value: Any) -> date | None:
    if value is None:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load_issuers(path: Path = ISSUERS_FILE) -> dict[str, Issuer]:
    try:
        data, _ = read_yaml(path)
    except YamlSyntaxError as exc:
        raise CatalogueError(f"{path.name}, dòng {exc.line or 0}: YAML không hợp lệ ({exc.problem})") from None
    if not isinstance(data, dict) or not isinstance(data.get("issuers"), list) or not data.get("source", {}).get("document"):
        raise CatalogueError(f"{path.name}: cần «source.document» và danh sách «issuers».")
    out: dict[str, Issuer] = {}
    for i, raw in enumerate(data["issuers"]):
        missing = [f for f in FIELDS if f not in raw]
        if missing:
            raise CatalogueError(f"{path.name}: cơ quan thứ {i + 1} thiếu {', '.join(missing)}.")
        if not set(raw["levels"]) <= LEVELS or raw["key"] in out:
            raise CatalogueError(f"{path.name}: cơ quan «{raw['key']}»: cấp không hợp lệ hoặc mã trùng.")
        spans = tuple((_date(r.get("from")), _date(r.get("to")), tuple(r["lines"])) for r in raw["recipients"])
        out[raw["key"]] = Issuer(raw["key"], raw["name"], tuple(raw["levels"]), raw["superior"], raw["body"], raw["number"],
                                 raw["speaker"], raw["signer_authority"], spans)
    return out


@lru_cache(maxsize=1)
def issuers() -> dict[str, Issuer]:
    return load_issuers()


def issuers_for(level: str) -> list[Issuer]:
    """The bodies that may issue a report of a unit of ``level``, the default first."""
    return [i for i in issuers().values() if level in i.levels]


def issuer_get(key: str, level: str) -> Issuer:
    found = issuers().get(key)
    if found is None or level not in found.levels:
        names = ", ".join(i.key for i in issuers_for(level))
        raise CatalogueError(f"Không có cơ quan ban hành «{key}» cho đơn vị cấp này. Có: {names}.")
    return found
