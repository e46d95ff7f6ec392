"""Web: the administrator's import of unit changes, and each unit's lineage on its page."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from xhht.accounts.models import User
from xhht.demo.foundation import NAM_TUAN, XA_HOA_AN, XA_NAM_TUAN, reforms_load
from xhht.units.models import Unit, UnitChange

GOOD = ("effective_date,basis,code,name,kind,parent_code,from_code,from_villages,from_share,end\n"
        "2024-01-01,Nghị quyết thử,05113,Hồng Việt Mới,,,05104,,,\n").encode()


def upload(client: Any, content: bytes, name: str = "thay-doi.csv") -> Any:
    return client.post("/don-vi/thay-doi-dia-gioi/", {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_only_administrators_import_changes(client_for: Any, district_officer: Any, province_officer: Any) -> None:
    for user in (district_officer, province_officer):
        assert client_for(user).get("/don-vi/thay-doi-dia-gioi/").status_code == 403
        assert "/don-vi/thay-doi-dia-gioi/" not in client_for(user).get("/don-vi/").content.decode()
        assert upload(client_for(user), GOOD).status_code == 403
    assert not UnitChange.objects.exists()


def test_administrator_imports_and_a_bad_file_is_refused_whole(client_for: Any, demo: None) -> None:
    client = client_for(User.objects.get(username="quantri"))
    assert "/don-vi/thay-doi-dia-gioi/" in client.get("/don-vi/").content.decode()
    bad = GOOD.replace(b"05104,,,", b"05104,,0.9999,")
    response = upload(client, bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "thay-doi.csv, dòng 2, cột from_share" in page and "phải đúng bằng 1" in page and "không ghi dữ liệu nào" in page
    assert not UnitChange.objects.exists()
    response = upload(client, GOOD)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Đã áp dụng: 01/01/2024" in page and "Nghị quyết thử" in page
    assert Unit.objects.get(code="05113").name == "Hồng Việt Mới" and Unit.objects.get(code="05104").valid_to is not None
    assert "0 đơn vị mới, 0 thay đổi, 0 chấm dứt; 1 đợt đã có" in client.get(upload(client, GOOD)["Location"]).content.decode()


def test_unit_page_shows_lineage_with_dates_basis_and_illustrative_marks(client_for: Any, demo: None) -> None:
    reforms_load()
    client = client_for(User.objects.get(username="quantri"))
    page = client.get(f"/don-vi/{XA_HOA_AN}/").content.decode()
    assert 'id="lineage"' in page and "01/07/2025" in page and "Nghị quyết 1657/NQ-UBTVQH15" in page
    assert "Tiếp nhận toàn bộ" in page and "thị trấn Nước Hai" in page
    old = client.get(f"/don-vi/{NAM_TUAN}/").content.decode()
    assert "Chuyển toàn bộ sang" in old and f"/don-vi/{XA_NAM_TUAN}/" in old
    nuoc_hai = client.get("/don-vi/05100/").content.decode()
    assert "Nghị quyết 864/NQ-UBTVQH14" in nuoc_hai and "minh họa" in nuoc_hai and "01/02/2020" in nuoc_hai
    # The new commune's officer sees their own commune.
    assert client_for(User.objects.get(username="xa.hoaan")).get(f"/don-vi/{XA_HOA_AN}/").status_code == 200
