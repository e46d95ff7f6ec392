from __future__ import annotations

from typing import Any

import pytest

from xhht.official_reports.tests.conftest import apps_demo, official_reports_demo  # noqa: F401  (session fixtures)


@pytest.fixture(scope="session")
def indicators_demo(django_db_setup: Any, django_db_blocker: Any) -> None:
    from xhht.indicators.demo import load

    with django_db_blocker.unblock():
        load()
