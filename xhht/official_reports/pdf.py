"""The PDF, made from the .docx by LibreOffice in headless mode (Debian: libreoffice-writer-nogui)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class PdfUnavailable(RuntimeError):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: Path, out_dir: Path, *, timeout: int = 180) -> Path:
    """Convert ``docx`` into ``out_dir/<stem>.pdf``. Each call uses its own LibreOffice profile, so
    that conversions running at the same time (two web workers, the CLI) do not lock each other."""
    binary = soffice()
    if binary is None:
        raise PdfUnavailable("Không tìm thấy LibreOffice (soffice): cài gói libreoffice-writer-nogui (scripts/system-packages.sh).")
    with tempfile.TemporaryDirectory(prefix="xhht-lo-") as profile:
        cmd = [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    pdf = out_dir / (docx.stem + ".pdf")
    if result.returncode != 0 or not pdf.exists():
        raise PdfUnavailable(f"LibreOffice không chuyển được sang PDF: {result.stderr.strip() or result.stdout.strip()}")
    return pdf
