from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def activities_demo(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The activity registers of the Hòa An demo, loaded once per session through the services."""
    from xhht.activities.demo import load

    with django_db_blocker.unblock():
        load()


@pytest.fixture
def district(db: Any) -> Any:
    from xhht.units.models import Unit

    return Unit.objects.get(code="051")
