"""The Word output opens in LibreOffice (a proxy for "an official can open it")."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from hoctap.documents.rendering import render_docx, sample_document_spec

from .conftest import require


@pytest.mark.slow
def test_docx_of_every_type_converts_in_libreoffice(tmp_path: Path) -> None:
    soffice = require("soffice", "libreoffice-writer-nogui")
    paths = []
    for doc_type in ("qd", "ttr", "bc", "bb", "kh", "tb"):
        path = tmp_path / f"{doc_type}.docx"
        path.write_bytes(render_docx(sample_document_spec(doc_type, rows=30)))
        paths.append(path)
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    for path in paths:
        pdf = path.with_suffix(".pdf")
        assert pdf.is_file(), f"{pdf.name} missing: {result.stdout} {result.stderr}"
        pages = PdfReader(pdf).pages
        assert len(pages) >= 2  # the document and its 30-row list
        assert float(pages[0].mediabox.width) == pytest.approx(595.3, abs=1)
