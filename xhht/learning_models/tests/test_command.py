from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from xhht.learning_models.rubrics import RUBRIC_DIR


def test_check_rubrics_refuses_a_bad_file_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad-bands.yaml"
    bad.write_text((RUBRIC_DIR / "tt22-2020-unit.yaml").read_text(encoding="utf-8").replace("min: 50, below: 70", "min: 55, below: 70"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad-bands\.yaml, dòng \d+: có khoảng trống"):
        call_command("learning_models", "check-rubrics", str(bad))
    out = StringIO()
    call_command("learning_models", "check-rubrics", stdout=out)
    assert "tt44-2014" in out.getvalue() and "chưa xác minh" in out.getvalue()


@pytest.mark.django_db
def test_table_as_json(learning_models_demo: None) -> None:
    out = StringIO()
    call_command("learning_models", "table", "--unit", "051", "--years", "2018-2019", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())["rows"]
    assert rows[0]["counts"] == {"tot": 0, "kha": 14, "trung_binh": 4, "khong_dat": 3} and rows[1]["communes"] == 21
