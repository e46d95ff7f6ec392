"""Unit changes as data: the import of format 4 (``xhht import unit-changes FILE``).

A file lists reorganisations, one row per (resulting unit, source) pair; all rows of one
``effective_date`` are one reorganisation. The whole file is checked first against the tree as it
stands (simulated in memory, date after date), then applied in one transaction: versions in force
close on ``effective_date − 1`` and new ones open on ``effective_date``; ended units get ``valid_to``.
A reorganisation already imported with the same content is skipped, so re-importing changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F

from xhht.audit.services import audit_records
from xhht.core.tabular import Problem, Rejected, open_table
from xhht.units.models import LEVEL, Unit, UnitChange, UnitKind, UnitVersion
from xhht.units.services import unit_tree_batch

COLUMNS = ["effective_date", "basis", "code", "name", "kind", "parent_code", "special_difficulty", "from_code",
           "from_villages", "from_share", "end", "note"]
REQUIRED = ["effective_date", "basis", "code"]
ALIASES = {
    "ngay_hieu_luc": "effective_date",
    "can_cu": "basis",
    "ma_don_vi": "code",
    "ma": "code",
    "ten": "name",
    "loai": "kind",
    "ma_cap_tren": "parent_code",
    "dac_biet_kho_khan": "special_difficulty",
    "ma_nguon": "from_code",
    "thon_chuyen": "from_villages",
    "ty_le": "from_share",
    "cham_dut": "end",
    "ghi_chu": "note",
}
MAX_ROWS = 100_000

# Apps that know a commune's villages (the survey's, for instance) register a function here:
# given codes, it returns {code: {village names}}. Village units (kind ``village``) count as well.
VillageProvider = Callable[[list[str]], dict[str, set[str]]]
VILLAGE_PROVIDERS: list[VillageProvider] = []


def village_provider_register(provider: VillageProvider) -> None:
    if provider not in VILLAGE_PROVIDERS:
        VILLAGE_PROVIDERS.append(provider)


def villages_of(codes: Iterable[str]) -> dict[str, set[str]]:
    wanted = sorted(set(codes))
    found: dict[str, set[str]] = defaultdict(set)
    if not wanted:
        return found
    for parent, name in UnitVersion.objects.filter(parent_id__in=wanted, kind=UnitKind.VILLAGE).values_list("parent_id", "name"):
        found[parent].add(name)
    for provider in VILLAGE_PROVIDERS:
        for code, names in provider(wanted).items():
            found[code] |= names
    return found


@dataclass
class ChangeRow:
    row: int
    effective_date: date
    basis: str
    code: str
    name: str
    kind: str
    parent_code: str
    special_difficulty: bool | None
    from_code: str
    villages: list[str]
    share: Decimal | None
    end: bool
    note: str

    def key(self) -> tuple[Any, ...]:
        return (self.basis, self.code, self.name, self.kind, self.parent_code, self.special_difficulty, self.from_code,
                tuple(sorted(self.villages)), self.share.normalize() if self.share is not None else None, self.end, self.note)


@dataclass(frozen=True)
class _State:
    name: str
    kind: str
    parent: str | None
    special: bool
    ended: date | None  # last day, if it has ceased to exist


@dataclass
class UnitChangeImportResult:
    applied: list[date] = field(default_factory=list)
    unchanged: list[date] = field(default_factory=list)
    created: int = 0
    changed: int = 0
    ended: int = 0


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _read(path: Path, display_name: str | None) -> tuple[str, str | None, list[ChangeRow], list[Problem]]:
    table = open_table(path, columns=COLUMNS, required=REQUIRED, aliases=ALIASES, display_name=display_name)
    problems: list[Problem] = []
    rows: list[ChangeRow] = []
    for number, record in table.rows:
        where: dict[str, Any] = {"file": table.name, "sheet": table.sheet, "row": number}
        if len(rows) >= MAX_ROWS:
            problems.append(Problem(f"tệp có quá {MAX_ROWS} dòng; hãy chia thành nhiều tệp.", **where))
            break
        text = {k: (record.get(k) or "").strip() for k in COLUMNS}
        effective: date | None = None
        if not text["effective_date"]:
            problems.append(Problem("thiếu ngày hiệu lực.", column="effective_date", **where))
        else:
            try:
                effective = date.fromisoformat(text["effective_date"][:10])
            except ValueError:
                problems.append(Problem(f"ngày «{text['effective_date']}» không hợp lệ; viết theo dạng YYYY-MM-DD (ví dụ 2025-07-01).",
                                        column="effective_date", **where))
        if not text["basis"]:
            problems.append(Problem("thiếu căn cứ pháp lý (ví dụ Nghị quyết 1657/NQ-UBTVQH15).", column="basis", **where))
        if not text["code"]:
            problems.append(Problem("thiếu mã đơn vị sau thay đổi.", column="code", **where))
        kind = text["kind"].lower()
        if kind and kind not in UnitKind.values:
            problems.append(Problem(f"loại «{text['kind']}» không được biết; dùng một trong: {', '.join(UnitKind.values)}.", column="kind", **where))
        special: bool | None = None
        if text["special_difficulty"]:
            if text["special_difficulty"] not in {"0", "1"}:
                problems.append(Problem(f"giá trị «{text['special_difficulty']}» không hợp lệ; chỉ nhận 1 hoặc 0.", column="special_difficulty", **where))
            special = text["special_difficulty"] == "1"
        share: Decimal | None = None
        if text["from_share"]:
            try:
                share = Decimal(text["from_share"].replace(",", "."))
            except InvalidOperation:
                problems.append(Problem(f"tỷ lệ «{text['from_share']}» không phải số thập phân.", column="from_share", **where))
            else:
                if not (Decimal(0) < share <= Decimal(1)):
                    problems.append(Problem(f"tỷ lệ «{text['from_share']}» phải lớn hơn 0 và không quá 1.", column="from_share", **where))
                    share = None
        villages = [v.strip() for v in text["from_villages"].split(";") if v.strip()]
        if len(set(villages)) != len(villages):
            problems.append(Problem("một thôn được ghi hai lần trong cùng một dòng.", column="from_villages", **where))
        if villages and not text["from_code"]:
            problems.append(Problem("có danh sách thôn nhưng thiếu mã đơn vị nguồn (from_code).", column="from_villages", **where))
        if (villages or share is not None) and not text["from_code"]:
            if share is not None and not villages:
                problems.append(Problem("có tỷ lệ nhưng thiếu mã đơn vị nguồn (from_code).", column="from_share", **where))
        end = text["end"] in {"1", "x", "X"}
        if text["end"] and text["end"] not in {"0", "1", "x", "X"}:
            problems.append(Problem(f"giá trị «{text['end']}» không hợp lệ; ghi 1 khi đơn vị chấm dứt.", column="end", **where))
        if end and any(text[k] for k in ("name", "kind", "parent_code", "special_difficulty", "from_code", "from_villages", "from_share")):
            problems.append(Problem("dòng chấm dứt (end = 1) chỉ ghi ngày hiệu lực, căn cứ và mã đơn vị.", column="end", **where))
        if effective is not None:
            rows.append(ChangeRow(number, effective, text["basis"], text["code"], text["name"], kind, text["parent_code"], special,
                                  text["from_code"], villages, share, end, text["note"]))
    if not rows and not problems:
        problems.append(Problem("tệp không có dòng dữ liệu nào.", file=table.name))
    return table.name, table.sheet, rows, problems


def _current_states() -> dict[str, _State]:
    ended = dict(Unit.objects.values_list("code", "valid_to"))
    states: dict[str, _State] = {}
    # The latest version of each unit wins (an open start, NULL, is the earliest on every database).
    for v in UnitVersion.objects.order_by("unit_id", F("valid_from").asc(nulls_first=True)).values("unit_id", "name", "kind", "parent_id", "special_difficulty", "valid_from"):
        states[v["unit_id"]] = _State(v["name"], v["kind"], v["parent_id"], v["special_difficulty"], ended.get(v["unit_id"]))
    return states


def _alive(state: _State | None, on: date) -> bool:
    return state is not None and (state.ended is None or state.ended >= on)


class _Checker:
    """Checks one reorganisation against the simulated tree and returns the tree after it."""

    def __init__(self, name: str, sheet: str | None, problems: list[Problem]):
        self.name, self.sheet, self.problems = name, sheet, problems

    def fail(self, row: int, column: str | None, message: str) -> None:
        self.problems.append(Problem(message, file=self.name, sheet=self.sheet, row=row, column=column))

    def group(self, when: date, rows: list[ChangeRow], states: dict[str, _State], villages: dict[str, set[str]]) -> dict[str, _State]:
        before = when - timedelta(days=1)
        after = dict(states)
        by_code: dict[str, list[ChangeRow]] = defaultdict(list)
        by_source: dict[str, list[ChangeRow]] = defaultdict(list)
        for r in rows:
            by_code[r.code].append(r)
            if r.from_code:
                by_source[r.from_code].append(r)
        ending: dict[str, ChangeRow] = {}
        # The resulting units: agreement of values, existence, new units complete.
        for code, code_rows in by_code.items():
            ends = [r for r in code_rows if r.end]
            if len(ends) > 1:
                self.fail(ends[1].row, "end", f"đơn vị «{code}» chấm dứt hai lần trong cùng một đợt (dòng {ends[0].row}).")
            if ends and len(ends) < len(code_rows):
                other = next(r for r in code_rows if not r.end)
                self.fail(other.row, "end", f"đơn vị «{code}» vừa chấm dứt (dòng {ends[0].row}) vừa nhận thay đổi trong cùng ngày {_fmt(when)}.")
            state = states.get(code)
            if ends:
                if state is None:
                    self.fail(ends[0].row, "code", f"không có đơn vị mã «{code}» để chấm dứt.")
                elif not _alive(state, before):
                    self.fail(ends[0].row, "end", f"đơn vị «{code}» đã chấm dứt từ ngày {_fmt(state.ended + timedelta(days=1)) if state.ended else ''}; không thể chấm dứt lần nữa.")
                else:
                    ending[code] = ends[0]
                continue
            values: dict[str, Any] = {}
            for column in ("name", "kind", "parent_code", "special_difficulty"):
                given = [(r, getattr(r, column)) for r in code_rows if getattr(r, column) not in ("", None)]
                for r, value in given[1:]:
                    if value != given[0][1]:
                        self.fail(r.row, column, f"giá trị «{value}» khác với dòng {given[0][0].row} («{given[0][1]}») của cùng mã «{code}» và ngày.")
                if given:
                    values[column] = given[0][1]
            first = code_rows[0]
            if state is None:
                if not values.get("name"):
                    self.fail(first.row, "name", f"đơn vị mới «{code}» phải có tên.")
                if not values.get("kind"):
                    self.fail(first.row, "kind", f"đơn vị mới «{code}» phải có loại.")
                if not values.get("parent_code") and values.get("kind") not in (UnitKind.PROVINCE, UnitKind.CITY, None):
                    self.fail(first.row, "parent_code", f"đơn vị mới «{code}» phải có mã cấp trên.")
                after[code] = _State(values.get("name", ""), values.get("kind", ""), values.get("parent_code") or None,
                                     bool(values.get("special_difficulty")), None)
            elif not _alive(state, when):
                assert state.ended is not None
                self.fail(first.row, "code", f"đơn vị «{code}» đã chấm dứt từ ngày {_fmt(state.ended + timedelta(days=1))}, trước ngày hiệu lực {_fmt(when)}.")
            else:
                after[code] = replace(state, name=values.get("name", state.name), kind=values.get("kind", state.kind),
                                      parent=values.get("parent_code", state.parent),
                                      special=values.get("special_difficulty", state.special))
        # The sources: they must exist and still exist; shares and villages must cover them exactly.
        for source, source_rows in by_source.items():
            state = states.get(source)
            if state is None:
                for r in source_rows:
                    self.fail(r.row, "from_code", f"không có đơn vị nguồn mã «{source}».")
                continue
            if not _alive(state, before):
                assert state.ended is not None
                for r in source_rows:
                    self.fail(r.row, "from_code", f"đơn vị nguồn «{source}» đã chấm dứt từ ngày {_fmt(state.ended + timedelta(days=1))}; "
                                                  "không thể chuyển hay chấm dứt lần nữa.")
                continue
            if len(source_rows) > 1 or any(r.villages for r in source_rows):
                for r in source_rows:
                    if r.share is None:
                        self.fail(r.row, "from_share", f"«{source}» được chia cho nhiều đơn vị hoặc theo thôn: phải ghi tỷ lệ (from_share).")
            shares = [r.share for r in source_rows if r.share is not None]
            if shares and len(shares) == len(source_rows):
                total = sum(shares, Decimal(0))
                if total != Decimal(1):
                    rows_text = ", ".join(str(r.row) for r in source_rows)
                    self.fail(source_rows[-1].row, "from_share",
                              f"tổng tỷ lệ chia của «{source}» là {str(total).replace('.', ',')}, phải đúng bằng 1 (các dòng {rows_text}).")
            with_villages = [r for r in source_rows if r.villages]
            if with_villages:
                if len(with_villages) < len(source_rows):
                    for r in source_rows:
                        if not r.villages:
                            self.fail(r.row, "from_villages", f"«{source}» được chia theo thôn: mỗi phần phải ghi các thôn của mình.")
                known = villages.get(source, set())
                seen: dict[str, int] = {}
                for r in with_villages:
                    for v in r.villages:
                        if v in seen:
                            self.fail(r.row, "from_villages", f"thôn «{v}» của «{source}» đã được chuyển ở dòng {seen[v]}: các phần không được chồng lên nhau.")
                        else:
                            seen[v] = r.row
                        if v not in known:
                            hint = f" (các thôn đã biết: {'; '.join(sorted(known))})" if known else " (chưa có danh sách thôn của đơn vị này)"
                            self.fail(r.row, "from_villages", f"«{v}» không phải là thôn của «{source}»{hint}.")
                missing = sorted(known - set(seen))
                if missing:
                    self.fail(with_villages[-1].row, "from_villages", f"các thôn {'; '.join(missing)} của «{source}» chưa được chuyển cho đơn vị nào.")
            if source not in by_code:
                ending.setdefault(source, source_rows[0])
        for code, r in ending.items():
            after[code] = replace(after[code], ended=before)
        # Village units follow their territory: to the unit that took them by name, or took their commune whole.
        for code, state in list(after.items()):
            if state.kind != UnitKind.VILLAGE or state.parent not in by_source or code in by_code or not _alive(state, when):
                continue
            passed = by_source[state.parent]
            target = next((r.code for r in passed if state.name in r.villages), None)
            if target is None and len(passed) == 1 and not passed[0].villages:
                target = passed[0].code
            if target is not None and target != state.parent:
                after[code] = replace(state, parent=target)
        # Nobody is left without a parent; parents exist on the date; levels descend; no cycle.
        for code, state in after.items():
            if not _alive(state, when) or state.parent is None:
                continue
            if state.parent in ending:
                r = by_code[code][0] if code in by_code else ending[state.parent]
                self.fail(r.row, "parent_code" if code in by_code else "end",
                          f"đơn vị «{code}» ({state.name}) không còn cấp trên khi «{state.parent}» chấm dứt ngày {_fmt(when)}; "
                          "thêm dòng cùng ngày ghi cấp trên mới (parent_code) cho nó.")
                continue
            if code not in by_code:
                continue
            parent = after.get(state.parent)
            if parent is None or not _alive(parent, when):
                self.fail(by_code[code][0].row, "parent_code", f"không có đơn vị cấp trên mã «{state.parent}» vào ngày {_fmt(when)}.")
            elif state.kind in UnitKind.values and parent.kind in UnitKind.values and LEVEL[UnitKind(parent.kind)] >= LEVEL[UnitKind(state.kind)]:
                self.fail(by_code[code][0].row, "parent_code", f"đơn vị loại «{state.kind}» không thể trực thuộc đơn vị loại «{parent.kind}».")
        for code in by_code:
            path, current = [code], after.get(code)
            while current is not None and current.parent is not None:
                if current.parent == code:
                    self.fail(by_code[code][0].row, "parent_code", f"quan hệ cấp trên tạo thành vòng: {' → '.join([*path, code])}.")
                    break
                if current.parent in path:
                    break
                path.append(current.parent)
                current = after.get(current.parent)
        return after


def _stored_keys(when: date) -> list[tuple[Any, ...]]:
    keys = []
    for c in UnitChange.objects.filter(effective_date=when):
        keys.append((c.basis, c.unit_id, c.name, c.kind, c.parent_code, c.special_difficulty, c.source_id or "",
                     tuple(sorted(c.villages)), c.share.normalize() if c.share is not None else None, c.end, c.note))
    return sorted(keys, key=repr)


def _apply(actor: Any, when: date, rows: list[ChangeRow], before_states: dict[str, _State], after_states: dict[str, _State],
           result: UnitChangeImportResult) -> None:
    """Write one reorganisation in bulk: a handful of statements however many units it touches (a national
    reform touches ~14,000), with one audit row per unit written in one insert."""
    last_day = when - timedelta(days=1)
    basis = rows[0].basis
    stamp: dict[str, Any] = {"basis": basis, "effective_date": when.isoformat()}
    touched = [code for code in after_states if after_states[code] != before_states.get(code)]
    touched.sort(key=lambda c: (LEVEL.get(UnitKind(after_states[c].kind), 9) if after_states[c].kind in UnitKind.values else 9, c))
    created = [c for c in touched if before_states.get(c) is None]
    existing = [c for c in touched if before_states.get(c) is not None]
    ended = [c for c in existing if after_states[c].ended is not None]
    changed = [c for c in existing if after_states[c].ended is None]
    # New units first (parents before children), so every reference below points at a unit that exists.
    Unit.objects.bulk_create([Unit(code=c, name=after_states[c].name, kind=after_states[c].kind, parent_id=after_states[c].parent,
                                   valid_from=when, special_difficulty=after_states[c].special) for c in created], batch_size=2000)
    # The version in force on the eve of the change closes that day (the latest start wins, as in valid_on reads).
    closing: dict[str, int] = {}
    for chunk in _chunks(existing):
        for unit_id, pk in (UnitVersion.objects.filter(UnitVersion.valid_on(last_day), unit_id__in=chunk)
                            .order_by("unit_id", F("valid_from").asc(nulls_first=True)).values_list("unit_id", "pk")):
            closing[unit_id] = pk
    ids = list(closing.values())
    for chunk in _chunks(ids):
        UnitVersion.objects.filter(pk__in=chunk).update(valid_to=last_day)
    for chunk in _chunks(ended):
        Unit.objects.filter(code__in=chunk).update(valid_to=last_day)
    units = {u.code: u for chunk in _chunks(changed) for u in Unit.objects.filter(code__in=chunk)}
    for code in changed:
        new = after_states[code]
        unit = units[code]
        unit.name, unit.kind, unit.parent_id, unit.special_difficulty = new.name, new.kind, new.parent, new.special
    Unit.objects.bulk_update([units[c] for c in changed], ["name", "kind", "parent", "special_difficulty"], batch_size=1000)
    UnitVersion.objects.bulk_create([UnitVersion(unit_id=c, name=after_states[c].name, kind=after_states[c].kind, parent_id=after_states[c].parent,
                                                 valid_from=when, special_difficulty=after_states[c].special) for c in created + changed],
                                    batch_size=2000)
    entries: list[dict[str, Any]] = []
    for code in touched:
        new, old = after_states[code], before_states.get(code)
        shown = Unit(code=code, name=new.name, kind=new.kind)
        entry: dict[str, Any] = {"object_type": Unit._meta.label_lower, "object_id": code, "object_repr": str(shown), "unit_code": code}
        if old is None:
            entry.update(action="unit_change_create", changes={**stamp, "name": [None, new.name]})
            result.created += 1
        elif new.ended is not None:
            entry.update(action="unit_change_end", object_repr=str(Unit(code=code, name=old.name, kind=old.kind)), changes={**stamp, "valid_to": [None, last_day.isoformat()]})
            result.ended += 1
        else:
            diff = {k: [getattr(old, k), getattr(new, k)] for k in ("name", "kind", "parent", "special") if getattr(old, k) != getattr(new, k)}
            entry.update(action="unit_change_update", changes={**stamp, **diff})
            result.changed += 1
        entries.append(entry)
    audit_records(actor=actor, entries=entries)
    UnitChange.objects.bulk_create([
        UnitChange(effective_date=when, basis=r.basis, unit_id=r.code, source_id=r.from_code or None, villages=r.villages, share=r.share,
                   end=r.end, name=r.name, kind=r.kind, parent_code=r.parent_code, special_difficulty=r.special_difficulty, note=r.note, row=r.row)
        for r in rows
    ], batch_size=2000)


def _chunks(items: list[Any], size: int = 900) -> Iterator[list[Any]]:
    """Parameter lists SQLite accepts (PostgreSQL would take them whole)."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def unit_changes_import(*, actor: Any, path: Path | str, display_name: str | None = None,
                        progress: Callable[[int, str], None] | None = None) -> UnitChangeImportResult:
    """Import a unit-changes file (format 4): every reorganisation in it, or nothing.

    Raises :class:`~xhht.core.tabular.Rejected` listing every problem, with file, row and column.
    ``progress(rows, phase)`` is told the rows read ("checking") and the rows being written ("writing").
    """
    name, sheet, rows, problems = _read(Path(path), display_name)
    if progress is not None:
        progress(len(rows), "checking")
    if problems:
        raise Rejected(problems)
    groups: dict[date, list[ChangeRow]] = defaultdict(list)
    for r in rows:
        groups[r.effective_date].append(r)
    result = UnitChangeImportResult()
    checker = _Checker(name, sheet, problems)
    with transaction.atomic():
        states = _current_states()
        applied = set(UnitChange.objects.values_list("effective_date", flat=True).distinct())
        last_applied = max(applied) if applied else None
        plan: list[tuple[date, list[ChangeRow], dict[str, _State], dict[str, _State]]] = []
        for when in sorted(groups):
            group = groups[when]
            basis = {r.basis for r in group}
            if len(basis) > 1:
                checker.fail(group[0].row, "basis", f"các dòng ngày {_fmt(when)} ghi căn cứ khác nhau: {'; '.join(sorted(basis))}.")
            if when in applied:
                if sorted((r.key() for r in group), key=repr) == _stored_keys(when):
                    result.unchanged.append(when)
                else:
                    checker.fail(group[0].row, "effective_date",
                                 f"đợt thay đổi ngày {_fmt(when)} đã được nhập với nội dung khác; không thể nhập đè.")
                continue
            if last_applied is not None and when < last_applied:
                checker.fail(group[0].row, "effective_date",
                             f"đợt thay đổi ngày {_fmt(when)} sớm hơn đợt đã nhập ngày {_fmt(last_applied)}; hãy nhập theo thứ tự thời gian.")
                continue
            sources = {r.from_code for r in group if r.from_code and r.villages}  # the sources split by village
            after = checker.group(when, group, states, villages_of(sources))
            plan.append((when, group, states, after))
            states = after
        if problems:
            raise Rejected(problems)
        if progress is not None:
            progress(sum(len(group) for _, group, _, _ in plan), "writing")
        with unit_tree_batch():  # the closure table (and the roll-ups) rebuilt once, after every reorganisation
            for when, group, before, after in plan:
                _apply(actor, when, group, before, after, result)
                result.applied.append(when)
        if plan:
            from xhht.units.selectors import _MAPPINGS

            _MAPPINGS.clear()  # (a rolled-back import elsewhere may leave the same row count and last id)
    return result
