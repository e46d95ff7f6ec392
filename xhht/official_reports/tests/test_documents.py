"""`xhht report --unit 051 --period 2016-2020 --kind phase-summary --out DIR`: the three files, opened and read."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def _all_text(doc: Any) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def _table_with(doc: Any, header_text: str) -> Any:
    for table in doc.tables:
        if header_text in " | ".join(c.text for c in table.rows[0].cells):
            return table
    raise AssertionError(f"no table with header {header_text!r}")


def _rows(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.fixture
def generated(phase_summary_files: dict[str, Path]) -> dict[str, Path]:
    """The files of `xhht report --unit 051 --period 2016-2020 --kind phase-summary` (made once per session)."""
    files = phase_summary_files
    assert set(files) == {".docx", ".xlsx", ".pdf"}
    return files


def test_docx_header_page_setup_and_fonts(generated: dict[str, Path]) -> None:
    doc = Document(str(generated[".docx"]))
    first = doc.sections[0]
    assert abs(first.page_width - Mm(210)) < Mm(0.5) and abs(first.page_height - Mm(297)) < Mm(0.5)
    mm = {side: round(getattr(first, f"{side}_margin").mm, 1) for side in ("top", "bottom", "left", "right")}  # twips round to 0.01 mm
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25 and 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20
    # Page numbers: centred in the header, none on the first page.
    assert first.different_first_page_header_footer
    header_xml = first.header._element.xml
    assert "PAGE" in header_xml and first.header.paragraphs[0].alignment == 1
    assert not first.first_page_header.paragraphs[0].text
    # The two-column header table, borderless.
    header = doc.tables[0]
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["ỦY BAN NHÂN DÂN", "HUYỆN HÒA AN", "Số: 298/BC-UBND"]
    assert [p.text for p in right.paragraphs if p.text] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                                            "Hòa An, ngày 09 tháng 9 năm 2020"]
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None and all(b.get(qn("w:val")) == "nil" for b in borders)
    national = right.paragraphs[0].runs[0]
    assert national.bold and 12 <= national.font.size.pt <= 13 and national.font.name == "Times New Roman"
    motto = right.paragraphs[1].runs[0]
    assert motto.bold and 13 <= motto.font.size.pt <= 14
    place_date = [p for p in right.paragraphs if p.text.startswith("Hòa An")][0].runs[0]
    assert place_date.italic and not place_date.bold
    # Title in bold capitals, the abstract below it.
    texts = [p.text for p in doc.paragraphs]
    title = doc.paragraphs[texts.index("BÁO CÁO")]
    assert title.runs[0].bold and title.alignment == 1
    abstract = doc.paragraphs[texts.index("BÁO CÁO") + 1]
    assert abstract.text.startswith("Triển khai tổng kết thực hiện Quyết định số 89/QĐ-TTg ngày 09/01/2013") and abstract.runs[0].bold
    # Body in Times New Roman 13–14 pt.
    body = [p for p in doc.paragraphs if p.text.startswith("Thực hiện Kế hoạch số 1668/KH-SGD&ĐT")][0]
    assert all(r.font.name == "Times New Roman" and Pt(13) <= r.font.size <= Pt(14) for r in body.runs)
    # The appendix is a landscape section.
    last = doc.sections[-1]
    assert last.page_width > last.page_height and last.orientation == 1


def test_docx_headings_recipients_and_signature(generated: dict[str, Path]) -> None:
    doc = Document(str(generated[".docx"]))
    texts = [p.text for p in doc.paragraphs]
    for heading in ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH TRIỂN KHAI THỰC HIỆN ĐỀ ÁN",
                    "3. Hệ thống văn bản chỉ đạo, điều hành đã ban hành",
                    "4. Công tác thông tin, tuyên truyền",
                    "II. NGUỒN LỰC ĐỂ TRIỂN KHAI THỰC HIỆN ĐỀ ÁN",
                    "III. KẾT QUẢ THỰC HIỆN CÁC HOẠT ĐỘNG CỦA ĐỀ ÁN",
                    # III in the seed's order and numbering (issue 14): 1.1 the education office's points a)–f), 1.2–1.10 the others
                    "1.1. Phòng Giáo dục và Đào tạo",
                    "a) Công tác phổ cập giáo dục, xóa mù chữ",
                    "b) Đóng góp phong trào xây dựng nông thôn mới",
                    "d) Hoạt động của các Trung tâm học tập cộng đồng",
                    "e) Công tác kiểm tra, đánh giá cộng đồng học tập cấp xã",
                    "f) Công tác tổ chức Tuần lễ hưởng ứng học tập suốt đời",
                    "1.2. Phòng Nội vụ", "1.3. Phòng Lao động - Thương binh và Xã hội",
                    "a) Đào tạo nghề cho lao động nông thôn",
                    "1.5. Đoàn Thanh niên", "1.6. Hội Liên hiệp phụ nữ", "1.10. Liên đoàn Lao động",
                    "2. Ưu điểm và tồn tại, hạn chế", "a) Ưu điểm", "b) Tồn tại, hạn chế", "3. Nguyên nhân", "4. Bài học kinh nghiệm",
                    "IV. ĐỊNH HƯỚNG, MỤC TIÊU, GIẢI PHÁP TRIỂN KHAI NHIỆM VỤ XÂY DỰNG XÃ HỘI HỌC TẬP GIAI ĐOẠN 2021-2025",
                    "V. KIẾN NGHỊ, ĐỀ XUẤT", "PHỤ LỤC"]:
        assert heading in texts, heading
    heading = doc.paragraphs[texts.index("V. KIẾN NGHỊ, ĐỀ XUẤT")]
    assert all(r.bold for r in heading.runs)
    # Nơi nhận: 12 pt bold italic label, 11 pt list; signature block with its authority lines.
    block = [t for t in doc.tables if t.rows[0].cells[0].paragraphs and t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"][0]
    left, right = block.rows[0].cells
    label = left.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size == Pt(12)
    items = [p for p in left.paragraphs[1:] if p.text]
    assert items[0].text == "- Sở GD&ĐT Cao Bằng (ĐTBD);" and items[-1].text == "- Lưu: VT, GD&ĐT."
    assert len(items) == 8 and all(p.runs[0].font.size == Pt(11) for p in items)
    sign = [p.text for p in right.paragraphs if p.text]
    assert sign == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đàm Thế Trang"]


def test_docx_figures_from_foundation_and_store(generated: dict[str, Path]) -> None:
    doc = Document(str(generated[".docx"]))
    text = _all_text(doc)
    # Foundation: steering committee, documents register, organisations, units.
    assert "Quyết định số 738/QĐ-UBND ngày 10 tháng 4 năm 2014" in text and "gồm 12 thành viên" in text
    assert "Kế hoạch số 33/KH-UBND ngày 09 tháng 5 năm 2014" in text
    documents = _rows(_table_with(doc, "Số, ký hiệu"))
    assert documents[1][1] == "738/QĐ-UBND" and documents[-1][1] == "120/KH-UBND" and len(documents) == 10
    assert "Tổng số TTHTCĐ: 21; tỷ lệ TTHTCĐ/đơn vị cấp xã: 21/21." in text
    # Budget (store, summed over the years of the phase).
    assert "(từ ngân sách nhà nước, kinh phí do xã hội hóa, kinh phí do học viên tự nguyện đóng góp,...): 40.552.000 đ." in text
    assert "+ Kinh phí hoạt động thường xuyên: 25.000.000 đ" in text and "+ Kinh phí chi phụ cấp kiêm nhiệm: 15.552.000 đ" in text
    # Literacy (store): counts and rates recomputed from the counts, with a header row repeated on each page.
    literacy = _table_with(doc, "Dân số trong độ tuổi")
    assert _rows(literacy)[1:] == [["15-25", "7.916", "7.844", "99,09%", "7.817", "98,75%"],
                                   ["15-35", "20.126", "19.925", "99,00%", "19.776", "98,26%"],
                                   ["15-60", "39.564", "39.127", "98,90%", "38.091", "96,28%"]]
    assert literacy.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert literacy._tbl.tblPr.find(qn("w:tblBorders"))[0].get(qn("w:val")) == "single"
    # CLC activity per school year.
    clc = _rows(_table_with(doc, "Số chuyên đề"))
    assert clc[1:] == [["2016-2017", "187", "167", "8.247", ""], ["2017-2018", "190", "170", "10.940", ""],
                       ["2018-2019", "179", "152", "10.420", ""], ["2019-2020", "108", "97", "7.965", ""]]
    # Commune learning-community classification (xhht.learning_models), rates over the 21 communes as the
    # seed's (2017: the one pilot commune, 1/21).
    lc = _rows(_table_with(doc, "Trung bình"))
    assert lc[1][:9] == ["2017", "0", "0,00%", "0", "0,00%", "1", "4,76%", "0", "0,00%"]
    assert lc[1][9] == "01 xã đánh giá (thí điểm); 1/21 xã được đánh giá"
    assert lc[2][:9] == ["2018", "0", "0,00%", "14", "66,67%", "4", "19,05%", "3", "14,29%"]
    assert lc[3][:9] == ["2019", "4", "19,05%", "11", "52,38%", "4", "19,05%", "2", "9,52%"]
    # Vocational training 2010–2019 with its "Cộng" row (125 classes, 3.358 learners, 3.204, 546, 65, 0).
    voc = _rows(_table_with(doc, "Số người học"))
    assert voc[1][:7] == ["2010", "8", "228", "215", "26", "13", "0"]
    assert voc[-2][:7] == ["2019", "5", "170", "167", "", "", ""]  # the seed's blanks: not reported, not 0, never "…" (issue 14)
    assert voc[-1][:7] == ["Cộng", "125", "3.358", "3.204", "546", "65", "0"]
    # Lifelong learning week, communication and commendations come from the activity registers now.
    assert "chưa được triển khai" not in text
    # The week's figures are the education office's, approximate ones with their qualifier (issue 14: not 24.200).
    assert ("- Kết quả đạt được giai đoạn 2016-2020: số lượng người tham gia trên 24.000 người, số lượng đại biểu 248 người, "
            "số đầu sách thu được trên 23.000 quyển, số băng rôn, khẩu hiệu đã treo 315.") in text
    assert "(2012-2020): 525, gồm 473 tin, 46 bài, 6 phóng sự." in text
    assert "- Khen thưởng về thành tích xây dựng xã hội học tập trong giai đoạn 2016-2020: 3 lượt (2 xã, thị trấn, 1 cá nhân)." in text
    # Literacy and universal-education standards, from the levels xhht.literacy computed per commune.
    for line in ["+ 21/21 xã, thị trấn đạt chuẩn xóa mù chữ mức độ 2 (năm 2019).",
                 "+ Huyện Hòa An đạt chuẩn xóa mù chữ mức độ 2 (năm 2019).",
                 "+ 21/21 xã, thị trấn đạt chuẩn phổ cập giáo dục tiểu học mức độ 3 (năm 2019).",
                 "+ 21/21 xã, thị trấn đạt chuẩn phổ cập giáo dục trung học cơ sở mức độ 2 (năm 2019)."]:
        assert line in text, line
    # Each organisation's results are sentences from its periodic report (xhht.reporting), no workflow state (issue 14).
    assert "Huyện Đoàn đã tặng sách, tủ sách cho 4 thư viện tại 4 trường học" in text
    assert "đã duyệt" not in text and "chưa có báo cáo định kỳ" not in text
    # The appendix is the indicator app's table (the seed's PHỤ LỤC), in the landscape section.
    appendix = _rows(_table_with(doc, "CHỈ TIÊU"))
    assert appendix[1][3:13:2] == ["2016", "2017", "2018", "2019", "2020"]
    row = next(r for r in appendix if r[1] == "Số người trong độ tuổi từ 15-25 biết chữ")
    assert row[:13] == ["1", "Số người trong độ tuổi từ 15-25 biết chữ", "97", "8.182", "99,48", "9.673", "99,69",
                        "8.948", "99,03", "8.415", "98,88", "7.817", "98,75"]
    row = next(r for r in appendix if r[1] == "Số người trong độ tuổi từ 36-60 biết chữ")
    assert row[3:13] == ["14.704", "98,10", "7.809", "95,77", "7.723", "97,67", "18.113", "94,06", "18.315", "94,22"]
    # District report: a table by commune, whose total row comes from the same data.
    by_unit = _rows(_table_with(doc, "Đơn vị"))
    assert len(by_unit) == 1 + 21 + 1 and by_unit[-1][1] == "Cộng" and by_unit[-1][2] == "19.925"


def test_docx_appendix_header_is_merged_as_in_the_seed(generated: dict[str, Path]) -> None:
    doc = Document(str(generated[".docx"]))
    table = _table_with(doc, "THỰC HIỆN TỪNG NĂM")
    first_row = table.rows[0]._tr
    spans = {}
    for tc in first_row.tc_lst:
        text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
        span = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
        spans[text] = int(span.get(qn("w:val"))) if span is not None else 1
    assert spans["THỰC HIỆN TỪNG NĂM (số lượng và tỷ lệ %)"] == 10  # five years, count and rate each
    year_row = table.rows[1]._tr
    year_spans = [int(tc.tcPr.find(qn("w:gridSpan")).get(qn("w:val"))) for tc in year_row.tc_lst
                  if "".join(t.text or "" for t in tc.iter(qn("w:t"))) in {"2016", "2017", "2018", "2019", "2020"}]
    assert year_spans == [2, 2, 2, 2, 2]
    # TT and CHỈ TIÊU run down both header rows.
    assert first_row.tc_lst[0].tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "restart"


def test_xlsx_appendix(generated: dict[str, Path]) -> None:
    wb = load_workbook(generated[".xlsx"])
    # The indicator app's appendix workbook (the seed's PHỤ LỤC layout), then the report's own sheets.
    assert wb.sheetnames == ["Phụ lục", "Đánh giá mục tiêu", "Bảng số liệu", "Nguồn số liệu"]
    ws = wb["Phụ lục"]
    assert ws["A1"].value == "PHỤ LỤC"
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r and r[1]}
    years = next(r for r in ws.iter_rows(values_only=True) if r and r[3] == 2016)
    assert [years[c] for c in (3, 5, 7, 9, 11)] == [2016, 2017, 2018, 2019, 2020]
    row = rows["Số người trong độ tuổi từ 15-25 biết chữ"]
    assert row[3:13] == (8182, 99.48, 9673, 99.69, 8948, 99.03, 8415, 98.88, 7817, 98.75)
    assert rows["Số người trong độ tuổi từ 26-35 biết chữ"][11:13] == (11959, 97.94)
    tables = wb["Bảng số liệu"]
    flat = [c for row in tables.iter_rows(values_only=True) for c in row if c is not None]
    assert 3358 in flat and 3204 in flat and 7965 in flat and 8247 in flat
    sources = list(wb["Nguồn số liệu"].iter_rows(values_only=True))
    assert sources[0][0] == "Phần tử dữ liệu" and len(sources) > 50
    # The district's 228 learners of 2010 are the communes' classes, each value computed from the register.
    from xhht.indicators.labels import element_label, rule_label

    learners_2010 = [r for r in sources[1:] if r[0] == element_label("vocational_learners") and r[3] == "2010" and not r[4]]
    assert sum(r[5] for r in learners_2010) == 228 and {r[7] for r in learners_2010} == {rule_label("activities.vocational_learners")}
    # A person reads names and Vietnamese times there, not the store's codes (issue 15).
    assert "vocational_learners" not in {r[0] for r in sources[1:]} and not any("T" in str(r[9]) for r in sources[1:])
    assert "Sổ" in rule_label("activities.vocational_learners") or "sổ" in rule_label("activities.vocational_learners")


EXPECTED_PAGES = 17  # 16 portrait pages of report (issue 14: every contributor's section, as the seed) + 1 landscape page of the indicator appendix (merged two-row header, 9 pt), from the apps' demos


def test_pdf_pages_have_text_and_render(generated: dict[str, Path], tmp_path: Path) -> None:
    pdf = generated[".pdf"]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == EXPECTED_PAGES
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    texts = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
             for n in range(1, pages + 1)]
    appendix = next(n for n, text in enumerate(texts, 1) if "PHỤ LỤC" in text)
    for n, text in enumerate(texts, 1):
        assert len(text.split()) > 20, f"page {n} has no text"
        # The report's pages from 2 on; the appendix numbered on its own from 1 (Nghị định 30, Phụ lục I, III.1).
        want = n if n < appendix else n - appendix + 1
        if n > 1:
            assert text.strip().startswith(str(want)), f"page {n} should show the page number {want} at the top"
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "Số: 298/BC-UBND" in first and "Hòa An, ngày 09 tháng 9 năm 2020" in first
    sizes = subprocess.run(["pdfinfo", "-f", "1", "-l", str(pages), str(pdf)], capture_output=True, text=True, check=True).stdout
    orientation = ["landscape" if float(line.split()[3]) > float(line.split()[5]) else "portrait" for line in sizes.splitlines() if line.startswith("Page") and " size:" in line]
    assert orientation[0] == "portrait" and orientation[-1] == "landscape"
    last = subprocess.run(["pdftotext", "-f", str(pages), "-l", str(pages), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Đàm Thế Trang" not in last  # the signature is on the portrait part, the appendix after it


def test_trace_annex_and_the_other_kinds(official_reports_demo: None, apps_demo: None, district_officer: Any, tmp_path: Path) -> None:
    from xhht.official_reports.models import Report
    from xhht.official_reports.services import report_create, report_generate, report_update
    from xhht.official_reports.render import report_render
    from xhht.units.models import Unit

    report = Report.objects.get(unit_id="051", number="298/BC-UBND")
    report_update(actor=district_officer, report=report, trace_annex=True)
    files = report_generate(report=report, out_dir=tmp_path / "annex", pdf=False)
    doc = Document(str(files.docx))
    assert "PHỤ LỤC NGUỒN SỐ LIỆU" in [p.text for p in doc.paragraphs]
    annex = _rows(_table_with(doc, "Phần tử dữ liệu"))
    from xhht.indicators.labels import element_label, rule_label

    learners_2010 = [r for r in annex if r[1] == element_label("vocational_learners") and r[3] == "2010" and not r[4]]
    assert sum(int(r[5].replace(".", "")) for r in learners_2010) == 228
    assert all(r[2].startswith(("xã ", "thị trấn ")) and r[7] == rule_label("activities.vocational_learners") for r in learners_2010)
    # Half-year and annual reports of a commune: same engine, same layout, their own headings.
    for period, kind, heading in (("2020-H1", "half-year", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2020"),
                                  ("2019", "annual", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2020")):
        r = report_create(actor=district_officer, unit=Unit.objects.get(code="05115"), period=period, kind=kind)
        out = report_generate(report=r, out_dir=tmp_path / kind, pdf=False)
        texts = [p.text for p in Document(str(out.docx)).paragraphs]
        assert heading in texts
        # Nam Tuấn kept no lifelong learning week of its own: the draft on screen says so plainly (notices), the
        # official text has no such system note and no "…" (issue 14: missing inputs go to the pre-issue checklist).
        label = {"2020-H1": "6 tháng đầu năm 2020", "2019": "năm 2019"}[period]
        assert not any(t.startswith("Chưa có dữ liệu") for t in texts) and not any("…" in t for t in texts)
        notices = [n for s in report_render(r).sections for n in s.notices]
        assert f"Chưa có dữ liệu: chưa có số liệu «Tuần lễ hưởng ứng học tập suốt đời» của xã Nam Tuấn cho {label}." in notices
        if period == "2019":  # its own class of the year (xhht.learning_models), not the district's table
            assert "- Năm 2019: xã Nam Tuấn được đánh giá, xếp loại “Tốt” (1 xã)." in texts
        # Its appendix is the indicator table of the commune.
        assert "PHỤ LỤC" in texts and any("CHỈ TIÊU" in c.text for t in Document(str(out.docx)).tables for c in t.rows[0].cells)

