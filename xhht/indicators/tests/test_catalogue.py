"""The catalogue: the shipped files validate; each kind of bad input is refused naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from xhht.indicators import catalogue as catalogue_module
from xhht.indicators.catalogue import CatalogueError, catalogue_load, discover_element_files

ELEMENTS = """\
elements:
  - code: people_literate
    name: "Số người biết chữ"
    aggregation: sum
    disaggregations: [age_band]
  - code: people_total
    name: "Số người"
    aggregation: sum
    disaggregations: [age_band]
"""

PROGRAMME = """\
id: test-programme
name: "Chương trình thử"
source: {document: "Quyết định thử"}
years: {from: 2016, to: 2020}
milestones: [2020]
appendix: {title: "PHỤ LỤC THỬ"}
groups:
  - code: "I"
    name: "Xóa mù chữ"
    indicators:
      - code: "I.1"
        name: "Biết chữ 15-25"
        unit_of_measure: "%"
        kind: rate
        numerator: people_literate
        denominator: people_total
        filter: {age_band: "15-25"}
        comparison: ">="
        phase_rule: last_year
        targets:
          - milestone: 2020
            value: 97
            source: {document: "Kế hoạch thử", article: "Điều 1"}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, elements: str = ELEMENTS, programme: str = PROGRAMME, plan: str | None = None) -> object:
    return catalogue_load(element_files=[write(tmp_path, "elements.yaml", elements)],
                          programme_files=[write(tmp_path, "programme.yaml", programme)],
                          plan_files=[write(tmp_path, "plan.yaml", plan)] if plan else [])


def refused(tmp_path: Path, **kwargs: str) -> str:
    with pytest.raises(CatalogueError) as info:
        load(tmp_path, **kwargs)  # type: ignore[arg-type]
    return str(info.value)


def test_shipped_catalogue_is_valid_and_names_its_sources() -> None:
    cat = catalogue_load()
    assert {"qd89-2012-2020", "qd1373-2021-2030"} <= set(cat.programmes)
    assert any(str(p).endswith("xhht/indicators/catalogue/elements.yaml") for p in discover_element_files())
    for programme in cat.programmes.values():
        assert programme.source.document
        for ind in programme.indicators():
            for target in ind.targets:
                assert target.source.document
                if target.value is None:
                    assert target.note, f"{programme.id} {ind.code}: a null target needs a note"
    qd1373 = cat.programmes["qd1373-2021-2030"]
    assert [str(t.value) for t in qd1373.indicator("II.1").targets] == ["50", "70"]  # type: ignore[union-attr]
    plan = cat.plans["hoa-an-kh33-2014"]
    assert plan.unit == "051"
    assert {code: str(t.value) for code, t in plan.targets} == {"I.1": "97", "I.2": "96", "I.3": "93", "I.4": "0", "II.1": "90", "II.4": "100"}


def test_a_good_test_catalogue_loads(tmp_path: Path) -> None:
    cat = load(tmp_path)
    assert cat.programmes["test-programme"].indicator("I.1").filter_dict == {"age_band": "15-25"}  # type: ignore[attr-defined]


def test_unknown_data_element_is_refused_with_file_and_line(tmp_path: Path) -> None:
    message = refused(tmp_path, programme=PROGRAMME.replace("denominator: people_total", "denominator: people_counted"))
    assert "programme.yaml, dòng 16" in message
    assert "people_counted" in message


def test_cycle_between_computed_elements_is_refused(tmp_path: Path) -> None:
    elements = ELEMENTS + """\
  - code: total_a
    name: "A"
    aggregation: sum
    sum_of: [total_b]
  - code: total_b
    name: "B"
    aggregation: sum
    sum_of: [people_total, total_a]
"""
    message = refused(tmp_path, elements=elements)
    assert "elements.yaml, dòng 10" in message
    assert "vòng lặp" in message and "total_a → total_b → total_a" in message


def test_duplicate_element_code_is_refused(tmp_path: Path) -> None:
    elements = ELEMENTS + """\
  - code: people_total
    name: "Lặp"
    aggregation: sum
"""
    message = refused(tmp_path, elements=elements)
    assert "elements.yaml, dòng 10" in message and "trùng" in message and "dòng 6" in message


def test_duplicate_indicator_code_is_refused(tmp_path: Path) -> None:
    block = PROGRAMME[PROGRAMME.index("      - code: \"I.1\""):]
    message = refused(tmp_path, programme=PROGRAMME + block)
    assert "programme.yaml, dòng 24" in message and "«I.1» trùng (dòng 11)" in message


def test_rate_target_outside_0_100_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, programme=PROGRAMME.replace("value: 97", "value: 107"))
    assert "programme.yaml, dòng 22" in message and "0–100" in message


def test_plan_target_outside_0_100_and_unknown_indicator_are_refused(tmp_path: Path) -> None:
    plan = """\
id: plan-test
unit: "051"
programme: test-programme
source: {document: "Kế hoạch 33/KH-UBND"}
targets:
  - {indicator: "I.1", milestone: 2020, value: -1, source: {document: "KH 33"}}
  - {indicator: "I.9", milestone: 2020, value: 50, source: {document: "KH 33"}}
"""
    message = refused(tmp_path, plan=plan)
    assert "plan.yaml, dòng 6" in message and "0–100" in message
    assert "plan.yaml, dòng 7" in message and "I.9" in message


def test_schema_error_names_file_and_line(tmp_path: Path) -> None:
    message = refused(tmp_path, programme=PROGRAMME.replace("phase_rule: last_year", "phase_rule: average"))
    assert "programme.yaml, dòng 19" in message and "average" in message
    message = refused(tmp_path, elements=ELEMENTS.replace("aggregation: sum\n    disaggregations: [age_band]\n  - code: people_total",
                                                           "aggregation: mean\n    disaggregations: [age_band]\n  - code: people_total"))
    assert "elements.yaml, dòng 4" in message


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    message = refused(tmp_path, elements=ELEMENTS + "  - code: [unclosed\n")
    assert "elements.yaml, dòng" in message and "YAML" in message


def test_filter_on_a_dimension_the_element_lacks_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, programme=PROGRAMME.replace('filter: {age_band: "15-25"}', 'filter: {sex: "F"}'))
    assert "programme.yaml, dòng 17" in message and "sex" in message


def test_bad_catalogue_stops_start_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = write(tmp_path, "bad.yaml", PROGRAMME.replace("value: 97", "value: 170"))
    monkeypatch.setattr(catalogue_module, "discover_programme_files", lambda: [bad])
    catalogue_module.catalogue.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured) as info:
            apps.get_app_config("indicators").ready()
        assert "bad.yaml, dòng 22" in str(info.value)
    finally:
        monkeypatch.undo()
        catalogue_module.catalogue.cache_clear()
        catalogue_module.catalogue()
