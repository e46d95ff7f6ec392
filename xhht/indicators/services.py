"""Writing data values. Every change keeps its history and its audit entry, in one transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from xhht.audit.services import audit_records
from xhht.core.bulk import analyze_if_grown, bulk_insert, bulk_upsert, in_many, staging_load, temporary_tables
from xhht.indicators.models import DataRollup, DataValue, DataValueHistory, Source
from xhht.indicators.periods import parse_period
from xhht.units.models import Unit, UnitClosure


def disaggregation_key(parts: Mapping[str, str] | None) -> str:
    """{"sex": "F", "age_band": "15-25"} -> "age_band=15-25;sex=F"; None or {} -> ""."""
    if not parts:
        return ""
    return ";".join(f"{k}={v}" for k, v in sorted((parts or {}).items()))


class Value(NamedTuple):
    """One value to write. A named tuple: an import makes up to a million of them, and a tuple is made several times
    faster than a frozen dataclass."""

    element: str
    unit_code: str
    period: str
    value: int | Decimal | None  # None removes the value
    disaggregation: Mapping[str, str] = MappingProxyType({})  # read-only: the default is shared


class UnknownValue(ValueError):
    """A value for an element, period or disaggregation the catalogue does not declare (message in Vietnamese)."""


def values_check(values: Iterable[Value], *, source: str = "") -> None:
    """Refuse what the catalogue does not declare, as DHIS2 refuses it at entry: an unknown element, a period that
    is no period code or not of a type the element is kept for (a projection may be for a phase), a disaggregation
    by a category the element is not split by. Raises :class:`UnknownValue` naming every value refused (at most 10)."""
    from xhht.indicators.catalogue import catalogue

    elements = catalogue().elements
    problems: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for item in values:
        key = disaggregation_key(item.disaggregation)
        if (item.element, item.period, key) in seen:
            continue
        seen.add((item.element, item.period, key))
        el = elements.get(item.element)
        where = f"{item.element} · {item.unit_code} · kỳ {item.period}" + (f" · {key}" if key else "")
        if el is None:
            problems.append(f"{where}: không có phần tử dữ liệu «{item.element}» trong danh mục.")
            continue
        try:
            parsed = parse_period(item.period)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        allowed = set(el.period_types) | ({"phase", "school_year", "year"} if source == Source.PROJECTED else set())
        if parsed.kind not in allowed:
            problems.append(f"{where}: phần tử «{item.element}» không nhận số liệu cho {parsed.label} (danh mục: {', '.join(el.period_types)}).")
        unknown = sorted(set((item.disaggregation or {}).keys()) - set(el.disaggregations))
        if unknown:
            declared = ", ".join(el.disaggregations) or "không phân tổ"
            problems.append(f"{where}: phần tử «{item.element}» không phân tổ theo «{', '.join(unknown)}» (danh mục: {declared}).")
    if problems:
        more = f" (và {len(problems) - 10} lỗi khác)" if len(problems) > 10 else ""
        raise UnknownValue("Số liệu không khớp danh mục, không ghi gì: " + " ".join(problems[:10]) + more)


def _units_check(codes: list[str]) -> None:
    """Refuse values of a unit that does not exist: the store's one check of its units (no foreign key constraint in the
    database, see :class:`~xhht.indicators.models.DataValue`). One query."""
    found = set(Unit.objects.filter(code__in=in_many(codes)).values_list("code", flat=True))
    missing = [c for c in codes if c not in found]
    if missing:
        more = f" (và {len(missing) - 10} đơn vị khác)" if len(missing) > 10 else ""
        raise UnknownValue(f"Số liệu của đơn vị không có trong danh mục đơn vị, không ghi gì: {', '.join(missing[:10])}{more}.")


def _chunks(items: list[Any], size: int = 2000) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class WriteCounts(NamedTuple):
    """What a write did: values new to the store, values that replaced another figure, values removed."""

    new: int = 0
    updated: int = 0
    removed: int = 0

    @property
    def changed(self) -> int:
        return self.new + self.updated + self.removed


def data_values_write(*, actor: Any, values: Iterable[Value], source: str, rule: str = "") -> int:
    """Write values (insert, update, or delete where value is None); returns how many changed.

    All or nothing: one transaction, with one audit entry per unit and period touched. Values are checked
    against the catalogue first (:func:`values_check`), read and written in bulk (one upsert, one insert of
    history, one of audit rows), and the roll-ups above them refreshed in the same transaction.
    """
    return data_values_write_counted(actor=actor, values=values, source=source, rule=rule).changed


def data_values_write_counted(*, actor: Any, values: Iterable[Value], source: str, rule: str = "") -> WriteCounts:
    """:func:`data_values_write`, telling new, updated and removed values apart (an import's summary)."""
    items = list({(v.element, v.unit_code, v.period, disaggregation_key(v.disaggregation)): v for v in values}.items())
    if not items:
        return WriteCounts()
    values_check([v for _, v in items], source=source)
    _units_check(sorted({k[1] for k, _ in items}))
    user = actor if getattr(actor, "is_authenticated", False) else None
    if connection.vendor == "postgresql":
        return _write_set_based(actor=actor, user_id=user.pk if user is not None else None, items=items, source=source, rule=rule)
    touched: dict[tuple[str, str], dict[str, list[Any]]] = {}
    with transaction.atomic():
        current: dict[tuple[str, str, str, str], DataValue] = {}
        elements = sorted({k[0] for k, _ in items})
        periods = sorted({k[2] for k, _ in items})
        for units in _chunks(sorted({k[1] for k, _ in items})):
            for found in DataValue.objects.filter(element__in=elements, period__in=periods, unit_id__in=units):
                current[(found.element, found.unit_id, found.period, found.disaggregation)] = found
        upsert: list[dict[str, Any]] = []
        remove: list[int] = []
        history: list[dict[str, Any]] = []
        now = timezone.now()
        user_id = user.pk if user is not None else None
        written: list[tuple[str, str, str, str]] = []
        counts = [0, 0, 0]  # new, updated, removed
        for key, item in items:
            dv = current.get(key)
            old = dv.value if dv else None
            new = None if item.value is None else Decimal(item.value)
            if old == new and (dv is None or (dv.source == source and dv.rule == rule)):
                continue
            written.append(key)
            if new is None:
                if dv is not None:
                    remove.append(dv.pk)
            else:
                upsert.append({"element": key[0], "unit_id": key[1], "period": key[2], "disaggregation": key[3], "value": new, "source": source,
                               "rule": rule, "updated_at": now, "updated_by_id": user_id})
            if old != new:
                counts[0 if old is None else 2 if new is None else 1] += 1
                history.append({"element": key[0], "unit_code": key[1], "period": key[2], "disaggregation": key[3], "old_value": old,
                                "new_value": new, "source": source, "rule": rule, "changed_at": now, "changed_by_id": user_id})
                label = f"{key[0]}[{key[3]}]" if key[3] else key[0]
                touched.setdefault((key[1], key[2]), {})[label] = [None if old is None else str(old), None if new is None else str(new)]
        bulk_upsert(DataValue, upsert, fields=["element", "unit_id", "period", "disaggregation", "value", "source", "rule", "updated_at", "updated_by_id"],
                    unique=["element", "unit_id", "period", "disaggregation"], update=["value", "source", "rule", "updated_at", "updated_by_id"])
        for ids in _chunks(remove):
            DataValue.objects.filter(pk__in=ids).delete()
        bulk_insert(DataValueHistory, history, fields=["element", "unit_code", "period", "disaggregation", "old_value", "new_value", "source", "rule",
                                                       "changed_at", "changed_by_id"])
        audit_records(actor=actor, entries=[
            {"action": "data_values_write", "object_type": "indicators.datavalue", "object_id": f"{unit_code}/{period}",
             "object_repr": f"Số liệu {unit_code} kỳ {period}", "unit_code": unit_code, "changes": changes, "note": f"{source} {rule}".strip()}
            for (unit_code, period), changes in touched.items()])
        rollups_refresh(keys=written)
    return WriteCounts(*counts)


_DV, _HISTORY, _ROLLUP, _CLOSURE = (DataValue._meta.db_table, DataValueHistory._meta.db_table, DataRollup._meta.db_table,
                                   UnitClosure._meta.db_table)
_KEY_COLUMNS = [("element", "varchar(80)"), ("unit_id", "varchar(20)"), ("period", "varchar(20)"), ("disaggregation", "varchar(200)"),
                ("period_end", "date")]
_SAME_KEY = "{a}.element = {b}.element AND {a}.unit_id = {b}.unit_id AND {a}.period = {b}.period AND {a}.disaggregation = {b}.disaggregation"


def _write_set_based(*, actor: Any, user_id: int | None, items: list[tuple[tuple[str, str, str, str], Value]], source: str,
                     rule: str) -> WriteCounts:
    """PostgreSQL: :func:`data_values_write` as a handful of set-based statements whatever the number of values.

    The values are COPYed into a temporary table; one join with the store keeps those that change; history,
    upsert (``INSERT … ON CONFLICT``) and delete are one statement each from it; the audit rows (one per unit and
    period) are one COPY; the roll-ups one ``INSERT … SELECT … ON CONFLICT`` per tree level (:func:`_rollups_refresh_sql`).
    """
    ends = {p: _period_end(p) for p in {k[2] for k, _ in items}}
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        staging_load(cursor, "_dv_in", [*_KEY_COLUMNS, ("value", "numeric")],
                     ((*key, ends[key[2]], None if v.value is None else Decimal(v.value)) for key, v in items))
        temporary_tables(cursor, {"_dv_changed": [*_KEY_COLUMNS, ("new_value", "numeric"), ("id", "bigint"), ("old_value", "numeric")]})
        cursor.execute(f"INSERT INTO _dv_changed SELECT i.element, i.unit_id, i.period, i.disaggregation, i.period_end, "
                       f"i.value, d.id, d.value FROM _dv_in i LEFT JOIN {_DV} d ON {_SAME_KEY.format(a='d', b='i')} "
                       "WHERE d.value IS DISTINCT FROM i.value OR (d.id IS NOT NULL AND (d.source <> %s OR d.rule <> %s))", [source, rule])
        analyze_if_grown(cursor, "_dv_changed", cursor.rowcount)  # temporary tables are never analysed by autovacuum
        cursor.execute(f"INSERT INTO {_HISTORY} (element, unit_code, period, disaggregation, old_value, new_value, source, rule, changed_at, "
                       "changed_by_id) SELECT element, unit_id, period, disaggregation, old_value, new_value, %s, %s, %s, %s FROM _dv_changed "
                       "WHERE old_value IS DISTINCT FROM new_value", [source, rule, now, user_id])
        cursor.execute(f"INSERT INTO {_DV} (element, unit_id, period, disaggregation, value, source, rule, updated_at, updated_by_id) "
                       "SELECT element, unit_id, period, disaggregation, new_value, %s, %s, %s, %s FROM _dv_changed WHERE new_value IS NOT NULL "
                       "ON CONFLICT (element, unit_id, period, disaggregation) DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source, "
                       "rule = EXCLUDED.rule, updated_at = EXCLUDED.updated_at, updated_by_id = EXCLUDED.updated_by_id",
                       [source, rule, now, user_id])
        analyze_if_grown(cursor, _DV, cursor.rowcount, share=1)
        cursor.execute(f"DELETE FROM {_DV} d USING _dv_changed c WHERE d.id = c.id AND c.new_value IS NULL")
        cursor.execute("SELECT unit_id, period, element, disaggregation, old_value, new_value FROM _dv_changed "
                       "WHERE old_value IS DISTINCT FROM new_value")
        touched: dict[tuple[str, str], dict[str, list[Any]]] = {}
        counted = [0, 0, 0]  # new, updated, removed
        for unit_code, period, element, key, old, new in cursor.fetchall():
            counted[0 if old is None else 2 if new is None else 1] += 1
            touched.setdefault((unit_code, period), {})[f"{element}[{key}]" if key else element] = [
                None if old is None else str(old), None if new is None else str(new)]
        counts = WriteCounts(*counted)
        note = f"{source} {rule}".strip()
        audit_records(actor=actor, entries=[
            {"action": "data_values_write", "object_type": "indicators.datavalue", "object_id": f"{unit_code}/{period}",
             "object_repr": f"Số liệu {unit_code} kỳ {period}", "unit_code": unit_code, "changes": changes, "note": note}
            for (unit_code, period), changes in touched.items()])
        summed = sorted(e for e in {k[0] for k, _ in items} if _summed(e))
        changed_keys = "SELECT element, unit_id, period, disaggregation, period_end{value} FROM _dv_changed WHERE period_end IS NOT NULL AND element = ANY(%s)"
        if source == Source.PROJECTED:  # a projection is never a roll-up: every key's figure is computed
            _rollups_refresh_sql(cursor, changed_keys.format(value=""), [summed])
        else:  # a value just written is its unit's figure: only the removed are computed
            _rollups_refresh_sql(cursor, changed_keys.format(value="") + " AND new_value IS NULL" if counts.removed else "", [summed],
                                 known=changed_keys.format(value=", new_value AS value") + " AND new_value IS NOT NULL")
    return counts


def _rollups_refresh_sql(cursor: Any, keys: str, params: list[Any], *, known: str = "") -> int:
    """PostgreSQL: refresh the roll-ups of the keys that the query ``keys`` (with ``params``) selects (element, unit_id,
    period, disaggregation, period_end; each key once) and of every unit above them as of each period's end, set-based,
    by a walk up the tree: step 0 is the keys themselves, step k+1 the distinct parents (as of each period's end) of
    step k's units, until no unit has a parent. Each step is one ``INSERT … SELECT … ON CONFLICT``, a unit's figure being
    its own value (projections aside) or else the sum of its children's roll-ups: the rule of :func:`rollups_refresh`.

    A unit met at several steps (a district written together with its communes) is written at each; its last writing
    comes after every written unit below it has had its own last one (a unit k levels below it is at most k steps
    earlier), so its figure is final. ``known``, when given, is a query of keys (the same columns and a ``value``)
    whose own value is not a projection and is just written: their figure is that value, written without reading it
    back (an import's leaves); ``keys`` then holds only the others, or is empty. Both take ``params``. Returns the
    roll-up rows written."""
    valid = "(c.valid_from IS NULL OR c.valid_from <= {e}) AND (c.valid_to IS NULL OR c.valid_to >= {e})"
    upsert = (f"INSERT INTO {_ROLLUP} (element, unit_id, period, disaggregation, period_end, value) {{select}} "
              "ON CONFLICT (element, unit_id, period, disaggregation) DO UPDATE SET value = EXCLUDED.value, period_end = EXCLUDED.period_end")
    computed = upsert.format(select=(
        "SELECT t.element, t.unit_id, t.period, t.disaggregation, t.period_end, COALESCE(own.value, ("
        f"SELECT SUM(r.value) FROM {_CLOSURE} c JOIN {_ROLLUP} r ON r.unit_id = c.descendant_id AND r.element = t.element "
        "AND r.period = t.period AND r.disaggregation = t.disaggregation "
        f"WHERE c.ancestor_id = t.unit_id AND c.depth = 1 AND {valid.format(e='r.period_end')})) "
        "FROM ({step}) t "
        f"LEFT JOIN {_DV} own ON {_SAME_KEY.format(a='own', b='t')} AND own.source <> %s"))
    parents = ("SELECT DISTINCT t.element, c.ancestor_id, t.period, t.disaggregation, t.period_end, {level} FROM ({step}) t "
               f"JOIN {_CLOSURE} c ON c.descendant_id = t.unit_id AND c.depth = 1 AND {valid.format(e='t.period_end')}")
    temporary_tables(cursor, {"_ru_todo": [*_KEY_COLUMNS, ("level", "integer")]})
    written = 0
    columns = "SELECT element, unit_id, period, disaggregation, period_end FROM ({}) k"
    steps: list[str] = []
    if known:
        cursor.execute(upsert.format(select=f"SELECT element, unit_id, period, disaggregation, period_end, value FROM ({known}) k"), params)
        written += cursor.rowcount
        analyze_if_grown(cursor, _ROLLUP, cursor.rowcount, share=1)  # the next step sums these rows
        steps.append(columns.format(known))
    if keys:
        cursor.execute(computed.format(step=keys), [*params, Source.PROJECTED])
        written += cursor.rowcount
        analyze_if_grown(cursor, _ROLLUP, cursor.rowcount, share=1)
        steps.append(columns.format(keys))
    if not steps:
        return written
    cursor.execute(f"INSERT INTO _ru_todo {parents.format(level=1, step=' UNION ALL '.join(steps))}", params * len(steps))
    level = 1
    while cursor.rowcount:
        analyze_if_grown(cursor, "_ru_todo", cursor.rowcount)
        step = f"SELECT DISTINCT element, unit_id, period, disaggregation, period_end FROM _ru_todo WHERE level = {level}"
        cursor.execute(computed.format(step=step), [Source.PROJECTED])
        written += cursor.rowcount
        analyze_if_grown(cursor, _ROLLUP, cursor.rowcount, share=1)
        cursor.execute(f"INSERT INTO _ru_todo {parents.format(level=level + 1, step=step)}")
        level += 1
    return written


# ---------------------------------------------------------------------------------------------
# Roll-ups: each summed element's figure at every unit above a stored value, kept current on write
# ---------------------------------------------------------------------------------------------


def _summed(element: str) -> bool:
    from xhht.indicators.catalogue import catalogue

    el = catalogue().elements.get(element)
    return el is None or (el.aggregation == "sum" and not el.sum_of)


def _period_end(period: str) -> date | None:
    try:
        return parse_period(period).end
    except ValueError:
        return None


def _children_sums(parents: list[str], elements: list[str], periods: list[str]) -> dict[tuple[str, str, str, str], Decimal]:
    """(element, parent, period, key) → the sum of the children's roll-ups (children as of the period's end), for the
    keys where some child holds a figure: one GROUP BY over the closure join (summed in Python on SQLite, whose
    decimals are floats)."""
    out: dict[tuple[str, str, str, str], Decimal] = {}
    if not parents or not elements or not periods:
        return out
    postgres = connection.vendor == "postgresql"
    rollup, closure = DataRollup._meta.db_table, UnitClosure._meta.db_table
    select = "SUM(r.value)" if postgres else "r.value"
    group = " GROUP BY r.element, c.ancestor_id, r.period, r.disaggregation" if postgres else ""
    for chunk in _chunks(parents, 1000):
        sql = (f"SELECT r.element, c.ancestor_id, r.period, r.disaggregation, {select} FROM {rollup} r "
               f"JOIN {closure} c ON c.descendant_id = r.unit_id AND c.depth = 1 "
               "AND (c.valid_from IS NULL OR c.valid_from <= r.period_end) AND (c.valid_to IS NULL OR c.valid_to >= r.period_end) "
               f"WHERE r.value IS NOT NULL AND c.ancestor_id IN ({', '.join(['%s'] * len(chunk))}) "
               f"AND r.element IN ({', '.join(['%s'] * len(elements))}) AND r.period IN ({', '.join(['%s'] * len(periods))}){group}")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*chunk, *elements, *periods])
            for element, parent, period, key, value in cursor.fetchall():
                k = (element, parent, period, key)
                amount = value if isinstance(value, Decimal) else Decimal(str(value))
                out[k] = out.get(k, Decimal(0)) + amount
    return out


def rollups_refresh(*, keys: Iterable[tuple[str, str, str, str]]) -> int:
    """Recompute the roll-ups of (element, unit, period, disaggregation) keys whose stored value changed, and of
    every unit above them (as of each period's end), deepest level first; returns the roll-up rows written.

    Each level costs one query for the units' own values, one GROUP BY over their children's roll-ups and one upsert,
    in proportion to those units' children, not their subtrees.
    """
    wanted = [k for k in dict.fromkeys(keys) if _summed(k[0])]
    ends = {p: _period_end(p) for p in {k[2] for k in wanted}}
    wanted = [k for k in wanted if ends[k[2]] is not None]
    if not wanted:
        return 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            staging_load(cursor, "_ru_keys", _KEY_COLUMNS, ((*k, ends[k[2]]) for k in wanted))
            return _rollups_refresh_sql(cursor, "SELECT element, unit_id, period, disaggregation, period_end FROM _ru_keys", [])
    chains: dict[str, list[tuple[str, int, date | None, date | None]]] = defaultdict(list)
    for units in _chunks(sorted({k[1] for k in wanted})):
        for a, d, depth, vf, vt in UnitClosure.objects.filter(descendant_id__in=units).values_list(
                "ancestor_id", "descendant_id", "depth", "valid_from", "valid_to"):
            chains[d].append((a, depth, vf, vt))
    levels: dict[int, set[tuple[str, str, str, str]]] = defaultdict(set)
    for element, unit, period, key in wanted:
        end = ends[period]
        chain = [(a, depth) for a, depth, vf, vt in chains.get(unit, ()) if (vf is None or vf <= end) and (vt is None or end <= vt)]  # type: ignore[operator]
        if not chain:
            chain = [(unit, 0)]
        height = max(depth for _, depth in chain)
        for a, depth in chain:
            levels[height - depth].add((element, a, period, key))
    written = 0
    for level in sorted(levels, reverse=True):
        todo = levels[level]
        units = sorted({k[1] for k in todo})
        elements = sorted({k[0] for k in todo})
        periods = sorted({k[2] for k in todo})
        own: dict[tuple[str, str, str, str], Decimal] = {}
        for chunk in _chunks(units):
            rows = (DataValue.objects.filter(element__in=elements, period__in=periods, unit_id__in=chunk).exclude(source=Source.PROJECTED)
                    .values_list("element", "unit_id", "period", "disaggregation", "value"))
            for element, unit, period, key, value in rows:
                own[(element, unit, period, key)] = value
        sums = _children_sums(units, elements, periods)
        rows_out = [{"element": k[0], "unit_id": k[1], "period": k[2], "disaggregation": k[3], "period_end": ends[k[2]],
                     "value": own[k] if k in own else sums.get(k)} for k in todo]
        bulk_upsert(DataRollup, rows_out, fields=["element", "unit_id", "period", "disaggregation", "period_end", "value"],
                    unique=["element", "unit_id", "period", "disaggregation"], update=["value", "period_end"])
        written += len(rows_out)
    return written


def rollups_rebuild(**_: Any) -> int:
    """Rebuild every roll-up from the stored values (after the tree changed: the closure table was rebuilt)."""
    with transaction.atomic():
        DataRollup.objects.all().delete()
        if connection.vendor == "postgresql":  # every stored key at once, set-based
            periods = list(DataValue.objects.values_list("period", flat=True).distinct())
            ends = {p: _period_end(p) for p in periods}
            summed = sorted(e for e in DataValue.objects.values_list("element", flat=True).distinct() if _summed(e))
            known = [p for p in periods if ends[p] is not None]
            with connection.cursor() as cursor:
                written = _rollups_refresh_sql(
                    cursor, "SELECT v.element, v.unit_id, v.period, v.disaggregation, p.period_end "
                            f"FROM {_DV} v JOIN unnest(%s::varchar[], %s::date[]) AS p(period, period_end) ON p.period = v.period "
                            "WHERE v.source <> %s AND v.element = ANY(%s)", [known, [ends[p] for p in known], Source.PROJECTED, summed])
                cursor.execute(f"ANALYZE {DataRollup._meta.db_table}, {UnitClosure._meta.db_table}")
            return written
        keys = DataValue.objects.exclude(source=Source.PROJECTED).values_list("element", "unit_id", "period", "disaggregation")
        written = rollups_refresh(keys=list(keys.iterator(chunk_size=10000)))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # a bulk load: fresh statistics for the planner
                cursor.execute(f"ANALYZE {DataRollup._meta.db_table}, {UnitClosure._meta.db_table}")
        return written


def projection_set(*, actor: Any, unit_code: str, programme_id: str, indicator_code: str, phase: str, value: Decimal | None) -> int:
    """Enter (or clear, with None) the unit's projection ("dự kiến") of an indicator for a projection phase.

    Stored as a ``source=projected`` value of the indicator's rate element (or count element), for the
    phase's period code, with history and audit like any value. Raises ValueError (Vietnamese) on bad input.
    """
    from xhht.indicators.catalogue import catalogue

    cat = catalogue()
    programme = cat.programmes.get(programme_id)
    if programme is None:
        raise ValueError(f"Không có chương trình «{programme_id}».")
    indicator = programme.indicator(indicator_code)
    if indicator is None:
        raise ValueError(f"Không có chỉ tiêu «{indicator_code}» trong {programme.id}.")
    if phase not in programme.projection_phases:
        raise ValueError(f"Giai đoạn dự kiến «{phase}» không thuộc chương trình (có: {', '.join(programme.projection_phases)}).")
    if value is not None and indicator.projection_element == indicator.rate_element and not (0 <= value <= 100):
        raise ValueError("Tỷ lệ dự kiến phải trong khoảng 0–100.")
    if value is not None and value < 0:
        raise ValueError("Giá trị dự kiến không được âm.")
    return data_values_write(actor=actor, values=[Value(element=indicator.projection_element, unit_code=unit_code, period=phase,
                                                        value=value, disaggregation=indicator.filter_dict)],
                             source="projected", rule=f"Đơn vị nhập dự kiến ({programme.id} {indicator.code})")
