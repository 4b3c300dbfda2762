from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from hoctap.documents.rendering import render_certificates_pdf, sample_certificate_specs

from .conftest import pdf_text, require


def test_one_landscape_a4_page_per_certificate(certificates_pdf: Path) -> None:
    pages = PdfReader(certificates_pdf).pages
    assert len(pages) == 3
    for page in pages:
        assert float(page.mediabox.width) == pytest.approx(841.89, abs=1)
        assert float(page.mediabox.height) == pytest.approx(595.28, abs=1)


@pytest.mark.slow
def test_each_page_names_its_holder_title_and_short_code(certificates_pdf: Path) -> None:
    specs = sample_certificate_specs(3)
    pages = pdf_text(certificates_pdf).split("\f")
    for spec, page in zip(specs, pages, strict=False):
        for expected in (
            spec.holder_name,
            spec.title_awarded,
            spec.short_code,
            "GIẤY CÔNG NHẬN",
            "Phong Nha, ngày 05 tháng 01 năm 2026",
            "(Quyết định số 05/QĐ-UBND ngày 05/01/2026)",
        ):
            assert expected in page, expected


@pytest.mark.slow
def test_qr_code_decodes_to_the_verify_url(certificates_pdf: Path, tmp_path: Path) -> None:
    pdftoppm = require("pdftoppm", "poppler-utils")
    zbarimg = require("zbarimg", "zbar-tools")
    specs = sample_certificate_specs(3)
    subprocess.run([pdftoppm, "-r", "150", "-png", str(certificates_pdf), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == 3
    for spec, image in zip(specs, images, strict=True):
        result = subprocess.run([zbarimg, "--quiet", "--raw", str(image)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == spec.verify_url


def test_kinds_have_their_own_heading() -> None:
    base = sample_certificate_specs(1)[0]
    for kind, heading in (("giay_khen", "GIẤY KHEN"), ("bang_khen", "BẰNG KHEN")):
        spec = type(base)(**{**base.__dict__, "kind": kind})
        assert spec.heading == heading
        assert render_certificates_pdf([spec]).startswith(b"%PDF-")
    with pytest.raises(ValueError):
        render_certificates_pdf([])
