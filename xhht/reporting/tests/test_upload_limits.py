"""Issue 12, hole 2: what an upload may cost is bounded before parsing, and the parse runs in a child
process with a memory cap. The attack: a 2 MB .xlsx of 52 sheets of 9.4 MB each (491 MB unzipped)
passed the per-member zip-bomb check and was loaded whole, driving a worker past 6 GB."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from xhht.core.tabular import Rejected, check_xlsx, open_table
from xhht.reporting.catalogue import get_catalogue
from xhht.reporting.excel import import_workbook, template_workbook
from xhht.reporting.selectors import Reporter
from xhht.units.models import Unit

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" ContentType="{workbook}"/>{sheets}</Types>')
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def write_xlsx(path: Path, *, sheets: int, rows: int, cols: int, workbook_type: str = WORKBOOK_TYPE, dimension: bool = True) -> Path:
    """A valid .xlsx written straight as XML: ``sheets`` sheets of ``rows`` × ``cols`` cells holding 1. Cells
    carry no ``r`` attribute (it is optional), so the XML repeats and zips about 1000 to 1, as a bomb does."""
    from openpyxl.utils import get_column_letter

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_TYPE}"/>' for i in range(1, sheets + 1))
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(workbook=workbook_type, sheets=overrides))
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {NS}><sheets>'
                         + "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, sheets + 1)) + "</sheets></workbook>")
        archive.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                                   f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, sheets + 1)) + "</Relationships>")
        head = f'<?xml version="1.0"?><worksheet {NS}>'
        if dimension:
            head += f'<dimension ref="A1:{get_column_letter(cols)}{rows}"/>'
        body = (head + "<sheetData>" + ("<row>" + "<c><v>1</v></c>" * cols + "</row>") * rows + "</sheetData></worksheet>").encode()
        for i in range(1, sheets + 1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", body)
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The attack's file: 52 sheets of about 9.4 MB of XML each (491 MB unzipped), under 3 MB zipped."""
    path = write_xlsx(tmp_path_factory.mktemp("bomb") / "bao-cao.xlsx", sheets=52, rows=15_400, cols=40)
    with zipfile.ZipFile(path) as archive:
        members = [i for i in archive.infolist() if "worksheets" in i.filename]
        assert all(8 * 1024 * 1024 < i.file_size < 10 * 1024 * 1024 for i in members)
        assert sum(i.file_size for i in archive.infolist()) > 450 * 1024 * 1024
    assert path.stat().st_size < 3 * 1024 * 1024
    return path


def test_the_zip_bomb_is_refused_before_parsing_in_a_viewers_upload(bomb: Path, client_for: Any, viewer: Any) -> None:
    started = time.monotonic()
    response = client_for(viewer).post("/bao-cao-dinh-ky/tai-len/", {"file": bomb.open("rb")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "bao-cao.xlsx" in page and "giải nén quá lớn" in page
    assert time.monotonic() - started < 10  # refused from the zip directory, not after parsing 491 MB


def test_the_zip_bomb_is_refused_by_every_importer(bomb: Path) -> None:
    with pytest.raises(Rejected, match="giải nén quá lớn"):
        check_xlsx(bomb, "bao-cao.xlsx")
    with pytest.raises(Rejected, match="giải nén quá lớn"):
        open_table(bomb, columns=["a"], required=["a"], display_name="bao-cao.xlsx")


def test_too_many_cells_refused_even_when_the_dimension_lies(tmp_path: Path, settings: Any) -> None:
    honest = write_xlsx(tmp_path / "a.xlsx", sheets=3, rows=2_000, cols=10)
    assert check_xlsx(honest, "a.xlsx") == 60_000
    with pytest.raises(Rejected, match="quá nhiều ô"):
        check_xlsx(honest, "a.xlsx", max_cells=50_000)
    silent = write_xlsx(tmp_path / "b.xlsx", sheets=3, rows=2_000, cols=10, dimension=False)
    with pytest.raises(Rejected, match="quá nhiều ô"):
        check_xlsx(silent, "b.xlsx", max_cells=50_000)


def test_a_macro_enabled_workbook_is_refused_by_its_content_type(tmp_path: Path) -> None:
    xlsm = write_xlsx(tmp_path / "m.xlsx", sheets=1, rows=2, cols=2, workbook_type="application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    with pytest.raises(Rejected, match="macro"):
        check_xlsx(xlsm, "m.xlsx")


@pytest.mark.django_db
def test_a_parse_beyond_the_memory_cap_is_refused_and_the_worker_keeps_its_memory(tmp_path: Path, reporting_demo: None, nam_tuan_officer: Any,
                                                                                    settings: Any) -> None:
    """A workbook within the size and cell limits whose parse still needs more than the cap: the child dies
    of it, the request gets a refusal, and the same parse succeeds for a template within the cap."""
    settings.XHHT_MAX_TEMPLATE_CELLS = 2_000_000
    settings.XHHT_PARSE_MEMORY_BYTES = 32 * 1024 * 1024
    heavy = write_xlsx(tmp_path / "nang.xlsx", sheets=4, rows=25_000, cols=20)  # 2 M cells: far more than 32 MB as Python values
    with pytest.raises(Rejected, match="quá nhiều bộ nhớ"):
        import_workbook(path=heavy, actor=nam_tuan_officer, display_name="nang.xlsx")
    template = tmp_path / "mau.xlsx"
    template.write_bytes(template_workbook(form=get_catalogue().forms["commune"], reporters=[Reporter(Unit.objects.get(code="05115"))], period="2020"))
    assert import_workbook(path=template, actor=nam_tuan_officer, display_name="mau.xlsx")
