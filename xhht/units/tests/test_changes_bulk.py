"""The bulk path of ``unit_changes_import`` writes exactly what the former per-unit path wrote.

The former path (one ORM save and one audit row per unit, as it stood before the bulk path) is kept here as the
reference; both import the same files on the same tree, and every unit, version, change row, audit row and closure
row must be equal.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from xhht.audit.models import AuditEntry
from xhht.audit.services import audit_record
from xhht.units import changes
from xhht.units.changes import ChangeRow, UnitChangeImportResult, _State, unit_changes_import
from xhht.units.models import LEVEL, Unit, UnitChange, UnitClosure, UnitKind, UnitVersion
from xhht.units.tests.test_changes import B, EXAMPLE, UNITS, write
from xhht.units.services import unit_import


def _apply_one_by_one(actor: Any, when: date, rows: list[ChangeRow], before_states: dict[str, _State], after_states: dict[str, _State],
           result: UnitChangeImportResult) -> None:
    last_day = when - timedelta(days=1)
    basis = rows[0].basis
    touched = [code for code in after_states if after_states[code] != before_states.get(code)]
    touched.sort(key=lambda c: LEVEL.get(UnitKind(after_states[c].kind), 9) if after_states[c].kind in UnitKind.values else 9)
    for code in touched:
        new, old = after_states[code], before_states.get(code)
        changes: dict[str, Any] = {"basis": basis, "effective_date": when.isoformat()}
        if old is None:
            unit = Unit.objects.create(code=code, name=new.name, kind=new.kind, parent_id=new.parent, valid_from=when,
                                       special_difficulty=new.special)
            UnitVersion.objects.create(unit=unit, name=new.name, kind=new.kind, parent_id=new.parent, valid_from=when,
                                       special_difficulty=new.special)
            result.created += 1
            audit_record(actor=actor, action="unit_change_create", instance=unit, unit_code=code, changes={**changes, "name": [None, new.name]})
            continue
        unit = Unit.objects.get(code=code)
        current = unit.versions.filter(UnitVersion.valid_on(last_day)).order_by("-valid_from").first()
        if new.ended is not None:
            if current is not None:
                current.valid_to = last_day
                current.save(update_fields=["valid_to"])
            unit.valid_to = last_day
            unit.save(update_fields=["valid_to"])
            result.ended += 1
            audit_record(actor=actor, action="unit_change_end", instance=unit, unit_code=code, changes={**changes, "valid_to": [None, last_day.isoformat()]})
            continue
        if current is not None:
            current.valid_to = last_day
            current.save(update_fields=["valid_to"])
        UnitVersion.objects.create(unit=unit, name=new.name, kind=new.kind, parent_id=new.parent, valid_from=when, special_difficulty=new.special)
        diff = {k: [getattr(old, k), getattr(new, k)] for k in ("name", "kind", "parent", "special") if getattr(old, k) != getattr(new, k)}
        unit.name, unit.kind, unit.parent_id, unit.special_difficulty = new.name, new.kind, new.parent, new.special
        unit.save(update_fields=["name", "kind", "parent", "special_difficulty"])
        result.changed += 1
        audit_record(actor=actor, action="unit_change_update", instance=unit, unit_code=code, changes={**changes, **diff})
    UnitChange.objects.bulk_create([
        UnitChange(effective_date=when, basis=r.basis, unit_id=r.code, source_id=r.from_code or None, villages=r.villages, share=r.share,
                   end=r.end, name=r.name, kind=r.kind, parent_code=r.parent_code, special_difficulty=r.special_difficulty, note=r.note, row=r.row)
        for r in rows
    ])



LATER = (f"2026-01-01,{B},98302,Sông Cầu Mới,,,98204,,,\n"   # a merger into a renamed commune
         f"2026-01-01,{B},99,Tỉnh Mới,province,,,,,\n"         # a new province
         f"2026-01-01,{B},98401,Bốn Một,commune,99,,,,\n")     # and a new commune under it


class _Rollback(Exception):
    pass


def _state() -> dict[str, Any]:
    return {
        "units": sorted(Unit.objects.values_list("code", "name", "kind", "parent_id", "valid_from", "valid_to", "special_difficulty")),
        "versions": sorted(UnitVersion.objects.values_list("unit_id", "name", "kind", "parent_id", "valid_from", "valid_to", "special_difficulty"),
                           key=repr),
        "changes": sorted(UnitChange.objects.values_list("effective_date", "basis", "unit_id", "source_id", "villages", "share", "end", "name",
                                                         "kind", "parent_code", "special_difficulty", "note", "row"), key=repr),
        "audit": sorted(((a, t, i, r, u, sorted(c.items())) for a, t, i, r, u, c in
                         AuditEntry.objects.filter(action__startswith="unit_change_").values_list("action", "object_type", "object_id", "object_repr",
                                                                                                 "unit_code", "changes")), key=repr),
        "closure": sorted(UnitClosure.objects.values_list("ancestor_id", "descendant_id", "depth", "valid_from", "valid_to"), key=repr),
    }


def _imported(tmp_path: Path, files: list[Path], results: list[UnitChangeImportResult]) -> dict[str, Any]:
    state: dict[str, Any] = {}
    try:
        with transaction.atomic():
            for path in files:
                results.append(unit_changes_import(actor=None, path=path))
            state = _state()
            raise _Rollback
    except _Rollback:
        pass
    return state


@pytest.mark.django_db
def test_bulk_path_writes_what_the_per_unit_path_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    units = tmp_path / "units.csv"
    units.write_text(UNITS, encoding="utf-8")
    unit_import(actor=None, path=units)
    files = [write(tmp_path, EXAMPLE, "2025.csv"), write(tmp_path, LATER, "2026.csv")]
    bulk_results: list[UnitChangeImportResult] = []
    bulk = _imported(tmp_path, files, bulk_results)
    monkeypatch.setattr(changes, "_apply", _apply_one_by_one)
    reference_results: list[UnitChangeImportResult] = []
    reference = _imported(tmp_path, files, reference_results)
    assert bulk["units"] and bulk["closure"]
    assert bulk_results == reference_results
    assert [(r.created, r.changed, r.ended) for r in bulk_results] == [(1, 6, 5), (2, 4, 1)]  # 2026: 98302 renamed and 98204's three village units move to it
    for key in reference:
        assert bulk[key] == reference[key], key
