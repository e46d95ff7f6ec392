from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from xhht.reporting.demo import commune_values
from xhht.reporting.models import Status, Submission, SubmissionEvent

pytestmark = pytest.mark.django_db


def _fill(path: Path, values: dict[str, object]) -> None:
    wb = load_workbook(path)
    for row in wb.worksheets[0].iter_rows(min_row=9):
        if row[0].value in values:
            row[4].value = values[row[0].value]
    wb.save(path)


def test_template_and_submit_commands(tmp_path: Path, nam_tuan_officer: Any) -> None:
    path = tmp_path / "nt.xlsx"
    call_command("template", "--form", "commune", "--unit", "05115", "--period", "2021-H1", "--out", str(path), stdout=io.StringIO())
    _fill(path, commune_values(15, 2021) | {"rpt_clc_topics": "abc"})
    with pytest.raises(CommandError) as info:
        call_command("submit", str(path), "--user", "xa.namtuan", stdout=io.StringIO())
    assert "không ghi dữ liệu nào" in str(info.value) and "«abc» không phải là số" in str(info.value)
    assert not Submission.objects.filter(period="2021-H1").exists()
    _fill(path, {"rpt_clc_topics": 6})
    with pytest.raises(CommandError) as info:  # another commune's officer
        call_command("submit", str(path), "--user", "xa.hongviet", stdout=io.StringIO())
    assert "không có quyền" in str(info.value)
    out = io.StringIO()
    call_command("submit", str(path), "--user", "xa.namtuan", stdout=out)
    sub = Submission.objects.get(period="2021-H1", reporter_key="u:05115")
    assert sub.status == Status.SUBMITTED and "Đã nộp" in out.getvalue()


def test_template_command_refuses_a_wrong_period_kind(tmp_path: Path, demo: None) -> None:
    with pytest.raises(CommandError):
        call_command("template", "--form", "education_office", "--unit", "051", "--period", "2020-H1", "--out", str(tmp_path / "x.xlsx"))


def test_completeness_command(reporting_demo: None) -> None:
    out = io.StringIO()
    call_command("completeness", "--unit", "051", "--period", "2020", "--form", "commune", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["expected"] == 21 and data["on_time"] == 8 and data["late"] == 2
    text = io.StringIO()
    call_command("completeness", "--unit", "051", "--period", "2020", stdout=text)
    assert "Cần nhắc" in text.getvalue() and "Cán bộ xã Nam Tuấn" in text.getvalue()


def test_demo_loads_twice_without_change(reporting_demo: None) -> None:
    from xhht.audit.models import AuditEntry
    from xhht.indicators.models import DataValueHistory
    from xhht.reporting.demo import load

    before = (Submission.objects.count(), SubmissionEvent.objects.count(), AuditEntry.objects.count(), DataValueHistory.objects.count())
    load()
    after = (Submission.objects.count(), SubmissionEvent.objects.count(), AuditEntry.objects.count(), DataValueHistory.objects.count())
    assert before == after


def test_template_command_finds_the_office_of_a_unit(tmp_path: Path, demo: None) -> None:
    path = tmp_path / "pgd.xlsx"
    call_command("template", "--form", "education_office", "--unit", "051", "--period", "2021", "--out", str(path), stdout=io.StringIO())
    assert "Phòng Giáo dục và Đào tạo huyện Hòa An" in load_workbook(path).worksheets[0]["B2"].value
