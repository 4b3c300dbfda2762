"""PDF output of official documents: HTML templates laid out by WeasyPrint (see docs/adr/0003)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from .context import document_context
from .html import HTML_TEMPLATES_DIR, html_env, stylesheet_text
from .spec import DocumentSpec

# Lists at least this long are laid out in parallel processes (see split.py); shorter ones in one pass.
SPLIT_MIN_ROWS = 600
UNNUMBERED_CSS = "@page { @top-center { content: none; } }"


@lru_cache(maxsize=4)
def weasy_resources(stylesheet: str, *, numbered: bool = True) -> tuple[list[Any], Any]:
    """Parse a stylesheet once per process, with one shared font configuration."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    sheets = [CSS(string=stylesheet_text(stylesheet), font_config=font_config)]
    if not numbered:
        sheets.append(CSS(string=UNNUMBERED_CSS, font_config=font_config))
    return sheets, font_config


def layout(html: str, *, stylesheet: str, numbered: bool = True) -> Any:
    """Lay ``html`` out into pages (a ``weasyprint.Document``)."""
    from weasyprint import HTML

    sheets, font_config = weasy_resources(stylesheet, numbered=numbered)
    return HTML(string=html, base_url=str(HTML_TEMPLATES_DIR)).render(
        stylesheets=sheets, font_config=font_config
    )


def write_pdf(html: str, *, stylesheet: str) -> bytes:
    pdf: bytes = layout(html, stylesheet=stylesheet).write_pdf()
    return pdf


def _rows_html(rows: Sequence[Sequence[str]]) -> Markup:
    """Table rows as compact HTML; built directly because a 2,000-row list is the hot path."""
    return Markup("").join(
        Markup("<tr><td>") + Markup("</td><td>").join(escape(value) for value in row) + Markup("</td></tr>")
        for row in rows
    )


def document_html(
    spec: DocumentSpec,
    *,
    rows: slice | None = None,
    body: bool = True,
    list_title: bool = True,
) -> str:
    """The HTML of ``spec`` in the ND30 layout (the PDF's source; also usable as a web preview).

    ``rows``, ``body`` and ``list_title`` select a part of the document for split rendering: only some
    list rows, the list without the document before it, the list without its title.
    """
    context = document_context(spec)
    context.update(show_body=body, show_list_title=list_title)
    attachment = context["attachment"]
    if attachment is not None:
        attachment["width_mm"] = sum(column["width_mm"] for column in attachment["columns"])
        selected = attachment["rows"][rows] if rows is not None else attachment["rows"]
        context["attachment_rows"] = _rows_html(selected)
    return html_env().get_template("document.html").render(context)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def render_pdf(spec: DocumentSpec, *, workers: int | None = None) -> bytes:
    """Render ``spec`` as an A4 PDF in the Nghị định 30/2020/NĐ-CP layout.

    A long attached list is laid out by up to ``workers`` processes (default: the CPU count, at most 4);
    the result is the same document, page for page, as a single pass would give.
    """
    workers = default_workers() if workers is None else workers
    rows = len(spec.attachment.rows) if spec.attachment else 0
    if workers > 1 and rows >= SPLIT_MIN_ROWS:
        from .split import render_pdf_split

        pdf = render_pdf_split(spec, workers=workers)
        if pdf is not None:
            return pdf
    return write_pdf(document_html(spec), stylesheet="document.css")


def render_pdf_many(specs: Sequence[DocumentSpec] | Iterable[DocumentSpec]) -> list[bytes]:
    """Render several documents in one process, reusing the parsed stylesheet and font set-up."""
    return [render_pdf(spec) for spec in specs]
