"""Build the default Word templates of hoctap/documents/templates_docx/ (Nghị định 30/2020/NĐ-CP layout).

The templates are ordinary .docx files carrying docxtpl (Jinja) tags, so an administrator can open one in
Word, change fonts, spacing or fixed wording, and upload it back. Run after changing this script:

    .venv/bin/python scripts/build_docx_templates.py
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "hoctap" / "documents" / "templates_docx"
DOC_TYPES = ("qd", "ttr", "bc", "bb", "kh", "tb")
FONT = "Times New Roman"
LEFT_COL_CM = 5.9
RIGHT_COL_CM = 10.6
CELL_MARGIN_TWIPS = "57"  # 1 mm, so the Quốc hiệu fits on one line
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _para(
    container: object,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 14,
    align: int | None = None,
    indent_cm: float = 0,
    after_pt: float = 0,
    before_pt: float = 0,
) -> Paragraph:
    paragraph: Paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(after_pt)
    fmt.space_before = Pt(before_pt)
    if align is not None:
        paragraph.alignment = align  # type: ignore[assignment]
    if indent_cm:
        fmt.first_line_indent = Cm(indent_cm)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        run.italic = italic
        run.font.size = Pt(size)
    return paragraph


def _tag(container: object, tag: str) -> None:
    """A paragraph holding only a docxtpl ``{%p ... %}`` tag (removed when rendered)."""
    _para(container, tag, size=10)


def _rule(container: object, *, width_cm: float, box_cm: float) -> None:
    """A short solid line, centred in a box ``box_cm`` wide (a bordered, indented empty paragraph)."""
    paragraph = _para(container, size=2)
    side = Cm(max((box_cm - width_cm) / 2, 0))
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.line_spacing = Pt(2)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    p_pr.append(borders)


def _set_borders(table: object, value: str) -> None:
    tbl_pr = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)


def _narrow_cell_margins(table: object) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), CELL_MARGIN_TWIPS)
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)  # type: ignore[attr-defined]


def _clear(cell: _Cell) -> _Cell:
    for paragraph in list(cell.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    return cell


def _column_widths(table: object, widths_cm: tuple[float, ...]) -> None:
    """Fix the grid and every cell to ``widths_cm`` (Word reads the cells, LibreOffice the grid)."""
    table.autofit = False  # type: ignore[attr-defined]
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):  # type: ignore[attr-defined]
        grid_col.w = Cm(width)
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _setup_styles(document: object) -> None:
    style = document.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = FONT
    style.font.size = Pt(14)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0


def _setup_section(section: object, *, page_number: bool) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)  # type: ignore[attr-defined]
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)  # type: ignore[attr-defined]
    section.left_margin, section.right_margin = Mm(30), Mm(15)  # type: ignore[attr-defined]
    section.header_distance, section.footer_distance = Mm(10), Mm(10)  # type: ignore[attr-defined]
    if not page_number:
        return
    # ND30: page numbers centred in the top margin, not shown on the first page.
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    header = section.header  # type: ignore[attr-defined]
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "28")
    r_pr.append(size)
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(r_pr)
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    section.first_page_header.is_linked_to_previous = False  # type: ignore[attr-defined]


def _national_header(document: object) -> None:
    table = document.add_table(rows=2, cols=2)  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_borders(table, "nil")
    _narrow_cell_margins(table)
    left, right = _clear(table.cell(0, 0)), _clear(table.cell(0, 1))
    _tag(left, "{%p if parent_body %}")
    _para(left, "{{ parent_body }}", size=13, align=CENTER)
    _tag(left, "{%p endif %}")
    _para(left, "{{ issuing_body }}", bold=True, size=13, align=CENTER)
    _rule(left, width_cm=2.2, box_cm=LEFT_COL_CM)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13, align=CENTER)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14, align=CENTER)
    _rule(right, width_cm=6.1, box_cm=RIGHT_COL_CM)
    number, place = _clear(table.cell(1, 0)), _clear(table.cell(1, 1))
    _para(number, "{{ number_line }}", size=13, align=CENTER, before_pt=6)
    _para(place, "{{ place_date }}", italic=True, size=14, align=CENTER, before_pt=6)
    _column_widths(table, (LEFT_COL_CM, RIGHT_COL_CM))


def _title_block(document: object) -> None:
    _para(document, "{{ title }}", bold=True, size=14, align=CENTER, before_pt=18)
    _para(document, "{{ summary }}", bold=True, size=14, align=CENTER)
    _rule(document, width_cm=3.5, box_cm=16.5)
    _tag(document, "{%p if addressees %}")
    _para(document, "Kính gửi: {{ addressees }}", size=14, align=CENTER, before_pt=6)
    _tag(document, "{%p endif %}")
    _tag(document, "{%p if authority_heading %}")
    _para(document, "{{ authority_heading }}", bold=True, size=14, align=CENTER, before_pt=12, after_pt=6)
    _tag(document, "{%p endif %}")
    _para(document, "", size=6, after_pt=6)


def _body(document: object) -> None:
    _tag(document, "{%p for line in basis %}")
    _para(document, "{{ line }}", italic=True, align=JUSTIFY, indent_cm=1.27, after_pt=6)
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p if enacting_word %}")
    _para(document, "{{ enacting_word }}", bold=True, align=CENTER, before_pt=6, after_pt=6)
    _tag(document, "{%p endif %}")
    _tag(document, "{%p for para in paragraphs %}")
    _tag(document, "{%p if para.heading %}")
    _para(document, "{{ para.text }}", bold=True, align=JUSTIFY, indent_cm=1.27, after_pt=6)
    _tag(document, "{%p else %}")
    _para(document, "{{ para.text }}", align=JUSTIFY, indent_cm=1.27, after_pt=6)
    _tag(document, "{%p endif %}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p for article in articles %}")
    paragraph = _para(
        document, "Điều {{ loop.index }}. ", bold=True, align=JUSTIFY, indent_cm=1.27, after_pt=6
    )
    run = paragraph.add_run("{{ article.text }}")
    run.font.size = Pt(14)
    _tag(document, "{%p for extra in article.paragraphs %}")
    _para(document, "{{ extra }}", align=JUSTIFY, indent_cm=1.27, after_pt=6)
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endfor %}")


def _signature_lines(cell: _Cell, name: str) -> None:
    _tag(cell, f"{{%p for line in {name}.lines %}}")
    _para(cell, "{{ line }}", bold=True, size=14, align=CENTER)
    _tag(cell, "{%p endfor %}")
    _tag(cell, f"{{%p for _ in range({name}.seal_lines) %}}")
    _para(cell, "", size=14)
    _tag(cell, "{%p endfor %}")
    _para(cell, f"{{{{ {name}.signer_name }}}}", bold=True, size=14, align=CENTER)


def _signature_table(document: object) -> None:
    table = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    table.autofit = False
    _set_borders(table, "nil")
    left, right = _clear(table.cell(0, 0)), _clear(table.cell(0, 1))
    _tag(left, "{%p if co_signature %}")
    _signature_lines(left, "co_signature")
    _tag(left, "{%p elif recipients %}")
    _para(left, "Nơi nhận:", bold=True, italic=True, size=12)
    _tag(left, "{%p for recipient in recipients %}")
    _para(left, "{{ recipient }}", size=11)
    _tag(left, "{%p endfor %}")
    _tag(left, "{%p endif %}")
    _para(left, "", size=11)
    _signature_lines(right, "signature")
    _column_widths(table, (7.5, 9.0))


def _attachment(document: object) -> None:
    """The attached list, in its own section (turned landscape at render time when asked)."""
    _tag(document, "{%p if attachment %}")
    document.add_section(WD_SECTION.NEW_PAGE)  # type: ignore[attr-defined]
    _para(document, "{{ attachment.title }}", bold=True, align=CENTER)
    _para(document, "{{ attachment.subtitle }}", italic=True, size=13, align=CENTER)
    _rule(document, width_cm=3.5, box_cm=16.5)
    _para(document, "", size=6)
    table = document.add_table(rows=4, cols=3)  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_borders(table, "single")
    head = table.rows[0]
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on every page
    cells = [[_clear(cell) for cell in row.cells] for row in table.rows]
    _para(cells[0][0], "{%tc for column in attachment.columns %}", size=12)
    _para(cells[0][1], "{{ column.title }}", bold=True, size=12, align=CENTER)
    _para(cells[0][2], "{%tc endfor %}", size=12)
    _para(cells[1][0], "{%tr for row in attachment.rows %}", size=12)
    _para(cells[2][0], "{%tc for value in row %}", size=12)
    _para(cells[2][1], "{{ value }}", size=12)
    _para(cells[2][2], "{%tc endfor %}", size=12)
    _para(cells[3][0], "{%tr endfor %}", size=12)
    for row_cells in (cells[1], cells[3]):
        for cell in row_cells[1:]:
            _para(cell, "", size=12)
    _tag(document, "{%p endif %}")


def build_template() -> Any:
    document = Document()
    _setup_styles(document)
    body_paragraphs = document.paragraphs
    for paragraph in body_paragraphs:
        paragraph._p.getparent().remove(paragraph._p)
    _setup_section(document.sections[0], page_number=True)
    _national_header(document)
    _title_block(document)
    _body(document)
    _signature_table(document)
    _attachment(document)
    # The last section (the attached list) gets its own copy of the page-number header so that a document
    # without a list, whose only section is then this one, still numbers its pages from page 2.
    _setup_section(document.sections[-1], page_number=True)
    document.core_properties.title = "Mẫu văn bản hành chính (Nghị định 30/2020/NĐ-CP)"
    document.core_properties.author = "hoctap"
    return document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for doc_type in DOC_TYPES:
        path = args.out / f"{doc_type}.docx"
        build_template().save(str(path))
        print(path)


if __name__ == "__main__":
    main()
