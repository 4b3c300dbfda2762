"""Turn a DocumentSpec into the flat, pre-formatted values both templates (Word and HTML) use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .formatting import format_number, format_place_date, format_short_date
from .spec import AttachedList, DocumentSpec, SignatureBlock

PORTRAIT_WIDTH_MM = 165.0  # 210 - 30 (left) - 15 (right)
LANDSCAPE_WIDTH_MM = 252.0  # 297 - 30 - 15


@dataclass(frozen=True, kw_only=True)
class SignatureView:
    lines: tuple[str, ...]
    signer_name: str
    seal_lines: int


def signature_view(block: SignatureBlock | None) -> SignatureView | None:
    if block is None:
        return None
    return SignatureView(lines=block.lines, signer_name=block.signer_name, seal_lines=block.seal_lines)


def recipient_lines(recipients: tuple[str, ...]) -> list[str]:
    """ "- Như Điều 3;" … "- Lưu: VT, KGVX." — dash and closing punctuation added when missing."""
    lines: list[str] = []
    for index, text in enumerate(recipients):
        text = text.strip().lstrip("-").strip()
        if text and text[-1] not in ";.,:":
            text += "." if index == len(recipients) - 1 else ";"
        lines.append(f"- {text}")
    return lines


def column_widths_mm(attachment: AttachedList) -> list[float]:
    """Requested column widths, scaled down proportionally when they exceed the printable width."""
    available = LANDSCAPE_WIDTH_MM if attachment.orientation == "landscape" else PORTRAIT_WIDTH_MM
    widths = [max(column.width_mm, 5.0) for column in attachment.columns]
    total = sum(widths)
    if total > available:
        widths = [width * available / total for width in widths]
    return widths


def attachment_subtitle(spec: DocumentSpec) -> str:
    if spec.attachment is None:
        return ""
    if spec.attachment.subtitle:
        return spec.attachment.subtitle
    kind = spec.title[:1].upper() + spec.title[1:].lower()
    number = format_number(spec.number, spec.symbol).removeprefix("Số:").strip()
    date_text = f" ngày {format_short_date(spec.issued_on)}" if spec.issued_on else ""
    return f"(Kèm theo {kind} số {number}{date_text})"


def document_context(spec: DocumentSpec) -> dict[str, Any]:
    attachment: dict[str, Any] | None = None
    if spec.attachment is not None:
        widths = column_widths_mm(spec.attachment)
        attachment = {
            "title": spec.attachment.title,
            "subtitle": attachment_subtitle(spec),
            "orientation": spec.attachment.orientation,
            "columns": [
                {"title": column.title, "width_mm": width, "align": column.align}
                for column, width in zip(spec.attachment.columns, widths, strict=True)
            ],
            "rows": spec.attachment.rows,
        }
    return {
        "doc_type": spec.doc_type,
        "parent_body": spec.parent_body,
        "issuing_body": spec.issuing_body,
        "number_line": format_number(spec.number, spec.symbol),
        "place_date": format_place_date(spec.place, spec.issued_on),
        "title": spec.title,
        "summary": spec.summary,
        "addressees": "; ".join(spec.addressees),
        "authority_heading": spec.authority_heading,
        "basis": list(spec.basis),
        "enacting_word": spec.enacting_word,
        "paragraphs": list(spec.paragraphs),
        "articles": list(spec.articles),
        "attachment": attachment,
        "signature": signature_view(spec.signature),
        "co_signature": signature_view(spec.co_signature),
        "recipients": recipient_lines(spec.recipients),
    }
