"""Issue 12, code health: every role check of the apps goes through the one policy (xhht/accounts/access.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from xhht.accounts import access

APPS = Path(__file__).resolve().parents[2]
ROLE_CHECK = re.compile(r"\brole\s*(==|!=|in\b|not in\b)|getattr\([^)]*[\"']role[\"']|\bRole\.[A-Z_]+")


def test_no_app_checks_roles_itself() -> None:
    found = []
    for path in APPS.rglob("*.py"):
        relative = path.relative_to(APPS).as_posix()
        if relative.startswith(("accounts/", "demo/")) or "/tests/" in relative or "/migrations/" in relative:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ROLE_CHECK.search(line) and "REPORTED_RATE" not in line:
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []


def test_role_predicates(demo: None, district_officer: Any, nam_tuan_officer: Any, province_officer: Any, viewer: Any) -> None:
    from xhht.demo.foundation import DISTRICT, NAM_TUAN

    assert access.can_supervise(district_officer) and access.can_supervise(province_officer) and not access.can_supervise(nam_tuan_officer)
    assert access.can_attest(district_officer) and not access.can_attest(nam_tuan_officer) and not access.can_attest(viewer)
    assert access.is_commune_officer_of(nam_tuan_officer, NAM_TUAN) and not access.is_commune_officer_of(district_officer, NAM_TUAN)
    assert access.is_viewer(viewer) and not access.is_viewer(nam_tuan_officer)
    assert access.can_approve_organisation_report(district_officer, DISTRICT, organisation_id=-1)
    assert not access.can_approve_organisation_report(nam_tuan_officer, DISTRICT, organisation_id=-1)
