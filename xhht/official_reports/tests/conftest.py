from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def official_reports_demo(apps_demo: None, django_db_setup: Any, django_db_blocker: Any) -> None:
    """The demo report (Hòa An, 2016-2020, 298/BC-UBND): header only, written once per session, after
    the other apps' demos (as `xhht demo` does), so that its first drafts are written from their data."""
    from xhht.official_reports.demo import KIND, NUMBER, PERIOD, load
    from xhht.official_reports.models import Report

    with django_db_blocker.unblock():
        # The API's session fixture (xhht/api/tests/conftest.py) writes the same report without the reporting demo:
        # where its tests ran first on this worker, the report's first drafts lack the offices' contributions. The
        # report is written again here, after every app's demo, as `xhht demo` writes it.
        Report.objects.filter(unit_id="051", period=PERIOD, kind=KIND, number=NUMBER).delete()
        load()


@pytest.fixture(scope="session")
def apps_demo(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The other apps' Hòa An demos, in the order `xhht demo` runs them: the figures of the seed's
    tables come from their real engines (literacy survey, learning-community evaluations, activity
    registers, the indicator appendix, periodic reports). Each loader is idempotent, and the apps'
    own tests load the same data, so loading it once per session changes nothing for them."""
    from xhht.activities.demo import load as activities
    from xhht.indicators.demo import load as indicators
    from xhht.learning_models.demo import load as learning_models
    from xhht.literacy.demo import load as literacy
    from xhht.reporting.demo import load as reporting

    with django_db_blocker.unblock():
        for load in (indicators, literacy, reporting, learning_models, activities):
            load()


@pytest.fixture(scope="session")
def phase_summary_files(official_reports_demo: None, apps_demo: None, django_db_blocker: Any, tmp_path_factory: Any) -> dict[str, Path]:
    """`xhht report --unit 051 --period 2016-2020 --kind phase-summary --out DIR`, run once per session for the tests
    that only open its files (LibreOffice's PDF takes seconds). The command runs in a transaction that is rolled
    back, so the database is left as every test finds it, exactly as when each test ran the command itself."""
    from django.core.management import call_command
    from django.db import transaction

    out = tmp_path_factory.mktemp("phase-summary") / "out"
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("report", unit="051", period="2016-2020", kind="phase-summary", out=str(out), verbosity=0)
        transaction.set_rollback(True)
    return {p.suffix: p for p in out.iterdir()}
