from __future__ import annotations

import io
import zipfile

import pytest

from hoctap.documents.rendering import SAMPLE_TYPES, render_sample


@pytest.mark.parametrize("doc_type", [t for t in SAMPLE_TYPES if t != "certificates"])
def test_every_sample_type_renders_as_docx_and_pdf(doc_type: str) -> None:
    docx = render_sample(doc_type, rows=3, fmt="docx")
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(docx)).namelist()
    assert render_sample(doc_type, rows=3, fmt="pdf").startswith(b"%PDF-")


def test_certificates_sample_and_bad_arguments() -> None:
    assert render_sample("certificates", rows=2, fmt="pdf").startswith(b"%PDF-")
    with pytest.raises(ValueError):
        render_sample("certificates", rows=2, fmt="docx")
    with pytest.raises(ValueError):
        render_sample("cv", rows=2, fmt="pdf")
    with pytest.raises(ValueError):
        render_sample("qd", rows=2, fmt="odt")
    with pytest.raises(ValueError):
        render_sample("qd", rows=-1, fmt="pdf")
