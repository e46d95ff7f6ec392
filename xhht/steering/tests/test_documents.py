from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from xhht.audit.models import AuditEntry
from xhht.steering.models import LegalDocument

FORM = {"kind": "plan", "number": "15/KH-UBND", "issued_on": "2021-03-02", "issuer": "UBND xã Nam Tuấn", "title": "Kế hoạch xây dựng xã hội học tập năm 2021"}


def test_commune_officer_registers_a_document_with_its_file(client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    upload = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post("/van-ban/them/05115/", {**FORM, "file": upload})
    assert response.status_code == 302
    document = LegalDocument.objects.get(number="15/KH-UBND")
    assert document.unit_id == "05115" and document.file.name.endswith(".pdf")
    assert AuditEntry.objects.filter(action="document_create", object_id=str(document.pk), actor=nam_tuan_officer).exists()
    download = client.get(f"/van-ban/{document.pk}/file")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_refusals(client_for: Any, nam_tuan_officer: Any, hong_viet_officer: Any, viewer: Any) -> None:
    assert client_for(nam_tuan_officer).post("/van-ban/them/05113/", FORM).status_code == 404
    assert client_for(viewer).post("/van-ban/them/051/", FORM).status_code == 403
    assert not LegalDocument.objects.filter(number="15/KH-UBND").exists()
    client_for(nam_tuan_officer).post("/van-ban/them/05115/", FORM)
    document = LegalDocument.objects.get(number="15/KH-UBND")
    # Hồng Việt's officer may neither read nor download Nam Tuấn's document.
    client = client_for(hong_viet_officer)
    assert client.get(f"/van-ban/{document.pk}/").status_code == 404
    assert client.get(f"/van-ban/{document.pk}/file").status_code == 404
    assert "15/KH-UBND" not in client.get("/van-ban/", {"q": "15"}).content.decode()


def test_unsafe_file_and_script_in_text(client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    page = client.post("/van-ban/them/05115/", {**FORM, "file": SimpleUploadedFile("x.exe", b"MZ")}).content.decode()
    assert "Chỉ nhận tệp PDF" in page and not LegalDocument.objects.filter(number="15/KH-UBND").exists()
    client.post("/van-ban/them/05115/", {**FORM, "title": "<script>alert(1)</script>"})
    document = LegalDocument.objects.get(number="15/KH-UBND")
    page = client.get(f"/van-ban/{document.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
