"""Indicators read on a later tree (format 4) come from the roll-ups through the mapping: a fixed number of queries
whatever the size of the tree, and the same figures as the year's own tree where nothing changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xhht.indicators.selectors import StoreReader
from xhht.indicators.services import Value, data_values_write
from xhht.units.changes import unit_changes_import
from xhht.units.models import Unit
from xhht.units.services import unit_import

ON = date(2025, 7, 1)
ELEMENTS = ["workers_total", "workers_life_skills"]


def _province(code: str, districts: int, communes: int) -> tuple[list[str], list[Value], list[str], dict[str, list[str]]]:
    """Province ``code``: ``districts`` districts of ``communes`` communes, each commune with its 2019 figures; on
    2025-07-01 the first district's communes merge two by two into new communes under the province and that
    district ends; the other districts stay as they were. Returns unit rows, values, change rows, new → sources."""
    lines = [f"{code},Thử {code},province,,,,0"]
    values = []
    for d in range(districts):
        district = f"{code}{d:02d}"
        lines.append(f"{district},Huyện {d},district,{code},,,0")
        for c in range(communes):
            commune = f"{district}{c:02d}"
            lines.append(f"{commune},Xã {d}-{c},commune,{district},,,0")
            values += [Value(element="workers_total", unit_code=commune, period="2019", value=100 + 7 * c + d),
                       Value(element="workers_life_skills", unit_code=commune, period="2019", value=50 + c)]
    merged: dict[str, list[str]] = {}
    rows = []
    for g in range(communes // 2):
        new = f"{code}N{g:02d}"
        sources = [f"{code}00{2 * g:02d}", f"{code}00{2 * g + 1:02d}"]
        merged[new] = sources
        rows.append(f"2025-07-01,NQ thử,{new},Mới {g},commune,{code},{sources[0]},,,")
        rows.append(f"2025-07-01,NQ thử,{new},,,,{sources[1]},,,")
    rows.append(f"2025-07-01,NQ thử,{code}00,,,,,,,1")
    return lines, values, rows, merged


def _read(code: str, on: date | None) -> tuple[StoreReader, int]:
    province = Unit.objects.get(code=code)
    with CaptureQueriesContext(connection) as ctx:
        reader = StoreReader(unit=province, elements=ELEMENTS, periods=["2019"], on=on)
        for element in ELEMENTS:
            reader.value(element, "2019")
            for child in reader.children["2019"].get(code, []):
                reader.value(element, "2019", unit_code=child)
    return reader, len(ctx.captured_queries)


@pytest.mark.django_db
def test_later_tree_reads_roll_ups_through_the_mapping_in_fixed_queries(tmp_path: Path) -> None:
    sizes = {"93": (2, 4), "94": (6, 12)}
    units = ["code,name,kind,parent_code,valid_from,valid_to,special_difficulty"]
    changes = ["effective_date,basis,code,name,kind,parent_code,from_code,from_villages,from_share,end"]
    values: list[Value] = []
    merged: dict[str, dict[str, list[str]]] = {}
    for code, (districts, communes) in sizes.items():
        lines, vals, rows, merged[code] = _province(code, districts, communes)
        units += lines
        values += vals
        changes += rows
    (tmp_path / "units.csv").write_text("\n".join(units) + "\n", encoding="utf-8")
    unit_import(actor=None, path=tmp_path / "units.csv")
    data_values_write(actor=None, values=values, source="entered", rule="test")
    (tmp_path / "changes.csv").write_text("\n".join(changes) + "\n", encoding="utf-8")
    unit_changes_import(actor=None, path=tmp_path / "changes.csv")
    stored = {(v.element, v.unit_code): Decimal(v.value) for v in values}
    _read("93", ON)  # the mapping built once (it is cached until the changes change)
    queries = {code: _read(code, ON)[1] for code in sizes}
    # The same queries at both sizes (12 or 72 communes): the tree on both dates, the roll-ups, the own values.
    assert queries["93"] == queries["94"] <= 8, queries
    for code, (districts, _) in sizes.items():
        reader, _ = _read(code, ON)
        own, _ = _read(code, None)
        untouched = [f"{code}{d:02d}" for d in range(1, districts)]
        assert sorted(reader.children["2019"][code]) == sorted(untouched + list(merged[code]))
        for element in ELEMENTS:
            # Nothing lost or counted twice; a district the reform did not touch keeps its own-tree figure.
            assert reader.value(element, "2019") == own.value(element, "2019") is not None
            for district in untouched:
                assert reader.value(element, "2019", unit_code=district) == own.value(element, "2019", unit_code=district)
            for new, sources in merged[code].items():
                assert reader.value(element, "2019", unit_code=new) == sum((stored[(element, s)] for s in sources), Decimal(0))
        # Rows in proportion to what changed: the untouched districts' roll-ups, never their communes' values.
        assert not any(len(key[1]) == 6 and key[1][:4] in untouched for key in reader.actual)
        assert not any(len(key[1]) == 6 and key[1][:4] in untouched for key in reader.rolled)
