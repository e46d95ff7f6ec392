"""The demo's two reforms (format 4 through the importer): the 2020 merger and the July 2025 reform."""

from __future__ import annotations

from datetime import date

import pytest

from xhht.accounts.models import User
from xhht.audit.models import AuditEntry
from xhht.demo.foundation import (DISTRICT, NAM_TUAN, NGUYEN_HUE_2020, PROVINCE, REFORM_2020, REFORM_2025, XA_BACH_DANG, XA_HOA_AN,
                                  XA_NAM_TUAN, XA_NGUYEN_HUE, reforms_load)
from xhht.units.models import Unit, UnitChange
from xhht.units.selectors import unit_children, unit_lineage, unit_predecessor_names


@pytest.mark.django_db
def test_reforms_build_the_three_trees_and_reload_changes_nothing(demo: None) -> None:
    reforms_load()
    district, province = Unit.objects.get(code=DISTRICT), Unit.objects.get(code=PROVINCE)
    assert len(unit_children(unit=district, on=date(2019, 12, 31))) == 21
    assert len(unit_children(unit=district, on=REFORM_2020)) == 15
    assert unit_children(unit=district, on=REFORM_2025) == [] and district.versions.get().valid_to == date(2025, 6, 30)
    today = {u.code for u in unit_children(unit=province, on=REFORM_2025)}
    assert {XA_HOA_AN, XA_NAM_TUAN, XA_NGUYEN_HUE, XA_BACH_DANG} <= today and DISTRICT not in today
    assert Unit.objects.get(code=NGUYEN_HUE_2020).name == "Nguyễn Huệ"
    assert unit_predecessor_names(unit=Unit.objects.get(code=XA_HOA_AN))[:3] == ["thị trấn Nước Hai", "xã Đại Tiến", "xã Hồng Việt"]
    # The 2020 absorbers could not be read from the resolution: marked "minh họa" in the data.
    made_2020 = UnitChange.objects.filter(effective_date=REFORM_2020).exclude(source_id="05117")
    assert made_2020.count() == 5 and all("minh họa" in c.note for c in made_2020)
    assert User.objects.get(username="xa.hoaan").unit_id == XA_HOA_AN
    assert [c.unit_id for c in unit_lineage(unit=Unit.objects.get(code=NAM_TUAN))["successors"]] == [XA_NAM_TUAN]
    before = (Unit.objects.count(), UnitChange.objects.count(), AuditEntry.objects.count(), User.objects.count())
    reforms_load()
    assert (Unit.objects.count(), UnitChange.objects.count(), AuditEntry.objects.count(), User.objects.count()) == before
