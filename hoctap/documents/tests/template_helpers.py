"""Word templates edited the way an administrator would (text changed inside word/document.xml)."""

from __future__ import annotations

import io
import zipfile

from docx import Document

from hoctap.documents.rendering import default_template


def edited_template(doc_type: str, old: str, new: str) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(default_template(doc_type)) as zin,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                assert old in xml
                data = xml.replace(old, new).encode("utf-8")
            zout.writestr(item, data)
    return buffer.getvalue()


def marked(doc_type: str, marker: str) -> bytes:
    """The default template with ``marker`` after "Nơi nhận:" (still a valid template)."""
    return edited_template(doc_type, "Nơi nhận:", f"Nơi nhận: {marker}")


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)
