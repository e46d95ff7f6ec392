"""Writing the unit tree: the import of format 1 (``xhht import units FILE``)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from xhht.audit.services import audit_record, diff
from xhht.core.tabular import Problem, Rejected, open_table
from xhht.units.models import LEVEL, Unit, UnitClosure, UnitKind, UnitVersion

# Sent (no arguments) after the closure table was rebuilt: apps holding figures summed up the tree
# (the indicator roll-ups) rebuild theirs. Units is the lowest app, so it announces and never imports them.
tree_changed = Signal()
_batched: ContextVar[bool] = ContextVar("unit_tree_batched", default=False)

COLUMNS = ["code", "name", "kind", "parent_code", "valid_from", "valid_to", "special_difficulty"]
REQUIRED = ["code", "name", "kind"]
ALIASES = {
    "ma_don_vi": "code",
    "ma": "code",
    "ten": "name",
    "ten_don_vi": "name",
    "loai": "kind",
    "ma_cap_tren": "parent_code",
    "ma_don_vi_cap_tren": "parent_code",
    "hieu_luc_tu": "valid_from",
    "hieu_luc_den": "valid_to",
    "dac_biet_kho_khan": "special_difficulty",
}
CODE_PATTERN = re.compile(r"^[0-9A-Za-z_.-]{1,20}$")


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    kind: str
    parent_code: str | None
    valid_from: date | None
    valid_to: date | None
    special_difficulty: bool


@dataclass
class UnitImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    codes: list[str] = field(default_factory=list)


def _parse_date(text: str | None, problems: list[Problem], problem: dict[str, Any]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date.fromisoformat(text)
    except ValueError:
        problems.append(Problem(f"ngày «{text}» không hợp lệ; viết theo dạng YYYY-MM-DD (ví dụ 2025-07-01).", **problem))
        return None


def _overlaps(a: UnitRow | UnitVersion, b: UnitRow | UnitVersion) -> bool:
    a_start, a_end = a.valid_from or date.min, a.valid_to or date.max
    b_start, b_end = b.valid_from or date.min, b.valid_to or date.max
    return a_start <= b_end and b_start <= a_end


def _read_rows(path: Path, display_name: str | None) -> list[UnitRow]:
    table = open_table(path, columns=COLUMNS, required=REQUIRED, aliases=ALIASES, display_name=display_name)
    problems: list[Problem] = []
    rows: list[UnitRow] = []
    for number, record in table.rows:
        where: dict[str, Any] = {"file": table.name, "sheet": table.sheet, "row": number}
        code = record["code"] or ""
        if not code:
            problems.append(Problem("thiếu mã đơn vị.", column="code", **where))
        elif not CODE_PATTERN.match(code):
            problems.append(Problem(f"mã «{code}» không hợp lệ (chỉ chữ số, chữ cái, tối đa 20 ký tự).", column="code", **where))
        name = record["name"] or ""
        if not name:
            problems.append(Problem("thiếu tên đơn vị.", column="name", **where))
        kind = (record["kind"] or "").lower()
        if kind not in UnitKind.values:
            problems.append(
                Problem(f"loại «{record['kind'] or ''}» không được biết; dùng một trong: {', '.join(UnitKind.values)}.", column="kind", **where)
            )
        valid_from = _parse_date(record["valid_from"], problems, {**where, "column": "valid_from"})
        valid_to = _parse_date(record["valid_to"], problems, {**where, "column": "valid_to"})
        if valid_from and valid_to and valid_to < valid_from:
            problems.append(Problem("ngày hết hiệu lực trước ngày bắt đầu hiệu lực.", column="valid_to", **where))
        flag = record["special_difficulty"] or "0"
        if flag not in {"0", "1"}:
            problems.append(Problem(f"giá trị «{flag}» không hợp lệ; chỉ nhận 1 hoặc 0.", column="special_difficulty", **where))
        rows.append(
            UnitRow(
                row=number,
                code=code,
                name=name,
                kind=kind,
                parent_code=record["parent_code"] or None,
                valid_from=valid_from,
                valid_to=valid_to,
                special_difficulty=flag == "1",
            )
        )
    if not rows and not problems:
        problems.append(Problem("tệp không có dòng dữ liệu nào.", file=table.name))
    _check_structure(rows, table.name, table.sheet, problems)
    if problems:
        raise Rejected(problems)
    return rows


def _check_structure(rows: list[UnitRow], name: str, sheet: str | None, problems: list[Problem]) -> None:
    by_code: dict[str, list[UnitRow]] = defaultdict(list)
    for row in rows:
        if row.code:
            by_code[row.code].append(row)
    # A code may appear more than once only as successive versions (disjoint periods).
    for code, versions in by_code.items():
        for i, a in enumerate(versions):
            for b in versions[i + 1 :]:
                if _overlaps(a, b):
                    problems.append(
                        Problem(f"mã «{code}» bị lặp (đã có ở dòng {a.row} trong cùng thời gian hiệu lực).", file=name, sheet=sheet, row=b.row, column="code")
                    )
    known_kinds = dict(Unit.objects.filter(code__in={r.parent_code for r in rows if r.parent_code}).values_list("code", "kind"))
    parents: dict[str, set[str]] = defaultdict(set)
    for code, parent in UnitVersion.objects.filter(parent__isnull=False).values_list("unit_id", "parent_id"):
        if code not in by_code:
            parents[code].add(parent)
    for row in rows:
        if row.parent_code:
            parents[row.code].add(row.parent_code)
            if row.parent_code == row.code:
                problems.append(Problem("đơn vị không thể là cấp trên của chính nó.", file=name, sheet=sheet, row=row.row, column="parent_code"))
                continue
            parent_kind = by_code[row.parent_code][-1].kind if row.parent_code in by_code else known_kinds.get(row.parent_code)
            if parent_kind is None:
                problems.append(
                    Problem(f"không có đơn vị cấp trên mã «{row.parent_code}» (trong tệp hay trong hệ thống).", file=name, sheet=sheet, row=row.row, column="parent_code")
                )
            elif parent_kind in UnitKind.values and row.kind in UnitKind.values and LEVEL[UnitKind(parent_kind)] >= LEVEL[UnitKind(row.kind)]:
                problems.append(
                    Problem(
                        f"đơn vị loại «{row.kind}» không thể trực thuộc đơn vị loại «{parent_kind}».",
                        file=name,
                        sheet=sheet,
                        row=row.row,
                        column="parent_code",
                    )
                )
    # A cycle: following parents from a code comes back to it.
    reported: set[str] = set()
    for row in rows:
        if row.code in reported:
            continue
        stack: list[tuple[str, tuple[str, ...]]] = [(row.code, (row.code,))]
        while stack:
            code, path = stack.pop()
            for parent in parents.get(code, ()):
                if parent == row.code:
                    cycle = " → ".join([*path, parent])
                    problems.append(Problem(f"quan hệ cấp trên tạo thành vòng: {cycle}.", file=name, sheet=sheet, row=row.row, column="parent_code"))
                    reported.update(path)
                    stack = []
                    break
                if parent not in path:
                    stack.append((parent, (*path, parent)))


def _version_values(row: UnitRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "kind": row.kind,
        "parent_id": row.parent_code,
        "valid_to": row.valid_to,
        "special_difficulty": row.special_difficulty,
    }


def unit_import(*, actor: Any, path: Path | str, display_name: str | None = None) -> UnitImportResult:
    """Import a units file (format 1): all rows or none.

    Raises :class:`~xhht.core.tabular.Rejected` listing every problem; nothing is written then.
    Importing the same file twice changes nothing.
    """
    rows = _read_rows(Path(path), display_name)
    result = UnitImportResult()
    by_code: dict[str, list[UnitRow]] = defaultdict(list)
    for row in rows:
        by_code[row.code].append(row)
    with transaction.atomic(), unit_tree_batch():
        # Parents first, so every foreign key points at a unit that exists.
        order = sorted(by_code, key=lambda c: min(LEVEL[UnitKind(r.kind)] for r in by_code[c]))
        for code in order:
            versions = sorted(by_code[code], key=lambda r: r.valid_from or date.min)
            latest = versions[-1]
            unit_values = {**_version_values(latest), "valid_from": versions[0].valid_from}
            unit = Unit.objects.filter(code=code).first()
            before = {k: getattr(unit, k) for k in unit_values} if unit else {}
            changes: dict[str, list[Any]] = {}
            if unit is None:
                unit = Unit.objects.create(code=code, **unit_values)
            else:
                for key, value in unit_values.items():
                    setattr(unit, key, value)
                if before != unit_values:
                    unit.save()
            changes.update(diff({k: str(v) if v is not None else None for k, v in before.items()}, {k: str(v) if v is not None else None for k, v in unit_values.items()}))
            for row in versions:
                values = _version_values(row)
                version = UnitVersion.objects.filter(unit=unit, valid_from=row.valid_from).first()
                if version is None:
                    UnitVersion.objects.create(unit=unit, valid_from=row.valid_from, **values)
                    changes.setdefault(f"version {row.valid_from or '…'}", [None, "mới"])
                elif any(getattr(version, k) != v for k, v in values.items()):
                    old = {k: str(getattr(version, k)) for k in values}
                    for key, value in values.items():
                        setattr(version, key, value)
                    version.save()
                    changes[f"version {row.valid_from or '…'}"] = [old, {k: str(v) for k, v in values.items()}]
            if not before:
                result.created += 1
                audit_record(actor=actor, action="unit_import_create", instance=unit, unit_code=code, changes=changes)
            elif changes:
                result.updated += 1
                audit_record(actor=actor, action="unit_import_update", instance=unit, unit_code=code, changes=changes)
            else:
                result.unchanged += 1
            result.codes.append(code)
    return result


# --------------------------------------------------------------------------- the ancestor (closure) table


@contextmanager
def unit_tree_batch() -> Iterator[None]:
    """Write many versions, then rebuild the closure table (and what depends on it) once, at the end."""
    if _batched.get():
        yield
        return
    token = _batched.set(True)
    try:
        yield
    finally:
        _batched.reset(token)
    unit_closure_rebuild()


def unit_version_saved(**_: Any) -> None:
    """Receiver of UnitVersion's post_save/post_delete: a version written outside a batch rebuilds at once."""
    if not _batched.get():
        unit_closure_rebuild()


def unit_closure_rows(*, version_model: Any = UnitVersion, closure_model: Any = UnitClosure) -> list[Any]:
    """The closure table as the versions define it: the tree is the same between two successive dates at which
    some version starts or ends, so it is walked once per such span and a row kept over consecutive spans merged."""
    versions = list(version_model.objects.order_by("unit_id", "valid_from").values_list("unit_id", "parent_id", "valid_from", "valid_to"))
    cuts: set[date] = set()
    for _, _, start, end in versions:
        if start is not None:
            cuts.add(start)
        if end is not None and end < date.max:
            cuts.add(end + timedelta(days=1))
    bounds = sorted(cuts)
    spans: list[tuple[date | None, date | None]] = []  # inclusive [from, to]; None = open
    starts: list[date | None] = [None, *bounds]
    for i, start in enumerate(starts):
        end = bounds[i] - timedelta(days=1) if i < len(bounds) else None
        spans.append((start, end))
    open_rows: dict[tuple[str, str, int], list[Any]] = {}  # (ancestor, descendant, depth) -> [from, to]
    done: list[Any] = []
    for start, end in spans:
        on = start or (end if end is not None else date.today())
        parent: dict[str, str | None] = {}
        for unit_id, parent_id, vf, vt in versions:  # by valid_from: the latest version valid on the day wins
            if (vf is None or vf <= on) and (vt is None or on <= vt):
                parent[unit_id] = parent_id
        seen: set[tuple[str, str, int]] = set()
        for unit_id in parent:
            chain, current, depth = {unit_id}, unit_id, 0
            seen.add((unit_id, unit_id, 0))
            while (up := parent.get(current)) is not None and up not in chain:
                depth += 1
                chain.add(up)
                seen.add((up, unit_id, depth))
                current = up
        for key in list(open_rows):
            if key not in seen:
                a, d, depth = key
                vf, vt = open_rows.pop(key)
                done.append(closure_model(ancestor_id=a, descendant_id=d, depth=depth, valid_from=vf, valid_to=vt))
        for key in seen:
            if key in open_rows:
                open_rows[key][1] = end
            else:
                open_rows[key] = [start, end]
    for (a, d, depth), (vf, vt) in open_rows.items():
        done.append(closure_model(ancestor_id=a, descendant_id=d, depth=depth, valid_from=vf, valid_to=vt))
    return done


def unit_closure_rebuild() -> int:
    """Rebuild the ancestor table from the versions, then tell the apps that sum up the tree (one transaction).

    Every write of the tree calls it: :func:`unit_import` once at its end, a version saved on its own at once
    (signals), unit lineage (format 4) through :func:`unit_tree_batch`. Returns the number of rows.
    """
    with transaction.atomic():
        rows = unit_closure_rows()
        UnitClosure.objects.all().delete()
        UnitClosure.objects.bulk_create(rows, batch_size=5000)
        tree_changed.send(sender=UnitClosure)
    return len(rows)
