"""Whole reports, as files: the seed (.txt and a .docx made from it), a PDF with a text layer, and bad input."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xhht.core.tabular import Rejected
from xhht.report_checker.documents import Paragraph, Table, document_read
from xhht.report_checker.engine import check_document
from xhht.report_checker.tests.documents import (docx_from_text, docx_with_macro, encrypted_office_file, pdf_from_docx, pdf_without_text,
                                                 seed_text)

SEED_SLIPS = [
    {"kind": "rate", "where": "bảng 2, dòng 4, cột 5", "text": "2019 | 4 | 19 | 11 | 52,5 | 4 | 19 | 2 | 9,5", "stated": "52,5%",
     "computed": "52,38%", "message": "11/21 = 52,38%, không phải 52,5% (21: tổng các cột số lượng của dòng)"},
    {"kind": "rate", "where": "đoạn 223", "stated": "90%", "computed": "93,77%", "message": "7.544/8.045 = 93,77%, không phải 90%"},
]


def _without_text(findings: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{k: v for k, v in f.items() if k != "text" or f["where"].startswith("bảng")} for f in findings]


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seed")
    txt = folder / "bao-cao-298-BC-UBND.txt"
    txt.write_text(seed_text(), encoding="utf-8")
    return {"txt": txt, "docx": docx_from_text(seed_text(), folder / "bao-cao-298-BC-UBND.docx")}


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_the_whole_seed_gives_exactly_its_two_slips(seed_files: dict[str, Path], kind: str) -> None:
    document = document_read(seed_files[kind])
    result = check_document(document)
    assert _without_text(result.as_dict()["findings"]) == SEED_SLIPS
    assert "Có 7.544/8.045 đạt 90% hộ gia đình" in result.findings[1].text
    assert result.statements_checked >= 40
    # The seed's correct rates were read and paired (not skipped): each is a figure of the result.
    shown = {f.text for f in result.figures}
    assert {"7844/7916", "19776/20126", "8.385/9.080", "8.898/9.080", "21/21"} <= shown


def test_the_docx_keeps_paragraphs_and_tables_apart(seed_files: dict[str, Path]) -> None:
    document = document_read(seed_files["docx"])
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert len(tables) == 4
    assert tables[1].rows[0][:3] == ["Năm", "Tốt", "Tỷ lệ %"]
    assert tables[2].rows[-1][:3] == ["Cộng", "125", "3.358"]  # the vocational table: its total row holds
    assert sum(1 for b in document.blocks if isinstance(b, Paragraph)) == sum(1 for b in document_read(seed_files["txt"]).blocks if isinstance(b, Paragraph))


def test_the_command_prints_format_5(seed_files: dict[str, Path]) -> None:
    out = StringIO()
    call_command("check_report", str(seed_files["docx"]), "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["file"] == "bao-cao-298-BC-UBND.docx" and data["statements_checked"] >= 40
    assert [f["stated"] for f in data["findings"]] == ["52,5%", "90%"]
    out = StringIO()
    call_command("check_report", str(seed_files["txt"]), stdout=out)
    assert "2 chỗ không khớp" in out.getvalue() and "7.544/8.045 = 93,77%, không phải 90%" in out.getvalue()


def test_a_pdf_with_a_text_layer_is_read(seed_files: dict[str, Path], tmp_path: Path) -> None:
    """The seed exported to PDF: its sentences are checked (the slip found, nothing false). pdftotext gives a
    table's cells one by one, so table checks need the .docx (docs/report_checker.md)."""
    pdf = pdf_from_docx(seed_files["docx"], tmp_path)
    result = check_document(document_read(pdf))
    assert [(f.kind, f.stated, f.computed, f.message) for f in result.findings] == [
        ("rate", "90%", "93,77%", "7.544/8.045 = 93,77%, không phải 90%")]
    assert {"7844/7916", "19776/20126", "8.385/9.080"} <= {f.text for f in result.figures}


# ---------------------------------------------------------------- bad input


def _refused(path: Path, **options: object) -> str:
    with pytest.raises(Rejected) as caught:
        document_read(path, **options)  # type: ignore[arg-type]
    return str(caught.value)


def test_bad_files_are_refused_with_a_vietnamese_message(tmp_path: Path) -> None:
    good = docx_from_text("Tổng số người biết chữ là 7844/7916 đạt 99,09%.", tmp_path / "tot.docx")
    assert "mật khẩu" in _refused(encrypted_office_file(tmp_path / "mat-khau.docx"))
    broken = tmp_path / "hong.docx"
    broken.write_bytes(good.read_bytes()[:300])
    assert "hong.docx: tệp không phải tệp Word (.docx) hợp lệ." == _refused(broken)
    assert "macro" in _refused(docx_with_macro(good, tmp_path / "macro.docx"))
    assert "không có lớp chữ" in _refused(pdf_without_text(tmp_path / "ban-quet.pdf"))
    assert "không kiểm tra được gì" in _refused(pdf_without_text(tmp_path / "ban-quet.pdf"))
    corrupt_pdf = tmp_path / "hong.pdf"
    corrupt_pdf.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    assert "PDF" in _refused(corrupt_pdf)
    english = tmp_path / "report.txt"
    english.write_text("The district reports that 7844 of 7916 people aged 15 to 25 can read and write, which is 99.09 percent. " * 5)
    assert "không viết bằng tiếng Việt" in _refused(english)
    assert "tệp rỗng" in _refused(_empty(tmp_path / "rong.txt"))
    other = tmp_path / "bang.xlsx"
    other.write_bytes(b"a;b\n1;2\n")
    assert "chỉ nhận báo cáo dạng .docx, .pdf" in _refused(other)


def test_a_zip_bomb_docx_is_refused_before_python_docx_opens_it(tmp_path: Path) -> None:
    import zipfile

    bomb = tmp_path / "bom.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (80 * 1024 * 1024))
    assert "zip bomb" in _refused(bomb)


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def test_a_50_mb_file_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    big = tmp_path / "bao-cao-lon.docx"
    with big.open("wb") as handle:
        handle.seek(50 * 1024 * 1024 - 1)
        handle.write(b"\0")
    message = _refused(big)
    assert message == "bao-cao-lon.docx: tệp quá lớn (50 MB; tối đa 20 MB): không đọc tệp này."
    with pytest.raises(CommandError, match="tệp quá lớn"):
        call_command("check_report", str(big))


@pytest.mark.django_db
def test_the_command_compares_communes_with_the_unit_known_to_xhht(demo: None, tmp_path: Path) -> None:
    from xhht.demo.foundation import DISTRICT

    report = tmp_path / "bao-cao.txt"
    report.write_text("Năm 2019 có 25 xã đạt chuẩn phổ cập giáo dục; 21/21 xã, thị trấn tổ chức tổng kết.", encoding="utf-8")
    out = StringIO()
    call_command("check_report", str(report), "--format", "json", "--unit", DISTRICT, stdout=out)
    findings = json.loads(out.getvalue())["findings"]
    assert [(f["kind"], f["stated"], f["computed"]) for f in findings] == [("implausible", "25 xã", "21 xã")]
    assert "chỉ có 21 xã, phường, thị trấn" in findings[0]["message"]
    out = StringIO()
    call_command("check_report", str(report), "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["findings"] == []
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("check_report", str(report), "--unit", "99999")
