"""Word output: docxtpl renders the editable templates of ``templates_docx/``."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from docx.enum.section import WD_ORIENT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, Listing
from lxml import etree

from .context import LANDSCAPE_WIDTH_MM, PORTRAIT_WIDTH_MM, document_context
from .spec import DocumentSpec

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates_docx"
TWIPS_PER_MM = 1440 / 25.4
_MULTILINE_KEYS = ("parent_body", "issuing_body", "title", "summary", "authority_heading")
_JC = {"left": "left", "center": "center", "right": "right"}


def default_template(doc_type: str) -> Path:
    """The shipped template of a document type (``templates_docx/<doc_type>.docx``)."""
    return TEMPLATES_DIR / f"{doc_type}.docx"


def _jinja_env() -> jinja2.Environment:
    # Sandboxed: templates are uploaded by administrators, and a tag must never reach Python internals.
    return jinja2.sandbox.SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


def _docx_context(spec: DocumentSpec) -> dict[str, Any]:
    context = document_context(spec)
    for key in _MULTILINE_KEYS:
        context[key] = Listing(context[key]) if "\n" in context[key] else context[key]
    return context


def _attachment_table(body: Any) -> Any | None:
    """The attached list: the last table whose first row repeats as a header."""
    tables = body.findall(qn("w:tbl"))
    for table in reversed(tables):
        first_row = table.find(qn("w:tr"))
        if first_row is not None and first_row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
            return table
    return None


def _set_child(parent: Any, tag: str, attrs: dict[str, str], *, first: bool = False) -> Any:
    element = parent.find(qn(tag))
    if element is None:
        element = etree.SubElement(parent, qn(tag))
        if first:
            parent.remove(element)
            parent.insert(0, element)
    for key, value in attrs.items():
        element.set(qn(key), value)
    return element


def _size_table(table: Any, columns: list[dict[str, Any]]) -> None:
    """Apply the spec's column widths (grid and every cell) and per-column alignment."""
    twips = [str(round(column["width_mm"] * TWIPS_PER_MM)) for column in columns]
    tbl_pr = table.find(qn("w:tblPr"))
    _set_child(tbl_pr, "w:tblW", {"w:w": str(sum(int(t) for t in twips)), "w:type": "dxa"})
    _set_child(tbl_pr, "w:tblLayout", {"w:type": "fixed"})
    grid = table.find(qn("w:tblGrid"))
    for col in list(grid):
        grid.remove(col)
    for width in twips:
        etree.SubElement(grid, qn("w:gridCol")).set(qn("w:w"), width)
    for row_index, row in enumerate(table.iterfind(qn("w:tr"))):
        for col_index, cell in enumerate(row.iterfind(qn("w:tc"))):
            if col_index >= len(columns):
                break
            tc_pr = _set_child(cell, "w:tcPr", {}, first=True)
            _set_child(tc_pr, "w:tcW", {"w:w": twips[col_index], "w:type": "dxa"})
            align = "center" if row_index == 0 else _JC[columns[col_index]["align"]]
            for paragraph in cell.iterfind(qn("w:p")):
                p_pr = _set_child(paragraph, "w:pPr", {}, first=True)
                _set_child(p_pr, "w:jc", {"w:val": align})


def _widen_rules(body: Any, extra_mm: float) -> None:
    """Re-centre the short rules of the last section (drawn as indented borders) on a landscape page."""
    extra = round(extra_mm * TWIPS_PER_MM)
    for child in reversed(body):
        p_pr = child.find(qn("w:pPr"))
        if p_pr is None:
            continue
        if p_pr.find(qn("w:sectPr")) is not None:
            break
        indent = p_pr.find(qn("w:ind"))
        if p_pr.find(qn("w:pBdr")) is None or indent is None:
            continue
        for side in ("w:left", "w:right"):
            indent.set(qn(side), str(int(indent.get(qn(side), "0")) + extra))


def _finish_layout(template: DocxTemplate, context: dict[str, Any]) -> None:
    attachment = context["attachment"]
    document = template.docx
    if attachment is None:
        return
    section = document.sections[-1]
    # The list section continues the page numbering, so its first page shows a number too.
    section.different_first_page_header_footer = False
    if attachment["orientation"] == "landscape":
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        _widen_rules(document.element.body, (LANDSCAPE_WIDTH_MM - PORTRAIT_WIDTH_MM) / 2)
    table = _attachment_table(document.element.body)
    if table is not None:
        _size_table(table, attachment["columns"])


def _render(spec: DocumentSpec, template: Path) -> DocxTemplate:
    document = DocxTemplate(str(template))
    context = _docx_context(spec)
    document.render(context, jinja_env=_jinja_env(), autoescape=True)
    _finish_layout(document, context)
    return document


def render_docx(spec: DocumentSpec, template: Path | None = None) -> bytes:
    """Render ``spec`` into a .docx (bytes) using ``template`` or the default one of its type."""
    document = _render(spec, template or default_template(spec.doc_type))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rendered_text(document: DocxTemplate) -> str:
    body = document.docx.element.body
    return "".join(node.text or "" for node in body.iter(qn("w:t")))


def validate_template(path: Path, *, doc_type: str = "qd") -> list[str]:
    """Render a template once on sample data of ``doc_type``; return problems as Vietnamese messages."""
    from .samples import sample_document_spec

    if not path.is_file():
        return [f"Không tìm thấy tệp mẫu: {path.name}."]
    if not zipfile.is_zipfile(path):
        return [f"Tệp {path.name} không phải tệp Word (.docx)."]
    spec = sample_document_spec(doc_type, rows=3)
    try:
        document = _render(spec, path)
    except PackageNotFoundError:
        return [f"Tệp {path.name} không phải tệp Word (.docx) hợp lệ."]
    except jinja2.sandbox.SecurityError:
        return ["Mẫu dùng một thẻ không được phép (truy cập thuộc tính nội bộ)."]
    except jinja2.TemplateSyntaxError as exc:
        return [f"Lỗi cú pháp thẻ trong mẫu (dòng {exc.lineno}): {exc.message}."]
    except jinja2.UndefinedError as exc:
        return [f"Mẫu dùng một trường dữ liệu không tồn tại: {exc.message}."]
    except jinja2.TemplateError as exc:
        return [f"Không hiển thị được mẫu: {exc}."]
    except (KeyError, ValueError, etree.XMLSyntaxError) as exc:
        return [f"Cấu trúc tệp mẫu bị hỏng: {exc}."]
    return _check_rendered(document, spec)


def _check_rendered(document: DocxTemplate, spec: DocumentSpec) -> list[str]:
    errors: list[str] = []
    text = _rendered_text(document)
    if "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text:
        errors.append("Mẫu thiếu Quốc hiệu “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”.")
    if "Độc lập - Tự do - Hạnh phúc" not in text:
        errors.append("Mẫu thiếu Tiêu ngữ “Độc lập - Tự do - Hạnh phúc”.")
    for label, value in (("số, ký hiệu", spec.symbol), ("trích yếu", spec.summary)):
        if value not in text:
            errors.append(f"Mẫu không hiển thị {label} của văn bản.")
    if spec.signature.signer_name not in text:
        errors.append("Mẫu không hiển thị họ tên người ký.")
    if spec.attachment and spec.attachment.rows[-1][1] not in text:
        errors.append("Mẫu không hiển thị danh sách kèm theo.")
    section = document.docx.sections[0]
    width, height = section.page_width or 0, section.page_height or 0
    if abs(width - Mm(210)) > Mm(1) or abs(height - Mm(297)) > Mm(1):
        errors.append("Khổ giấy của mẫu không phải A4 dọc (210 × 297 mm).")
    return errors
