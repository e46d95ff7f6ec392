"""Read the CSV and XLSX files people send, safely and row by row.

Every importer goes through here, so each one refuses the same hostile files the same way:
too big, not a spreadsheet, a zip bomb, macros, formulas, bad encodings, unknown columns.
Rows are yielded one at a time (a national person file does not fit in memory); values come
out as stripped strings, or None for an empty cell, and each importer types them itself.
"""

from __future__ import annotations

import csv
import logging
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings

from xhht.core.text import fold

log = logging.getLogger(__name__)

# An XLSX is a zip; a member that inflates more than this ratio, or a total beyond this size,
# is treated as a zip bomb and refused before openpyxl sees it.
MAX_COMPRESSION_RATIO = 100
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, said in Vietnamese with where it is."""

    message: str
    file: str = ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.sheet:
            where.append(f"trang tính «{self.sheet}»")
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột {self.column}")
        return (", ".join(where) + ": " if where else "") + self.message


class Rejected(Exception):
    """The whole input is refused; ``problems`` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Table:
    """An opened file: its name, sheet and column names (canonical), and its rows."""

    name: str
    sheet: str | None
    columns: list[str]
    rows: Iterator[tuple[int, dict[str, str | None]]]


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# Cell elements in a worksheet's XML (<c r="A1" …>, with or without a namespace prefix).
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"ms-office.activex", b"ms-excel.sheet.binary")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def _sheet_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: int) -> int:
    """The cells of one worksheet, counted while streaming its XML (never held whole); refused early
    when its declared dimension or its running count passes ``budget``."""
    counted = 0
    carry = b""
    with archive.open(info) as member:
        first = True
        while chunk := member.read(1024 * 1024):
            if first:
                first = False
                if dim := _DIMENSION.search(chunk[:8192]):
                    c1, r1, c2, r2 = dim.groups()
                    if c2 and r2:
                        declared = (int(r2) - int(r1) + 1) * (_column_number(c2) - _column_number(c1) + 1)
                        if declared > budget:
                            raise _too_many_cells(name, declared)
            buffer = carry + chunk
            tail = len(buffer) - 32
            counted += sum(1 for m in _CELL_TAG.finditer(buffer) if m.start() < tail)
            carry = buffer[max(tail, 0):] if tail > 0 else buffer
            if counted > budget:
                raise _too_many_cells(name, counted)
        counted += len(_CELL_TAG.findall(carry))
    return counted


def _too_many_cells(name: str, cells: int) -> Rejected:
    return Rejected([Problem(f"bảng tính có quá nhiều ô (hơn {cells:,} ô); tệp được chấp nhận không vượt quá giới hạn này. "
                             "Hãy tách tệp hoặc xóa các trang tính không cần.".replace(",", "."), file=name)])


def check_xlsx(path: Path, name: str, *, max_uncompressed: int | None = None, max_cells: int | None = None) -> int:
    """Refuse a hostile .xlsx before any parser opens it, and return its cell count.

    Checked from the zip directory and by streaming the worksheets' XML, never by loading them:
    a zip bomb (a member inflating too much, or the total beyond ``max_uncompressed``), macros
    (a VBA project or a macro-enabled content type), too many shared strings, and more cells in
    all sheets together than ``max_cells`` (issue 12, hole 2: 52 sheets of 9.4 MB each passed the
    old per-member check).
    """
    max_uncompressed = max_uncompressed or _limit("XHHT_MAX_XLSX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
    max_cells = max_cells or _limit("XHHT_MAX_XLSX_CELLS", 30_000_000)
    max_strings = _limit("XHHT_MAX_XLSX_SHARED_STRINGS_BYTES", 100 * 1024 * 1024)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise Rejected([Problem("tệp không phải bảng tính Excel (.xlsx) hợp lệ.", file=name)]) from None
    with archive:
        total = 0
        sheets: list[zipfile.ZipInfo] = []
        for info in archive.infolist():
            total += info.file_size
            lower = info.filename.lower()
            if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO and info.file_size > 10 * 1024 * 1024:
                raise Rejected([Problem("tệp nén bất thường (nghi «zip bomb»), không mở.", file=name)])
            if lower.endswith("vbaproject.bin") or lower.endswith(".bin") and "activex" in lower:
                raise Rejected([Problem("tệp có chứa macro (VBA); hãy lưu lại dưới dạng .xlsx không có macro.", file=name)])
            if lower.endswith("sharedstrings.xml") and info.file_size > max_strings:
                raise Rejected([Problem(f"tệp có quá nhiều chữ ({info.file_size // (1024 * 1024)} MB khi giải nén), không mở.", file=name)])
            if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
                sheets.append(info)
        if total > max_uncompressed:
            raise Rejected([Problem(f"tệp khi giải nén quá lớn ({total // (1024 * 1024)} MB; tối đa {max_uncompressed // (1024 * 1024)} MB), "
                                    "không mở (nghi «zip bomb»).", file=name)])
        try:
            with archive.open("[Content_Types].xml") as types:
                content_types = types.read(1024 * 1024).lower()
        except KeyError:
            raise Rejected([Problem("tệp không phải bảng tính Excel (.xlsx) hợp lệ.", file=name)]) from None
        if any(marker in content_types for marker in _MACRO_CONTENT_TYPES):
            raise Rejected([Problem("tệp có chứa macro hoặc là sổ làm việc có macro (.xlsm); hãy lưu lại dưới dạng .xlsx.", file=name)])
        cells = 0
        for info in sheets:
            cells += _sheet_cells(archive, info, name, max_cells - cells)
    return cells


def _check_zip(path: Path, name: str) -> None:
    """Kept for callers of the earlier name: see :func:`check_xlsx`."""
    check_xlsx(path, name)


def zip_check(path: Path, name: str, *, kind: str = "bảng tính Excel (.xlsx)", save_as: str = ".xlsx") -> None:
    """Refuse an Office file (a zip: .docx, .xlsx) that is not one, is a zip bomb or carries macros, before any
    parser opens it. Workbooks get the stricter :func:`check_xlsx` (cells counted as well)."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise Rejected([Problem(f"tệp không phải {kind} hợp lệ.", file=name)]) from None
    with archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO and info.file_size > 10 * 1024 * 1024:
                raise Rejected([Problem("tệp nén bất thường (nghi «zip bomb»), không mở.", file=name)])
            if info.filename.lower().endswith("vbaproject.bin"):
                raise Rejected([Problem(f"tệp có chứa macro (VBA); hãy lưu lại dưới dạng {save_as} không có macro.", file=name)])
        if total > MAX_UNCOMPRESSED_BYTES:
            raise Rejected([Problem("tệp khi giải nén quá lớn (nghi «zip bomb»), không mở.", file=name)])


@dataclass(frozen=True)
class CellValue:
    """One cell of a :class:`WorkbookSnapshot`: what the readers of a workbook ask of an openpyxl cell."""

    value: object
    data_type: str
    row: int
    column_letter: str


@dataclass
class SheetSnapshot:
    title: str
    cells: dict[str, tuple[object, str]]
    max_row: int

    def __getitem__(self, coordinate: str) -> CellValue:
        from openpyxl.utils.cell import coordinate_from_string

        column, row = coordinate_from_string(coordinate)
        value, data_type = self.cells.get(f"{column}{row}", (None, "n"))
        return CellValue(value, data_type, row, column)

    def iter_rows(self, *, min_col: int = 1, max_col: int = 1, values_only: bool = True) -> Iterator[tuple[object, ...]]:
        from openpyxl.utils.cell import get_column_letter

        letters = [get_column_letter(c) for c in range(min_col, max_col + 1)]
        for row in range(1, self.max_row + 1):
            yield tuple(self.cells.get(f"{letter}{row}", (None, "n"))[0] for letter in letters)


@dataclass
class WorkbookSnapshot:
    """The values of every cell of a workbook, read in a memory-capped child process (plain data, picklable)."""

    sheetnames: list[str]
    sheets: dict[str, SheetSnapshot]

    def __getitem__(self, title: str) -> SheetSnapshot:
        return self.sheets[title]


def _snapshot(path: str) -> WorkbookSnapshot:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        sheets: dict[str, SheetSnapshot] = {}
        for sheet in workbook.worksheets:
            cells: dict[str, tuple[object, str]] = {}
            max_row = 0
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is None:
                        continue
                    cells[cell.coordinate] = (cell.value, cell.data_type)
                    max_row = max(max_row, cell.row)
            sheets[sheet.title] = SheetSnapshot(sheet.title, cells, max_row)
        return WorkbookSnapshot(list(workbook.sheetnames), sheets)
    finally:
        workbook.close()


def read_workbook_limited(path: Path, name: str, *, max_uncompressed: int, max_cells: int) -> WorkbookSnapshot:
    """A whole (small) workbook as plain values: checked by :func:`check_xlsx`, then parsed in streaming
    mode in a child process capped at settings.XHHT_PARSE_MEMORY_BYTES and XHHT_PARSE_TIMEOUT_SECONDS."""
    from xhht.core.limits import LimitExceeded, run_limited

    check_xlsx(path, name, max_uncompressed=max_uncompressed, max_cells=max_cells)
    try:
        return run_limited(_snapshot, str(path), memory_bytes=_limit("XHHT_PARSE_MEMORY_BYTES", 512 * 1024 * 1024),
                           timeout=_limit("XHHT_PARSE_TIMEOUT_SECONDS", 120))
    except LimitExceeded as exc:
        what = "quá nhiều bộ nhớ" if exc.reason == "memory" else "quá nhiều thời gian"
        raise Rejected([Problem(f"đọc tệp cần {what} nên đã dừng; tệp không được nhận. Hãy dùng mẫu do XHHT tạo, không thêm trang tính hay dữ liệu khác.",
                                file=name)]) from None
    except Rejected:
        raise
    except Exception:
        log.warning("unreadable workbook refused", extra={"action": "xlsx_read", "file": name}, exc_info=True)
        raise Rejected([Problem("không đọc được tệp Excel (.xlsx); tệp có thể bị hỏng.", file=name)]) from None


def _xlsx_rows(path: Path, name: str, sheet_name: str | None) -> tuple[str, Iterator[tuple[int, list[object]]]]:
    from openpyxl import load_workbook

    check_xlsx(path, name)
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception:
        log.warning("unreadable workbook refused", extra={"action": "xlsx_read", "file": name}, exc_info=True)
        raise Rejected([Problem("không đọc được tệp Excel (.xlsx).", file=name)]) from None
    if sheet_name and sheet_name in workbook.sheetnames:
        sheet = workbook[sheet_name]
    else:
        sheet = workbook.worksheets[0]
    title = sheet.title

    def rows() -> Iterator[tuple[int, list[object]]]:
        try:
            for number, row in enumerate(sheet.iter_rows(), start=1):
                values: list[object] = []
                for cell in row:
                    if getattr(cell, "data_type", None) == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                        column = getattr(cell, "column_letter", "")
                        raise Rejected(
                            [Problem("ô chứa công thức; chỉ nhập giá trị, không nhập công thức.", file=name, sheet=title, row=number, column=column)]
                        )
                    values.append(cell.value)
                yield number, values
        finally:
            workbook.close()

    return title, rows()


def csv_delimiter(first_line: str) -> str:
    """The delimiter of a CSV file from its first line: ";" when it has more of them than commas, else ","."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _csv_rows(path: Path, name: str) -> Iterator[tuple[int, list[object]]]:
    with path.open("rb") as raw:
        head = raw.read(64 * 1024)
    try:
        sample = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A cut in the middle of a multi-byte character at the end of the sample is fine.
        if exc.start < len(head) - 4:
            raise Rejected([Problem("tệp CSV không được mã hóa UTF-8; hãy lưu lại với mã UTF-8.", file=name)]) from None
        sample = head[: exc.start].decode("utf-8-sig")
    delimiter = csv_delimiter(sample.splitlines()[0] if sample else "")
    handle = path.open(encoding="utf-8-sig", newline="")
    reader = csv.reader(handle, delimiter=delimiter)
    number = 0
    try:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise Rejected(
                    [Problem("dữ liệu không phải UTF-8 (có thể trộn nhiều bảng mã); hãy lưu lại với mã UTF-8.", file=name, row=number + 1)]
                ) from None
            number = reader.line_num
            for value in row:
                if value.startswith("=") and len(value) > 1 and value[1:2].isalpha():
                    raise Rejected([Problem("ô chứa công thức; chỉ nhập giá trị.", file=name, row=number)])
            yield number, list(row)
    finally:
        handle.close()


def open_table(
    path: Path | str,
    *,
    columns: Sequence[str],
    required: Sequence[str],
    aliases: Mapping[str, str] | None = None,
    sheet_name: str | None = None,
    display_name: str | None = None,
    max_bytes: int | None = None,
) -> Table:
    """Open ``path`` (CSV or XLSX), check its header against ``columns`` and return its rows.

    ``aliases`` maps accepted Vietnamese headers (folded, e.g. ``ma_don_vi``) to canonical names.
    Raises :class:`Rejected` for a file that cannot be read or whose header is wrong.
    """
    path = Path(path)
    name = display_name or path.name
    limit = max_bytes if max_bytes is not None else settings.XHHT_MAX_UPLOAD_BYTES
    if not path.exists():
        raise Rejected([Problem("không tìm thấy tệp.", file=name)])
    size = path.stat().st_size
    if size == 0:
        raise Rejected([Problem("tệp rỗng.", file=name)])
    if limit and size > limit:
        raise Rejected([Problem(f"tệp quá lớn ({size // (1024 * 1024)} MB; tối đa {limit // (1024 * 1024)} MB).", file=name)])
    with path.open("rb") as handle:
        magic = handle.read(4)
    sheet: str | None = None
    if magic.startswith(b"PK"):
        sheet, raw_rows = _xlsx_rows(path, name, sheet_name)
    elif magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise Rejected([Problem("tệp Excel cũ (.xls) hoặc có macro không được nhận; hãy lưu lại dưới dạng .xlsx.", file=name)])
    elif path.suffix.lower() in {".csv", ".txt"} or not path.suffix:
        raw_rows = _csv_rows(path, name)
    else:
        raise Rejected([Problem("tệp không phải CSV hay Excel (.xlsx).", file=name)])

    canonical = {c: c for c in columns}
    for alias, target in (aliases or {}).items():
        canonical[fold(alias).replace(" ", "_")] = target
    header_row = next(((n, r) for n, r in raw_rows if any(_cell_text(v) for v in r)), None)
    if header_row is None:
        raise Rejected([Problem("tệp không có dữ liệu (thiếu dòng tiêu đề).", file=name, sheet=sheet)])
    header_number, header = header_row
    names: list[str | None] = []
    problems: list[Problem] = []
    for value in header:
        text = _cell_text(value)
        if text is None:
            names.append(None)
            continue
        key = canonical.get(fold(text).replace(" ", "_"))
        if key is None:
            problems.append(Problem(f"cột không được biết: «{text}».", file=name, sheet=sheet, row=header_number))
        elif key in names:
            problems.append(Problem(f"cột «{text}» bị lặp.", file=name, sheet=sheet, row=header_number))
        names.append(key)
    for column in required:
        if column not in names:
            problems.append(Problem(f"thiếu cột bắt buộc «{column}».", file=name, sheet=sheet, row=header_number))
    if problems:
        raise Rejected(problems)

    def rows() -> Iterator[tuple[int, dict[str, str | None]]]:
        for number, raw in raw_rows:
            values = [_cell_text(v) for v in raw]
            if not any(values):
                continue
            record: dict[str, str | None] = {c: None for c in columns}
            for index, key in enumerate(names):
                if key is not None and index < len(values):
                    record[key] = values[index]
            extra = [v for i, v in enumerate(values) if v and (i >= len(names) or names[i] is None)]
            if extra:
                raise Rejected([Problem("có giá trị nằm ngoài các cột có tiêu đề.", file=name, sheet=sheet, row=number)])
            yield number, record

    return Table(name=name, sheet=sheet, columns=[n for n in names if n], rows=rows())
