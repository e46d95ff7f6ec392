from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def literacy_demo(django_db_setup: Any, django_db_blocker: Any) -> None:
    from xhht.literacy.demo import load

    with django_db_blocker.unblock():
        load()


@pytest.fixture
def survey(literacy_demo: None, db: Any) -> None:
    """The Hòa An survey of 2019 (loaded once per session)."""
