from __future__ import annotations

import pytest
from django.core.management import call_command

from xhht.audit.models import AuditEntry
from xhht.demo.foundation import load
from xhht.organisations.models import Organisation
from xhht.steering.models import LegalDocument
from xhht.units.models import Unit


@pytest.mark.django_db
def test_foundation_demo_is_idempotent(demo: None) -> None:
    before = (Unit.objects.count(), Organisation.objects.count(), LegalDocument.objects.count(), AuditEntry.objects.count())
    load()
    assert (Unit.objects.count(), Organisation.objects.count(), LegalDocument.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_demo_holds_the_seed(demo: None) -> None:
    hoa_an = Unit.objects.get(code="051")
    assert hoa_an.parent_id == "04"
    communes = Unit.objects.filter(parent=hoa_an)
    assert communes.count() == 21 and communes.filter(kind="township").get().name == "Nước Hai"
    assert {"Nam Tuấn", "Hồng Việt", "Bế Triều", "Lê Chung", "Trương Lương"} <= set(communes.values_list("name", flat=True))
    assert Organisation.objects.filter(kind="community_learning_centre", unit__parent=hoa_an).count() == 21
    numbers = set(LegalDocument.objects.values_list("number", flat=True))
    assert {"738/QĐ-UBND", "33/KH-UBND", "01/CV-BCĐ", "73/KH-UBND", "2483/QĐ-UBND", "202/QĐ-UBND", "3850/QĐ-UBND", "120/KH-UBND"} <= numbers


@pytest.mark.django_db
def test_demo_command_prints_accounts(capsys: pytest.CaptureFixture[str], demo: None) -> None:
    call_command("demo", "--only", "foundation", verbosity=0)
    out = capsys.readouterr().out
    assert "pgd.hoaan" in out and "xa.namtuan" in out and "xa.hongviet" in out and "xhht-demo-2020" in out


@pytest.mark.django_db
def test_documents_are_searchable_without_diacritics(client_for: object, district_officer: object) -> None:
    page = client_for(district_officer).get("/van-ban/", {"q": "ke hoach 33"}).content.decode()  # type: ignore[operator]
    assert "33/KH-UBND" in page and "738/QĐ-UBND" not in page
