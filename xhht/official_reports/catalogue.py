"""Report definitions as data: ``catalogue/<kind>.yaml`` and the document layout ``catalogue/format.yaml``.

Each file is validated against its JSON Schema (``catalogue/schema/``) at start-up and in tests;
a bad file is refused with a message naming the file and the line. Beyond the schema, every
section's provider must be registered and every placeholder in the texts must parse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from xhht.core.yamlfile import YamlSyntaxError, read_yaml
from jsonschema import Draft202012Validator

CATALOGUE_DIR = Path(__file__).parent / "catalogue"
SCHEMA_DIR = CATALOGUE_DIR / "schema"
FORMAT_FILE = "format.yaml"


class CatalogueError(Exception):
    """A catalogue file that cannot be used; the message names the file and line (in Vietnamese)."""


@dataclass(frozen=True)
class ReportKind:
    kind: str
    name: str
    path: Path
    data: dict[str, Any]

    @property
    def sections(self) -> list[dict[str, Any]]:
        return list(self.data["sections"])


def _line_of(root: yaml.Node | None, path: list[Any]) -> int | None:
    """The 1-based line of the YAML node at ``path`` (keys and indexes), or of its nearest parent."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            found = None
            for key, value in node.value:
                if key.value == part:
                    found = value
                    line = key.start_mark.line + 1
                    break
            if found is None:
                break
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _load_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    try:
        return read_yaml(path)
    except YamlSyntaxError as exc:
        where = f", dòng {exc.line}" if exc.line else ""
        raise CatalogueError(f"Tệp danh mục {path.name}{where}: không đọc được YAML ({exc.problem}).") from exc


def _validate(path: Path, data: Any, root: yaml.Node | None, schema_name: str) -> None:
    schema = json.loads((SCHEMA_DIR / schema_name).read_text(encoding="utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        lines = []
        for err in errors[:10]:
            where = _line_of(root, list(err.absolute_path))
            lines.append(f"Tệp danh mục {path.name}, dòng {where}: {err.message}")
        raise CatalogueError("\n".join(lines))


def _walk_sections(sections: list[dict[str, Any]], trail: list[Any]) -> list[tuple[dict[str, Any], list[Any]]]:
    out: list[tuple[dict[str, Any], list[Any]]] = []
    for i, section in enumerate(sections):
        here = [*trail, i]
        out.append((section, here))
        out.extend(_walk_sections(section.get("sections", []), [*here, "sections"]))
    return out


def _check_semantics(path: Path, data: dict[str, Any], root: yaml.Node | None) -> None:
    from xhht.official_reports.placeholders import PlaceholderError, parse
    from xhht.official_reports.providers import PROVIDERS

    problems: list[str] = []

    def check_text(text: str, where: list[Any]) -> None:
        try:
            parse(text, strict=True)
        except PlaceholderError as exc:
            problems.append(f"Tệp danh mục {path.name}, dòng {_line_of(root, where)}: {exc}")

    for key in ("title", "abstract", "intro", "closing"):
        check_text(data.get(key, ""), [key])
    check_text(data["appendix"].get("subtitle", ""), ["appendix", "subtitle"])
    if data["appendix"]["provider"] not in PROVIDERS:
        problems.append(f"Tệp danh mục {path.name}, dòng {_line_of(root, ['appendix', 'provider'])}: "
                        f"không có bộ cung cấp «{data['appendix']['provider']}».")
    seen: set[str] = set()
    for section, where in _walk_sections(data["sections"], ["sections"]):
        line = _line_of(root, where)
        if section["key"] in seen:
            problems.append(f"Tệp danh mục {path.name}, dòng {line}: mục «{section['key']}» bị lặp.")
        seen.add(section["key"])
        provider = section.get("provider")
        if provider is not None and provider not in PROVIDERS:
            problems.append(f"Tệp danh mục {path.name}, dòng {_line_of(root, [*where, 'provider'])}: không có bộ cung cấp «{provider}».")
        check_text(section["heading"], [*where, "heading"])
        check_text(section.get("text", ""), [*where, "text"])
        for i, line_text in enumerate((section.get("params") or {}).get("lines", [])):
            check_text(line_text, [*where, "params", "lines", i])
    if problems:
        raise CatalogueError("\n".join(problems))


def load_report_kind(path: Path) -> ReportKind:
    data, root = _load_yaml(path)
    _validate(path, data, root, "report.schema.json")
    _check_semantics(path, data, root)
    if data["kind"] != path.stem:
        raise CatalogueError(f"Tệp danh mục {path.name}, dòng {_line_of(root, ['kind'])}: loại «{data['kind']}» phải trùng tên tệp.")
    return ReportKind(kind=data["kind"], name=data["name"], path=path, data=data)


def load_format(path: Path | None = None) -> dict[str, Any]:
    path = path or CATALOGUE_DIR / FORMAT_FILE
    data, root = _load_yaml(path)
    _validate(path, data, root, "format.schema.json")
    return dict(data)


@lru_cache(maxsize=1)
def report_kinds() -> dict[str, ReportKind]:
    """Every report kind of the catalogue, by code (``phase-summary``, ``half-year``, ``annual``)."""
    kinds: dict[str, ReportKind] = {}
    for path in sorted(CATALOGUE_DIR.glob("*.yaml")):
        if path.name == FORMAT_FILE:
            continue
        kind = load_report_kind(path)
        kinds[kind.kind] = kind
    return kinds


@lru_cache(maxsize=1)
def document_format() -> dict[str, Any]:
    return load_format()


CONTRIBUTIONS_FILE = CATALOGUE_DIR / "contributions" / "offices.yaml"


@lru_cache(maxsize=1)
def contributions() -> dict[str, dict[str, Any]]:
    """The narrative of each contributor (an office, an association, the communes' form) composed from
    its periodic report: ``catalogue/contributions/offices.yaml``. Each paragraph's placeholders must parse,
    each form and element must exist in the reporting catalogue; errors name the file and line."""
    from xhht.official_reports.placeholders import PlaceholderError, parse
    from xhht.reporting.catalogue import get_catalogue

    data, root = _load_yaml(CONTRIBUTIONS_FILE)
    problems: list[str] = []
    forms = get_catalogue().forms
    found: dict[str, dict[str, Any]] = {}
    for i, item in enumerate((data or {}).get("contributions", [])):
        where = ["contributions", i]
        line = _line_of(root, where)
        if not isinstance(item, dict) or not item.get("key") or not isinstance(item.get("paragraphs"), list):
            problems.append(f"Tệp danh mục {CONTRIBUTIONS_FILE.name}, dòng {line}: mỗi mục cần «key» và «paragraphs».")
            continue
        form = forms.get(item.get("form", ""))
        if form is None:
            problems.append(f"Tệp danh mục {CONTRIBUTIONS_FILE.name}, dòng {line}: không có biểu mẫu «{item.get('form')}».")
            continue
        for j, para in enumerate(item["paragraphs"]):
            text = para.get("text", "") if isinstance(para, dict) else ""
            try:
                segments = parse(text.replace("{years}", "2016").replace("{prev_years}", "2015").replace("{period}", "2016-2020"), strict=True)
            except PlaceholderError as exc:
                problems.append(f"Tệp danh mục {CONTRIBUTIONS_FILE.name}, dòng {_line_of(root, [*where, 'paragraphs', j])}: {exc}")
                continue
            for seg in segments:
                for element in getattr(seg, "elements", []):
                    if element.startswith("rpt_") and element not in form.elements:
                        problems.append(f"Tệp danh mục {CONTRIBUTIONS_FILE.name}, dòng {_line_of(root, [*where, 'paragraphs', j])}: "
                                        f"phần tử «{element}» không có trên biểu mẫu «{form.code}».")
        found[item["key"]] = item
    if problems:
        raise CatalogueError("\n".join(problems))
    return found


def report_kind(kind: str) -> ReportKind:
    kinds = report_kinds()
    if kind not in kinds:
        raise CatalogueError(f"Không có loại báo cáo «{kind}». Có: {', '.join(sorted(kinds))}.")
    return kinds[kind]


def default_kind_for_period(period_kind: str) -> str:
    for kind in report_kinds().values():
        if period_kind in kind.data["period_types"]:
            return kind.kind
    raise CatalogueError(f"Không có loại báo cáo cho kỳ «{period_kind}».")
