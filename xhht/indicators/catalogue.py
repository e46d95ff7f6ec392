"""The catalogue engine: data elements, programmes (indicators, milestones, targets) and unit plans.

Three kinds of YAML file, each validated against a JSON Schema and then cross-checked:

* ``xhht/*/catalogue/elements.yaml`` — the data elements of every app (format: docs/catalogue.md);
* ``xhht/indicators/catalogue/programmes/*.yaml`` — a programme (QĐ 89, QĐ 1373 …): its indicator
  groups, indicators, milestones and national targets, each target with its legal source;
* ``xhht/indicators/catalogue/plans/*.yaml`` — a unit's own plan (e.g. KH 33/KH-UBND of Hòa An):
  targets that override the national ones for that unit and its descendants.

Bad input is refused with :class:`CatalogueError`, whose message names the file and the line
(from YAML node marks): schema errors, an unknown data element, a cycle between computed
elements, a duplicate code, a rate target outside 0–100. :func:`catalogue` loads once per
process (called from ``IndicatorsConfig.ready``); tests call :func:`catalogue_load` with their
own files.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from xhht.core.yamlfile import YamlSyntaxError, read_yaml

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the ``xhht`` package
CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"

PERIOD_TYPES = ["year", "half_year", "school_year", "phase"]

# ---------------------------------------------------------------------------------------------
# JSON Schemas
# ---------------------------------------------------------------------------------------------

_SOURCE = {
    "type": "object",
    "required": ["document"],
    "properties": {
        "document": {"type": "string", "minLength": 1},
        "article": {"type": ["string", "null"]},
        "url": {"type": ["string", "null"]},
        "note": {"type": ["string", "null"]},
    },
    "additionalProperties": False,
}

ELEMENTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["elements"],
    "properties": {
        "source": {"type": "object"},
        "elements": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name", "aggregation"],
                "properties": {
                    "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                    "name": {"type": "string", "minLength": 1},
                    "value_type": {"enum": ["integer", "decimal", "money", "rate"]},
                    "aggregation": {"enum": ["sum", "none"]},
                    "period_types": {"type": "array", "items": {"enum": PERIOD_TYPES}},
                    "disaggregations": {"type": "array", "items": {"type": "string"}},
                    # A computed element is the sum of other elements (same period, same disaggregation).
                    "sum_of": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "note": {"type": ["string", "null"]},
                },
            },
        },
    },
}

_TARGET = {
    "type": "object",
    "required": ["milestone", "value", "source"],
    "properties": {
        "milestone": {"type": "integer", "minimum": 1990, "maximum": 2100},
        "value": {"type": ["number", "null"]},
        "source": _SOURCE,
        "note": {"type": ["string", "null"]},
        "special_difficulty_value": {"type": ["number", "null"]},
    },
    "additionalProperties": False,
}

_INDICATOR = {
    "type": "object",
    "required": ["code", "name", "unit_of_measure", "kind", "comparison", "phase_rule", "targets"],
    "properties": {
        "code": {"type": "string", "minLength": 1},
        "tt": {"type": "string"},
        "name": {"type": "string", "minLength": 1},
        "unit_of_measure": {"type": "string"},
        "kind": {"enum": ["rate", "count"]},
        "numerator": {"type": "string"},
        "denominator": {"type": "string"},
        "count": {"type": "string"},
        "rate_element": {"type": "string"},
        "filter": {"type": "object", "additionalProperties": {"type": "string"}},
        "period_type": {"enum": ["year", "school_year"]},
        "period_offset": {"type": "integer", "minimum": -5, "maximum": 5},
        "comparison": {"enum": [">=", "<="]},
        "phase_rule": {"enum": ["last_year", "sum", "none"]},
        "targets": {"type": "array", "items": _TARGET},
        "note": {"type": ["string", "null"]},
    },
    "additionalProperties": False,
    "allOf": [
        {"if": {"properties": {"kind": {"const": "rate"}}}, "then": {"required": ["numerator", "denominator"]}},
        {"if": {"properties": {"kind": {"const": "count"}}}, "then": {"required": ["count"]}},
    ],
}

PROGRAMME_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "source", "years", "milestones", "appendix", "groups"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "name": {"type": "string"},
        "version": {"type": ["string", "integer"]},
        "source": _SOURCE,
        "years": {
            "type": "object",
            "required": ["from", "to"],
            "properties": {"from": {"type": "integer"}, "to": {"type": "integer"}},
            "additionalProperties": False,
        },
        "milestones": {"type": "array", "items": {"type": "integer"}, "minItems": 1},
        "appendix": {
            "type": "object",
            "required": ["title"],
            "properties": {
                "title": {"type": "string"},
                "target_label": {"type": "string"},
                "projection_phases": {"type": "array", "items": {"type": "string", "pattern": r"^\d{4}-\d{4}$"}},
                "default_years": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
            },
            "additionalProperties": False,
        },
        "groups": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "name", "indicators"],
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "headline": _INDICATOR,
                    "indicators": {"type": "array", "items": _INDICATOR},
                    "note": {"type": ["string", "null"]},
                },
                "additionalProperties": False,
            },
        },
        "note": {"type": ["string", "null"]},
    },
    "additionalProperties": False,
}

PLAN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "unit", "programme", "source", "targets"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "name": {"type": "string"},
        "unit": {"type": "string"},
        "programme": {"type": "string"},
        "source": _SOURCE,
        "targets": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["indicator", "milestone", "value", "source"],
                "properties": {"indicator": {"type": "string"}, **_TARGET["properties"]},  # type: ignore[dict-item]
                "additionalProperties": False,
            },
        },
        "note": {"type": ["string", "null"]},
    },
    "additionalProperties": False,
}


# ---------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRef:
    document: str
    article: str | None = None
    note: str | None = None

    @property
    def label(self) -> str:
        return f"{self.document}, {self.article}" if self.article else self.document


@dataclass(frozen=True)
class Element:
    code: str
    name: str
    aggregation: str  # sum | none
    value_type: str = "integer"
    period_types: tuple[str, ...] = ("year",)
    disaggregations: tuple[str, ...] = ()
    sum_of: tuple[str, ...] = ()
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Target:
    milestone: int
    value: Decimal | None
    source: SourceRef
    note: str | None = None
    plan: str | None = None  # id of the unit plan it comes from; None = national
    plan_unit: str | None = None


@dataclass(frozen=True)
class Indicator:
    code: str
    tt: str
    name: str
    unit_of_measure: str
    kind: str  # rate | count
    comparison: str  # >= | <=
    phase_rule: str  # last_year | sum | none
    numerator: str | None = None
    denominator: str | None = None
    count: str | None = None
    rate_element: str | None = None
    filter: tuple[tuple[str, str], ...] = ()
    period_type: str = "year"
    period_offset: int = 0  # the column of year Y reads the store's year Y + offset (e.g. -1: survey of December Y-1)
    targets: tuple[Target, ...] = ()
    note: str | None = None
    group: str = ""
    is_headline: bool = False

    @property
    def count_element(self) -> str:
        return self.numerator if self.kind == "rate" else self.count  # type: ignore[return-value]

    @property
    def projection_element(self) -> str:
        """Where the unit's projections ("dự kiến", source=projected) are stored: the rate, or the count."""
        return self.rate_element or self.count_element

    @property
    def filter_dict(self) -> dict[str, str]:
        return dict(self.filter)


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    headline: Indicator | None
    indicators: tuple[Indicator, ...]
    note: str | None = None


@dataclass(frozen=True)
class Programme:
    id: str
    name: str
    source: SourceRef
    year_from: int
    year_to: int
    milestones: tuple[int, ...]
    title: str
    target_label: str
    projection_phases: tuple[str, ...]
    default_years: tuple[int, int]
    groups: tuple[Group, ...]
    file: str = ""

    def indicators(self) -> list[Indicator]:
        out: list[Indicator] = []
        for g in self.groups:
            if g.headline:
                out.append(g.headline)
            out.extend(g.indicators)
        return out

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators() if i.code == code), None)


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    unit: str
    programme: str
    source: SourceRef
    targets: tuple[tuple[str, Target], ...]  # (indicator code, target)
    file: str = ""


@dataclass
class Catalogue:
    elements: dict[str, Element] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)

    def programme(self, programme_id: str) -> Programme:
        return self.programmes[programme_id]

    def plans_for(self, programme_id: str, unit_codes: Iterable[str]) -> list[Plan]:
        codes = set(unit_codes)
        return [p for p in self.plans.values() if p.programme == programme_id and p.unit in codes]


class CatalogueError(Exception):
    """A catalogue file was refused; ``problems`` are "file, dòng N: message" strings."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("Danh mục chỉ tiêu không hợp lệ:\n" + "\n".join(f"  - {p}" for p in self.problems))


# ---------------------------------------------------------------------------------------------
# Loading with line numbers
# ---------------------------------------------------------------------------------------------

Path_ = tuple[Any, ...]


def _marks(node: yaml.Node, path: Path_, out: dict[Path_, int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            out[(*path, str(key_node.value))] = key_node.start_mark.line + 1
            _marks(value_node, (*path, str(key_node.value)), out)
            out[(*path, str(key_node.value))] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _marks(item, (*path, i), out)


@dataclass
class _Doc:
    file: str
    data: Any
    lines: dict[Path_, int]

    def line(self, path: Iterable[Any]) -> int:
        p = tuple(str(x) if not isinstance(x, int) else x for x in path)
        while p and p not in self.lines:
            p = p[:-1]
        return self.lines.get(p, 1)

    def where(self, path: Iterable[Any]) -> str:
        return f"{self.file}, dòng {self.line(path)}"


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PACKAGE_DIR.parent))
    except ValueError:
        return str(path)


def _read(path: Path, problems: list[str]) -> _Doc | None:
    name = _display(path)
    try:
        data, node = read_yaml(path)
    except UnicodeDecodeError:
        problems.append(f"{name}, dòng 1: tệp không phải UTF-8")
        return None
    except YamlSyntaxError as exc:
        problems.append(f"{name}, dòng {exc.line or 1}: YAML không đọc được ({exc.problem})")
        return None
    lines: dict[Path_, int] = {}
    if node is not None:
        _marks(node, (), lines)
    return _Doc(name, data, lines)


def _schema_check(doc: _Doc, schema: dict[str, Any], problems: list[str]) -> bool:
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path])
    for err in errors:
        where = "/".join(str(p) for p in err.absolute_path) or "(gốc)"
        problems.append(f"{doc.where(err.absolute_path)}: sai cấu trúc tại «{where}»: {err.message}")
    return not errors


def _source(data: Mapping[str, Any]) -> SourceRef:
    return SourceRef(document=data["document"], article=data.get("article"), note=data.get("note"))


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def discover_element_files() -> list[Path]:
    return sorted(PACKAGE_DIR.glob("*/catalogue/elements.yaml"))


def discover_programme_files() -> list[Path]:
    return sorted((CATALOGUE_DIR / "programmes").glob("*.yaml"))


def discover_plan_files() -> list[Path]:
    return sorted((CATALOGUE_DIR / "plans").glob("*.yaml"))


def _load_elements(docs: list[_Doc], problems: list[str]) -> dict[str, Element]:
    elements: dict[str, Element] = {}
    for doc in docs:
        for i, raw in enumerate(doc.data["elements"]):
            code = raw["code"]
            if code in elements:
                first = elements[code]
                problems.append(f"{doc.where(['elements', i, 'code'])}: mã phần tử dữ liệu «{code}» trùng (đã có ở {first.file}, dòng {first.line})")
                continue
            elements[code] = Element(
                code=code, name=raw["name"], aggregation=raw["aggregation"], value_type=raw.get("value_type", "integer"),
                period_types=tuple(raw.get("period_types") or ["year"]), disaggregations=tuple(raw.get("disaggregations") or []),
                sum_of=tuple(raw.get("sum_of") or []), file=doc.file, line=doc.line(["elements", i, "code"]),
            )
    # Computed elements: components must exist, and no cycle.
    for el in elements.values():
        for j, part in enumerate(el.sum_of):
            if part not in elements:
                problems.append(f"{el.file}, dòng {el.line}: phần tử «{el.code}» cộng từ phần tử dữ liệu không có: «{part}»")
    state: dict[str, int] = {}

    def visit(code: str, chain: list[str]) -> None:
        if state.get(code) == 2 or code not in elements:
            return
        if state.get(code) == 1:
            cycle = chain[chain.index(code):] + [code]
            el = elements[code]
            problems.append(f"{el.file}, dòng {el.line}: vòng lặp giữa các phần tử tính toán: {' → '.join(cycle)}")
            return
        state[code] = 1
        for part in elements[code].sum_of:
            visit(part, [*chain, code])
        state[code] = 2

    for code in elements:
        visit(code, [])
    return elements


def _indicator(doc: _Doc, path: list[Any], raw: Mapping[str, Any], group: str, headline: bool,
               elements: Mapping[str, Element], problems: list[str]) -> Indicator:
    for key in ("numerator", "denominator", "count", "rate_element"):
        code = raw.get(key)
        if code is not None and code not in elements:
            problems.append(f"{doc.where([*path, key])}: chỉ tiêu «{raw['code']}» dùng phần tử dữ liệu không có: «{code}»")
        elif code is not None:
            for dim in raw.get("filter") or {}:
                if dim not in elements[code].disaggregations:
                    problems.append(f"{doc.where([*path, 'filter', dim])}: phần tử «{code}» không phân tổ theo «{dim}»")
    targets = []
    for k, t in enumerate(raw.get("targets") or []):
        value = _decimal(t["value"])
        if raw["kind"] == "rate" and value is not None and not (0 <= value <= 100):
            problems.append(f"{doc.where([*path, 'targets', k, 'value'])}: chỉ tiêu «{raw['code']}» là tỷ lệ: mục tiêu {value} phải trong khoảng 0–100")
        targets.append(Target(milestone=t["milestone"], value=value, source=_source(t["source"]), note=t.get("note")))
    code = raw["code"]
    return Indicator(
        code=code, tt=raw.get("tt") or code.rsplit(".", 1)[-1], name=raw["name"], unit_of_measure=raw["unit_of_measure"],
        kind=raw["kind"], comparison=raw["comparison"], phase_rule=raw["phase_rule"], numerator=raw.get("numerator"),
        denominator=raw.get("denominator"), count=raw.get("count"), rate_element=raw.get("rate_element"),
        filter=tuple(sorted((raw.get("filter") or {}).items())), period_type=raw.get("period_type", "year"),
        period_offset=raw.get("period_offset", 0),
        targets=tuple(targets), note=raw.get("note"), group=group, is_headline=headline,
    )


def _load_programme(doc: _Doc, elements: Mapping[str, Element], problems: list[str]) -> Programme:
    d = doc.data
    seen: dict[str, int] = {}
    groups = []
    for gi, g in enumerate(d["groups"]):
        gpath: list[Any] = ["groups", gi]
        if g["code"] in seen:
            problems.append(f"{doc.where([*gpath, 'code'])}: mã nhóm «{g['code']}» trùng (dòng {seen[g['code']]})")
        seen.setdefault(g["code"], doc.line([*gpath, "code"]))
        headline = None
        members: list[tuple[list[Any], Mapping[str, Any], bool]] = []
        if g.get("headline"):
            members.append(([*gpath, "headline"], g["headline"], True))
        members += [([*gpath, "indicators", ii], raw, False) for ii, raw in enumerate(g["indicators"])]
        built = []
        for path, raw, is_headline in members:
            code = raw["code"]
            if code in seen and not (is_headline and code == g["code"]):
                problems.append(f"{doc.where([*path, 'code'])}: mã chỉ tiêu «{code}» trùng (dòng {seen[code]})")
            seen.setdefault(code, doc.line([*path, "code"]))
            ind = _indicator(doc, path, raw, g["code"], is_headline, elements, problems)
            if is_headline:
                headline = ind
            else:
                built.append(ind)
        groups.append(Group(code=g["code"], name=g["name"], headline=headline, indicators=tuple(built), note=g.get("note")))
    appendix = d["appendix"]
    years = d["years"]
    if years["from"] > years["to"]:
        problems.append(f"{doc.where(['years'])}: năm bắt đầu sau năm kết thúc")
    default = appendix.get("default_years") or [max(years["from"], years["to"] - 4), years["to"]]
    return Programme(
        id=d["id"], name=d["name"], source=_source(d["source"]), year_from=years["from"], year_to=years["to"],
        milestones=tuple(sorted(d["milestones"])), title=appendix["title"],
        target_label=appendix.get("target_label") or f"MỤC TIÊU GIAI ĐOẠN {years['from']}-{years['to']} (tỷ lệ %)",
        projection_phases=tuple(appendix.get("projection_phases") or []), default_years=(default[0], default[1]),
        groups=tuple(groups), file=doc.file,
    )


def _load_plan(doc: _Doc, programmes: Mapping[str, Programme], problems: list[str]) -> Plan | None:
    d = doc.data
    programme = programmes.get(d["programme"])
    if programme is None:
        problems.append(f"{doc.where(['programme'])}: kế hoạch «{d['id']}» tham chiếu chương trình không có: «{d['programme']}»")
        return None
    targets = []
    seen: set[tuple[str, int]] = set()
    for i, t in enumerate(d["targets"]):
        ind = programme.indicator(t["indicator"])
        if ind is None:
            problems.append(f"{doc.where(['targets', i, 'indicator'])}: chỉ tiêu không có trong {programme.id}: «{t['indicator']}»")
            continue
        if (t["indicator"], t["milestone"]) in seen:
            problems.append(f"{doc.where(['targets', i, 'indicator'])}: mục tiêu trùng cho «{t['indicator']}» năm {t['milestone']}")
        seen.add((t["indicator"], t["milestone"]))
        value = _decimal(t["value"])
        if ind.kind == "rate" and value is not None and not (0 <= value <= 100):
            problems.append(f"{doc.where(['targets', i, 'value'])}: chỉ tiêu «{ind.code}» là tỷ lệ: mục tiêu {value} phải trong khoảng 0–100")
        targets.append((ind.code, Target(milestone=t["milestone"], value=value, source=_source(t["source"]), note=t.get("note"),
                                         plan=d["id"], plan_unit=d["unit"])))
    return Plan(id=d["id"], name=d.get("name") or d["source"]["document"], unit=d["unit"], programme=d["programme"],
                source=_source(d["source"]), targets=tuple(targets), file=doc.file)


def catalogue_load(*, element_files: Iterable[Path] | None = None, programme_files: Iterable[Path] | None = None,
                   plan_files: Iterable[Path] | None = None) -> Catalogue:
    """Read and validate the catalogue; raises :class:`CatalogueError` listing every problem."""
    problems: list[str] = []
    element_docs, programme_docs, plan_docs = [], [], []
    for path in element_files if element_files is not None else discover_element_files():
        doc = _read(Path(path), problems)
        if doc and _schema_check(doc, ELEMENTS_SCHEMA, problems):
            element_docs.append(doc)
    for path in programme_files if programme_files is not None else discover_programme_files():
        doc = _read(Path(path), problems)
        if doc and _schema_check(doc, PROGRAMME_SCHEMA, problems):
            programme_docs.append(doc)
    for path in plan_files if plan_files is not None else discover_plan_files():
        doc = _read(Path(path), problems)
        if doc and _schema_check(doc, PLAN_SCHEMA, problems):
            plan_docs.append(doc)
    cat = Catalogue()
    cat.elements = _load_elements(element_docs, problems)
    for doc in programme_docs:
        programme = _load_programme(doc, cat.elements, problems)
        if programme.id in cat.programmes:
            problems.append(f"{doc.where(['id'])}: mã chương trình «{programme.id}» trùng (đã có ở {cat.programmes[programme.id].file})")
            continue
        cat.programmes[programme.id] = programme
    for doc in plan_docs:
        plan = _load_plan(doc, cat.programmes, problems)
        if plan is None:
            continue
        if plan.id in cat.plans:
            problems.append(f"{doc.where(['id'])}: mã kế hoạch «{plan.id}» trùng (đã có ở {cat.plans[plan.id].file})")
            continue
        cat.plans[plan.id] = plan
    if problems:
        raise CatalogueError(problems)
    return cat


@functools.cache
def catalogue() -> Catalogue:
    """The shipped catalogue, loaded and validated once per process."""
    return catalogue_load()
