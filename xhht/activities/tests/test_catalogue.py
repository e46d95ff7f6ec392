from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xhht.activities.definitions import CATALOGUE_DIR, CatalogueError, load_catalogue
from xhht.activities.registers import register_fields


def test_catalogue_files_are_valid() -> None:
    cat = load_catalogue(register_fields=register_fields())
    assert {r.register for r in cat.rules} == {"clc_topic", "clc_staffing", "vocational_class", "lifelong_week", "communication", "commendation", "budget_line"}
    assert cat.windows["vocational_training"].first_year == 2010
    assert ("farm", "Nông nghiệp") in cat.choices("vocational_sector")


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, target)
    return target


def test_bad_element_is_refused_with_file_and_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "elements.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "code: clc_classes" in line)
    lines[index] = lines[index].replace("value_type: integer", "value_type: float")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CatalogueError, match=rf"elements.yaml, dòng {index + 1}:"):
        load_catalogue(folder)


def test_rule_naming_a_missing_field_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "rules.yaml"
    text = path.read_text(encoding="utf-8").replace("field: participants}", "field: people}", 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), start=1) if "field: people" in l)
    with pytest.raises(CatalogueError, match=rf"rules.yaml, dòng {line}: .*«people»"):
        load_catalogue(folder, register_fields=register_fields())


def test_rule_on_unknown_element_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("element: clc_topics,", "element: clc_topicz,"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="clc_topicz"):
        load_catalogue(folder)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "registers.yaml").write_text("version: 1\nsource: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"registers.yaml, dòng \d+"):
        load_catalogue(folder)
