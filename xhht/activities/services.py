"""Writing the activity registers: each change is audited, and the indicator values the catalogue's
rules derive from the register are recomputed, all in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

from xhht.activities.definitions import catalogue
from xhht.activities.registers import DATA_SHEET, REGISTERS, Lookups, RegisterSpec, RowInvalid, aliases, parse_row, required_columns
from xhht.audit.services import audit_record, snapshot
from xhht.core.tabular import Problem, Rejected, open_table
from xhht.activities.models import VocationalLearner
from xhht.indicators.models import DataValue, Source
from xhht.indicators.services import Value, data_values_write, disaggregation_key


# --------------------------------------------------------------------------- indicators


def _measure(rule_measure: str, field: str | None, records: Sequence[Any]) -> int | Decimal | None:
    if not records:
        return None
    if rule_measure == "count":
        return len(records)
    assert field is not None
    values = [getattr(r, field) for r in records]
    present = [v for v in values if v is not None]
    if rule_measure == "sum":
        return sum(present) if present else None
    if rule_measure == "exists":
        return 1 if any(v and v > 0 for v in present) else 0
    raise AssertionError(rule_measure)  # pragma: no cover


def indicators_refresh(*, actor: Any, register: str, unit_code: str, period: str) -> int:
    """Recompute every rule of ``register`` for one unit and period and write the values; returns how many changed."""
    spec = REGISTERS[register]
    records = list(spec.model._default_manager.filter(unit_id=unit_code, **{spec.period_field: period}))
    changed = 0
    with transaction.atomic():
        for rule in catalogue().rules_for(register):
            values: dict[str, Value] = {}
            total = _measure(rule.measure, rule.field, records)
            values[""] = Value(rule.element, unit_code, str(period), total)
            for dimension in rule.disaggregate_by:
                groups: dict[str, list[Any]] = defaultdict(list)
                for record in records:
                    groups[str(getattr(record, dimension))].append(record)
                for code, members in groups.items():
                    part = {dimension: code}
                    values[disaggregation_key(part)] = Value(rule.element, unit_code, str(period), _measure(rule.measure, rule.field, members), part)
            # Values this rule wrote before for keys that no longer occur are removed.
            stale = DataValue.objects.filter(element=rule.element, unit_id=unit_code, period=str(period), source=Source.COMPUTED, rule=rule.code)
            for key in stale.values_list("disaggregation", flat=True):
                if key not in values:
                    parts = dict(p.split("=", 1) for p in key.split(";")) if key else {}
                    values[key] = Value(rule.element, unit_code, str(period), None, parts)
            changed += data_values_write(actor=actor, values=values.values(), source=Source.COMPUTED, rule=rule.code)
    return changed


# --------------------------------------------------------------------------- single records


def _check_unique(spec: RegisterSpec, data: dict[str, Any], exclude_pk: int | None = None) -> None:
    if not spec.unique:
        return
    qs = spec.model._default_manager.filter(**{f: data[f] for f in spec.unique})
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise RowInvalid([("", "đã có bản ghi này (trùng " + ", ".join(spec.column(_column_of(f)).label.lower() for f in spec.unique) + ").")])


def _column_of(field: str) -> str:
    return "unit_code" if field in {"unit", "centre"} else field


def _period_of(spec: RegisterSpec, record: Any) -> str:
    return str(getattr(record, spec.period_field))


def activity_record_create(*, actor: Any, register: str, data: dict[str, Any]) -> Any:
    """Create one record from parsed data (see :func:`xhht.activities.registers.parse_row`)."""
    spec = REGISTERS[register]
    with transaction.atomic():
        _check_unique(spec, data)
        record: Any = spec.model(**data)
        record.save()
        audit_record(actor=actor, action=f"{register}_create", instance=record, unit_code=record.unit_id,
                     changes={k: [None, v] for k, v in snapshot(record).items() if k != "id"})
        indicators_refresh(actor=actor, register=register, unit_code=record.unit_id, period=_period_of(spec, record))
    return record


def activity_record_update(*, actor: Any, register: str, record: Any, data: dict[str, Any]) -> Any:
    spec = REGISTERS[register]
    with transaction.atomic():
        _check_unique(spec, data, exclude_pk=record.pk)
        _check_learner_list(register, record, data)
        before = snapshot(record)
        old_scope = (record.unit_id, _period_of(spec, record))
        for key, value in data.items():
            setattr(record, key, value)
        record.save()
        after = snapshot(record)
        changes = {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}
        if changes:
            audit_record(actor=actor, action=f"{register}_update", instance=record, unit_code=record.unit_id, changes=changes)
        new_scope = (record.unit_id, _period_of(spec, record))
        for unit_code, period in dict.fromkeys([old_scope, new_scope]):
            indicators_refresh(actor=actor, register=register, unit_code=unit_code, period=period)
    return record


def activity_record_delete(*, actor: Any, register: str, record: Any) -> None:
    spec = REGISTERS[register]
    with transaction.atomic():
        unit_code, period = record.unit_id, _period_of(spec, record)
        before = snapshot(record)
        audit_record(actor=actor, action=f"{register}_delete", instance=record, unit_code=unit_code,
                     changes={k: [v, None] for k, v in before.items() if k != "id"})
        record.delete()
        indicators_refresh(actor=actor, register=register, unit_code=unit_code, period=period)


# --------------------------------------------------------------------------- replacing a scope

AUDIT_ROWS = 500  # rows listed in one replace's audit entry (removed / added), beyond which only the counts are kept


def _scope_key(spec: RegisterSpec, data: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(data[f].pk if isinstance(data[f], models.Model) else data[f] for f in spec.scope)


def _comparable(spec: RegisterSpec, record: Any) -> tuple[Any, ...]:
    return tuple(str(getattr(record, f)) if getattr(record, f) is not None else None for f in spec.record_fields())


def _listed_classes(register: str, current: list[Any], wanted: list[Any]) -> list[tuple[Any, Any]]:
    """For vocational classes that have a learner list: (old class, the new row that takes it over).

    Such a class may be replaced only by a row of the same name whose counts are the list's.
    """
    if register != "vocational_class":
        return []
    from xhht.activities.learners import learner_counts

    by_name = {w.name: w for w in wanted}
    pairs, problems = [], []
    for old in current:
        people = list(old.learner_list.all())
        if not people:
            continue
        counts = learner_counts(people)
        new = by_name.get(old.name)
        if new is None:
            problems.append(("", f"lớp «{old.name}» ({old.unit_id}, {old.year}) có danh sách học viên: không bỏ lớp này qua nhập tệp; xóa lớp trên trang của lớp."))
        elif any(getattr(new, k) != v for k, v in counts.items()):
            problems.append(("", f"lớp «{old.name}» có danh sách {counts['learners']} học viên: số người học và các cột phân tổ phải khớp danh sách "
                                 f"({', '.join(f'{k}={v}' for k, v in counts.items())})."))
        else:
            pairs.append((old, new))
    if problems:
        raise RowInvalid(problems)
    return pairs


def _check_learner_list(register: str, record: Any, data: dict[str, Any]) -> None:
    if register != "vocational_class" or record.pk is None:
        return
    from xhht.activities.learners import learner_counts

    people = list(record.learner_list.all())
    if not people:
        return
    from xhht.activities.registers import VOCATIONAL_LABELS

    counts = learner_counts(people)
    labels = {"learners": "số người học", **VOCATIONAL_LABELS}
    wrong = [(k, f"lớp có danh sách {counts['learners']} học viên: {labels[k]} phải là {v} như danh sách (sửa danh sách để đổi số liệu).")
             for k, v in counts.items() if data.get(k) != v]
    if wrong:
        raise RowInvalid(wrong)


def activity_records_replace(*, actor: Any, register: str, scope: dict[str, Any], rows: Sequence[dict[str, Any]], note: str = "") -> bool:
    """Make the records of one scope (e.g. a centre and school year) exactly ``rows``.

    Nothing is written when they already are (so loading the demo or a file twice changes nothing);
    returns whether anything changed.
    """
    spec = REGISTERS[register]
    manager = spec.model._default_manager
    with transaction.atomic():
        current: list[Any] = list(manager.filter(**scope).order_by("pk"))
        wanted: list[Any] = [spec.model(**data) for data in rows]
        if sorted(map(str, (_comparable(spec, r) for r in current))) == sorted(map(str, (_comparable(spec, r) for r in wanted))):
            return False
        listed = _listed_classes(register, current, wanted)
        old_rows = sorted(map(str, (_comparable(spec, r) for r in current)))
        new_rows = sorted(map(str, (_comparable(spec, r) for r in wanted)))
        removed = [r for r in old_rows if r not in new_rows][:AUDIT_ROWS]
        added = [r for r in new_rows if r not in old_rows][:AUDIT_ROWS]
        touched = {(r.unit_id, _period_of(spec, r)) for r in [*current, *wanted]}
        if listed:
            # Classes with a learner list keep it: create the new rows, move each list over, then drop the old rows.
            for record in wanted:
                record.save()
            for old, new_record in listed:
                VocationalLearner.objects.filter(vocational_class_id=old.pk).update(vocational_class=new_record)
            manager.filter(pk__in=[r.pk for r in current]).delete()
        else:
            manager.filter(pk__in=[r.pk for r in current]).delete()
            manager.bulk_create(wanted)
        first = wanted[0] if wanted else current[0]
        scope_repr = ", ".join(f"{k}={v.pk if isinstance(v, models.Model) else v}" for k, v in scope.items())
        audit_record(actor=actor, action=f"{register}_replace", object_type=spec.model._meta.label_lower, object_id=scope_repr,
                     object_repr=f"{spec.title}: {scope_repr}", unit_code=first.unit_id,
                     changes={"records": [len(current), len(wanted)], "removed": removed, "added": added,
                              "fields": spec.record_fields()}, note=note)
        for unit_code, period in sorted(touched):
            indicators_refresh(actor=actor, register=register, unit_code=unit_code, period=period)
    return True


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportResult:
    rows: int
    scopes: int
    changed_scopes: int


def activity_records_import(*, actor: Any, register: str, path: Path | str, display_name: str | None = None,
                            user: Any | None = None) -> ImportResult:
    """Import a CSV/XLSX file of one register, all or nothing.

    Every row is read and checked first; any problem anywhere refuses the whole file
    (:class:`~xhht.core.tabular.Rejected` listing them all) and nothing is written. Then, for each
    scope present in the file (a centre and school year, a unit and year, …), the records of that
    scope become the file's rows. ``user`` (default: ``actor``) limits the units the file may touch.
    """
    spec = REGISTERS[register]
    checker = user if user is not None else actor
    table = open_table(path, columns=spec.column_names, required=required_columns(spec),
                       aliases=aliases(spec), sheet_name=DATA_SHEET, display_name=display_name)
    problems: list[Problem] = []
    scopes: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    scope_values: dict[tuple[Any, ...], dict[str, Any]] = {}
    seen_unique: dict[tuple[Any, ...], int] = {}
    count = 0
    lookups = Lookups()
    for number, raw in table.rows:
        count += 1
        try:
            data = parse_row(spec, raw, user=checker if getattr(checker, "is_authenticated", False) else None, lookups=lookups)
        except RowInvalid as exc:
            for column, message in exc.problems:
                label = spec.column(column).label if column else None
                problems.append(Problem(message, file=table.name, sheet=table.sheet, row=number, column=label))
            continue
        if spec.unique:
            key = tuple(data[f].pk if isinstance(data[f], models.Model) else data[f] for f in spec.unique)
            if key in seen_unique:
                problems.append(Problem(f"trùng với dòng {seen_unique[key]}.", file=table.name, sheet=table.sheet, row=number))
                continue
            seen_unique[key] = number
        key = _scope_key(spec, data)
        scopes.setdefault(key, []).append(data)
        scope_values[key] = {f: data[f] for f in spec.scope}
    if count == 0 and not problems:
        problems.append(Problem("tệp không có dòng dữ liệu nào.", file=table.name, sheet=table.sheet))
    if problems:
        raise Rejected(problems)
    changed = 0
    try:
        with transaction.atomic():
            for key, rows in scopes.items():
                if activity_records_replace(actor=actor, register=register, scope=scope_values[key], rows=rows, note=f"nhập từ tệp {table.name}"):
                    changed += 1
    except RowInvalid as exc:
        raise Rejected([Problem(message, file=table.name, sheet=table.sheet) for _, message in exc.problems]) from None
    return ImportResult(rows=count, scopes=len(scopes), changed_scopes=changed)


def activity_records_replace_many(*, actor: Any, register: str, groups: Iterable[tuple[dict[str, Any], Sequence[dict[str, Any]]]], note: str = "") -> int:
    """Replace several scopes in one transaction (the demo loader); returns how many changed."""
    changed = 0
    with transaction.atomic():
        for scope, rows in groups:
            changed += activity_records_replace(actor=actor, register=register, scope=scope, rows=rows, note=note)
    return changed
