"""Parallel layout must give the same document as one pass, or step aside."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from hoctap.documents.rendering import render_pdf, sample_certificate_specs, sample_document_spec
from hoctap.documents.rendering.certificates import certificates_html
from hoctap.documents.rendering.spec import DocumentSpec
from hoctap.documents.rendering.split import _plan, concat_pdfs, render_parallel, render_pdf_split

from .conftest import pdf_text, pdf_words

MM = 72 / 25.4


def _with_long_name(spec: DocumentSpec, index: int) -> DocumentSpec:
    assert spec.attachment is not None
    rows = list(spec.attachment.rows)
    rows[index] = (
        rows[index][0],
        "Nguyễn Thị Thanh Hương Quỳnh Như Ngọc Bích Hoàng Lan Phương",
        *rows[index][2:],
    )
    return dataclasses.replace(spec, attachment=dataclasses.replace(spec.attachment, rows=tuple(rows)))


@given(
    total=st.integers(min_value=1, max_value=20_000),
    first=st.integers(min_value=1, max_value=60),
    per_page=st.integers(min_value=1, max_value=80),
    workers=st.integers(min_value=2, max_value=8),
)
def test_plan_cuts_only_at_page_boundaries(total: int, first: int, per_page: int, workers: int) -> None:
    parts = _plan(total, first, per_page, workers)
    # The parts cover every row once, in order; only the first one carries the document's own pages.
    assert parts[0].rows.start == 0 and parts[-1].rows.stop == total
    assert all(a.rows.stop == b.rows.start for a, b in itertools.pairwise(parts))
    assert [part.body for part in parts] == [True] + [False] * (len(parts) - 1)
    assert len(parts) <= workers
    # Every cut falls where a list page starts, and all parts but the last get the probing extra row.
    for part in parts[1:]:
        assert part.rows.start >= first and (part.rows.start - first) % per_page == 0
    assert [part.extra_row for part in parts] == [True] * (len(parts) - 1) + [False]


@pytest.mark.slow
def test_split_layout_equals_the_single_pass(tmp_path: Path) -> None:
    # Given a decision with a 200-row list
    spec = sample_document_spec("qd", rows=200)
    # When it is laid out in two processes and in one
    split = render_pdf_split(spec, workers=2)
    assert split is not None
    (tmp_path / "split.pdf").write_bytes(split)
    (tmp_path / "single.pdf").write_bytes(render_pdf(spec, workers=1))
    # Then the pages and their text (positions included, by -layout) are the same
    assert len(PdfReader(tmp_path / "split.pdf").pages) == len(PdfReader(tmp_path / "single.pdf").pages)
    assert pdf_text(tmp_path / "split.pdf") == pdf_text(tmp_path / "single.pdf")
    # and the page numbers laid over the pages sit in the top margin from page 2
    numbers = {w.page: w.text for w in pdf_words(tmp_path / "split.pdf") if w.y_max < 20 * MM}
    assert numbers == {page: str(page) for page in range(2, len(numbers) + 2)}


@pytest.mark.slow
def test_rows_that_break_the_page_rhythm_fall_back_to_one_pass(tmp_path: Path) -> None:
    # Given a list whose row 100 wraps onto two lines (inside the first part)
    spec = _with_long_name(sample_document_spec("qd", rows=200), 100)
    # Then the split declines, and render_pdf still gives the one-pass document
    assert render_pdf_split(spec, workers=2) is None
    (tmp_path / "auto.pdf").write_bytes(render_pdf(spec, workers=2))
    (tmp_path / "single.pdf").write_bytes(render_pdf(spec, workers=1))
    assert pdf_text(tmp_path / "auto.pdf") == pdf_text(tmp_path / "single.pdf")


@pytest.mark.slow
def test_parallel_certificates_keep_their_order(tmp_path: Path) -> None:
    specs = sample_certificate_specs(4)
    htmls = [certificates_html(specs[:2]), certificates_html(specs[2:3]), certificates_html(specs[3:])]
    path = tmp_path / "certificates.pdf"
    path.write_bytes(concat_pdfs(render_parallel(htmls, stylesheet="certificates.css", workers=2)))
    pages = pdf_text(path).split("\f")
    assert [spec.short_code in page for spec, page in zip(specs, pages, strict=False)] == [True] * 4
