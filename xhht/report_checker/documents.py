"""A report as people write it (.docx, .pdf with a text layer, .txt), read safely into paragraphs and tables.

The file's size is checked before anything opens it; a .docx goes through the project's zip checks
(:func:`xhht.core.tabular.zip_check`: zip bombs, macros) and an encrypted or old-format Word file is named
as such; pdftotext (poppler) runs with a time limit and a page limit. The text read is capped. Every refusal
is a :class:`xhht.core.tabular.Rejected` with a Vietnamese message naming the file. Nothing is written.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from xhht.core.tabular import Problem, Rejected, zip_check

SUFFIXES = {".docx", ".pdf", ".txt"}
MAX_CHARS = 3_000_000  # about 1.000 pages of text: more is not a report
MAX_PDF_PAGES = 1000
MAX_DOCUMENT_XML_BYTES = 64 * 1024 * 1024  # the XML python-docx would parse: bounded before it does
PDF_TIMEOUT_SECONDS = 60
_VIETNAMESE_LETTERS = set("ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
_VIETNAMESE_WORDS = {"và", "của", "các", "được", "trong", "người", "năm", "xã", "huyện", "tỉnh", "có", "đã", "với", "cho", "những", "số", "học"}

log = logging.getLogger(__name__)


@dataclass
class Paragraph:
    number: int  # 1-based among the paragraphs (table rows are not counted)
    text: str


@dataclass
class Table:
    number: int  # 1-based among the tables
    rows: list[list[str]]


@dataclass
class Document:
    name: str
    blocks: list[Paragraph | Table] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            else:
                parts.extend(" ".join(row) for row in block.rows)
        return "\n".join(parts)


def _reject(message: str, name: str) -> Rejected:
    return Rejected([Problem(message, file=name)])


def document_read(path: Path | str, *, name: str | None = None, max_bytes: int | None = None) -> Document:
    """Read ``path`` into a :class:`Document`; raises :class:`Rejected` (Vietnamese) for a file that cannot be checked."""
    path = Path(path)
    name = name or path.name
    limit = max_bytes if max_bytes is not None else settings.XHHT_MAX_UPLOAD_BYTES
    if not path.exists():
        raise _reject("không tìm thấy tệp.", name)
    size = path.stat().st_size
    if size == 0:
        raise _reject("tệp rỗng.", name)
    if limit and size > limit:
        raise _reject(f"tệp quá lớn ({size // (1024 * 1024)} MB; tối đa {limit // (1024 * 1024)} MB): không đọc tệp này.", name)
    suffix = Path(name).suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _reject("tệp Word được đặt mật khẩu (mã hóa): không đọc được. Hãy gỡ mật khẩu rồi gửi lại.", name)
        raise _reject("tệp Word cũ (.doc) hoặc tệp có macro: không nhận. Hãy lưu lại dưới dạng .docx rồi gửi lại.", name)
    if suffix == ".docx" or (head.startswith(b"PK") and suffix not in {".pdf", ".txt"}):
        document = _read_docx(path, name)
    elif suffix == ".pdf" or head.startswith(b"%PDF"):
        document = _read_pdf(path, name)
    elif suffix == ".txt":
        document = _read_txt(path, name)
    else:
        raise _reject("chỉ nhận báo cáo dạng .docx, .pdf (có lớp chữ) hoặc .txt.", name)
    _check_language(document)
    return document


# ------------------------------------------------------------------ .txt


def text_blocks(text: str, name: str) -> Document:
    """Paragraphs are the non-empty lines; lines with tab stops are table rows, and the runs of them
    (blank lines between allowed) one table."""
    document = Document(name)
    paragraph_count = table_count = 0
    table: Table | None = None
    for line in text.splitlines():
        if "\t" in line:
            if table is None:
                table_count += 1
                table = Table(table_count, [])
                document.blocks.append(table)
            table.rows.append([cell.strip() for cell in line.split("\t")])
            continue
        stripped = line.strip()
        if not stripped:
            continue
        table = None
        paragraph_count += 1
        document.blocks.append(Paragraph(paragraph_count, stripped))
    return document


def _read_txt(path: Path, name: str) -> Document:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _reject("tệp văn bản không được mã hóa UTF-8; hãy lưu lại với mã UTF-8.", name) from None
    if "\x00" in text:
        raise _reject("tệp không phải văn bản (.txt).", name)
    if len(text) > MAX_CHARS:
        raise _reject("tệp có quá nhiều chữ để là một báo cáo (trên 3 triệu ký tự).", name)
    return text_blocks(text, name)


# ------------------------------------------------------------------ .docx


def _read_docx(path: Path, name: str) -> Document:
    zip_check(path, name, kind="tệp Word (.docx)", save_as=".docx")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise _reject("tệp không phải văn bản Word (.docx) hợp lệ (thiếu phần nội dung).", name)
        if archive.getinfo("word/document.xml").file_size > MAX_DOCUMENT_XML_BYTES:
            raise _reject("nội dung tệp Word khi giải nén quá lớn để là một báo cáo: không đọc tệp này.", name)
        content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        if b"macroEnabled" in content_types:
            raise _reject("tệp có chứa macro (.docm); hãy lưu lại dưới dạng .docx không có macro.", name)
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        source = docx.Document(str(path))
    except Exception:
        log.warning("unreadable Word file refused", extra={"action": "check_report", "file": name}, exc_info=True)
        raise _reject("không đọc được tệp Word (.docx): tệp bị hỏng.", name) from None
    document = Document(name)
    paragraph_count = table_count = chars = 0
    body = source.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = DocxParagraph(child, source).text.strip()
            if text:
                paragraph_count += 1
                chars += len(text)
                document.blocks.append(Paragraph(paragraph_count, text))
        elif tag == "tbl":
            table_count += 1
            rows: list[list[str]] = []
            for row in DocxTable(child, source).rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    # A cell merged across columns comes back once per grid column: keep it once.
                    cells.append("" if cell._tc is previous else cell.text.strip())
                    previous = cell._tc
                chars += sum(len(c) for c in cells)
                rows.append(cells)
            document.blocks.append(Table(table_count, rows))
        if chars > MAX_CHARS:
            raise _reject("tệp có quá nhiều chữ để là một báo cáo (trên 3 triệu ký tự).", name)
    return document


# ------------------------------------------------------------------ .pdf


def _read_pdf(path: Path, name: str) -> Document:
    binary = shutil.which("pdftotext")
    if binary is None:
        raise _reject("máy chủ chưa cài poppler-utils (pdftotext): chưa đọc được tệp PDF.", name)
    try:
        result = subprocess.run([binary, "-enc", "UTF-8", "-l", str(MAX_PDF_PAGES), "-q", str(path), "-"],
                                capture_output=True, timeout=PDF_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise _reject("đọc tệp PDF quá lâu; tệp có thể bị hỏng.", name) from None
    if result.returncode != 0:
        if result.returncode == 3 or b"assword" in result.stderr:
            raise _reject("tệp PDF được đặt mật khẩu (mã hóa): không đọc được.", name)
        raise _reject("không đọc được tệp PDF: tệp bị hỏng.", name)
    text = result.stdout[: MAX_CHARS * 4].decode("utf-8", errors="replace")
    if not text.replace("\f", "").strip():
        raise _reject("tệp PDF không có lớp chữ (bản quét, chỉ có hình ảnh): không kiểm tra được gì. "
                      "Hãy gửi tệp Word (.docx) hoặc PDF xuất từ Word.", name)
    # pdftotext breaks lines where the page does: a paragraph is the lines up to a blank line.
    paragraphs: list[str] = []
    for chunk in re.split(r"\n\s*\n|\f", text):
        joined = " ".join(line.strip() for line in chunk.splitlines() if line.strip())
        if joined:
            paragraphs.append(joined)
    return text_blocks("\n".join(paragraphs), name)


# ------------------------------------------------------------------ language


def _check_language(document: Document) -> None:
    text = document.text
    letters = [ch for ch in text.lower() if ch.isalpha()]
    if not letters:
        raise _reject("tệp không có chữ nào: không kiểm tra được gì.", document.name)
    if len(letters) < 80:
        return
    marked = sum(1 for ch in letters if ch in _VIETNAMESE_LETTERS) / len(letters)
    words = re.findall(r"\w+", text.lower())
    common = sum(1 for w in words if w in _VIETNAMESE_WORDS) / max(len(words), 1)
    if marked < 0.03 and common < 0.03:
        raise _reject("báo cáo không viết bằng tiếng Việt: XHHT chỉ kiểm tra được báo cáo tiếng Việt.", document.name)
