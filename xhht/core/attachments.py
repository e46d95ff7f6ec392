"""Attachments people upload (documents, evidence): only the types a page needs, no macros, scanned by
ClamAV where it is installed (issue 12, hole 8).

A file is judged by its content as well as its name: the extension must be one the page accepts and the
first bytes must be that kind of file. Old binary Office files (.doc, .xls: OLE2) are refused, and so
is any Office/OpenDocument zip carrying a macro project (``vbaProject.bin``, a macro-enabled content
type, ActiveX, or an OpenDocument ``Basic/``/``Scripts/`` folder).

ClamAV: ``clamdscan`` is used when present (the daemon's signatures stay loaded), else ``clamscan`` when
its signature database is there (``XHHT_CLAMAV_DATABASE`` or /var/lib/clamav). A scanner that runs and
fails refuses the file (fail closed). Without ClamAV no scan is made: docs/deployment.md says so.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path, PurePath

from django.conf import settings

DOCUMENT_TYPES = frozenset({".pdf", ".docx", ".xlsx", ".odt", ".ods", ".jpg", ".jpeg", ".png"})
EVIDENCE_TYPES = frozenset({".pdf", ".docx", ".xlsx", ".odt", ".ods", ".jpg", ".jpeg", ".png"})
LABELS = {".pdf": "PDF", ".docx": "Word (.docx)", ".xlsx": "Excel (.xlsx)", ".odt": "ODT", ".ods": "ODS", ".jpg": "JPG", ".jpeg": "JPG", ".png": "PNG"}

_ZIP_TYPES = {".docx", ".xlsx", ".odt", ".ods"}
_MAGIC = {".pdf": (b"%PDF",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG\r\n\x1a\n",)}
_OLE2 = b"\xd0\xcf\x11\xe0"
_MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"ms-office.activex", b"vnd.ms-office.vbaproject")
_MAX_UNZIPPED = 200 * 1024 * 1024


class AttachmentRefused(ValueError):
    """The file is not accepted; the message says why, in Vietnamese, with the file's name."""


def accepted_label(allowed: frozenset[str]) -> str:
    return ", ".join(dict.fromkeys(LABELS[s] for s in sorted(allowed)))


def _check_zip_container(name: str, content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise AttachmentRefused(f"Tệp «{name}» bị hỏng hoặc không đúng định dạng.") from None
    with archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            lower = info.filename.lower()
            if lower.endswith("vbaproject.bin") or "activex" in lower or lower.startswith(("basic/", "scripts/")):
                raise AttachmentRefused(f"Tệp «{name}» có chứa macro; hãy lưu lại dưới dạng tệp không có macro (.docx, .xlsx, .odt).")
        if total > _MAX_UNZIPPED:
            raise AttachmentRefused(f"Tệp «{name}» khi giải nén quá lớn (nghi «zip bomb»), không nhận.")
        for types_name in ("[Content_Types].xml", "META-INF/manifest.xml"):
            try:
                with archive.open(types_name) as handle:
                    types = handle.read(1024 * 1024).lower()
            except KeyError:
                continue
            if any(marker in types for marker in _MACRO_CONTENT_TYPES) or b"application/vnd.sun.star.basic" in types:
                raise AttachmentRefused(f"Tệp «{name}» có chứa macro; hãy lưu lại dưới dạng tệp không có macro (.docx, .xlsx, .odt).")


def _scanner() -> list[str] | None:
    configured = str(getattr(settings, "XHHT_CLAMAV", "auto")).strip().lower()
    if configured == "off":
        return None
    if configured in {"auto", "clamdscan"} and (binary := shutil.which("clamdscan")) and (configured == "clamdscan" or _clamd_running()):
        return [binary, "--no-summary", "--stream", "-"]
    if configured in {"auto", "clamscan"} and (binary := shutil.which("clamscan")):
        database = str(getattr(settings, "XHHT_CLAMAV_DATABASE", "") or "")
        if database:
            return [binary, "--no-summary", "-d", database, "-"]
        if any(Path("/var/lib/clamav").glob("*.c[lv]d")):
            return [binary, "--no-summary", "-"]
    return None


def _clamd_running() -> bool:
    return any(Path(p).exists() for p in ("/run/clamav/clamd.ctl", "/var/run/clamav/clamd.ctl"))


def clamav_available() -> bool:
    """True when uploads are scanned on this server (shown on the upload pages' help and in the docs)."""
    return _scanner() is not None


def _scan(name: str, content: bytes) -> None:
    command = _scanner()
    if command is None:
        return
    try:
        result = subprocess.run(command, input=content, capture_output=True, timeout=int(getattr(settings, "XHHT_CLAMAV_TIMEOUT", 120)))
    except (OSError, subprocess.TimeoutExpired):
        raise AttachmentRefused(f"Không quét được virus cho tệp «{name}» lúc này; hãy thử lại sau.") from None
    if result.returncode == 1:
        raise AttachmentRefused(f"Tệp «{name}» bị phát hiện có mã độc (ClamAV), không nhận.")
    if result.returncode != 0:
        raise AttachmentRefused(f"Không quét được virus cho tệp «{name}» lúc này; hãy thử lại sau.")


def attachment_check(*, name: str, content: bytes, allowed: frozenset[str]) -> str:
    """Refuse (:class:`AttachmentRefused`) a file the page does not accept, a macro-carrying one or one ClamAV
    flags; return its clean base name."""
    clean = PurePath((name or "").replace("\\", "/")).name[:200] or "tep"
    suffix = PurePath(clean).suffix.lower()
    if suffix not in allowed:
        raise AttachmentRefused(f"Tệp «{clean}»: chỉ nhận tệp {accepted_label(allowed)}. Tệp Word, Excel cũ (.doc, .xls) hãy lưu lại dưới dạng .docx, .xlsx.")
    if not content:
        raise AttachmentRefused(f"Tệp «{clean}» rỗng.")
    if content.startswith(_OLE2):
        raise AttachmentRefused(f"Tệp «{clean}» là tệp Office kiểu cũ (có thể chứa macro); hãy lưu lại dưới dạng .docx, .xlsx.")
    if suffix in _ZIP_TYPES:
        if not content.startswith(b"PK"):
            raise AttachmentRefused(f"Tệp «{clean}» không đúng định dạng {LABELS[suffix]}.")
        _check_zip_container(clean, content)
    elif not content.startswith(_MAGIC[suffix]):
        raise AttachmentRefused(f"Tệp «{clean}» không đúng định dạng {LABELS[suffix]}.")
    _scan(clean, content)
    return clean
