"""What the benchmarks share: Django set-up, best-of timing, and a synthetic province tree."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xhht.settings")
# Benchmarks log their accounts in with force_login: no TOTP step between them and the page measured.
os.environ.setdefault("XHHT_TWO_FACTOR", "off")


def setup() -> None:
    """Start Django and bring the database (SQLite by default, or ``DATABASE_URL``) to the current schema."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def best_of(fn: Callable[[], Any], runs: int = 5) -> tuple[float, Any]:
    """The fastest of ``runs`` timings of ``fn`` (seconds), and its last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def province_tree_replace(*, code: str, name: str, districts: int, communes: int, district_digits: int = 2) -> list[str]:
    """Delete the units under ``code`` and create province ``code`` → districts → communes, with their versions.

    District codes are ``code`` + a ``district_digits``-digit number, commune codes the district's + two digits.
    Returns the commune codes. The caller deletes its own rows that point at the old units first.
    """
    from xhht.units.services import unit_tree_batch

    with unit_tree_batch():  # the closure table (and the roll-ups) rebuilt once, at the end
        return _province_tree_replace(code=code, name=name, districts=districts, communes=communes, district_digits=district_digits)


def _province_tree_replace(*, code: str, name: str, districts: int, communes: int, district_digits: int) -> list[str]:
    from xhht.units.models import Unit, UnitVersion

    old = list(Unit.objects.filter(code__startswith=code).values_list("code", flat=True))
    UnitVersion.objects.filter(unit_id__in=old).delete()
    Unit.objects.filter(code__in=old).update(parent=None)
    Unit.objects.filter(code__in=old).delete()
    province = Unit.objects.create(code=code, name=name, kind="province")
    UnitVersion.objects.create(unit=province, name=name, kind="province")
    units, versions, leaves = [], [], []
    for d in range(1, districts + 1):
        dcode = f"{code}{d:0{district_digits}d}"
        units.append(Unit(code=dcode, name=f"Huyện {d}", kind="district", parent_id=code))
        versions.append(UnitVersion(unit_id=dcode, name=f"Huyện {d}", kind="district", parent_id=code))
        for c in range(1, communes + 1):
            ccode = f"{dcode}{c:02d}"
            units.append(Unit(code=ccode, name=f"Xã {d}.{c}", kind="commune", parent_id=dcode))
            versions.append(UnitVersion(unit_id=ccode, name=f"Xã {d}.{c}", kind="commune", parent_id=dcode))
            leaves.append(ccode)
    Unit.objects.bulk_create(units)
    UnitVersion.objects.bulk_create(versions)
    return leaves
