"""The activity registers' catalogue: vocabularies, programme windows, data elements and feeding rules.

Three YAML files in ``xhht/activities/catalogue/`` (``registers.yaml``, ``elements.yaml``,
``rules.yaml``), each validated against a JSON Schema when the app starts and in tests. A bad
file is refused with a message naming the file and the line of the offending entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from xhht.core.yamlfile import YamlSyntaxError, line_of, read_yaml

CATALOGUE_DIR = Path(__file__).parent / "catalogue"


class CatalogueError(Exception):
    """A catalogue file is malformed; the message names the file and line."""


_SOURCE = {
    "type": "object",
    "required": ["document"],
    "properties": {"document": {"type": "string", "minLength": 1}, "note": {"type": "string"}},
    "additionalProperties": False,
}
_CODE = {"type": "string", "pattern": "^[a-z][a-z0-9_.]*$"}

REGISTERS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "source", "programme_windows", "vocabularies"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "integer"},
        "source": _SOURCE,
        "programme_windows": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["first_year", "last_year", "source"],
                "additionalProperties": False,
                "properties": {
                    "first_year": {"type": "integer", "minimum": 1945, "maximum": 2100},
                    "last_year": {"type": "integer", "minimum": 1945, "maximum": 2100},
                    "source": {"type": "string", "minLength": 1},
                },
            },
        },
        "vocabularies": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["code", "label"],
                    "additionalProperties": False,
                    "properties": {"code": _CODE, "label": {"type": "string", "minLength": 1}},
                },
            },
        },
    },
}

ELEMENTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["source", "elements"],
    "additionalProperties": False,
    "properties": {
        "source": _SOURCE,
        "elements": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name", "value_type", "aggregation", "period_types", "disaggregations"],
                "additionalProperties": False,
                "properties": {
                    "code": _CODE,
                    "name": {"type": "string", "minLength": 1},
                    "value_type": {"enum": ["integer", "decimal", "money"]},
                    "aggregation": {"enum": ["sum", "none"]},
                    "period_types": {"type": "array", "minItems": 1, "items": {"enum": ["year", "half_year", "school_year", "phase"]}},
                    "disaggregations": {"type": "array", "items": _CODE},
                    "note": {"type": "string"},
                },
            },
        },
    },
}

RULES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "source", "rules"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "integer"},
        "source": _SOURCE,
        "rules": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "register", "element", "measure"],
                "additionalProperties": False,
                "properties": {
                    "code": _CODE,
                    "register": _CODE,
                    "element": _CODE,
                    "measure": {"enum": ["count", "sum", "exists"]},
                    "field": _CODE,
                    "disaggregate_by": {"type": "array", "items": _CODE},
                },
                "allOf": [{"if": {"properties": {"measure": {"enum": ["sum", "exists"]}}}, "then": {"required": ["field"]}}],
            },
        },
    },
}


def load_yaml_checked(path: Path, schema: dict[str, Any]) -> tuple[Any, yaml.Node]:
    """Parse and validate ``path``; raise :class:`CatalogueError` naming file and line."""
    try:
        data, node = read_yaml(path)
    except YamlSyntaxError as exc:
        line = f", dòng {exc.line}" if exc.line else ""
        raise CatalogueError(f"{path.name}{line}: YAML không hợp lệ: {exc.problem}") from None
    if node is None:
        raise CatalogueError(f"{path.name}: tệp rỗng.")
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = list(first.absolute_path)
        raise CatalogueError(f"{path.name}, dòng {line_of(node, where)}: {first.message} (tại {'/'.join(str(p) for p in where) or 'gốc'})")
    return data, node


@dataclass(frozen=True)
class Element:
    code: str
    name: str
    value_type: str
    aggregation: str
    period_types: tuple[str, ...]
    disaggregations: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    code: str
    register: str
    element: str
    measure: str
    field: str | None = None
    disaggregate_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Window:
    first_year: int
    last_year: int
    source: str


@dataclass
class Catalogue:
    vocabularies: dict[str, list[tuple[str, str]]]
    windows: dict[str, Window]
    elements: dict[str, Element]
    rules: list[Rule] = field(default_factory=list)

    def choices(self, vocabulary: str) -> list[tuple[str, str]]:
        return self.vocabularies[vocabulary]

    def label(self, vocabulary: str, code: str | None) -> str:
        return dict(self.vocabularies[vocabulary]).get(code or "", code or "")

    def rules_for(self, register: str) -> list[Rule]:
        return [r for r in self.rules if r.register == register]


def load_catalogue(directory: Path = CATALOGUE_DIR, *, register_fields: dict[str, dict[str, str]] | None = None) -> Catalogue:
    """Read and check the three files. ``register_fields`` ({register: {field: period kind or ""}}) lets
    the rules be checked against the registers' real fields (the app passes it at start-up)."""
    registers, _ = load_yaml_checked(directory / "registers.yaml", REGISTERS_SCHEMA)
    elements_data, _ = load_yaml_checked(directory / "elements.yaml", ELEMENTS_SCHEMA)
    rules_data, rules_node = load_yaml_checked(directory / "rules.yaml", RULES_SCHEMA)
    windows = {k: Window(**v) for k, v in registers["programme_windows"].items()}
    for name, window in windows.items():
        if window.first_year > window.last_year:
            raise CatalogueError(f"registers.yaml: programme_windows.{name}: first_year sau last_year.")
    elements: dict[str, Element] = {}
    for item in elements_data["elements"]:
        if item["code"] in elements:
            raise CatalogueError(f"elements.yaml: mã phần tử «{item['code']}» bị lặp.")
        elements[item["code"]] = Element(item["code"], item["name"], item["value_type"], item["aggregation"],
                                         tuple(item["period_types"]), tuple(item["disaggregations"]))
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, item in enumerate(rules_data["rules"]):
        line = line_of(rules_node, ["rules", index])
        rule = Rule(item["code"], item["register"], item["element"], item["measure"], item.get("field"), tuple(item.get("disaggregate_by", [])))
        if rule.code in seen:
            raise CatalogueError(f"rules.yaml, dòng {line}: mã quy tắc «{rule.code}» bị lặp.")
        seen.add(rule.code)
        element = elements.get(rule.element)
        if element is None:
            raise CatalogueError(f"rules.yaml, dòng {line}: phần tử «{rule.element}» không có trong elements.yaml.")
        extra = set(rule.disaggregate_by) - set(element.disaggregations)
        if extra:
            raise CatalogueError(f"rules.yaml, dòng {line}: phần tử «{rule.element}» không khai báo phân tổ {sorted(extra)}.")
        if register_fields is not None:
            fields = register_fields.get(rule.register)
            if fields is None:
                raise CatalogueError(f"rules.yaml, dòng {line}: sổ «{rule.register}» không tồn tại.")
            for name in [*( [rule.field] if rule.field else []), *rule.disaggregate_by]:
                if name not in fields:
                    raise CatalogueError(f"rules.yaml, dòng {line}: sổ «{rule.register}» không có trường «{name}».")
            if fields["__period__"] not in element.period_types:
                raise CatalogueError(f"rules.yaml, dòng {line}: phần tử «{rule.element}» không nhận kỳ loại «{fields['__period__']}».")
        rules.append(rule)
    vocabularies = {k: [(v["code"], v["label"]) for v in items] for k, items in registers["vocabularies"].items()}
    return Catalogue(vocabularies=vocabularies, windows=windows, elements=elements, rules=rules)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    from xhht.activities.registers import register_fields

    return load_catalogue(register_fields=register_fields())
