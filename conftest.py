"""Shared fixtures: the Hòa An demo's foundation and a cast of users.

As in healthchecks' test base, each test can reach an owner (the Nam Tuấn officer), a
colleague above them (the district officer), and one who should have no access to Nam Tuấn
(the Hồng Việt officer), so that refusals are tested everywhere, not only successes.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still work there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the demo's foundation once into the test database; tests roll back around it."""
    from xhht.demo.foundation import load

    with django_db_blocker.unblock():
        load()


@pytest.fixture
def demo(db: Any) -> None:
    """Marks a test as reading the demo (loaded once per session by ``django_db_setup``)."""


def _user(username: str) -> Any:
    from xhht.accounts.models import User

    return User.objects.get(username=username)


@pytest.fixture
def district_officer(demo: None) -> Any:
    return _user("pgd.hoaan")


@pytest.fixture
def nam_tuan_officer(demo: None) -> Any:
    return _user("xa.namtuan")


@pytest.fixture
def hong_viet_officer(demo: None) -> Any:
    return _user("xa.hongviet")


@pytest.fixture
def province_officer(demo: None) -> Any:
    return _user("so.caobang")


@pytest.fixture
def viewer(demo: None) -> Any:
    from xhht.accounts.models import Role
    from xhht.accounts.services import user_create_or_update
    from xhht.units.models import Unit

    return user_create_or_update(actor=None, username="xem.hoaan", password="xem-hoaan-2020", role=Role.VIEWER, unit=Unit.objects.get(code="051"))


@pytest.fixture
def client_for(client: Any) -> Any:
    """``client_for(user)`` → a test client logged in as ``user``."""

    def login(user: Any) -> Any:
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _two_factor_off_unless_tested(settings: Any) -> None:
    """The suite logs the demo's accounts in with their passwords, as the demo does (XHHT_TWO_FACTOR=off);
    xhht/accounts/tests/test_two_factor.py switches the production default ("required") back on."""
    settings.XHHT_TWO_FACTOR = "off"
