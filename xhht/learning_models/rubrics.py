"""Rubrics as data: loading, validating and choosing the rubric files of ``catalogue/rubrics/``.

A rubric file names its legal text, the years it covers, its criteria and indicators, and either point
bands (``scoring: points``) or recognition levels met when all their indicators are met (``scoring: levels``).
Numbers that could not be read in the text are ``null`` with a note: such an indicator is "chưa xác định".
A bad file is refused with :class:`RubricError`, whose message names the file and the line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

CATALOGUE = Path(__file__).parent / "catalogue"
RUBRIC_DIR = CATALOGUE / "rubrics"
SCHEMA_PATH = CATALOGUE / "rubric.schema.json"

SUBJECT_LABELS = {
    "commune_community": "Cộng đồng học tập cấp xã",
    "district_community": "Cộng đồng học tập cấp huyện",
    "province_community": "Cộng đồng học tập cấp tỉnh",
    "family": "Gia đình học tập",
    "clan": "Dòng họ học tập",
    "village_community": "Cộng đồng học tập (thôn, bản, tổ dân phố)",
    "learning_unit": "Đơn vị học tập (cấp xã)",
    "learning_unit_district": "Đơn vị học tập (cấp huyện, tỉnh)",
}


class RubricError(ValueError):
    """A rubric file that cannot be used; ``str()`` names the file and line (Vietnamese)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# --- YAML with line numbers -------------------------------------------------------------------------

class _LineDict(dict):  # type: ignore[type-arg]
    line: int = 0
    key_lines: dict[str, int]


class _LineList(list):  # type: ignore[type-arg]
    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    out = _LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> _LineList:
    out = _LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _line_of(doc: Any, path: Iterable[Any]) -> int:
    """The line of the deepest node on ``path`` that carries a line number."""
    line = getattr(doc, "line", 1)
    node = doc
    for part in path:
        if isinstance(node, _LineDict) and part in node:
            line = node.key_lines.get(str(part), line)
            node = node[part]
        elif isinstance(node, _LineList) and isinstance(part, int) and part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
        line = getattr(node, "line", line)
    return line


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


# --- Parsed rubric ----------------------------------------------------------------------------------

def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass(frozen=True)
class DataRule:
    """Met when numerator × 100 ≥ at_least_percent × denominator (a rate from counts), or, without a
    denominator, when the element's value ≥ ``at_least`` (e.g. the commune's literacy standard level)."""

    numerator_element: str
    numerator_disaggregation: dict[str, str]
    denominator_element: str | None
    denominator_disaggregation: dict[str, str]
    at_least_percent: Decimal | None
    at_least: Decimal | None = None
    source: str = ""

    @property
    def label(self) -> str:
        """The rule as a person reads it, by the catalogue's names: "Mức độ đạt chuẩn xóa mù chữ ≥ 2"."""
        from xhht.core.formatting import format_decimal
        from xhht.indicators.selectors import element_names

        names = element_names()
        numerator = names.get(self.numerator_element, "chỉ số chưa xác định")
        if self.denominator_element is None:
            return f"{numerator} ≥ {format_decimal(self.at_least)}"
        denominator = names.get(self.denominator_element, "chỉ số chưa xác định")
        return f"{numerator} / {denominator} ≥ {format_decimal(self.at_least_percent)}%"


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str | None
    judgement: str  # yes_no | graded | computed
    criterion_code: str
    max_points: Decimal | None
    points_verified: bool
    prerequisite: bool
    prerequisite_verified: bool
    levels: tuple[str, ...]
    data: DataRule | None
    note: str
    source: str

    @property
    def defined(self) -> bool:
        """False when the text of the indicator could not be read ("chưa xác định")."""
        return self.title is not None

    @property
    def display_title(self) -> str:
        return self.title if self.title is not None else "Chưa xác định (nội dung chưa được mã hóa)"

    @property
    def is_yes_no(self) -> bool:
        return self.judgement in ("yes_no", "computed")


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str | None
    max_points: Decimal | None
    indicators: tuple[Indicator, ...]
    note: str = ""


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    passing: bool
    min: Decimal | None
    upper: Decimal | None  # exclusive (``below``) unless ``upper_inclusive``
    upper_inclusive: bool
    verified: bool
    note: str

    def contains(self, value: Decimal) -> bool:
        if self.min is None or self.upper is None:
            return False
        if value < self.min:
            return False
        return value <= self.upper if self.upper_inclusive else value < self.upper


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    rank: int
    validity_months: int | None


@dataclass(frozen=True)
class Rubric:
    code: str
    version: int
    title: str
    subject: str
    scoring: str
    document_number: str
    document: dict[str, Any]
    from_year: int | None
    to_year: int | None
    max_points: Decimal | None
    bands_basis: str
    bands: tuple[Band, ...]
    levels: tuple[Level, ...]
    criteria: tuple[Criterion, ...]
    settings: dict[str, Any]
    authorities: tuple[dict[str, Any], ...]
    path: str
    unverified: tuple[str, ...] = field(default=())

    @property
    def indicators(self) -> list[Indicator]:
        return [i for c in self.criteria for i in c.indicators]

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def covers(self, year: int) -> bool:
        return (self.from_year is None or year >= self.from_year) and (self.to_year is None or year <= self.to_year)

    @property
    def subject_label(self) -> str:
        return SUBJECT_LABELS.get(self.subject, self.subject)

    @property
    def years_label(self) -> str:
        return f"{self.from_year or '…'}–{self.to_year or 'nay'}"

    def authority(self, year: int) -> str:
        chosen = ""
        for entry in sorted(self.authorities, key=lambda e: e["from_year"]):
            if entry["from_year"] <= year:
                chosen = entry["authority"]
        return chosen

    def band(self, code: str) -> Band:
        for b in self.bands:
            if b.code == code:
                return b
        raise KeyError(code)

    def level(self, code: str) -> Level:
        for lv in self.levels:
            if lv.code == code:
                return lv
        raise KeyError(code)

    def outcome_label(self, code: str) -> str:
        for b in self.bands:
            if b.code == code:
                return b.label
        for lv in self.levels:
            if lv.code == code:
                return lv.label
        if code == "none":
            return "Chưa đạt mức độ 1" if self.scoring == "levels" else "Không đạt"
        return code


def parse_rubric_text(text: str, name: str) -> Rubric:
    """Parse and validate one rubric file's text; raises RubricError naming ``name`` and the line."""
    try:
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise RubricError([f"{name}, dòng {line}: tệp YAML không đọc được ({getattr(exc, 'problem', exc)})."]) from exc
    if not isinstance(doc, dict):
        raise RubricError([f"{name}, dòng 1: tệp bộ tiêu chí phải là một bảng (mapping)."])
    problems: list[str] = []
    validator = jsonschema.Draft202012Validator(_schema())
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        line = _line_of(doc, error.absolute_path)
        where = "/".join(str(p) for p in error.absolute_path) or "(gốc)"
        problems.append(f"{name}, dòng {line}: {where}: {error.message}")
    if problems:
        raise RubricError(problems)
    _check_semantics(doc, name, problems)
    if problems:
        raise RubricError(problems)
    return _build(doc, name)


def _check_semantics(doc: Any, name: str, problems: list[str]) -> None:
    def at(path: list[Any], message: str) -> None:
        problems.append(f"{name}, dòng {_line_of(doc, path)}: {message}")

    applies = doc["applies"]
    fy, ty = applies.get("from_year"), applies.get("to_year")
    if fy is None and ty is None:
        at(["applies"], "bộ tiêu chí không áp dụng cho năm nào (thiếu from_year).")
    elif fy is None:
        at(["applies"], "thiếu năm bắt đầu áp dụng (from_year).")
    elif ty is not None and ty < fy:
        at(["applies", "to_year"], f"không có năm nào được áp dụng: to_year {ty} trước from_year {fy}.")

    codes: set[str] = set()
    level_codes = {lv["code"] for lv in doc.get("levels") or []}
    for ci, crit in enumerate(doc["criteria"]):
        for ii, ind in enumerate(crit["indicators"]):
            path = ["criteria", ci, "indicators", ii]
            if ind["code"] in codes:
                at(path, f"mã chỉ tiêu «{ind['code']}» bị trùng.")
            codes.add(ind["code"])
            if ind["judgement"] == "computed" and "data" not in ind:
                at(path, f"chỉ tiêu «{ind['code']}» tính từ dữ liệu nhưng thiếu mục data.")
            if doc["scoring"] == "levels":
                if not ind.get("levels"):
                    at(path, f"chỉ tiêu «{ind['code']}» không thuộc mức độ nào (levels).")
                for lv in ind.get("levels") or []:
                    if lv not in level_codes:
                        at(path, f"chỉ tiêu «{ind['code']}» dẫn tới mức độ «{lv}» không có trong levels.")
            mp = ind.get("max_points")
            if mp is not None and Decimal(str(mp)) < 0:
                at(path + ["max_points"], f"điểm tối đa của «{ind['code']}» âm.")

    if doc["scoring"] == "levels":
        if not doc.get("levels"):
            at(["scoring"], "bộ tiêu chí theo mức độ nhưng không có levels.")
        ranks = [lv["rank"] for lv in doc.get("levels") or []]
        if len(set(ranks)) != len(ranks):
            at(["levels"], "hai mức độ có cùng thứ hạng (rank).")
        return

    # Points: indicators add up to their criterion, criteria to the rubric's maximum.
    if not doc.get("bands"):
        at(["scoring"], "bộ tiêu chí chấm điểm nhưng không có bands.")
        return
    total_known = Decimal(0)
    all_criteria_known = True
    for ci, crit in enumerate(doc["criteria"]):
        points = [ind.get("max_points") for ind in crit["indicators"]]
        known = sum((Decimal(str(p)) for p in points if p is not None), Decimal(0))
        cmax = crit.get("max_points")
        if cmax is None:
            all_criteria_known = all_criteria_known and None not in points
            total_known += known
            continue
        cmax_d = Decimal(str(cmax))
        total_known += cmax_d
        if None not in points and known != cmax_d:
            at(["criteria", ci, "max_points"], f"điểm các chỉ tiêu của tiêu chí «{crit['code']}» cộng lại {known}, khác điểm tối đa {cmax_d}.")
        elif known > cmax_d:
            at(["criteria", ci, "max_points"], f"điểm các chỉ tiêu đã biết của tiêu chí «{crit['code']}» ({known}) vượt điểm tối đa {cmax_d}.")
    max_points = doc.get("max_points")
    if max_points is not None:
        mp = Decimal(str(max_points))
        if all_criteria_known and total_known != mp:
            at(["max_points"], f"điểm các tiêu chí cộng lại {total_known}, khác tổng điểm tối đa {mp}.")
        elif total_known > mp:
            at(["max_points"], f"điểm đã biết cộng lại {total_known}, vượt tổng điểm tối đa {mp}.")

    # Bands: contiguous from 0 to the top, no overlap, no gap (where the cut-offs are known).
    basis = doc.get("bands_basis", "points")
    top = Decimal(100) if basis == "percent_of_max" else (Decimal(str(max_points)) if max_points is not None else None)
    bands = doc["bands"]
    if len({b["code"] for b in bands}) != len(bands):
        at(["bands"], "mã xếp loại bị trùng.")
    known_bands = [(i, b) for i, b in enumerate(bands) if b.get("min") is not None and (b.get("below") is not None or b.get("max") is not None)]
    if len(known_bands) != len(bands):
        if not all(b.get("verified") is False for b in bands if b.get("min") is None or (b.get("below") is None and b.get("max") is None)):
            at(["bands"], "ngưỡng xếp loại để trống phải ghi verified: false và ghi chú.")
        return
    ordered = sorted(known_bands, key=lambda ib: Decimal(str(ib[1]["min"])))
    for (i, b) in ordered:
        if b.get("below") is not None and b.get("max") is not None:
            at(["bands", i], f"xếp loại «{b['code']}» chỉ được có một cận trên (below hoặc max).")
    first_i, first = ordered[0]
    if Decimal(str(first["min"])) != 0:
        at(["bands", first_i, "min"], f"các xếp loại để trống khoảng từ 0 đến {first['min']}.")
    for (i, b), (j, nxt) in zip(ordered, ordered[1:], strict=False):
        if b.get("below") is None:
            at(["bands", i], f"xếp loại «{b['code']}» không phải cao nhất nên phải dùng cận «below».")
            continue
        upper, nmin = Decimal(str(b["below"])), Decimal(str(nxt["min"]))
        if upper > nmin:
            at(["bands", j, "min"], f"xếp loại «{b['code']}» (đến dưới {upper}) chồng lên «{nxt['code']}» (từ {nmin}).")
        elif upper < nmin:
            at(["bands", j, "min"], f"có khoảng trống giữa «{b['code']}» (đến dưới {upper}) và «{nxt['code']}» (từ {nmin}).")
    last_i, last = ordered[-1]
    if last.get("max") is None:
        at(["bands", last_i], f"xếp loại cao nhất «{last['code']}» phải có cận trên «max».")
    elif top is not None and Decimal(str(last["max"])) != top:
        at(["bands", last_i, "max"], f"xếp loại cao nhất «{last['code']}» kết thúc ở {last['max']}, khác mức tối đa {top}.")


def _build(doc: dict[str, Any], name: str) -> Rubric:
    criteria = []
    unverified: list[str] = []
    for crit in doc["criteria"]:
        inds = []
        for ind in crit["indicators"]:
            data = None
            if ind.get("data"):
                d = ind["data"]
                if "value" in d:
                    data = DataRule(numerator_element=d["value"]["element"], numerator_disaggregation=dict(d["value"].get("disaggregation") or {}),
                                    denominator_element=None, denominator_disaggregation={}, at_least_percent=None,
                                    at_least=Decimal(str(d["at_least"])), source=d.get("source", ""))
                else:
                    data = DataRule(
                        numerator_element=d["numerator"]["element"],
                        numerator_disaggregation=dict(d["numerator"].get("disaggregation") or {}),
                        denominator_element=d["denominator"]["element"],
                        denominator_disaggregation=dict(d["denominator"].get("disaggregation") or {}),
                        at_least_percent=Decimal(str(d["at_least_percent"])),
                        source=d.get("source", ""),
                    )
            inds.append(Indicator(
                code=ind["code"], title=ind.get("title"), judgement=ind["judgement"], criterion_code=crit["code"],
                max_points=_dec(ind.get("max_points")), points_verified=bool(ind.get("points_verified", ind.get("max_points") is None)),
                prerequisite=bool(ind.get("prerequisite", False)), prerequisite_verified=bool(ind.get("prerequisite_verified", True)),
                levels=tuple(ind.get("levels") or ()), data=data, note=ind.get("note", ""), source=ind.get("source", ""),
            ))
        criteria.append(Criterion(code=crit["code"], title=crit.get("title"), max_points=_dec(crit.get("max_points")), indicators=tuple(inds), note=crit.get("note", "")))
    bands = []
    for b in doc.get("bands") or []:
        upper_inclusive = b.get("max") is not None
        bands.append(Band(code=b["code"], label=b["label"], passing=b["passing"], min=_dec(b.get("min")),
                          upper=_dec(b.get("max") if upper_inclusive else b.get("below")), upper_inclusive=upper_inclusive,
                          verified=bool(b.get("verified", True)), note=b.get("note", "")))
        if b.get("verified") is False and "ngưỡng xếp loại" not in unverified:
            unverified.append("ngưỡng xếp loại")
    levels = tuple(sorted((Level(code=lv["code"], label=lv["label"], rank=lv["rank"], validity_months=lv.get("validity_months")) for lv in doc.get("levels") or []), key=lambda lv: lv.rank))
    for key, setting in (doc.get("settings") or {}).items():
        if isinstance(setting, dict) and setting.get("verified") is False:
            label = str(setting.get("label") or key)
            if label not in unverified:
                unverified.append(label)
    return Rubric(
        code=doc["code"], version=doc["version"], title=doc["title"], subject=doc["subject"], scoring=doc["scoring"],
        document_number=doc["document"]["number"], document=dict(doc["document"]),
        from_year=doc["applies"].get("from_year"), to_year=doc["applies"].get("to_year"),
        max_points=_dec(doc.get("max_points")), bands_basis=doc.get("bands_basis", "points"),
        bands=tuple(sorted(bands, key=lambda b: (b.min is None, -(b.min or 0)))), levels=levels, criteria=tuple(criteria),
        settings=dict(doc.get("settings") or {}), authorities=tuple(dict(a) for a in doc.get("recognising_authority") or []),
        path=name, unverified=tuple(unverified),
    )


def load_rubric_file(path: Path) -> Rubric:
    return parse_rubric_text(path.read_text(encoding="utf-8"), path.name)


def load_rubrics(directory: Path = RUBRIC_DIR) -> dict[str, Rubric]:
    """Every rubric file of ``directory``; refuses duplicates and two files covering one subject and year."""
    problems: list[str] = []
    rubrics: dict[str, Rubric] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            rubric = load_rubric_file(path)
        except RubricError as exc:
            problems.extend(exc.problems)
            continue
        if rubric.code in rubrics:
            problems.append(f"{path.name}, dòng 1: mã bộ tiêu chí «{rubric.code}» đã có trong {rubrics[rubric.code].path}.")
            continue
        for other in rubrics.values():
            if other.subject == rubric.subject:
                lo = max(rubric.from_year or 0, other.from_year or 0)
                hi = min(rubric.to_year or 9999, other.to_year or 9999)
                if lo <= hi:
                    problems.append(f"{path.name}, dòng 1: năm {lo} của «{rubric.subject}» đã do {other.path} quy định.")
        rubrics[rubric.code] = rubric
    if problems:
        raise RubricError(problems)
    return rubrics


@lru_cache(maxsize=1)
def all_rubrics() -> dict[str, Rubric]:
    return load_rubrics()


def rubric_label(code: str) -> str:
    """"tt44-2014" (or "tt44-2014 v1") → its title with its legal text once: "Cộng đồng học tập cấp xã (TT 44/2014/TT-BGDĐT)";
    an unknown code → "bộ tiêu chí chưa xác định"."""
    rubric = all_rubrics().get(code) or all_rubrics().get(code.rsplit(" v", 1)[0])
    if rubric is None:
        return "bộ tiêu chí chưa xác định"
    if not rubric.document_number or rubric.document_number in rubric.title:
        return rubric.title
    return f"{rubric.title} ({rubric.document_number})"


def rubric_get(code: str) -> Rubric:
    return all_rubrics()[code]


def rubric_for(*, subject: str, year: int) -> Rubric | None:
    """The rubric in force for ``subject`` in ``year`` (None when no text covers that year)."""
    for rubric in all_rubrics().values():
        if rubric.subject == subject and rubric.covers(year):
            return rubric
    return None
