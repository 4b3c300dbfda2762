from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from hoctap.documents.rendering import (
    default_template,
    render_docx,
    sample_document_spec,
    validate_template,
)

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "build_docx_templates.py"


def _open(data: bytes) -> DocxDocument:
    return Document(io.BytesIO(data))


def _mm(*lengths: object) -> tuple[int, ...]:
    """Lengths in whole millimetres (Word stores twips, so 210 mm reads back as 210.01 mm)."""
    return tuple(round(length.mm) for length in lengths)  # type: ignore[attr-defined]


def _all_text(document: DocxDocument) -> str:
    return "".join(node.text or "" for node in document.element.body.iter(qn("w:t")))


def test_decision_has_nd30_page_setup_and_content() -> None:
    # Given a decision with a 25-row list
    spec = sample_document_spec("qd", rows=25)
    # When it is rendered to Word
    document = _open(render_docx(spec))
    # Then page 1 is A4 portrait with margins 20/20/30/15 mm and a first page without a page number
    first = document.sections[0]
    assert _mm(first.page_width, first.page_height) == (210, 297)
    assert _mm(first.top_margin, first.bottom_margin, first.left_margin, first.right_margin) == (
        20,
        20,
        30,
        15,
    )
    assert first.different_first_page_header_footer
    assert "PAGE" in first.header._element.xml and "PAGE" not in first.first_page_header._element.xml
    # and the fixed and variable parts of the national layout are all there
    text = _all_text(document)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/QĐ-UBND",
        "Phong Nha, ngày 05 tháng 01 năm 2026",
        "QUYẾT ĐỊNH",
        spec.summary,
        "Điều 3.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Đức Hòa",
        "Nơi nhận:",
        "- Lưu: VT, VHXH.",
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text


def test_attached_list_has_every_row_a_repeated_header_and_the_requested_widths() -> None:
    spec = sample_document_spec("qd", rows=40)
    document = _open(render_docx(spec))
    table = document.tables[-1]
    assert len(table.rows) == 41
    assert table.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert [cell.text for cell in table.rows[0].cells] == [c.title for c in spec.attachment.columns]  # type: ignore[union-attr]
    assert [cell.text for cell in table.rows[40].cells][:2] == ["40", spec.attachment.rows[39][1]]  # type: ignore[union-attr]
    assert table.columns[1].width == pytest.approx(Mm(55), abs=Mm(0.1))
    # The list page continues the numbering (shows a number) and stays portrait
    assert len(document.sections) == 2
    assert not document.sections[1].different_first_page_header_footer


def test_wide_list_goes_to_a_landscape_section() -> None:
    document = _open(render_docx(sample_document_spec("kh", rows=5)))
    portrait, landscape = document.sections
    assert portrait.orientation == WD_ORIENT.PORTRAIT
    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    assert _mm(landscape.page_width, landscape.page_height) == (297, 210)


def test_document_without_a_list_is_one_section_numbered_from_page_two() -> None:
    document = _open(render_docx(sample_document_spec("bc", rows=0)))
    assert len(document.sections) == 1
    assert document.sections[0].different_first_page_header_footer
    assert "PAGE" in document.sections[0].header._element.xml


def test_minutes_have_two_signatures_and_no_recipients() -> None:
    text = _all_text(_open(render_docx(sample_document_spec("bb", rows=0))))
    assert "THƯ KÝ" in text and "CHỦ TỌA" in text and "Nơi nhận:" not in text


def test_user_text_is_escaped_not_interpreted() -> None:
    spec = sample_document_spec("tb", rows=0)
    hostile = type(spec)(**{**spec.__dict__, "summary": "Lương & phụ cấp <b>{{ 7*7 }}</b>"})
    text = _all_text(_open(render_docx(hostile)))
    assert "Lương & phụ cấp <b>{{ 7*7 }}</b>" in text


def test_default_templates_validate_cleanly() -> None:
    for doc_type in ("qd", "ttr", "bc", "bb", "kh", "tb"):
        assert validate_template(default_template(doc_type)) == []


def _edited_template(tmp_path: Path, old: str, new: str) -> Path:
    source = default_template("qd")
    target = tmp_path / "edited.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                assert old in xml
                data = xml.replace(old, new).encode("utf-8")
            zout.writestr(item, data)
    return target


def test_validate_template_reports_problems_in_vietnamese(tmp_path: Path) -> None:
    not_docx = tmp_path / "mau.docx"
    not_docx.write_text("không phải docx", encoding="utf-8")
    assert validate_template(not_docx) == ["Tệp mau.docx không phải tệp Word (.docx)."]
    assert validate_template(tmp_path / "thieu.docx") == ["Không tìm thấy tệp mẫu: thieu.docx."]

    broken_tag = _edited_template(tmp_path, "{{ summary }}", "{{ summary | }}")
    assert validate_template(broken_tag)[0].startswith("Lỗi cú pháp thẻ trong mẫu")

    unknown = _edited_template(tmp_path, "{{ summary }}", "{{ trich_yeu }}")
    errors = validate_template(unknown)
    assert errors[0].startswith("Mẫu dùng một trường dữ liệu không tồn tại") and "trich_yeu" in errors[0]

    no_motto = _edited_template(tmp_path, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HÒA")
    assert validate_template(no_motto) == ["Mẫu thiếu Quốc hiệu “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”."]


def test_committed_templates_match_the_build_script(tmp_path: Path) -> None:
    import runpy

    module = runpy.run_path(str(SCRIPT))
    built = tmp_path / "built.docx"
    module["build_template"]().save(str(built))
    with zipfile.ZipFile(built) as fresh, zipfile.ZipFile(default_template("qd")) as committed:
        assert fresh.read("word/document.xml") == committed.read("word/document.xml")
