"""Issue 12, hole 8: documents and evidence accept only the types the page needs, never old Office files or
Office files carrying macros, and are scanned by ClamAV where it is installed."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from xhht.core.attachments import DOCUMENT_TYPES, AttachmentRefused, attachment_check
from xhht.demo.foundation import NAM_TUAN
from xhht.steering.models import LegalDocument

FORM = {"kind": "plan", "number": "16/KH-UBND", "issued_on": "2021-03-02", "issuer": "UBND xã Nam Tuấn", "title": "Kế hoạch"}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def _docx() -> bytes:
    out = io.BytesIO()
    document = Document()
    document.add_paragraph("Kế hoạch năm 2021")
    document.save(out)
    return out.getvalue()


def _with_macro(content: bytes, *, member: str = "word/vbaProject.bin", content_type: bool = False) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if content_type and info.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
            target.writestr(info, data)
        if member:
            target.writestr(member, b"VBA project")
    return out.getvalue()


@pytest.mark.parametrize("name, content, reason", [
    ("ke-hoach.doc", OLE2, "chỉ nhận tệp"),
    ("bang.xls", OLE2, "chỉ nhận tệp"),
    ("ke-hoach.docx", OLE2, "kiểu cũ"),
    ("ke-hoach.docx", _with_macro(_docx()), "macro"),
    ("ke-hoach.docx", _with_macro(_docx(), member="", content_type=True), "macro"),
    ("ke-hoach.pdf", b"MZ\x90\x00 an executable", "không đúng định dạng"),
    ("anh.png", b"%PDF-1.4", "không đúng định dạng"),
])
def test_refused(name: str, content: bytes, reason: str) -> None:
    with pytest.raises(AttachmentRefused, match=reason):
        attachment_check(name=name, content=content, allowed=DOCUMENT_TYPES)


def test_a_clean_docx_and_pdf_pass() -> None:
    assert attachment_check(name="a/../ke-hoach.docx", content=_docx(), allowed=DOCUMENT_TYPES) == "ke-hoach.docx"
    assert attachment_check(name="ke-hoach.pdf", content=b"%PDF-1.4 ok", allowed=DOCUMENT_TYPES) == "ke-hoach.pdf"


def test_document_page_refuses_an_xlsx_with_a_macro_project(client_for: Any, nam_tuan_officer: Any) -> None:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    bad = SimpleUploadedFile("bang.xlsx", _with_macro(out.getvalue(), member="xl/vbaProject.bin"))
    page = client_for(nam_tuan_officer).post(f"/van-ban/them/{NAM_TUAN}/", {**FORM, "file": bad}).content.decode()
    assert "macro" in page and not LegalDocument.objects.filter(number="16/KH-UBND").exists()
    page = client_for(nam_tuan_officer).post(f"/van-ban/them/{NAM_TUAN}/", {**FORM, "file": SimpleUploadedFile("cu.doc", OLE2)}).content.decode()
    assert "chỉ nhận tệp" in page and not LegalDocument.objects.filter(number="16/KH-UBND").exists()
    ok = client_for(nam_tuan_officer).post(f"/van-ban/them/{NAM_TUAN}/", {**FORM, "file": SimpleUploadedFile("ke-hoach.docx", _docx())})
    assert ok.status_code == 302 and LegalDocument.objects.get(number="16/KH-UBND").file.name.endswith(".docx")


@pytest.fixture
def clamav(tmp_path: Path, settings: Any) -> bytes:
    """ClamAV's clamscan with a signature database made here for one test file (sigtool's MD5 signature),
    as a site's own signature would be; the official database cannot be downloaded on this machine."""
    if not shutil.which("clamscan") or not shutil.which("sigtool"):
        pytest.skip("ClamAV (clamscan, sigtool) is not installed: scripts/system-packages.sh installs it")
    infected = b"%PDF-1.4 XHHT test file that ClamAV must flag\n"
    sample = tmp_path / "mau-doc-hai.pdf"
    sample.write_bytes(infected)
    database = tmp_path / "xhht-test.hdb"
    database.write_text(subprocess.run(["sigtool", "--md5", str(sample)], capture_output=True, text=True, check=True).stdout)
    settings.XHHT_CLAMAV = "clamscan"
    settings.XHHT_CLAMAV_DATABASE = str(database)
    return infected


def test_clamav_refuses_a_flagged_file_and_passes_a_clean_one(clamav: bytes, client_for: Any, nam_tuan_officer: Any) -> None:
    with pytest.raises(AttachmentRefused, match="mã độc"):
        attachment_check(name="bao-cao.pdf", content=clamav, allowed=DOCUMENT_TYPES)
    assert attachment_check(name="bao-cao.pdf", content=b"%PDF-1.4 clean", allowed=DOCUMENT_TYPES) == "bao-cao.pdf"
    page = client_for(nam_tuan_officer).post(f"/van-ban/them/{NAM_TUAN}/", {**FORM, "file": SimpleUploadedFile("bao-cao.pdf", clamav)}).content.decode()
    assert "mã độc" in page and not LegalDocument.objects.filter(number="16/KH-UBND").exists()


def test_a_configured_scanner_that_fails_refuses_the_file(settings: Any, tmp_path: Path) -> None:
    if not shutil.which("clamscan"):
        pytest.skip("ClamAV is not installed")
    settings.XHHT_CLAMAV = "clamscan"
    settings.XHHT_CLAMAV_DATABASE = str(tmp_path / "missing.hdb")
    with pytest.raises(AttachmentRefused, match="Không quét được"):
        attachment_check(name="bao-cao.pdf", content=b"%PDF-1.4 clean", allowed=DOCUMENT_TYPES)
