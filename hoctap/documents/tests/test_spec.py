from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from hoctap.documents.rendering import AttachedList, Column, DocumentSpec, Paragraph, SignatureBlock
from hoctap.documents.rendering.context import column_widths_mm, document_context, recipient_lines

DECOMPOSED = unicodedata.normalize("NFD", "Gia đình học tập Nguyễn Thị Hòa")


def _spec(**overrides: object) -> DocumentSpec:
    values: dict[str, object] = {
        "doc_type": "qd",
        "issuing_body": "ỦY BAN NHÂN DÂN\nXÃ PHONG NHA",
        "symbol": "QĐ-UBND",
        "place": "Phong Nha",
        "summary": "Về việc công nhận danh hiệu Gia đình học tập năm 2026",
        "signature": SignatureBlock(
            authority_prefix="KT.",
            authority_line="CHỦ TỊCH",
            signer_title="PHÓ CHỦ TỊCH",
            signer_name="Trần Đức Hòa",
        ),
    }
    values.update(overrides)
    return DocumentSpec(**values)  # type: ignore[arg-type]


def test_every_string_is_normalised_to_nfc() -> None:
    # Given text typed on a keyboard that produces decomposed (NFD) Vietnamese
    assert unicodedata.normalize("NFC", DECOMPOSED) != DECOMPOSED
    # When it goes into a spec, including nested lists and rows
    spec = _spec(
        summary=DECOMPOSED,
        paragraphs=(Paragraph(text=DECOMPOSED),),
        attachment=AttachedList(
            title=DECOMPOSED, columns=(Column(title="Họ tên", width_mm=50),), rows=((DECOMPOSED,),)
        ),
    )
    # Then every copy of it is NFC
    nfc = unicodedata.normalize("NFC", DECOMPOSED)
    assert spec.summary == nfc
    assert spec.paragraphs[0].text == nfc
    assert spec.attachment is not None
    assert spec.attachment.title == nfc and spec.attachment.rows[0][0] == nfc


def test_title_defaults_from_the_document_type_and_bad_input_is_refused() -> None:
    assert _spec().title == "QUYẾT ĐỊNH"
    assert _spec(doc_type="ttr").title == "TỜ TRÌNH"
    with pytest.raises(ValueError):
        _spec(doc_type="xx")
    with pytest.raises(ValueError):
        _spec(number=0)
    with pytest.raises(ValueError, match="row 1"):
        AttachedList(title="X", columns=(Column(title="A", width_mm=10),), rows=(("1",), ("1", "2")))


def test_signature_lines_follow_the_authority_prefix() -> None:
    kt = SignatureBlock(
        authority_prefix="KT.", authority_line="CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH", signer_name="A"
    )
    assert kt.lines == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert SignatureBlock(signer_title="CHỦ TỌA", signer_name="B").lines == ("CHỦ TỌA",)


def test_recipients_get_dashes_and_closing_punctuation() -> None:
    assert recipient_lines(("Như Điều 3", "- Sở GDĐT;", "Lưu: VT, VHXH")) == [
        "- Như Điều 3;",
        "- Sở GDĐT;",
        "- Lưu: VT, VHXH.",
    ]


def test_context_formats_number_date_and_reference_to_the_list() -> None:
    spec = _spec(
        number=5,
        issued_on=date(2026, 1, 5),
        attachment=AttachedList(
            title="DANH SÁCH", columns=(Column(title="A", width_mm=300),), rows=(("x",),)
        ),
    )
    context = document_context(spec)
    assert context["number_line"] == "Số: 05/QĐ-UBND"
    assert context["place_date"] == "Phong Nha, ngày 05 tháng 01 năm 2026"
    assert context["attachment"]["subtitle"] == "(Kèm theo Quyết định số 05/QĐ-UBND ngày 05/01/2026)"
    # A column wider than the printable width (165 mm in portrait) is scaled down to fit.
    assert spec.attachment is not None
    assert column_widths_mm(spec.attachment) == [165.0]
