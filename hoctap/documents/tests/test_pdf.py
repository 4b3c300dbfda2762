from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from hoctap.documents.rendering import render_pdf, render_pdf_many, sample_document_spec

from .conftest import pdf_text, pdf_words, require

MM = 72 / 25.4
A4 = (595.28, 841.89)


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in PdfReader(pdf).pages]


def test_every_page_is_a4_portrait(decision_pdf: Path) -> None:
    sizes = _page_sizes(decision_pdf)
    assert len(sizes) >= 3  # page 1 + a 120-row list
    for width, height in sizes:
        assert width == pytest.approx(A4[0], abs=1) and height == pytest.approx(A4[1], abs=1)


def test_wide_list_pages_are_landscape(plan_pdf: Path) -> None:
    sizes = _page_sizes(plan_pdf)
    assert sizes[0] == pytest.approx(A4, abs=1)
    assert all(size == pytest.approx(A4[::-1], abs=1) for size in sizes[1:])


@pytest.mark.slow
def test_text_sits_inside_the_nd30_margins(decision_pdf: Path) -> None:
    words = pdf_words(decision_pdf)
    first = [w for w in words if w.page == 1]
    # Left 30 mm: justified body lines start exactly at the margin; right 15 mm: they end at it.
    assert min(w.x_min for w in first) == pytest.approx(30 * MM, abs=1)
    assert max(w.x_max for w in first) == pytest.approx(A4[0] - 15 * MM, abs=1.5)
    # Top 20 mm: the first line of page 1 starts at the margin; bottom 20 mm: nothing below it.
    assert min(w.y_min for w in first) == pytest.approx(20 * MM, abs=2)
    assert max(w.y_max for w in words) <= A4[1] - 20 * MM + 1


@pytest.mark.slow
def test_page_numbers_start_on_page_two_in_the_top_margin(decision_pdf: Path) -> None:
    words = pdf_words(decision_pdf)
    in_top_margin = {w.page: w.text for w in words if w.y_max < 20 * MM}
    assert 1 not in in_top_margin
    pages = max(w.page for w in words)
    assert in_top_margin == {page: str(page) for page in range(2, pages + 1)}
    for w in words:
        if w.y_max < 20 * MM:
            assert (w.x_min + w.x_max) / 2 == pytest.approx((30 * MM + A4[0] - 15 * MM) / 2, abs=3)


@pytest.mark.slow
def test_times_compatible_fonts_are_embedded(decision_pdf: Path) -> None:
    binary = require("pdffonts", "poppler-utils")
    out = subprocess.run([binary, str(decision_pdf)], check=True, capture_output=True, text=True).stdout
    fonts = [line.split() for line in out.splitlines()[2:]]
    assert fonts, out
    assert {"Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic"} <= {
        f[0].split("+", 1)[-1] for f in fonts
    }
    assert all(f[-5] == "yes" for f in fonts), out  # the "emb" column


@pytest.mark.slow
def test_extracted_text_has_the_input_exactly(decision_pdf: Path) -> None:
    spec = sample_document_spec("qd", rows=120)
    text = unicodedata.normalize("NFC", pdf_text(decision_pdf))
    assert spec.attachment is not None
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/QĐ-UBND",
        "Phong Nha, ngày 05 tháng 01 năm 2026",
        spec.summary,
        spec.signature.signer_name,
        spec.attachment.rows[0][1],
        spec.attachment.rows[-1][1],
        "Nơi nhận:",
    ):
        assert expected in text, expected
    assert text.count("Họ và tên chủ hộ") >= 3  # the list header repeats on every list page


def test_render_pdf_many_returns_one_pdf_per_spec() -> None:
    specs = [sample_document_spec(doc_type, rows=2) for doc_type in ("ttr", "tb")]
    pdfs = render_pdf_many(specs)
    assert len(pdfs) == 2 and all(pdf.startswith(b"%PDF-") for pdf in pdfs)
    assert pdfs[0] != pdfs[1]


def test_html_special_characters_are_escaped(tmp_path: Path) -> None:
    spec = sample_document_spec("tb", rows=0)
    hostile = type(spec)(**{**spec.__dict__, "summary": "Lương & phụ cấp <b>đặc biệt</b>"})
    path = tmp_path / "tb.pdf"
    path.write_bytes(render_pdf(hostile))
    assert "Lương & phụ cấp <b>đặc biệt</b>" in pdf_text(path)
