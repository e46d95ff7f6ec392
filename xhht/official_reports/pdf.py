"""The PDF, made from the .docx by LibreOffice in headless mode (Debian: libreoffice-writer-nogui)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path


class PdfUnavailable(RuntimeError):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


class PdfConversion:
    """LibreOffice converting ``docx`` into ``out_dir/<stem>.pdf`` in its own process, started at once, so the
    caller can write the .xlsx on the other core meanwhile; :meth:`wait` returns the PDF. Each conversion uses its
    own LibreOffice profile, so that conversions running at the same time (two workers, the CLI) do not lock each
    other. Used as a context manager, a conversion left without :meth:`wait` (the caller failed) is killed."""

    def __init__(self, docx: Path, out_dir: Path, *, timeout: int = 180) -> None:
        binary = soffice()
        if binary is None:
            raise PdfUnavailable("Không tìm thấy LibreOffice (soffice): cài gói libreoffice-writer-nogui (scripts/system-packages.sh).")
        self.pdf = out_dir / (docx.stem + ".pdf")
        self.deadline = time.monotonic() + timeout
        self._profile = tempfile.TemporaryDirectory(prefix="xhht-lo-")
        cmd = [binary, f"-env:UserInstallation=file://{self._profile.name}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)]
        self._process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait(self) -> Path:
        try:
            out, err = self._process.communicate(timeout=max(1.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.close()
            raise PdfUnavailable("LibreOffice không chuyển xong sang PDF trong thời gian cho phép.") from None
        finally:
            self._profile.cleanup()
        if self._process.returncode != 0 or not self.pdf.exists():
            raise PdfUnavailable(f"LibreOffice không chuyển được sang PDF: {err.strip() or out.strip()}")
        return self.pdf

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.communicate()
        self._profile.cleanup()

    def __enter__(self) -> PdfConversion:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def docx_to_pdf(docx: Path, out_dir: Path, *, timeout: int = 180) -> Path:
    """Convert ``docx`` into ``out_dir/<stem>.pdf`` and wait for it."""
    with PdfConversion(docx, out_dir, timeout=timeout) as conversion:
        return conversion.wait()
