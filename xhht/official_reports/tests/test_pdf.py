"""The PDF is made by LibreOffice in its own process beside the .xlsx: it is waited for, or killed when the build fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from xhht.official_reports.pdf import PdfConversion


def _docx(tmp_path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("Báo cáo thử: Xây dựng xã hội học tập")
    path = tmp_path / "thu.docx"
    doc.save(str(path))
    return path


def test_the_conversion_runs_beside_the_caller_and_gives_the_pdf(tmp_path: Path) -> None:
    with PdfConversion(_docx(tmp_path), tmp_path) as conversion:
        assert conversion._process.poll() is None or conversion._process.returncode == 0  # started, not waited for
        pdf = conversion.wait()
    assert pdf == tmp_path / "thu.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_a_build_that_fails_meanwhile_kills_the_conversion_and_leaves_no_profile(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="xlsx hỏng"):
        with PdfConversion(_docx(tmp_path), tmp_path) as conversion:
            raise RuntimeError("xlsx hỏng")
    assert conversion._process.poll() is not None  # LibreOffice is not left running
    assert not Path(conversion._profile.name).exists()
