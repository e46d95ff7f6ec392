from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def learning_models_demo(django_db_setup: Any, django_db_blocker: Any) -> None:
    from xhht.learning_models.demo import load

    with django_db_blocker.unblock():
        load()
