from __future__ import annotations

from datetime import date

import pytest

from xhht.units.models import Unit
from xhht.units.selectors import unit_ancestors, unit_children, unit_descendant_codes


@pytest.mark.django_db
def test_hoa_an_has_21_communes_and_township(demo: None) -> None:
    hoa_an = Unit.objects.get(code="051")
    children = unit_children(unit=hoa_an)
    assert len(children) == 21
    assert {c.kind for c in children} == {"commune", "township"}
    assert "Nước Hai" in {c.name for c in children}
    assert [a.code for a in unit_ancestors(unit=Unit.objects.get(code="05115"))] == ["04", "051"]
    assert len(unit_descendant_codes(unit=Unit.objects.get(code="04"), on=date(2019, 12, 31))) == 22
