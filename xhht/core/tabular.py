"""Read the CSV and XLSX files people send, safely and row by row.

Every importer goes through here, so each one refuses the same hostile files the same way:
too big, not a spreadsheet, a zip bomb, macros, formulas, bad encodings, unknown columns.
Rows are yielded one at a time (a national person file does not fit in memory); values come
out as stripped strings, or None for an empty cell, and each importer types them itself.
"""

from __future__ import annotations

import csv
import io
import logging
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


def _check_zip(path: Path, name: str) -> None:
    zip_check(path, name)


def zip_check(path: Path, name: str, *, kind: str = "bảng tính Excel (.xlsx)", save_as: str = ".xlsx") -> None:
    """Refuse an Office file (a zip) that is not one, is a zip bomb or carries macros, before any parser opens it."""
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


def _xlsx_rows(path: Path, name: str, sheet_name: str | None) -> tuple[str, Iterator[tuple[int, list[object]]]]:
    from openpyxl import load_workbook

    _check_zip(path, name)
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
    first_line = sample.splitlines()[0] if sample else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
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
