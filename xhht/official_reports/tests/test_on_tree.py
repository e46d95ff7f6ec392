"""Reports and the unit tree: a unit that did not exist in the period is refused; ``--on`` reads on a later tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xhht.demo.foundation import DISTRICT, REFORM_2025, XA_HOA_AN, reforms_load
from xhht.official_reports.render import report_render
from xhht.official_reports.services import ReportError, report_for_cli
from xhht.units.models import Unit


def test_report_of_a_unit_absent_from_the_period_is_refused(demo: None, tmp_path: Path) -> None:
    reforms_load()
    hoa_an = Unit.objects.get(code=XA_HOA_AN)
    with pytest.raises(ReportError, match="không tồn tại trong năm 2019"):
        report_for_cli(actor=None, unit=hoa_an, period="2019", kind=None)
    with pytest.raises(ReportError, match="không tồn tại vào ngày 01/07/2025"):
        report_for_cli(actor=None, unit=Unit.objects.get(code=DISTRICT), period="2019", kind=None, on=REFORM_2025)
    with pytest.raises(CommandError, match="không tồn tại trong năm 2019"):
        call_command("report", "--unit", XA_HOA_AN, "--period", "2019", "--out", str(tmp_path), "--no-pdf")
    # On the 2025 tree the new commune's 2019 report is drafted, its appendix read on that tree.
    report = report_for_cli(actor=None, unit=hoa_an, period="2019", kind=None, on=REFORM_2025)
    rendered = report_render(report, on=REFORM_2025)
    assert rendered is not None
