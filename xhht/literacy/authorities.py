"""Who recognises a unit's PCGD-XMC standard, and over which children a province is judged, on a date.

Read from ``catalogue/authorities.yaml`` (checked against its JSON Schema). The rule sets follow one
another in time: Nghị định 20/2014 up to 30/06/2025 (a province judged over its districts), Nghị định
143/2025/NĐ-CP from 01/07/2025 (no districts: a province judged over its communes, a reading marked
unverified). A statement nobody could read is ``None`` with its note, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from xhht.literacy.catalogue import CATALOGUE_DIR, RECOGNITIONS, CatalogueError, load_checked

AUTHORITIES_FILE = CATALOGUE_DIR / "authorities.yaml"
AUTHORITIES_SCHEMA = CATALOGUE_DIR / "authorities.schema.json"
UNVERIFIED_LABEL = "chưa kiểm chứng"
UNKNOWN_LABEL = "chưa xác định"


@dataclass(frozen=True)
class Authority:
    text: str | None
    verified: bool | str
    read_at: str
    note: str = ""

    @property
    def label(self) -> str:
        """For a page: the authority, or "chưa xác định", with "(chưa kiểm chứng)" unless read in the text."""
        if self.text is None:
            return UNKNOWN_LABEL
        return self.text if self.verified is True else f"{self.text} ({UNVERIFIED_LABEL})"


@dataclass(frozen=True)
class Share:
    value: Decimal | None
    verified: bool | str
    note: str = ""


@dataclass(frozen=True)
class RuleSet:
    id: str
    start: date | None
    end: date | None
    document: str
    verified: bool | str
    province_over: str  # districts | communes
    authorities: dict[tuple[str, str, int], Authority]
    province_shares: dict[str, dict[int, Share]]

    def holds_on(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def authority(self, *, unit_level: str, recognition: str, level: int) -> Authority:
        found = self.authorities.get((unit_level, recognition, level)) or self.authorities.get((unit_level, "all", level))
        return found or Authority(None, False, "", "Chưa có trong danh mục.")

    def share_of_communes(self, recognition: str) -> dict[int, Decimal | None]:
        return {level: s.value for level, s in self.province_shares.get(recognition, {}).items()}


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def parse(data: dict[str, Any], name: str = "authorities.yaml") -> tuple[RuleSet, ...]:
    sets: list[RuleSet] = []
    for rs in data["rule_sets"]:
        authorities: dict[tuple[str, str, int], Authority] = {}
        for a in rs["authorities"]:
            for level in a["levels"]:
                key = (a["unit"], a["recognition"], level)
                if key in authorities:
                    raise CatalogueError(f"{name}: {rs['id']}: thẩm quyền {a['unit']}/{a['recognition']}/mức {level} ghi hai lần.")
                authorities[key] = Authority(a["authority"], a["verified"], a["read_at"], a.get("note", ""))
        shares = {rec: {s["level"]: Share(None if s["share"] is None else Decimal(s["share"]), s["verified"], s.get("note", ""))
                        for s in items}
                  for rec, items in (rs.get("province_share_of_communes") or {}).items()}
        if rs["province_over"] == "communes" and set(shares) != set(RECOGNITIONS):
            raise CatalogueError(f"{name}: {rs['id']}: tỉnh đánh giá theo xã cần province_share_of_communes cho {', '.join(RECOGNITIONS)}.")
        sets.append(RuleSet(rs["id"], _date(rs["from"]), _date(rs["to"]), rs["source"]["document"], rs["source"]["verified"],
                            rs["province_over"], authorities, shares))
    # The spans follow one another without gap or overlap, the first open at the start, the last open at the end.
    ordered = sorted(sets, key=lambda s: s.start or date.min)
    for before, after in zip(ordered, ordered[1:]):
        if before.end is None or after.start is None or (after.start - before.end).days != 1:
            raise CatalogueError(f"{name}: «{before.id}» và «{after.id}» phải nối tiếp nhau (ngày kết thúc + 1 = ngày bắt đầu).")
    if ordered[0].start is not None or ordered[-1].end is not None:
        raise CatalogueError(f"{name}: bộ quy tắc đầu phải không có ngày bắt đầu và bộ cuối không có ngày kết thúc.")
    return tuple(ordered)


@lru_cache(maxsize=2)
def rule_sets(path: Path = AUTHORITIES_FILE) -> tuple[RuleSet, ...]:
    return parse(load_checked(path, AUTHORITIES_SCHEMA), path.name)


def rule_set_on(on: date, path: Path = AUTHORITIES_FILE) -> RuleSet:
    """The rule set in force on ``on`` (exactly one: the spans cover every date)."""
    return next(s for s in rule_sets(path) if s.holds_on(on))


def recognition_authority(*, on: date, unit_level: str, recognition: str, level: int) -> Authority:
    return rule_set_on(on).authority(unit_level=unit_level, recognition=recognition, level=level)
