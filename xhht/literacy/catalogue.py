"""The PCGD-XMC rules, read from ``catalogue/*.yaml`` and checked against their JSON Schema.

A file that does not match its schema is refused with the file and the line of the fault
(:class:`CatalogueError`), at start-up (``LiteracyConfig.ready``) and in the tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from xhht.core.yamlfile import YamlSyntaxError, line_of, read_yaml

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
RULES_FILE = CATALOGUE_DIR / "nd20-2014.yaml"
RULES_SCHEMA = CATALOGUE_DIR / "nd20.schema.json"
RECOGNITIONS = ("literacy", "primary", "lower_secondary")

# The counts kept in the per-commune aggregate (see the catalogue file's comment).
COLUMNS = ("population", "level1", "level2", "entered_grade1", "completed_primary", "in_primary",
           "lower_secondary_diploma", "studying_upper")


class CatalogueError(Exception):
    """A catalogue file is malformed; the message names the file and the line."""


def load_checked(path: Path, schema_path: Path) -> dict[str, Any]:
    """Parse ``path`` and validate it; raise :class:`CatalogueError` naming file and line."""
    try:
        data, node = read_yaml(path)
    except YamlSyntaxError as exc:
        raise CatalogueError(f"{path.name}, dòng {exc.line or 0}: YAML không hợp lệ ({exc.problem})") from None
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        lines = []
        for error in errors[:20]:
            line = line_of(node, list(error.absolute_path)) if node is not None else 0
            where = "/".join(str(p) for p in error.absolute_path) or "(gốc)"
            lines.append(f"{path.name}, dòng {line} ({where}): {error.message}")
        raise CatalogueError("\n".join(lines))
    if node is not None and schema_path == RULES_SCHEMA:
        _check_meaning(path, node, data)
    return data


def _check_meaning(path: Path, node: yaml.Node, data: dict[str, Any]) -> None:
    """What a schema cannot say: levels in order, references that exist, bands the right way round."""
    problems = []
    for i, band in enumerate(data["bands"]):
        if band["from"] > band["to"] or band["code"] != f"{band['from']}-{band['to']}":
            problems.append(f"{path.name}, dòng {line_of(node, ['bands', i])}: độ tuổi {band['code']} không khớp từ/đến.")
    for name, recognition in data["recognitions"].items():
        for i, level in enumerate(recognition["levels"]):
            if level["level"] != i + 1:
                problems.append(f"{path.name}, dòng {line_of(node, ['recognitions', name, 'levels', i])}: mức độ phải lần lượt 1, 2, 3.")
            for req in level["commune"].get("requires", []):
                if req["recognition"] not in data["recognitions"] or req["recognition"] == name:
                    problems.append(f"{path.name}, dòng {line_of(node, ['recognitions', name, 'levels', i])}: "
                                    f"tham chiếu không hợp lệ «{req['recognition']}».")
    if problems:
        raise CatalogueError("\n".join(problems))


@dataclass(frozen=True)
class Criterion:
    numerator: tuple[str, ...]
    denominator: str
    ages: tuple[int, int]
    threshold: Decimal | None
    special_ages: tuple[int, int]
    special_threshold: Decimal | None
    note: str = ""

    def for_commune(self, special_difficulty: bool) -> tuple[tuple[int, int], Decimal | None]:
        return (self.special_ages, self.special_threshold) if special_difficulty else (self.ages, self.threshold)


@dataclass(frozen=True)
class Level:
    recognition: str
    level: int
    article: str
    verified: bool | str
    criteria: tuple[Criterion, ...]
    requires: tuple[tuple[str, int], ...]
    district_share: Decimal | None
    province_share: Decimal | None


@dataclass(frozen=True)
class Rules:
    """The parsed catalogue: everything the engine needs, typed."""

    id: str
    title: str
    raw: dict[str, Any]
    bands: tuple[tuple[str, int, int], ...]
    level1: tuple[int, int]  # (literacy phase at least, grade at least)
    level2: tuple[int, int]
    exclude_unable_to_learn: bool
    grade_age_offset: int
    grade_age_tolerance: int
    attestation_required: bool
    recognitions: dict[str, tuple[Level, ...]]

    @property
    def rule_name(self) -> str:
        return f"literacy:{self.id}"

    def age_segments(self) -> list[int]:
        """First ages of the age segments the aggregate is kept in: every band and criterion range is a union of them.

        Ages 0.. are cut at each range's first age and after its last; the last segment is open-ended.
        """
        cuts = {0}
        ranges = [(a, b) for _, a, b in self.bands] + [(a, b) for _, a, b in self.criterion_ranges()]
        for a, b in ranges:
            cuts.update((a, b + 1))
        return sorted(cuts)

    def criterion_ranges(self) -> set[tuple[str, int, int]]:
        """Every (column, first age, last age) a criterion may need, special-difficulty ranges included."""
        found: set[tuple[str, int, int]] = set()
        for levels in self.recognitions.values():
            for level in levels:
                for c in level.criteria:
                    for ages in (c.ages, c.special_ages):
                        for column in (*c.numerator, c.denominator):
                            found.add((column, ages[0], ages[1]))
        return found


def _rate(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def parse(data: dict[str, Any]) -> Rules:
    recognitions: dict[str, tuple[Level, ...]] = {}
    for name, rec in data["recognitions"].items():
        levels = []
        for lv in rec["levels"]:
            criteria = tuple(
                Criterion(
                    numerator=tuple(c["numerator"]),
                    denominator=c.get("denominator", "population"),
                    ages=(c["ages"][0], c["ages"][1]),
                    threshold=_rate(c["threshold"]),
                    special_ages=(c["special_difficulty"]["ages"][0], c["special_difficulty"]["ages"][1]),
                    special_threshold=_rate(c["special_difficulty"]["threshold"]),
                    note=c.get("note", ""),
                )
                for c in lv["commune"]["criteria"]
            )
            levels.append(Level(
                recognition=name, level=lv["level"], article=lv["article"], verified=lv["verified"], criteria=criteria,
                requires=tuple((r["recognition"], r["level"]) for r in lv["commune"].get("requires", [])),
                district_share=_rate(lv["district"]["share_of_communes"]),
                province_share=_rate(lv["province"]["share_of_districts"]),
            ))
        recognitions[name] = tuple(levels)
    settings = data["settings"]
    pl = data["person_literacy"]
    return Rules(
        id=data["id"], title=data["title"], raw=data,
        bands=tuple((b["code"], b["from"], b["to"]) for b in data["bands"]),
        level1=(pl["level1"]["literacy_phase_at_least"], pl["level1"]["grade_at_least"]),
        level2=(pl["level2"]["literacy_phase_at_least"], pl["level2"]["grade_at_least"]),
        exclude_unable_to_learn=settings["exclude_unable_to_learn"],
        grade_age_offset=settings["grade_age_offset"],
        grade_age_tolerance=settings["grade_age_tolerance"],
        attestation_required=settings["attestation"]["required"],
        recognitions=recognitions,
    )


@lru_cache(maxsize=4)
def rules(path: Path = RULES_FILE) -> Rules:
    """The rules in force (cached); raises :class:`CatalogueError` for a bad file."""
    return parse(load_checked(path, RULES_SCHEMA))


def check_catalogue() -> None:
    """Validate every catalogue file of the app (start-up and tests)."""
    rules.cache_clear()
    rules()
    from xhht.literacy.authorities import rule_sets

    rule_sets.cache_clear()
    rule_sets()
    elements = yaml.safe_load((CATALOGUE_DIR / "elements.yaml").read_text(encoding="utf-8"))
    if not isinstance(elements, dict) or not isinstance(elements.get("elements"), list):
        raise CatalogueError("elements.yaml: thiếu danh sách «elements».")
