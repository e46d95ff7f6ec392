"""Import and export of indicator values against the demo: round trips, the published examples, every refusal."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xhht.audit.models import AuditEntry
from xhht.exchange.mapping import mapping_read
from xhht.exchange.services import ExchangeError, datavalues_export, datavalues_import
from xhht.indicators.models import DataRollup, DataValue, DataValueHistory, Source

DATA = Path(__file__).parent / "data"
MAPPING = Path(__file__).parent.parent / "examples" / "mapping.yaml"
pytestmark = pytest.mark.usefixtures("indicators_demo")


def _values(**filters: Any) -> set[tuple[str, str, str, str, Decimal]]:
    rows = DataValue.objects.exclude(source=Source.PROJECTED).filter(**filters).values_list("element", "unit_id", "period", "disaggregation", "value")
    return {(e, u, p, d, Decimal(v).normalize()) for e, u, p, d, v in rows}


def _exported_by_051(first: int, last: int) -> set[tuple[str, str, str, str, Decimal]]:
    """What an export of district 051 over ``first``…``last`` must hold, whatever other demos the session's database
    carries: the values of every unit ever under 051, of every period lying within those years (school years too)."""
    from xhht.indicators.periods import parse_period
    from xhht.units.models import Unit
    from xhht.units.selectors import unit_subtree_codes_ever

    codes = unit_subtree_codes_ever(unit=Unit.objects.get(code="051"))
    periods = [p for p in DataValue.objects.values_list("period", flat=True).distinct()
               if parse_period(p).start.year >= first and parse_period(p).end.year <= last]
    return _values(unit_id__in=codes, period__in=periods)


def _empty_store() -> None:
    DataValue.objects.all().delete()
    DataRollup.objects.all().delete()


@pytest.mark.parametrize("fmt", ["dhis2", "adx"])
@pytest.mark.parametrize("mapped", [True, False], ids=["mapped", "codes-as-is"])
def test_round_trip_into_an_empty_store(fmt: str, mapped: bool, district_officer: Any) -> None:
    mapping = mapping_read(MAPPING) if mapped else None
    before = _exported_by_051(2015, 2020)
    assert len(before) > 50
    payload = datavalues_export(user=district_officer, unit_code="DiszpKrYNg8" if mapped else "051", period_from="2015", period_to="2020",
                                fmt=fmt, mapping=mapping)
    if mapped:
        # Mapped codes leave as the other side's identifiers (codes the mapping does not name leave as they are).
        assert b"f7n9E0hX8qk" in payload and b'"051"' not in payload and b'"literacy_level2"' not in payload
    _empty_store()
    summary = datavalues_import(user=district_officer, payload=payload, fmt=fmt, mapping=mapping)
    assert summary.ok, summary.conflicts[:3]
    assert (summary.imported, summary.updated, summary.ignored) == (len(before), 0, 0)
    assert _values() == before
    again = datavalues_import(user=district_officer, payload=payload, fmt=fmt, mapping=mapping)
    assert (again.imported, again.updated, again.ignored) == (0, 0, len(before))
    assert datavalues_export(user=district_officer, unit_code="DiszpKrYNg8" if mapped else "051", period_from="2015", period_to="2020",
                             fmt=fmt, mapping=mapping).split(b"<group", 1)[-1] == payload.split(b"<group", 1)[-1]


def test_export_shape_dhis2(district_officer: Any) -> None:
    doc = json.loads(datavalues_export(user=district_officer, unit_code="DiszpKrYNg8", period_from="2019", period_to="2019", fmt="dhis2",
                                       mapping=mapping_read(MAPPING)))
    assert doc["dataSet"] == "XhhtQd89Ann"
    assert {"dataElement": "eY5ehpbEsB7", "period": "2019", "orgUnit": "DiszpKrYNg8", "categoryOptionCombo": "S34ULMcHMca",
            "value": "7916"} in doc["dataValues"]
    assert {"dataElement": "x3Do5e7g4Qo", "period": "2019", "orgUnit": "DiszpKrYNg8", "categoryOptionCombo": "HllvX50cXC0",
            "value": "100"} in doc["dataValues"]
    assert all(v["period"] == "2019" for v in doc["dataValues"])  # projections (2021-2025) are not data


def test_export_shape_adx(district_officer: Any) -> None:
    from defusedxml.ElementTree import fromstring

    root = fromstring(datavalues_export(user=district_officer, unit_code="051", period_from="2019", period_to="2019", fmt="adx",
                                        mapping=mapping_read(MAPPING), elements=["literacy_population"]))
    ns = "{urn:ihe:qrph:adx:2015}"
    # The district's own group (the communes under it have theirs when other demos are loaded).
    (group,) = [g for g in root.findall(f"{ns}group") if g.attrib["orgUnit"] == "DiszpKrYNg8"]
    assert group.attrib == {"orgUnit": "DiszpKrYNg8", "period": "2019-01-01/P1Y", "dataSet": "XhhtQd89Ann"}
    # The cells by age alone, with the store's values (the indicators demo's 7916, 12210, 19438; the literacy demo,
    # when the session has loaded it, recomputes them from the survey).
    by_age = {d: Decimal(v).normalize() for d, v in DataValue.objects.filter(
        element="literacy_population", unit_id="051", period="2019", disaggregation__startswith="age_band=").values_list("disaggregation", "value")
        if ";" not in d}
    bands = ("15-25", "26-35", "36-60")  # the bands the mapping names (the literacy demo writes others too)
    assert [v.attrib for v in group if set(v.attrib) == {"dataElement", "Age_category", "value"} and v.attrib["Age_category"] in bands] == [
        {"dataElement": "eY5ehpbEsB7", "Age_category": a, "value": format(by_age[f"age_band={a}"], "f")} for a in bands]


@pytest.mark.parametrize(("name", "fmt"), [("dhis2_datavalueset.json", "dhis2"), ("adx_sample.xml", "adx")])
def test_published_examples_import(name: str, fmt: str, district_officer: Any) -> None:
    summary = datavalues_import(user=district_officer, payload=(DATA / name).read_bytes(), fmt=fmt, mapping=mapping_read(MAPPING))
    assert summary.ok, summary.conflicts
    got = {(v.element, v.unit_id, v.period, v.disaggregation): v.value for v in DataValue.objects.filter(rule__startswith="Nhập ")}
    assert got[("it_fl_learners", "051", "2020", "")] == 75
    assert got[("literacy_level2", "051", "2020", "age_band=15-25")] == 7817
    assert got[("literacy_level2_rate", "051", "2020", "age_band=26-35")] == Decimal("98.25")
    assert got[("it_fl_learners", "05115", "2021", "")] == 12
    entry = AuditEntry.objects.filter(action="datavalues_import").latest("id")
    # 75 learners in 2020 is the demo's own figure: read again, unchanged; the others are new.
    assert (summary.imported, summary.updated, summary.ignored) == ((3 if fmt == "dhis2" else 4), 0, 1)
    assert entry.actor == district_officer and entry.changes["imported"][1] == summary.imported


def _set(*values: dict[str, str], **top: str) -> bytes:
    return json.dumps({**top, "dataValues": list(values)}).encode()


def _refused(user: Any, payload: bytes, fmt: str = "dhis2", **kw: Any) -> Any:
    count, history = DataValue.objects.count(), DataValueHistory.objects.count()
    summary = datavalues_import(user=user, payload=payload, fmt=fmt, **kw)
    assert not summary.ok
    assert (DataValue.objects.count(), DataValueHistory.objects.count()) == (count, history)  # nothing written
    assert AuditEntry.objects.filter(action="datavalues_import_refused", actor=user).exists()
    return summary


GOOD = {"dataElement": "it_fl_learners", "period": "2021", "orgUnit": "05115", "value": "5"}


def test_unknown_element_and_disaggregation_refused_naming_each(nam_tuan_officer: Any) -> None:
    summary = _refused(nam_tuan_officer, _set(GOOD, {**GOOD, "dataElement": "nope"}, {**GOOD, "categoryOptionCombo": "sex=F"},
                                              {**GOOD, "categoryOptionCombo": "UnMappedUid"}))
    assert [(c.where, c.field) for c in summary.conflicts] == [("dataValues[1]", "dataElement"), ("dataValues[2]", "categoryOptionCombo"),
                                                               ("dataValues[3]", "categoryOptionCombo")]
    assert "không có phần tử dữ liệu" in summary.conflicts[0].reason
    assert "không phân tổ theo «sex»" in summary.conflicts[1].reason
    assert summary.http_status == 400


def test_bad_periods_and_values_refused(nam_tuan_officer: Any) -> None:
    summary = _refused(nam_tuan_officer, _set({**GOOD, "period": "202101"}, {**GOOD, "period": "2021S1"}, {**GOOD, "value": "1.234"},
                                              {**GOOD, "value": "abc", "period": "2020"}, {**GOOD, "value": "-3", "period": "2019"},
                                              {**GOOD, "value": "2.5", "period": "2018"}, {k: v for k, v in GOOD.items() if k != "value"}))
    fields = [(c.where, c.field) for c in summary.conflicts]
    assert fields == [("dataValues[0]", "period"), ("dataValues[1]", "period"), ("dataValues[2]", "value"), ("dataValues[3]", "value"),
                      ("dataValues[4]", "value"), ("dataValues[5]", "value"), ("dataValues[6]", "value")]
    assert "6 tháng" in summary.conflicts[1].reason  # an element kept by year does not take a half-year
    assert "số nguyên" in summary.conflicts[5].reason


def test_duplicate_value_in_one_payload_refused(nam_tuan_officer: Any) -> None:
    summary = _refused(nam_tuan_officer, _set(GOOD, {**GOOD, "value": "6"}))
    assert summary.conflicts[0].where == "dataValues[1]" and "trùng giá trị đã có ở dataValues[0]" in summary.conflicts[0].reason


def test_mixing_units_the_caller_may_and_may_not_write_refused(nam_tuan_officer: Any) -> None:
    summary = _refused(nam_tuan_officer, _set(GOOD, {**GOOD, "orgUnit": "05113"}, {**GOOD, "orgUnit": "051"}))
    assert [(c.where, c.field, c.kind) for c in summary.conflicts] == [("dataValues[1]", "orgUnit", "not_found"),
                                                                        ("dataValues[2]", "orgUnit", "not_found")]
    assert summary.http_status == 404  # units the commune may not even read: as the web, absent
    assert not DataValue.objects.filter(unit_id="05115", period="2021", element="it_fl_learners").exists()


def test_viewer_may_read_but_not_write(viewer: Any) -> None:
    summary = _refused(viewer, _set({**GOOD, "orgUnit": "051"}))
    assert summary.conflicts[0].kind == "forbidden" and summary.http_status == 403
    assert "không có quyền ghi" in summary.conflicts[0].reason


def test_forged_unit_refused(district_officer: Any) -> None:
    summary = _refused(district_officer, _set({**GOOD, "orgUnit": "99999"}))
    assert summary.conflicts[0].kind == "not_found"


def test_dry_run_checks_and_writes_nothing(nam_tuan_officer: Any) -> None:
    count = DataValue.objects.count()
    summary = datavalues_import(user=nam_tuan_officer, payload=_set(GOOD), fmt="dhis2", dry_run=True)
    assert summary.ok and summary.imported == 1 and DataValue.objects.count() == count


def test_import_writes_history_audit_and_rollups(nam_tuan_officer: Any) -> None:
    summary = datavalues_import(user=nam_tuan_officer, payload=_set(GOOD), fmt="dhis2")
    assert (summary.imported, summary.updated, summary.ignored) == (1, 0, 0)
    dv = DataValue.objects.get(unit_id="05115", period="2021", element="it_fl_learners")
    assert dv.value == 5 and dv.source == Source.IMPORTED and dv.updated_by == nam_tuan_officer
    assert DataValueHistory.objects.filter(unit_code="05115", period="2021", element="it_fl_learners", changed_by=nam_tuan_officer).exists()
    assert DataRollup.objects.filter(unit_id="05115", period="2021", element="it_fl_learners", value=5).exists()
    assert AuditEntry.objects.filter(action="datavalues_import", actor=nam_tuan_officer).exists()


def test_payload_bounds_and_formats(nam_tuan_officer: Any, settings: Any) -> None:
    settings.XHHT_EXCHANGE_MAX_BYTES = 1000
    with pytest.raises(ExchangeError) as too_big:
        datavalues_import(user=nam_tuan_officer, payload=b" " * 1001, fmt="dhis2")
    assert too_big.value.status == 413
    for payload, fmt, status in [(b"{", "dhis2", 400), (b"<adx", "adx", 400), (b"{}", "csv", 415)]:
        with pytest.raises(ExchangeError) as refused:
            datavalues_import(user=nam_tuan_officer, payload=payload, fmt=fmt)
        assert refused.value.status == status


def test_anonymous_refused(nam_tuan_officer: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ExchangeError) as refused:
        datavalues_import(user=AnonymousUser(), payload=_set(GOOD), fmt="dhis2")
    assert refused.value.status == 401
    with pytest.raises(ExchangeError) as refused:
        datavalues_export(user=AnonymousUser(), unit_code="051", period_from="2016", period_to="2020", fmt="dhis2")
    assert refused.value.status == 401


def test_export_scoped_like_the_web(nam_tuan_officer: Any) -> None:
    with pytest.raises(ExchangeError) as refused:
        datavalues_export(user=nam_tuan_officer, unit_code="05113", period_from="2016", period_to="2020", fmt="dhis2")
    assert refused.value.status == 404
    # A commune officer exporting the district sees nothing outside its own scope.
    with pytest.raises(ExchangeError):
        datavalues_export(user=nam_tuan_officer, unit_code="051", period_from="2016", period_to="2020", fmt="dhis2")
    with pytest.raises(ExchangeError) as bad:
        datavalues_export(user=nam_tuan_officer, unit_code="05115", period_from="2016", period_to="20x", fmt="dhis2")
    assert bad.value.status == 400
