"""Official documents in the Nghị định 30/2020/NĐ-CP format (DOCX and PDF) and certificates with QR.

The layer takes plain dataclasses and returns bytes; it never touches the database.
"""

from .certificates import qr_data_uri, render_certificates_pdf
from .docx import default_template, render_docx, validate_template
from .formatting import amount_in_words, format_number, format_place_date, format_short_date, number_in_words
from .pdf import document_html, render_pdf, render_pdf_many
from .samples import SAMPLE_TYPES, render_sample, sample_certificate_specs, sample_document_spec
from .spec import (
    Article,
    AttachedList,
    CertificateSpec,
    Column,
    DocumentSpec,
    Paragraph,
    SignatureBlock,
)

__all__ = [
    "SAMPLE_TYPES",
    "Article",
    "AttachedList",
    "CertificateSpec",
    "Column",
    "DocumentSpec",
    "Paragraph",
    "SignatureBlock",
    "amount_in_words",
    "default_template",
    "document_html",
    "format_number",
    "format_place_date",
    "format_short_date",
    "number_in_words",
    "qr_data_uri",
    "render_certificates_pdf",
    "render_docx",
    "render_pdf",
    "render_pdf_many",
    "render_sample",
    "sample_certificate_specs",
    "sample_document_spec",
    "validate_template",
]
