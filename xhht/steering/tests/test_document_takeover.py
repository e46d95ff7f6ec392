"""Issue 12, hole 1: a document belongs to the unit that registered it.

The attack: a commune officer posts the number and date of another unit's document to their own
unit's form; before the fix, ``document_upsert`` found the document across the whole system and moved
it (title, file and unit) to the attacker's unit.
"""

from __future__ import annotations

from typing import Any

from xhht.audit.models import AuditEntry
from xhht.demo.foundation import DISTRICT, HONG_VIET, NAM_TUAN
from xhht.steering.models import LegalDocument

NATIONAL = {"kind": "decision", "number": "89/QĐ-TTg", "issued_on": "2013-01-09", "issuer": "Thủ tướng Chính phủ", "title": "Phê duyệt Đề án"}


def test_another_units_number_and_date_create_a_separate_entry(client_for: Any, nam_tuan_officer: Any, hong_viet_officer: Any) -> None:
    client = client_for(hong_viet_officer)
    client.post(f"/van-ban/them/{HONG_VIET}/", {**NATIONAL, "title": "Bản lưu của Hồng Việt"})
    owned = LegalDocument.objects.get(number="89/QĐ-TTg", unit_id=HONG_VIET)
    client = client_for(nam_tuan_officer)
    response = client.post(f"/van-ban/them/{NAM_TUAN}/", {**NATIONAL, "title": "Chiếm đoạt"})
    assert response.status_code == 302
    owned.refresh_from_db()
    assert owned.unit_id == HONG_VIET and owned.title == "Bản lưu của Hồng Việt"
    # The same national document: the central entry and one entry per commune that registered it.
    assert set(LegalDocument.objects.filter(number="89/QĐ-TTg").values_list("unit_id", flat=True)) == {None, HONG_VIET, NAM_TUAN}
    assert client_for(hong_viet_officer).get(f"/van-ban/{owned.pk}/").status_code == 200
    assert not AuditEntry.objects.filter(object_id=str(owned.pk), unit_code=NAM_TUAN).exists()


def test_a_central_document_is_never_taken_over(client_for: Any, nam_tuan_officer: Any) -> None:
    central = LegalDocument.objects.filter(unit__isnull=True).first()
    assert central is not None
    form = {"kind": "decision", "number": central.number, "issued_on": central.issued_on.isoformat(), "issuer": "x", "title": "Chiếm đoạt"}
    assert client_for(nam_tuan_officer).post(f"/van-ban/them/{NAM_TUAN}/", form).status_code == 302
    central.refresh_from_db()
    assert central.unit_id is None and central.title != "Chiếm đoạt"


def test_a_unit_updates_its_own_entry(client_for: Any, district_officer: Any) -> None:
    own = LegalDocument.objects.get(number="33/KH-UBND", unit_id=DISTRICT)
    form = {"kind": "plan", "number": own.number, "issued_on": own.issued_on.isoformat(), "issuer": own.issuer, "title": "Trích yếu mới"}
    client_for(district_officer).post(f"/van-ban/them/{DISTRICT}/", form)
    own.refresh_from_db()
    assert own.title == "Trích yếu mới" and LegalDocument.objects.filter(number="33/KH-UBND").count() == 1
