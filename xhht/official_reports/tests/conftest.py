from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def official_reports_demo(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The demo report (Hòa An, 2016-2020, 298/BC-UBND): header only, written once per session."""
    from xhht.official_reports.demo import load

    with django_db_blocker.unblock():
        load()


@pytest.fixture
def seed_store(db: Any) -> None:
    """The figures of the seed's tables, written into the shared store as the other apps will write
    them (literacy bands, CLC activity, commune learning-community classes, vocational training,
    budget). Function-scoped: rolled back after each test, so other apps' tests never see them."""
    from xhht.official_reports.tests.seed_values import write_seed_values

    write_seed_values()
