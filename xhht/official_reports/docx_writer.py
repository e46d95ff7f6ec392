"""The .docx in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I (sizes from catalogue/format.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from xhht.core.formatting import format_decimal
from xhht.indicators.labels import disaggregation_label, element_label, moment_label, rule_label
from xhht.official_reports.catalogue import document_format
from xhht.official_reports.placeholders import Run
from xhht.official_reports.render import RenderedReport, RenderedTable

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def place_date_line(place: str, day: Any) -> str:
    """ "Hòa An, ngày 09 tháng 9 năm 2020": days below 10 and the months 1 and 2 take a leading zero (NĐ 30/2020, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


class Layout:
    def __init__(self, fmt: dict[str, Any] | None = None) -> None:
        self.fmt = fmt or document_format()
        self.font = self.fmt["font"]["name"]

    def size(self, element: str) -> Pt:
        return Pt(self.fmt["elements"][element]["size"]["use"])

    def style(self, element: str) -> dict[str, Any]:
        return dict(self.fmt["elements"][element])

    def margin(self, side: str) -> Mm:
        return Mm(self.fmt["margins_mm"][side]["use"])


def _set_font(run: Any, name: str, size: Pt, bold: bool = False, italic: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    run.font.italic = italic
    element = run._element if hasattr(run, "_element") else run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _tight(paragraph: Paragraph, after: float = 0, before: float = 0, line: float = 1.0) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = line


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cant_split(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _rule_below(paragraph: Paragraph, indent_mm: float) -> None:
    """A short solid line under a centred line, as the decree draws under the issuing body and the
    motto: the paragraph's bottom border, its length set by equal indents on both sides."""
    p_pr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    bdr.append(bottom)
    p_pr.append(bdr)
    paragraph.paragraph_format.left_indent = Mm(indent_mm)
    paragraph.paragraph_format.right_indent = Mm(indent_mm)


def _merge_header(table: Table, header_rows: list[list[list[Run]]]) -> None:
    """Merge a two-row header as the seed's PHỤ LỤC draws it: a title over its year columns, each year
    over its count and rate, and a column title with nothing below it down both rows. Empty strings in
    the header mark the cells a span covers."""
    if len(header_rows) != 2:
        return
    text = [["".join(r.text for r in cell).strip() for cell in row] for row in header_rows]
    top, below = text
    cols = min(len(top), len(below))
    for j in range(cols):
        if top[j] and not below[j]:
            table.cell(0, j).merge(table.cell(1, j))
    for r, row in enumerate(text):
        j = 0
        while j < cols:
            end = j + 1
            # Row 0 spans over the empty cells after a title; row 1 over cells empty in both rows.
            while end < cols and not row[end] and (r == 0 or not top[end]):
                end += 1
            if row[j] and end - 1 > j:
                table.cell(r, j).merge(table.cell(r, end - 1))
            j = end


def _narrow_cell_margins(table: Table, mm: float = 0.8) -> None:
    """Left and right cell margins of ``mm``: a wide table of figures keeps each figure on one line."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(mm / 25.4 * 1440)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)


def _widths(table: Table, widths_mm: list[float]) -> None:
    """Fixed column widths that both Word and LibreOffice respect (grid, cells and layout)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for col, width in zip(table.columns, widths_mm):
        col.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)


def _page_number_field(paragraph: Paragraph, layout: Layout) -> None:
    run = paragraph.add_run()
    _set_font(run, layout.font, layout.size("page_number"))
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)


# First lines that begin the issuing body's own name rather than name a managing body (Phụ lục I, the name of an
# elected body's committee: "ỦY BAN NHÂN DÂN" + "HUYỆN HÒA AN", "HỘI ĐỒNG NHÂN DÂN" + "XÃ …").
OWN_NAME_FIRST_LINES = {"ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN"}


class DocxWriter:
    def __init__(self, rendered: RenderedReport, layout: Layout | None = None) -> None:
        self.r = rendered
        self.layout = layout or Layout()
        self.doc = Document()

    # -- helpers --------------------------------------------------------------------------------
    def para(self, text: str | list[Run] = "", element: str = "body", *, align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
             bold: bool | None = None, italic: bool | None = None, indent: bool = False, container: Any = None,
             after: float | None = None, before: float = 0) -> Paragraph:
        target = container if container is not None else self.doc
        p = target.add_paragraph()
        p.alignment = align
        style = self.layout.style(element)
        pfmt = self.layout.fmt["paragraph"]
        _tight(p, after=pfmt["space_after_pt"]["use"] if after is None else after, before=before,
               line=pfmt["line_spacing"]["use"] if element == "body" else 1.0)
        if indent:
            p.paragraph_format.first_line_indent = Mm(pfmt["first_line_indent_mm"]["use"])
        runs = [Run(text)] if isinstance(text, str) else text
        for item in runs:
            if not item.text:
                continue
            run = p.add_run(item.text)
            _set_font(run, self.layout.font, self.layout.size(element),
                      bold=style["bold"] if bold is None else bold, italic=style["italic"] if italic is None else italic)
        return p

    def rule(self, container: Any, indent_mm: float) -> Paragraph:
        """An empty, tiny paragraph whose bottom border draws the short line under a header item."""
        target = container if container is not None else self.doc
        p = target.add_paragraph()
        _tight(p, after=6)
        run = p.add_run("")
        _set_font(run, self.layout.font, Pt(2))
        p.paragraph_format.line_spacing = Pt(3)
        _rule_below(p, indent_mm)
        return p

    def setup_section(self, section: Any, landscape: bool = False) -> None:
        fmt = self.layout.fmt
        w, h = Mm(fmt["page"]["width_mm"]), Mm(fmt["page"]["height_mm"])
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (h, w) if landscape else (w, h)
        section.top_margin = self.layout.margin("top")
        section.bottom_margin = self.layout.margin("bottom")
        section.left_margin = self.layout.margin("left")
        section.right_margin = self.layout.margin("right")
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)

    # -- the parts ------------------------------------------------------------------------------
    def header_block(self) -> None:
        report = self.r.report
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _no_borders(table)
        _widths(table, [70, 100])
        left, right = table.rows[0].cells
        left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
        right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
        center = WD_ALIGN_PARAGRAPH.CENTER
        # Nghị định 30/2020, Phụ lục I: the issuing body's name is bold, its managing body's name above it is not.
        # "ỦY BAN NHÂN DÂN / HUYỆN HÒA AN" is one name on two lines (the People's Committee has no managing body
        # line), so both lines are bold (docs/official_reports.md, "Decree 30 in the details").
        own_name = report.issuing_body_superior.strip().upper() in OWN_NAME_FIRST_LINES
        self.para(report.issuing_body_superior.upper(), "issuing_body_superior", align=center, container=left, after=0,
                  bold=True if own_name else None)
        self.para(report.issuing_body.upper(), "issuing_body", align=center, container=left, after=0)
        # The line under the issuing body: a third to a half of the line above it.
        self.rule(left, 22)
        self.para(f"Số: {report.number}", "number", align=center, container=left, after=0, before=6)
        self.para(NATIONAL_NAME, "national_name", align=center, container=right, after=0)
        self.para(MOTTO, "motto", align=center, container=right, after=0)
        # The line under the motto: as long as the motto.
        self.rule(right, 19)
        self.para(place_date_line(report.place, report.report_date),
                  "place_date", align=center, container=right, after=0, before=6)

    def title_block(self) -> None:
        center = WD_ALIGN_PARAGRAPH.CENTER
        self.para(self.r.title.upper(), "doc_kind", align=center, before=12, after=0)
        self.para(self.r.abstract, "abstract", align=center, after=0)
        self.rule(None, 62)

    def table(self, rendered: RenderedTable, width_mm: float, size: str = "table") -> None:
        if rendered.title:
            self.para(rendered.title, "table", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, after=3)
        cols = max(len(r) for r in rendered.header_rows + rendered.rows)
        table = self.doc.add_table(rows=0, cols=cols)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _borders(table)
        # Column widths in proportion to the longest word-run of each column (text columns wider).
        weights = []
        for j in range(cols):
            body = ["".join(r.text for r in row[j]) for row in rendered.rows if j < len(row)]
            words = [w for row in rendered.header_rows if j < len(row) for w in "".join(r.text for r in row[j]).split()]
            longest = max([len(t) for t in body] + [len(w) + 1 for w in words] + [7])
            weights.append(min(longest, 30))
        total = sum(weights)
        total_from = len(rendered.rows) - rendered.total_rows
        for row_runs in rendered.header_rows:
            row = table.add_row()
            _repeat_header(row)
            _cant_split(row)
            for cell, runs in zip(row.cells, row_runs):
                self.cell(cell, runs, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=size)
        _merge_header(table, rendered.header_rows)
        if size != "table":
            _narrow_cell_margins(table)
        for i, row_runs in enumerate(rendered.rows):
            row = table.add_row()
            _cant_split(row)
            for j, (cell, runs) in enumerate(zip(row.cells, row_runs)):  # noqa: B007
                text = "".join(r.text for r in runs)
                if any(r.figure for r in runs):
                    align = WD_ALIGN_PARAGRAPH.RIGHT
                elif len(text) > 12 or (j == 0 and rendered.first_column_left):
                    align = WD_ALIGN_PARAGRAPH.LEFT
                else:
                    align = WD_ALIGN_PARAGRAPH.CENTER
                self.cell(cell, runs, bold=i >= total_from, align=align, size=size)
        _widths(table, [width_mm * w / total for w in weights])
        self.para("", after=0)

    def cell(self, cell: _Cell, runs: list[Run], *, bold: bool, align: Any, size: str = "table") -> None:
        p = cell.paragraphs[0]
        p.alignment = align
        _tight(p)
        for item in runs:
            if item.figure is not None and item.figure.missing:
                continue  # an empty cell, as the seed leaves one, never "…"
            if item.text:
                run = p.add_run(item.text)
                _set_font(run, self.layout.font, self.layout.size(size), bold=bold)

    def sections(self) -> None:
        for section in self.r.sections:
            heading_runs = [Run(f"{section.number} "), *section.heading]
            self.para(heading_runs, "heading", indent=True, before=6 if section.level == 1 else 0)
            # The official text has no gaps: a paragraph with a missing figure is left out (the pre-issue
            # checklist lists it), and the notices about missing data are for the screen, not the document.
            for paragraph in section.paragraphs:
                if any(r.figure is not None and r.figure.missing for r in paragraph):
                    continue
                self.para(paragraph, indent=True)
            for table in section.tables:
                self.table(table, 165)

    def recipients_and_signature(self) -> None:
        report = self.r.report
        table = self.doc.add_table(rows=1, cols=2)
        _no_borders(table)
        _widths(table, [85, 80])
        _cant_split(table.rows[0])  # "Nơi nhận" and the signature stay together, never a name alone on a page
        left, right = table.rows[0].cells
        for cell in (left, right):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
        self.para("Nơi nhận:", "recipients_label", align=WD_ALIGN_PARAGRAPH.LEFT, container=left, after=0)
        for line in report.recipient_lines:
            self.para(f"- {line.lstrip('- ')}", "recipients", align=WD_ALIGN_PARAGRAPH.LEFT, container=left, after=0)
        for line in report.authority_lines or [""]:
            self.para(line.upper(), "signer_authority", align=WD_ALIGN_PARAGRAPH.CENTER, container=right, after=0)
        for _ in range(4):
            self.para("", "signer_name", align=WD_ALIGN_PARAGRAPH.CENTER, container=right, after=0)
        self.para(report.signer_name, "signer_name", align=WD_ALIGN_PARAGRAPH.CENTER, container=right, after=0)

    def number_pages(self, section: Any, restart: bool = False) -> None:
        """A landscape section gets its own header with the page number (LibreOffice does not carry a linked one over).
        ``restart``: the appendix is numbered on its own from 1 (Phụ lục I, III.1: each appendix has its own page numbers)."""
        section.different_first_page_header_footer = False
        section.header.is_linked_to_previous = False
        if restart:
            pg = section._sectPr.find(qn("w:pgNumType"))
            if pg is None:
                pg = OxmlElement("w:pgNumType")
                section._sectPr.append(pg)
            pg.set(qn("w:start"), "1")
        p = section.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_number_field(p, self.layout)

    def page_numbers(self) -> None:
        first = self.doc.sections[0]
        first.different_first_page_header_footer = True
        header_p = first.header.paragraphs[0]
        header_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_number_field(header_p, self.layout)

    def appendix(self) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self.setup_section(section, landscape=True)
        self.number_pages(section, restart=True)
        center = WD_ALIGN_PARAGRAPH.CENTER
        self.para(self.r.appendix_title, "appendix_title", align=center, after=0)
        self.para(self.r.appendix_subtitle, "appendix_title", align=center, after=3)
        self.para(f"(Kèm theo Báo cáo số {self.r.report.number} ngày {self.r.report.report_date:%d/%m/%Y} của Ủy ban nhân dân {self.r.report.unit.full_name})",
                  "body", align=center, italic=True, after=6)
        for table in self.r.appendix_tables:
            self.table(table, 247, size="appendix_table")

    def trace_annex(self) -> None:
        if not self.r.report.trace_annex:
            return
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self.setup_section(section, landscape=True)
        self.number_pages(section)
        center = WD_ALIGN_PARAGRAPH.CENTER
        self.para("PHỤ LỤC NGUỒN SỐ LIỆU", "appendix_title", align=center, after=0)
        self.para("(Các giá trị trong kho số liệu đã dùng để tính các số liệu của báo cáo)", "body", align=center, italic=True)
        header = ["TT", "Phần tử dữ liệu", "Đơn vị", "Kỳ", "Phân tổ", "Giá trị", "Nguồn", "Quy tắc, tệp nguồn", "Người cập nhật, thời điểm"]
        rows = []
        for i, v in enumerate(sorted(self.r.values_used.values(), key=lambda v: (v["element"], v["unit_code"], v["period"], v["disaggregation"])), 1):
            rows.append([str(i), element_label(v["element"]), v["unit_name"], v["period"], disaggregation_label(v["disaggregation"]),
                         format_decimal(v["value"]), v["source_label"], rule_label(v["rule"]), f"{v['updated_by']} {moment_label(v['updated_at'])}".strip()])
        table = RenderedTable(title=[], header_rows=[[[Run(h)] for h in header]], rows=[[[Run(c)] for c in row] for row in rows])
        self.table(table, 247)

    def write(self, path: Path) -> Path:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = self.layout.font
        normal.font.size = self.layout.size("body")
        _set_font(normal, self.layout.font, self.layout.size("body"))
        self.setup_section(self.doc.sections[0])
        self.header_block()
        self.title_block()
        for paragraph in self.r.intro:
            self.para(paragraph, indent=True)
        self.sections()
        closing = self.para(self.r.closing, indent=True)
        # The signature block stays on the page of the last paragraph: the closing paragraph keeps with the next
        # (the recipients-and-signature table, whose single row cannot split).
        closing.paragraph_format.keep_with_next = True
        self.recipients_and_signature()
        self.page_numbers()
        self.appendix()
        self.trace_annex()
        # Document properties: the author is the issuing body, the title the abstract (trích yếu).
        report = self.r.report
        self.doc.core_properties.author = f"{report.issuing_body_superior} {report.issuing_body}".strip()
        self.doc.core_properties.title = "".join(r.text for r in self.r.abstract) or f"{self.r.title} {report.number}"
        self.doc.core_properties.subject = f"{self.r.title} số {report.number}"
        self.doc.core_properties.language = "vi-VN"
        self.doc.save(str(path))
        return path


def write_docx(rendered: RenderedReport, path: Path) -> Path:
    return DocxWriter(rendered).write(path)
