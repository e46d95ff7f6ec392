from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xhht.reporting.catalogue import ROOT, CatalogueError, load_catalogue, parse_expression

SHIPPED_FORMS = {"commune", "district", "education_office", "labour_office", "study_promotion_association", "womens_union",
                 "youth_union", "culture_office", "culture_media_centre", "home_affairs", "labour_federation"}


def test_shipped_catalogue_loads_with_every_form() -> None:
    cat = load_catalogue()
    assert SHIPPED_FORMS <= set(cat.forms)
    commune = cat.forms["commune"]
    assert commune.period_types == ("half_year", "year")
    assert commune.due_days == 15
    assert commune.unit_kinds == ("commune", "ward", "township")
    assert [s.code for s in commune.sections] == ["clc", "models", "literacy", "notes"]
    # A split element gives one input per option and a computed total when the split is additive.
    participants = [c for c in commune.cells if c.element == "rpt_clc_participants"]
    assert [c.key for c in participants] == ["rpt_clc_participants[sex=F]", "rpt_clc_participants[sex=M]", "rpt_clc_participants"]
    assert participants[-1].is_input is False and participants[-1].total_of == ("rpt_clc_participants[sex=F]", "rpt_clc_participants[sex=M]")
    # Age bands overlap: no total.
    assert "rpt_literacy_population" not in {c.key for c in commune.cells}
    assert cat.forms["education_office"].organisation_kinds == ("education_office",)
    assert any(r.code == "cc_bands_sum_to_evaluated" for r in cat.rules_for(cat.forms["education_office"]))


def test_expression_parser() -> None:
    terms = parse_expression("a + b[sex=F] - 2")
    assert [(t.sign, t.element, t.disaggregation, t.constant) for t in terms] == [(1, "a", "", None), (1, "b", "sex=F", None), (-1, None, "", 2)]
    with pytest.raises(ValueError):
        parse_expression("a * b")


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(ROOT, target)
    return target


def test_bad_form_file_is_refused_with_file_and_line(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "forms" / "commune.yaml"
    text = path.read_text(encoding="utf-8").replace("period_types: [half_year, year]", "period_types: [fortnight]")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(root)
    assert any("commune.yaml:7" in p and "fortnight" in p for p in info.value.problems), info.value.problems


def test_unknown_element_in_form_and_rule_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "forms" / "culture_office.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("rpt_co_articles", "rpt_no_such_thing"), encoding="utf-8")
    rules = root / "validation_rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace('right: "rpt_households"', 'right: "rpt_housholds"'), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(root)
    text = "\n".join(info.value.problems)
    assert "culture_office.yaml:15" in text and "rpt_no_such_thing" in text
    assert "validation_rules.yaml:" in text and "rpt_housholds" in text
