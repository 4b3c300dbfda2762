"""Shared fixtures: rendered samples (rendered once per session) and the poppler / LibreOffice helpers."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from hoctap.documents.rendering import (
    render_certificates_pdf,
    render_docx,
    render_pdf,
    sample_certificate_specs,
    sample_document_spec,
)

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs an external program (LibreOffice, poppler, zbar)")


def require(binary: str, package: str) -> str:
    """Path of ``binary``, or skip saying which Debian package provides it."""
    path = shutil.which(binary)
    if path is None:
        pytest.skip(f"`{binary}` is not installed (Debian package {package}); CI installs it")
    return path


@dataclass(frozen=True)
class Word:
    page: int
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str


def pdf_words(pdf: Path) -> list[Word]:
    """Every word with its box (points, origin top left), read with ``pdftotext -bbox``."""
    binary = require("pdftotext", "poppler-utils")
    out = subprocess.run([binary, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    words: list[Word] = []
    for page_number, page in enumerate(out.split("<page ")[1:], start=1):
        for match in _WORD.finditer(page):
            x_min, y_min, x_max, y_max = (float(v) for v in match.groups()[:4])
            words.append(Word(page_number, x_min, y_min, x_max, y_max, match.group(5)))
    return words


def pdf_text(pdf: Path) -> str:
    binary = require("pdftotext", "poppler-utils")
    return subprocess.run(
        [binary, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="session")
def rendered_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rendered")


@pytest.fixture(scope="session")
def decision_pdf(rendered_dir: Path) -> Path:
    path = rendered_dir / "qd.pdf"
    path.write_bytes(render_pdf(sample_document_spec("qd", rows=120)))
    return path


@pytest.fixture(scope="session")
def plan_pdf(rendered_dir: Path) -> Path:
    path = rendered_dir / "kh.pdf"
    path.write_bytes(render_pdf(sample_document_spec("kh", rows=20)))
    return path


@pytest.fixture(scope="session")
def decision_docx(rendered_dir: Path) -> Path:
    path = rendered_dir / "qd.docx"
    path.write_bytes(render_docx(sample_document_spec("qd", rows=120)))
    return path


@pytest.fixture(scope="session")
def certificates_pdf(rendered_dir: Path) -> Path:
    path = rendered_dir / "certificates.pdf"
    path.write_bytes(render_certificates_pdf(sample_certificate_specs(3)))
    return path
