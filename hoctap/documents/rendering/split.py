"""Parallel layout of a long attached list, page for page identical to a single pass.

WeasyPrint lays pages out one after another in one process, about 0.2 s per list page. A 2,000-row list
therefore takes most of the 10 s budget on two cores. This module cuts the list at page boundaries and lays
the parts out in separate processes:

1. a probe lays out the first rows alone to learn how many rows fit on the first list page (under the
   title) and on the following pages (under the repeated header);
2. the list is cut at those page boundaries; each part but the last is laid out with one extra row, which
   must land alone on a page of its own (proof that the cut is a real page break), and that page is
   dropped;
3. the parts are concatenated and the page numbers (top centre, from page 2) are laid over the pages.

When the rows are not uniform (a long name wraps) or a check fails, it returns None and the caller falls
back to the single pass: correctness first.
"""

from __future__ import annotations

import io
import math
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .pdf import document_html, layout
from .spec import DocumentSpec

PROBE_ROWS = 160
STYLESHEET = "document.css"
_NUMBERS_HTML = (
    "<!doctype html><html><head><meta charset='utf-8'><style>"
    ".np { break-before: page; } .np:first-child { break-before: auto; } .np.l { page: list-landscape; }"
    "</style></head><body>{pages}</body></html>"
)


@dataclass(frozen=True)
class _Part:
    rows: slice
    body: bool
    extra_row: bool


def list_rows_per_page(document: Any) -> list[int]:
    """Rows of the ``table.list`` body on each laid-out page (a row split over two pages counts twice)."""
    from weasyprint.formatting_structure.boxes import TableBox

    counts: list[int] = []
    for page in document.pages:
        count = 0
        for box in page._page_box.descendants():
            if isinstance(box, TableBox) and "list" in (box.element.get("class") or "").split():
                count += sum(len(group.children) for group in box.children if not group.is_header)
        counts.append(count)
    return counts


def _render_part(html: str, drop_last: bool) -> tuple[bytes, list[int]]:
    document = layout(html, stylesheet=STYLESHEET, numbered=False)
    counts = list_rows_per_page(document)
    pages = document.pages[:-1] if drop_last else document.pages
    pdf: bytes = document.copy(pages).write_pdf()
    return pdf, counts


def _render_whole(html: str, stylesheet: str) -> bytes:
    pdf: bytes = layout(html, stylesheet=stylesheet).write_pdf()
    return pdf


@lru_cache(maxsize=2)
def _pool(workers: int) -> Executor:
    """A process pool kept for the life of the process. "forkserver" children start from a clean process
    with this module preloaded, so no lock or connection of a threaded parent is inherited; like "spawn",
    it needs the usual ``if __name__ == "__main__":`` guard in a script that renders."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def render_parallel(htmls: list[str], *, stylesheet: str, workers: int) -> list[bytes]:
    """Lay out independent HTML documents in ``workers`` processes; PDFs in the same order."""
    futures = [_pool(workers).submit(_render_whole, html, stylesheet) for html in htmls]
    return [future.result() for future in futures]


def concat_pdfs(pdfs: list[bytes]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _probe(spec: DocumentSpec) -> tuple[int, int] | None:
    """Rows on the first list page and on each following page, if the probed rows are uniform."""
    html = document_html(spec, rows=slice(0, PROBE_ROWS), body=False)
    counts = list_rows_per_page(layout(html, stylesheet=STYLESHEET, numbered=False))
    if len(counts) < 4 or counts[1] != counts[2] or sum(counts) != PROBE_ROWS:
        return None
    return counts[0], counts[1]


def _plan(total: int, first: int, per_page: int, workers: int) -> list[_Part]:
    list_pages = 1 + math.ceil(max(total - first, 0) / per_page)
    share = math.ceil((list_pages + 1) / workers)  # part 0 also lays out the document's own pages
    starts = [0]
    pages = max(share - 1, 1)
    while pages < list_pages:
        starts.append(first + (pages - 1) * per_page)
        pages += share
    bounds = [*starts, total]
    return [
        _Part(rows=slice(bounds[i], bounds[i + 1]), body=i == 0, extra_row=i < len(starts) - 1)
        for i in range(len(starts))
        if bounds[i] < bounds[i + 1]
    ]


def _part_html(spec: DocumentSpec, part: _Part) -> str:
    stop = part.rows.stop + (1 if part.extra_row else 0)
    return document_html(spec, rows=slice(part.rows.start, stop), body=part.body, list_title=part.body)


def _checked(part: _Part, counts: list[int]) -> bool:
    rendered = part.rows.stop - part.rows.start + (1 if part.extra_row else 0)
    if sum(counts) != rendered:
        return False
    return not part.extra_row or counts[-1] == 1


def _number_pages(pdf_parts: list[bytes]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pdf in pdf_parts:
        writer.append(PdfReader(io.BytesIO(pdf)))
    pages = "".join(
        '<div class="np l"></div>' if page.mediabox.width > page.mediabox.height else '<div class="np"></div>'
        for page in writer.pages
    )
    numbers = PdfReader(
        io.BytesIO(layout(_NUMBERS_HTML.replace("{pages}", pages), stylesheet=STYLESHEET).write_pdf())
    )
    for page, overlay in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(overlay, over=True)
        page.compress_content_streams()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def render_pdf_split(spec: DocumentSpec, *, workers: int) -> bytes | None:
    """The PDF of ``spec`` laid out by ``workers`` processes, or None when it cannot be split safely."""
    if spec.attachment is None:
        return None
    probe = _probe(spec)
    if probe is None:
        return None
    parts = _plan(len(spec.attachment.rows), probe[0], probe[1], workers)
    if len(parts) < 2:
        return None
    futures = [_pool(workers).submit(_render_part, _part_html(spec, part), part.extra_row) for part in parts]
    results = [future.result() for future in futures]
    if not all(_checked(part, counts) for part, (_, counts) in zip(parts, results, strict=True)):
        return None
    return _number_pages([pdf for pdf, _ in results])
