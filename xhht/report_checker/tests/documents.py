"""Real report files for the tests and the benchmark, made from text: .docx (python-docx), .pdf (LibreOffice)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx

_SEED_COPY = Path(__file__).parent / "data" / "seed_298_BC_UBND.txt"


def seed_text() -> str:
    """The seed report (Báo cáo 298/BC-UBND, Hòa An, 2020), kept beside the tests."""
    return _SEED_COPY.read_text(encoding="utf-8")


def docx_from_text(text: str, path: Path) -> Path:
    """A Word file as a person would make it: each line a paragraph, each run of tab-separated lines a table."""
    document = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        rows.clear()

    for line in text.splitlines():
        if "\t" in line:
            rows.append([cell.strip() for cell in line.split("\t")])
            continue
        if not line.strip():
            continue
        flush()
        document.add_paragraph(line.strip())
    flush()
    document.save(str(path))
    return path


def pdf_from_docx(source: Path, out_dir: Path) -> Path:
    """The PDF LibreOffice makes of ``source`` (a text layer, as when a report is exported from Word)."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    assert binary, "LibreOffice is needed (scripts/system-packages.sh)"
    with tempfile.TemporaryDirectory(prefix="xhht-lo-") as profile:
        subprocess.run([binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "pdf",
                        "--outdir", str(out_dir), str(source)], capture_output=True, timeout=180, check=True)
    return out_dir / (source.stem + ".pdf")


def pdf_without_text(path: Path) -> Path:
    """A one-page PDF that only draws (a filled rectangle, as a scan is only an image): no text layer."""
    content = b"0.5 g 50 50 400 600 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def docx_with_macro(source: Path, path: Path) -> Path:
    """``source`` with a VBA project added, as Word stores macros."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"Attribute VB_Name = \"Module1\"" * 10)
    return path


def encrypted_office_file(path: Path) -> Path:
    """What Word writes for a password-protected .docx: an OLE compound file (not a zip) whose directory holds the
    "EncryptedPackage" stream. (LibreOffice here cannot write one from the command line, so the container's
    header and directory entry are written as Office lays them out.)"""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + b"\x00" * 480
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\x00") + b"\x22\x00\x02\x01" + b"\x00" * 60
    info = "EncryptionInfo".encode("utf-16-le").ljust(64, b"\x00") + b"\x1e\x00\x02\x01" + b"\x00" * 60
    path.write_bytes(header + entry + info + b"\x00" * 4096)
    return path
