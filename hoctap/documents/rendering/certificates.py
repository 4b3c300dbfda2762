"""Certificates (giấy công nhận, giấy khen, bằng khen) with a QR code that opens the public check page."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import segno

from .formatting import format_place_date, format_short_date
from .html import html_env
from .pdf import default_workers, write_pdf
from .spec import CertificateSpec

SPLIT_MIN_CERTIFICATES = 100
_VERBS = {"giay_cong_nhan": "", "giay_khen": "TẶNG", "bang_khen": "TẶNG"}
_ACHIEVEMENT = {
    "giay_cong_nhan": "Đã đạt danh hiệu",
    "giay_khen": "Đã có thành tích xuất sắc trong phong trào",
    "bang_khen": "Đã có thành tích xuất sắc trong phong trào",
}


def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG data URI (error correction M, quiet zone of 2 modules)."""
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_data_uri(scale=4, border=2, dark="#000000", light="#ffffff")


def certificate_context(spec: CertificateSpec) -> dict[str, Any]:
    return {
        "authority": spec.authority,
        "verb": _VERBS[spec.kind],
        "heading": spec.heading,
        "holder_name": spec.holder_name,
        "holder_detail": spec.holder_detail,
        "achievement": _ACHIEVEMENT[spec.kind],
        "title_awarded": spec.title_awarded,
        "extra_lines": spec.extra_lines,
        "decision": f"(Quyết định số {spec.decision_number} ngày {format_short_date(spec.decision_date)})",
        "qr": qr_data_uri(spec.verify_url),
        "short_code": spec.short_code,
        "place_date": format_place_date(spec.place, spec.issued_on),
        "sign_lines": spec.signature.lines,
        "signer_name": spec.signature.signer_name,
    }


def certificates_html(specs: Sequence[CertificateSpec]) -> str:
    contexts = [certificate_context(spec) for spec in specs]
    return html_env().get_template("certificates.html").render(certificates=contexts)


def render_certificates_pdf(specs: Sequence[CertificateSpec], *, workers: int | None = None) -> bytes:
    """All certificates in one landscape A4 PDF, one per page, in the order given.

    Certificates are independent pages, so a large batch is cut into runs laid out by up to ``workers``
    processes (default: the CPU count, at most 4) and the PDFs are concatenated.
    """
    if not specs:
        raise ValueError("no certificates to render")
    workers = default_workers() if workers is None else workers
    if workers < 2 or len(specs) < SPLIT_MIN_CERTIFICATES:
        return write_pdf(certificates_html(specs), stylesheet="certificates.css")
    from .split import concat_pdfs, render_parallel

    size = math.ceil(len(specs) / (workers * 2))  # two runs per worker evens out uneven progress
    htmls = [certificates_html(specs[start : start + size]) for start in range(0, len(specs), size)]
    return concat_pdfs(render_parallel(htmls, stylesheet="certificates.css", workers=workers))
