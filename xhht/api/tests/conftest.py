"""Fixtures of the API's tests: every demo's data (objects of each kind to aim at) and a token per role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture(scope="session")
def api_demos(django_db_setup: Any, django_db_blocker: Any) -> None:
    from xhht.activities.demo import load as activities
    from xhht.indicators.demo import load as indicators
    from xhht.learning_models.demo import load as learning_models
    from xhht.literacy.demo import load as literacy
    from xhht.official_reports.demo import load as official_reports

    # Not the reporting demo: its submissions would stay in the session's database for the apps tested after this one
    # (xhht/audit's tests expect the only submitted report to be their own). The API's tests make their own reports.
    with django_db_blocker.unblock():
        for load in (indicators, literacy, learning_models, activities, official_reports):
            load()


@pytest.fixture
def token_for(db: Any) -> Callable[[Any], str]:
    """``token_for(user)`` → a fresh personal token's secret for ``user``."""
    from xhht.accounts.tokens import api_token_create

    def make(user: Any) -> str:
        return api_token_create(actor=user, user=user, name="kiểm thử").secret

    return make


@pytest.fixture
def api(client: Any) -> Callable[..., Any]:
    """``api(method, path, token=None, json=None, **extra)`` → the test client's response for /api/v1/<path>."""
    import json as _json

    def call(method: str, path: str, token: str | None = None, json: Any = None, data: Any = None, **extra: Any) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        headers.update(extra)
        url = "/api/v1/" + path.lstrip("/")
        if data is not None:
            return getattr(client, method.lower())(url, data=data, **headers)
        if json is not None:
            return client.generic(method.upper(), url, _json.dumps(json), content_type="application/json", **headers)
        return client.generic(method.upper(), url, **headers)

    return call


@pytest.fixture
def organisation_officer(demo: None) -> Any:
    from xhht.accounts.models import Role
    from xhht.accounts.services import user_create_or_update
    from xhht.organisations.models import Organisation

    org = Organisation.objects.filter(unit_id="051").order_by("pk").first()
    assert org is not None
    return user_create_or_update(actor=None, username="tc.api", password="to-chuc-api-2020", role=Role.ORGANISATION_OFFICER, organisation=org)
