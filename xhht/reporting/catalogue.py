"""The reporting catalogue: data elements, report forms and validation rules, read from YAML.

Every file is checked against its JSON Schema (``catalogue/schemas``) and then across files
(a form names only known elements, a rule only known elements and options…). A bad file is
refused with a message that names the file and the line. The catalogue is loaded once, at
start-up (``ReportingConfig.ready``), and cached.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from xhht.core.yamlfile import YamlSyntaxError, node_at, read_yaml
from xhht.indicators.services import disaggregation_key

ROOT = Path(__file__).parent / "catalogue"
SCHEMAS = ROOT / "schemas"

PERIOD_TYPE_LABELS = {"half_year": "6 tháng", "year": "năm", "school_year": "năm học", "phase": "giai đoạn", "ad_hoc": "đột xuất"}
# An element marked ``approximate: true`` on a form gets a companion text answer ``approx__<element>``:
# the qualifier the reporter gives the figure ("trên 24.000"); the report prints it before the figure.
APPROXIMATE_PREFIX = "approx__"
QUALIFIERS = ("trên", "hơn", "khoảng", "gần", "ước khoảng")
UNIT_KINDS = {"province", "city", "district", "town_district", "urban_district", "provincial_city", "commune", "ward", "township", "village"}


class CatalogueError(Exception):
    """A catalogue file is wrong; ``problems`` lists "file:line: message" for each mistake."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# ---------------------------------------------------------------- YAML with line numbers


@dataclass
class SourceFile:
    path: Path
    data: Any
    root: yaml.Node | None

    def where(self, *path: Any) -> str:
        """ "xhht/reporting/catalogue/forms/commune.yaml:12" for the node at ``path``."""
        line = 1
        if self.root is not None:
            line = node_at(self.root, list(path)).start_mark.line + 1
        try:
            shown = self.path.relative_to(Path.cwd())
        except ValueError:
            shown = self.path
        return f"{shown}:{line}"


def _read(path: Path, schema_name: str) -> tuple[SourceFile, list[str]]:
    try:
        data, root = read_yaml(path)
    except YamlSyntaxError as exc:
        return SourceFile(path, None, None), [f"{path}:{exc.line or 1}: YAML không hợp lệ: {exc.problem}"]
    source = SourceFile(path, data, root)
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    problems = []
    for error in sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        problems.append(f"{source.where(*error.absolute_path)}: {error.message}")
    return source, problems


# ---------------------------------------------------------------- catalogue objects


@dataclass(frozen=True)
class Element:
    code: str
    name: str
    value_type: str  # integer | decimal | money
    aggregation: str
    period_types: tuple[str, ...]
    disaggregations: tuple[str, ...]

    @property
    def whole(self) -> bool:
        """Counts and money (in đồng) are whole numbers."""
        return self.value_type in {"integer", "money"}


@dataclass(frozen=True)
class Option:
    code: str
    label: str


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    additive: bool
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Cell:
    """One value of a form: an element, or one part of a split element (``key`` as in rules)."""

    key: str
    element: str
    disaggregation: dict[str, str]
    label: str
    sub_label: str
    value_type: str
    is_input: bool
    total_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormField:
    kind: str  # number | text
    code: str  # element code, or the text field's code
    label: str
    note: str
    cells: tuple[Cell, ...] = ()
    max_length: int = 2000


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    fields: tuple[FormField, ...]


@dataclass(frozen=True)
class Form:
    code: str
    title: str
    version: int
    source: str
    period_types: tuple[str, ...]
    due_days: int
    unit_kinds: tuple[str, ...]
    organisation_kinds: tuple[str, ...]
    sections: tuple[Section, ...]

    @property
    def by_organisation(self) -> bool:
        return bool(self.organisation_kinds)

    @property
    def cells(self) -> list[Cell]:
        return [c for s in self.sections for f in s.fields for c in f.cells]

    @property
    def input_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.is_input]

    @property
    def text_fields(self) -> list[FormField]:
        return [f for s in self.sections for f in s.fields if f.kind == "text"]

    @property
    def elements(self) -> set[str]:
        return {c.element for c in self.cells}

    def cell(self, key: str) -> Cell | None:
        return next((c for c in self.cells if c.key == key), None)

    def accepts_period_kind(self, kind: str) -> bool:
        return "ad_hoc" in self.period_types or kind in self.period_types


@dataclass(frozen=True)
class Term:
    sign: int
    element: str | None
    disaggregation: str  # canonical key, "" for the total
    constant: Decimal | None = None

    @property
    def key(self) -> str:
        return cell_key(self.element or "", self.disaggregation)


@dataclass(frozen=True)
class Rule:
    code: str
    left_text: str
    operator: str
    right_text: str
    left: tuple[Term, ...]
    right: tuple[Term, ...]
    importance: str
    message: str

    @property
    def keys(self) -> list[str]:
        return [t.key for t in (*self.left, *self.right) if t.element]

    @property
    def elements(self) -> set[str]:
        return {t.element for t in (*self.left, *self.right) if t.element}


@dataclass(frozen=True)
class Outlier:
    code: str
    kind: str  # history | peers
    patterns: tuple[str, ...]
    factor: Decimal
    lookback: int
    min_peers: int
    min_value: int
    importance: str
    message: str

    def covers(self, element: str) -> bool:
        return any(fnmatch.fnmatchcase(element, p) for p in self.patterns)


@dataclass
class Catalogue:
    elements: dict[str, Element] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    forms: dict[str, Form] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    outliers: list[Outlier] = field(default_factory=list)

    def form(self, code: str) -> Form | None:
        return self.forms.get(code)

    def rules_for(self, form: Form) -> list[Rule]:
        """The rules whose elements are all on the form."""
        have = form.elements
        return [r for r in self.rules if r.elements <= have]


def cell_key(element: str, disaggregation: str) -> str:
    """("rpt_x", "sex=F") -> "rpt_x[sex=F]"; ("rpt_x", "") -> "rpt_x"."""
    return f"{element}[{disaggregation}]" if disaggregation else element


def split_cell_key(key: str) -> tuple[str, str]:
    if key.endswith("]") and "[" in key:
        element, _, rest = key.partition("[")
        return element, rest[:-1]
    return key, ""


_TERM = re.compile(r"\s*([+-])?\s*(?:(\d+)|([a-z][a-z0-9_]*)(?:\[([^\]]*)\])?)\s*")


def parse_expression(text: str) -> list[Term]:
    """ "a + b[sex=F] - 2" -> terms; raises ValueError on anything else."""
    terms: list[Term] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TERM.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"không hiểu biểu thức «{text}» tại vị trí {pos + 1}")
        sign_text, number, element, parts = m.groups()
        if terms and sign_text is None:
            raise ValueError(f"thiếu dấu + hoặc - trong «{text}»")
        sign = -1 if sign_text == "-" else 1
        if number is not None:
            terms.append(Term(sign, None, "", Decimal(number)))
        else:
            mapping: dict[str, str] = {}
            for part in filter(None, (parts or "").split(";")):
                k, eq, v = part.partition("=")
                if not eq or not k.strip() or not v.strip():
                    raise ValueError(f"phân tổ «{part}» phải có dạng loại=giá_trị")
                mapping[k.strip()] = v.strip()
            terms.append(Term(sign, element, disaggregation_key(mapping)))
        pos = m.end()
    if not terms:
        raise ValueError("biểu thức rỗng")
    return terms


# ---------------------------------------------------------------- loading


def _check_disaggregation(key: str, element: Element, categories: dict[str, Category]) -> str | None:
    if not key:
        return None
    for part in key.split(";"):
        cat, _, opt = part.partition("=")
        if cat not in element.disaggregations:
            return f"phần tử {element.code} không phân tổ theo «{cat}»"
        if opt not in {o.code for o in categories[cat].options}:
            return f"«{opt}» không phải là một giá trị của phân tổ «{cat}»"
    return None


def load_catalogue(root: Path = ROOT) -> Catalogue:
    """Read and check every file under ``root``; raises :class:`CatalogueError` listing every problem."""
    problems: list[str] = []
    cat = Catalogue()

    elements_file, found = _read(root / "elements.yaml", "elements.schema.json")
    problems += found
    categories_file, found = _read(root / "disaggregations.yaml", "disaggregations.schema.json")
    problems += found
    if problems:
        raise CatalogueError(problems)

    for code, spec in categories_file.data["categories"].items():
        cat.categories[code] = Category(code, spec["label"], spec["additive"], tuple(Option(o["code"], o["label"]) for o in spec["options"]))
    for index, spec in enumerate(elements_file.data["elements"]):
        if spec["code"] in cat.elements:
            problems.append(f"{elements_file.where('elements', index)}: mã phần tử «{spec['code']}» bị lặp")
        for d in spec.get("disaggregations") or []:
            if d not in cat.categories:
                problems.append(f"{elements_file.where('elements', index)}: phân tổ «{d}» chưa được khai báo trong disaggregations.yaml")
        cat.elements[spec["code"]] = Element(
            spec["code"], spec["name"], spec["value_type"], spec["aggregation"], tuple(spec["period_types"]), tuple(spec.get("disaggregations") or [])
        )

    for path in sorted((root / "forms").glob("*.yaml")):
        source, found = _read(path, "form.schema.json")
        problems += found
        if found:
            continue
        form, found = _build_form(source, cat)
        problems += found
        if form is not None:
            if form.code in cat.forms:
                problems.append(f"{source.where('code')}: mã biểu mẫu «{form.code}» bị lặp")
            cat.forms[form.code] = form

    rules_file, found = _read(root / "validation_rules.yaml", "validation_rules.schema.json")
    problems += found
    if not found:
        seen: set[str] = set()
        for index, spec in enumerate(rules_file.data["rules"]):
            where = rules_file.where("rules", index)
            if spec["code"] in seen:
                problems.append(f"{where}: mã quy tắc «{spec['code']}» bị lặp")
            seen.add(spec["code"])
            try:
                left, right = parse_expression(spec["left"]), parse_expression(spec["right"])
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
                continue
            for term in (*left, *right):
                if term.element is None:
                    continue
                element = cat.elements.get(term.element)
                if element is None:
                    problems.append(f"{where}: phần tử «{term.element}» chưa được khai báo")
                elif (msg := _check_disaggregation(term.disaggregation, element, cat.categories)) is not None:
                    problems.append(f"{where}: {msg}")
            cat.rules.append(Rule(spec["code"], spec["left"], spec["operator"], spec["right"], tuple(left), tuple(right), spec["importance"], spec["message"]))
        for index, spec in enumerate(rules_file.data.get("outliers") or []):
            if spec["code"] in seen:
                problems.append(f"{rules_file.where('outliers', index)}: mã quy tắc «{spec['code']}» bị lặp")
            seen.add(spec["code"])
            factor = Decimal(spec["factor"])
            if factor <= 1:
                problems.append(f"{rules_file.where('outliers', index, 'factor')}: hệ số phải lớn hơn 1")
            cat.outliers.append(
                Outlier(spec["code"], spec["kind"], tuple(spec["elements"]), factor, spec.get("lookback", 1), spec.get("min_peers", 3),
                        spec.get("min_value", 0), spec["importance"], spec["message"])
            )
    if problems:
        raise CatalogueError(problems)
    return cat


def _build_form(source: SourceFile, cat: Catalogue) -> tuple[Form | None, list[str]]:
    from xhht.organisations.models import OrganisationKind

    data = source.data
    problems: list[str] = []
    for index, kind in enumerate(data["reporters"].get("unit_kinds", [])):
        if kind not in UNIT_KINDS:
            problems.append(f"{source.where('reporters', 'unit_kinds', index)}: loại đơn vị «{kind}» không tồn tại")
    for index, kind in enumerate(data["reporters"].get("organisation_kinds", [])):
        if kind not in OrganisationKind.values:
            problems.append(f"{source.where('reporters', 'organisation_kinds', index)}: loại cơ quan, tổ chức «{kind}» không tồn tại")
    sections: list[Section] = []
    seen_fields: set[str] = set()
    for s_index, s_spec in enumerate(data["sections"]):
        fields: list[FormField] = []
        for f_index, f_spec in enumerate(s_spec["fields"]):
            where = source.where("sections", s_index, "fields", f_index)
            if "text" in f_spec:
                if f_spec["text"] in seen_fields:
                    problems.append(f"{where}: trường «{f_spec['text']}» bị lặp")
                seen_fields.add(f_spec["text"])
                fields.append(FormField("text", f_spec["text"], f_spec["label"], "", (), f_spec.get("max_length", 2000)))
                continue
            element = cat.elements.get(f_spec["element"])
            if element is None:
                problems.append(f"{where}: phần tử «{f_spec['element']}» chưa được khai báo trong elements.yaml")
                continue
            if element.code in seen_fields:
                problems.append(f"{where}: phần tử «{element.code}» có hai lần trên biểu mẫu")
            seen_fields.add(element.code)
            for pt in data["period_types"]:
                if pt != "ad_hoc" and pt not in element.period_types:
                    problems.append(f"{where}: phần tử «{element.code}» không có kỳ «{pt}» (period_types của phần tử)")
            label = f_spec.get("label") or element.name
            cells: list[Cell] = []
            if len(element.disaggregations) > 1:
                problems.append(f"{where}: biểu mẫu chỉ nhập được phần tử phân tổ theo một loại")
                continue
            if element.disaggregations:
                category = cat.categories[element.disaggregations[0]]
                parts = []
                for option in category.options:
                    key = cell_key(element.code, disaggregation_key({category.code: option.code}))
                    parts.append(key)
                    cells.append(Cell(key, element.code, {category.code: option.code}, label, option.label, element.value_type, True))
                if category.additive:
                    cells.append(Cell(element.code, element.code, {}, label, "Tổng số", element.value_type, False, tuple(parts)))
            elif f_spec.get("compute"):
                cells.append(Cell(element.code, element.code, {}, label, "", element.value_type, False, tuple(f_spec["compute"])))
            else:
                cells.append(Cell(element.code, element.code, {}, label, "", element.value_type, True))
            fields.append(FormField("number", element.code, label, f_spec.get("note", ""), tuple(cells)))
            if f_spec.get("approximate"):
                fields.append(FormField("text", APPROXIMATE_PREFIX + element.code,
                                        f"Số liệu ước tính? Ghi «{'», «'.join(QUALIFIERS)}» trước số «{label}», để trống nếu là số chính xác",
                                        "", (), 20))
        sections.append(Section(s_spec["code"], s_spec["title"], tuple(fields)))
    form = Form(
        code=data["code"],
        title=data["title"],
        version=data["version"],
        source=data["source"]["document"],
        period_types=tuple(data["period_types"]),
        due_days=data["due"]["days_after_period_end"],
        unit_kinds=tuple(data["reporters"].get("unit_kinds", [])),
        organisation_kinds=tuple(data["reporters"].get("organisation_kinds", [])),
        sections=tuple(sections),
    )
    keys = {c.key for c in form.cells}
    for s_index, s_spec in enumerate(data["sections"]):
        for f_index, f_spec in enumerate(s_spec["fields"]):
            for part in f_spec.get("compute", []):
                if part not in keys:
                    problems.append(f"{source.where('sections', s_index, 'fields', f_index, 'compute')}: «{part}» không có trên biểu mẫu")
    return form, problems


@lru_cache(maxsize=1)
def get_catalogue() -> Catalogue:
    return load_catalogue()
