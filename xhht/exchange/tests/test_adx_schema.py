"""ADX documents checked against the profile's published XML Schema (xhht/exchange/schemas/adx; source in its README).

ADX is validated in two parts: a generic schema (``adx_loose.xsd``) that every ADX document satisfies whatever its
data structure, and a schema generated from each jurisdiction's SDMX data structure definition, which also pins the
code lists (dataElement, orgUnit, categories). XHHT publishes no SDMX DSD, so these tests use the generic one only:
XHHT's export (of the demo's values, mapped and with codes as they are) and the published example the tests import.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from xhht.exchange import adx
from xhht.exchange.mapping import mapping_read
from xhht.exchange.rows import OutRow

SCHEMA = Path(__file__).parent.parent / "schemas" / "adx" / "adx_loose.xsd"
DATA = Path(__file__).parent / "data"
MAPPING = Path(__file__).parent.parent / "examples" / "mapping.yaml"
# Read with no network and no entities: the schema's imports are local files.
PARSER = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA), PARSER))


def _errors(payload: bytes) -> list[str]:
    schema = _schema()
    if schema.validate(etree.fromstring(payload, PARSER)):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def _doc(body: str, exported: str = ' exported="2021-02-08T19:30:00Z"') -> bytes:
    return f'<adx xmlns="urn:ihe:qrph:adx:2015"{exported}>{body}</adx>'.encode()


GROUP = '<group orgUnit="051" period="2019-01-01/P1Y" dataSet="XHHT">{}</group>'
VALUE = '<dataValue dataElement="it_fl_learners" age_band="15-25" value="75"/>'


def test_the_schema_accepts_a_minimal_document() -> None:
    assert _errors(_doc(GROUP.format(VALUE))) == []


@pytest.mark.parametrize(("payload", "complaint"), [
    (_doc(GROUP.format(VALUE), exported=""), "exported"),                                   # no export time
    (_doc(GROUP.format(VALUE), exported=' exported="2021-02-08"'), "dateTime"),              # a date, not a dateTime
    (_doc(""), "Missing child element"),                                                     # no group
    (_doc(GROUP.format("")), "Missing child element"),                                       # a group with no value
    (_doc(GROUP.format(VALUE.replace('value="75"', 'value="1E+3"'))), "decimal"),            # an exponent
    (_doc(GROUP.format(VALUE.replace('value="75"', 'value="bảy"'))), "decimal"),
    (_doc(GROUP.format(VALUE).replace("2019-01-01/P1Y", "2019")), "period"),                 # XHHT's code, not ISO 8601
    (_doc(GROUP.format(VALUE).replace(' orgUnit="051"', "")), "orgUnit"),
    (_doc(GROUP.format(VALUE.replace(' dataElement="it_fl_learners"', ""))), "dataElement"),
])
def test_the_schema_refuses_what_adx_does_not_allow(payload: bytes, complaint: str) -> None:
    # So that the export passing below means something: the schema is not one that takes anything.
    errors = _errors(payload)
    assert errors and complaint in " ".join(errors), errors


def test_published_example_validates() -> None:
    # The IHE sample's shape (xsi:schemaLocation, completeDate, a categoryOptionCombo attribute, <annotation>), adapted
    # to the demo through the example mapping: test_import.py::test_published_examples_import imports it.
    assert _errors((DATA / "adx_sample.xml").read_bytes()) == []


@pytest.mark.parametrize("code", ["2019", "2019-H1", "2019-H2", "2019-2020", "2016-2020"])
@pytest.mark.parametrize("value", [Decimal("7916"), Decimal("98.7500"), Decimal("1E+3"), Decimal("0E-10"), Decimal("-2.5")])
def test_every_period_kind_and_value_form_validates(code: str, value: Decimal) -> None:
    from xhht.exchange.services import _number_text

    rows = [OutRow(data_element="eY5ehpbEsB7", period=code, org_unit="DiszpKrYNg8", value=_number_text(value),
                   categories={"Age_category": "15-25", "sex": "F"})]
    assert _errors(adx.adx_write(rows, data_set="XhhtQd89Ann")) == []


@pytest.mark.django_db
@pytest.mark.usefixtures("indicators_demo")
@pytest.mark.parametrize("mapped", [True, False], ids=["mapped", "codes-as-is"])
def test_export_of_the_demo_validates_and_imports_back(mapped: bool, district_officer: Any) -> None:
    from defusedxml.ElementTree import fromstring

    from xhht.exchange.services import datavalues_export, datavalues_import

    mapping = mapping_read(MAPPING) if mapped else None
    payload = datavalues_export(user=district_officer, unit_code="DiszpKrYNg8" if mapped else "051", period_from="2010",
                                period_to="2030", fmt="adx", mapping=mapping)
    root = fromstring(payload)
    values = root.findall("{urn:ihe:qrph:adx:2015}group/{urn:ihe:qrph:adx:2015}dataValue")
    assert len(values) > 50 and any(len(v.attrib) > 2 for v in values)  # the demo's values, disaggregated ones among them
    assert _errors(payload) == []
    summary = datavalues_import(user=district_officer, payload=payload, fmt="adx", mapping=mapping, dry_run=True)
    assert summary.ok and summary.ignored == len(values)  # read back as the very values stored



def test_an_export_with_no_values_is_refused_as_the_schema_has_no_valid_empty_document() -> None:
    from xhht.exchange.services import ExchangeError

    # What an empty export would be: an <adx> with no group, refused by the schema (at least one group, each with at
    # least one dataValue); so no document is written and the message says why, in Vietnamese.
    assert "Missing child element" in " ".join(_errors(_doc("")))
    empty: list[OutRow] = []
    for rows in (empty, iter(empty)):  # a list, and a generator as the export passes
        with pytest.raises(ExchangeError) as refused:
            adx.adx_write(rows, data_set="XHHT")
        assert refused.value.status == 404 and refused.value.message == adx.EMPTY_EXPORT
    assert "Không có giá trị nào để xuất" in adx.EMPTY_EXPORT and "ít nhất một nhóm" in adx.EMPTY_EXPORT
    one = [OutRow(data_element="it_fl_learners", period="2019", org_unit="051", value="75", categories={})]
    assert _errors(adx.adx_write(one)) == []


@pytest.mark.django_db
@pytest.mark.usefixtures("indicators_demo")
@pytest.mark.urls("xhht.exchange.tests.urls")
def test_an_empty_range_answers_the_message_on_the_api_and_the_command(district_officer: Any, client_for: Any) -> None:
    from django.core.management import CommandError, call_command

    from xhht.indicators.models import DataValue

    assert not DataValue.objects.filter(unit_id="051", period__startswith="2099").exists()
    client = client_for(district_officer)
    query = {"orgUnit": "051", "periodFrom": "2099", "periodTo": "2099"}
    got = client.get("/api/v1/dataValueSets", {**query, "format": "adx"})
    assert got.status_code == 404 and got.json()["message"] == adx.EMPTY_EXPORT
    assert client.get("/api/v1/dataValueSets", query).json()["dataValues"] == []  # JSON: an empty list is a valid answer
    with pytest.raises(CommandError, match="Tài liệu ADX phải có ít nhất một nhóm"):
        call_command("exchange", "export", "--unit", "051", "--from", "2099", "--to", "2099", "--format", "adx",
                     "--user", district_officer.username)
