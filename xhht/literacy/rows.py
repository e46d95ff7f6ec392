"""Reading one household-survey row (format 2) into typed values, or saying what is wrong with it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from typing import Any

from xhht.core.tabular import Problem, Rejected
from xhht.core.text import fold
from xhht.literacy.catalogue import Rules

COLUMNS = (
    "commune_code", "village", "household_id", "person_id", "full_name", "sex", "birth_date", "ethnicity", "disability",
    "highest_grade_completed", "enrolled_grade", "literacy_phase_completed", "primary_completion_year",
    "lower_secondary_completion_year",
)
REQUIRED = ("commune_code", "household_id", "person_id", "sex", "birth_date", "highest_grade_completed")
# Vietnamese headers accepted too (folded, spaces as underscores).
ALIASES = {
    "ma_xa": "commune_code", "ma_don_vi": "commune_code", "thon": "village", "thon_to": "village", "ma_ho": "household_id",
    "ma_nguoi": "person_id", "ho_ten": "full_name", "ho_va_ten": "full_name", "gioi_tinh": "sex", "ngay_sinh": "birth_date",
    "dan_toc": "ethnicity", "khuyet_tat": "disability", "lop_da_hoan_thanh": "highest_grade_completed",
    "dang_hoc_lop": "enrolled_grade", "giai_doan_xmc": "literacy_phase_completed",
    "nam_hoan_thanh_tieu_hoc": "primary_completion_year", "nam_tot_nghiep_thcs": "lower_secondary_completion_year",
}
# Staging/person columns, in the order :func:`parse_row` returns them (after the row number).
FIELDS = (
    "commune_id", "person_id", "household_code", "village", "full_name", "sex", "birth_year", "birth_date",
    "ethnicity", "minority", "disability", "highest_grade", "enrolled_grade", "literacy_phase", "primary_completion_year",
    "lower_secondary_completion_year",
)
SEX = {"m": "M", "nam": "M", "f": "F", "nu": "F"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})-(\d{2}))?$")
MAX_ID = 40
# Ethnic groups and sexes repeat a great deal in a survey: fold each distinct text once.
_fold = lru_cache(maxsize=1 << 16)(fold)


@dataclass
class RowContext:
    """What checking a row needs besides the row: file name, survey year, rules, today, commune check."""

    file: str
    year: int
    rules: Rules
    today: date
    commune_problem: Any  # callable(code) -> str | None (None: the commune may be imported)


def _int(value: str | None, low: int, high: int) -> int | None:
    if value is None:
        return None
    text = value.strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.lstrip("-").isdigit():
        raise ValueError
    number = int(text)
    if not low <= number <= high:
        raise ValueError
    return number


def parse_row(number: int, record: dict[str, str | None], ctx: RowContext) -> tuple[tuple[Any, ...] | None, list[Problem]]:
    """(row values in FIELDS order, []) or (None, problems)."""
    problems: list[Problem] = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem(message, file=ctx.file, row=number, column=column))

    for column in ("commune_code", "household_id", "person_id", "sex", "birth_date", "highest_grade_completed"):
        if not record.get(column):
            bad(column, "thiếu giá trị bắt buộc.")
    if problems:
        return None, problems
    commune = str(record["commune_code"])
    reason = ctx.commune_problem(commune)
    if reason:
        bad("commune_code", reason)
    person_id, household = str(record["person_id"]), str(record["household_id"])
    if len(person_id) > MAX_ID:
        bad("person_id", f"mã người dài quá {MAX_ID} ký tự.")
    if len(household) > MAX_ID:
        bad("household_id", f"mã hộ dài quá {MAX_ID} ký tự.")
    sex = SEX.get(_fold(str(record["sex"])))
    if sex is None:
        bad("sex", f"giới tính «{record['sex']}» không hợp lệ (M/F, Nam/Nữ).")
    birth_year: int | None = None
    birth_date: date | None = None
    match = _DATE.match(str(record["birth_date"]).strip())
    if not match:
        bad("birth_date", f"ngày sinh «{record['birth_date']}» không đúng dạng YYYY-MM-DD hoặc YYYY.")
    else:
        birth_year = int(match.group(1))
        if match.group(2):
            try:
                birth_date = date(birth_year, int(match.group(2)), int(match.group(3)))
            except ValueError:
                bad("birth_date", f"ngày sinh «{record['birth_date']}» không có thật.")
        if birth_year < 1900:
            bad("birth_date", f"năm sinh {birth_year} trước năm 1900.")
            birth_year = None
        elif (birth_date or date(birth_year, 1, 1)) > ctx.today:
            bad("birth_date", f"ngày sinh «{record['birth_date']}» ở tương lai.")
            birth_year = None
        elif birth_year > ctx.year:
            bad("birth_date", f"sinh năm {birth_year}, sau năm điều tra {ctx.year}.")
            birth_year = None
    grade = enrolled = phase = disability = primary_year = secondary_year = None
    try:
        grade = _int(record["highest_grade_completed"], 0, 12)
    except ValueError:
        bad("highest_grade_completed", f"lớp đã hoàn thành «{record['highest_grade_completed']}» phải là số từ 0 đến 12.")
    if grade is not None and birth_year is not None:
        age = ctx.year - birth_year
        allowed = max(0, age - ctx.rules.grade_age_offset + ctx.rules.grade_age_tolerance)
        if grade > allowed:
            bad("highest_grade_completed", f"{age} tuổi mà đã hoàn thành lớp {grade}: quá mức tuổi cho phép (tối đa lớp {allowed}).")
    try:
        enrolled = _int(record.get("enrolled_grade"), 1, 12)
    except ValueError:
        bad("enrolled_grade", f"lớp đang học «{record.get('enrolled_grade')}» phải là số từ 1 đến 12 hoặc để trống.")
    try:
        phase = _int(record.get("literacy_phase_completed"), 0, 2)
    except ValueError:
        bad("literacy_phase_completed", f"giai đoạn xóa mù chữ «{record.get('literacy_phase_completed')}» phải là 0, 1 hoặc 2.")
    try:
        disability = _int(record.get("disability"), 0, 2)
    except ValueError:
        bad("disability", f"khuyết tật «{record.get('disability')}» phải là 0, 1 hoặc 2.")
    for column in ("primary_completion_year", "lower_secondary_completion_year"):
        try:
            value = _int(record.get(column), 1900, ctx.year)
        except ValueError:
            bad(column, f"năm «{record.get(column)}» phải từ 1900 đến {ctx.year}.")
            continue
        if column == "primary_completion_year":
            primary_year = value
        else:
            secondary_year = value
    if problems:
        return None, problems
    full_name = (record.get("full_name") or "")[:120]
    ethnicity = (record.get("ethnicity") or "")[:40]
    village = (record.get("village") or "")[:120]
    values = (
        commune, person_id, household, village, full_name, sex, birth_year, birth_date,
        ethnicity, _fold(ethnicity) not in ("", "kinh"), disability or 0, grade or 0, enrolled, phase or 0,
        primary_year, secondary_year,
    )
    return values, []


def problems_keep(problems: list[Problem], found: list[Problem], cap: int) -> int:
    """Append to ``problems`` as many of ``found`` as ``cap`` leaves room for; return how many did not fit (counted for
    the message's "… và N lỗi khác"). One rule for the row-by-row and the bulk import."""
    room = max(cap - len(problems), 0)
    problems.extend(found[:room])
    return max(len(found) - room, 0)


def problems_raise(problems: list[Problem], extra: int, *, name: str, rows: int) -> None:
    """Raise :class:`Rejected` when the file ``name`` had no data row or any problem, with "… và N lỗi khác" for the
    ``extra`` problems :func:`problems_keep` left out. One ending for the row-by-row and the bulk import."""
    if rows == 0:
        problems.append(Problem("tệp không có dòng dữ liệu nào.", file=name))
    if problems:
        if extra:
            problems.append(Problem(f"… và {extra} lỗi khác.", file=name))
        raise Rejected(problems)
