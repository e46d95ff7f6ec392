"""The two formats and the mapping file, without a database: published shapes read, periods both ways, hostile XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from xhht.exchange import adx, dhis2
from xhht.exchange.mapping import MappingError, mapping_parse, mapping_read
from xhht.exchange.rows import FormatError

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parent.parent / "examples"


def test_published_dhis2_shape_parses_with_set_level_defaults() -> None:
    rows = dhis2.datavalueset_parse((DATA / "dhis2_datavalueset.json").read_bytes())
    assert len(rows) == 4
    assert rows[0].where == "dataValues[0]" and rows[0].org_unit == "DiszpKrYNg8" and rows[0].period == "2020"
    assert rows[1].coc == "S34ULMcHMca" and rows[1].value == "7817"
    assert (rows[3].org_unit, rows[3].period, rows[3].coc) == ("g8upMTyEZGZ", "2021", None)


def test_dhis2_core_minimal_example_parses() -> None:
    # dhis2-core's dataValueSetJ.json: value-level period and orgUnit, no set-level fields (a monthly period).
    rows = dhis2.datavalueset_parse(b'{"dataValues": [{"period": "201201", "orgUnit": "DiszpKrYNg8", "dataElement": "f7n9E0hX8qk", "value": "10"}]}')
    assert [(r.period, r.org_unit, r.data_element, r.value) for r in rows] == [("201201", "DiszpKrYNg8", "f7n9E0hX8qk", "10")]
    with pytest.raises(ValueError, match="201201"):
        dhis2.period_from_dhis2(rows[0].period)  # XHHT keeps no monthly figures


def test_published_adx_shape_parses() -> None:
    rows = adx.adx_parse((DATA / "adx_sample.xml").read_bytes())
    assert [r.where for r in rows] == ["group 1, dataValue 1", "group 1, dataValue 2", "group 1, dataValue 3", "group 1, dataValue 4",
                                       "group 2, dataValue 1"]
    assert rows[1].categories == {"Age_category": "15-25"} and rows[1].period == "2020-01-01/P1Y"
    assert rows[2].coc == "sqGRzCziswD" and rows[2].categories == {}
    assert rows[4].org_unit == "g8upMTyEZGZ" and rows[4].value == "12"


@pytest.mark.parametrize(("code", "dhis", "iso"), [
    ("2019", "2019", "2019-01-01/P1Y"), ("2019-H1", "2019S1", "2019-01-01/P6M"), ("2019-H2", "2019S2", "2019-07-01/P6M"),
    ("2019-2020", "2019Sep", "2019-09-01/P1Y"), ("2016-2020", "2016-2020", "2016-01-01/P5Y"),
])
def test_periods_both_ways(code: str, dhis: str, iso: str) -> None:
    assert dhis2.period_to_dhis2(code) == dhis and dhis2.period_from_dhis2(dhis) == code
    assert adx.period_to_adx(code) == iso and adx.period_from_adx(iso) == code


@pytest.mark.parametrize("bad", ["2019-13", "201901", "2019Q1", "19", "", "2019-2020", "2020-2019"])
def test_bad_dhis2_periods_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="kỳ"):
        dhis2.period_from_dhis2(bad)


@pytest.mark.parametrize("bad", ["2015-01-01/P1M", "2019-03-01/P1Y", "2019", "2019-01-01/P2Y", "2019-01-01", "x/P1Y"])
def test_bad_adx_periods_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="kỳ"):
        adx.period_from_adx(bad)


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE adx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="051" period="2020-01-01/P1Y">
<dataValue dataElement="it_fl_learners" value="&xxe;"/></group></adx>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="&lol2;" period="2020-01-01/P1Y"/></adx>"""

DTD_ONLY = b"""<?xml version="1.0"?><!DOCTYPE adx SYSTEM "http://example.org/adx.dtd"><adx xmlns="urn:ihe:qrph:adx:2015"/>"""


@pytest.mark.parametrize("payload", [XXE, LAUGHS, DTD_ONLY], ids=["xxe", "billion-laughs", "external-dtd"])
def test_xml_with_dtd_or_entities_refused(payload: bytes) -> None:
    with pytest.raises(FormatError, match="XXE"):
        adx.adx_parse(payload)


@pytest.mark.parametrize(("payload", "message"), [
    (b"<adx xmlns='urn:ihe:qrph:adx:2015'><group>", "XML sai cú pháp ở dòng 1"),
    (b"<dataValueSet xmlns='http://dhis2.org/schema/dxf/2.0'/>", "Không phải tài liệu ADX"),
    (b"<adx xmlns='urn:ihe:qrph:adx:2015'><other/></adx>", "cần <group>"),
])
def test_malformed_or_foreign_xml_refused(payload: bytes, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        adx.adx_parse(payload)


@pytest.mark.parametrize(("payload", "message"), [
    (b'{"dataValues": [', "JSON sai cú pháp ở dòng 1"),
    (b"[1, 2]", "đối tượng dataValueSet"),
    (b'{"dataSet": "x"}', "Thiếu danh sách «dataValues»"),
    (b'{"dataValues": [1]}', r"dataValues\[0\]"),
    (b"\xff\xfe{", "UTF-8"),
])
def test_malformed_json_refused(payload: bytes, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        dhis2.datavalueset_parse(payload)


def test_example_mappings_read() -> None:
    yaml_map = mapping_read(EXAMPLES / "mapping.yaml")
    assert yaml_map.elements["literacy_level2"] == "f7n9E0hX8qk" and yaml_map.units["051"] == "DiszpKrYNg8"
    assert yaml_map.disaggregations[""] == "HllvX50cXC0" and yaml_map.categories["age_band"] == "Age_category"
    assert yaml_map.data_set == "XhhtQd89Ann"
    csv_map = mapping_read(EXAMPLES / "mapping.csv")
    assert csv_map.elements["literacy_level2"] == "f7n9E0hX8qk" and csv_map.disaggregations["age_band=15-25"] == "S34ULMcHMca"
    assert csv_map.data_set == "XhhtQd89Ann" and csv_map.units["05115"] == "g8upMTyEZGZ"


@pytest.mark.parametrize(("text", "name", "message"), [
    (b"elements: [a, b]\n", "m.yaml", "bảng «elements»"),
    (b"colours:\n  a: b\n", "m.yaml", "bảng «colours» không có"),
    (b"elements:\n  a: X\n  b: X\n", "m.yaml", "gán cho cả «a» và «b»"),
    (b"elements: {a: [\n", "m.yaml", "không đọc được YAML"),
    (b"table,xhht,other\nelement,a,b\n", "m.csv", "dòng 2, cột table"),
    (b"table,xhht,other\nelements,a,\n", "m.csv", "dòng 2, cột other"),
    (b"a,b\n", "m.csv", "dòng 1"),
    # ADX carries a category as an attribute of <dataValue>: its name must be an XML name, not one ADX already uses.
    (b"categories:\n  age_band: Age category\n", "m.yaml", "«age_band»: «Age category» không dùng được làm tên thuộc tính ADX"),
    (b"categories:\n  sex: 'dhis:sex'\n", "m.yaml", "«dhis:sex» không dùng được"),
    (b"table,xhht,other\ncategories,age_band,1age\n", "m.csv", "«1age» không dùng được"),
    (b"table,xhht,other\ncategories,sex,value\n", "m.csv", "«sex»: «value» không dùng được"),
])
def test_bad_mapping_files_refused(text: bytes, name: str, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        mapping_parse(text, name=name)
