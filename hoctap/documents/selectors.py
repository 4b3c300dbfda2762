"""Reads of the documents app: which Word template each document type renders with."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hoctap.accounts.permissions import has_perm
from hoctap.core.errors import NotInScope
from hoctap.core.permissions import Perm
from hoctap.documents.models import DocType, DocumentTemplate
from hoctap.documents.rendering import default_template

logger = logging.getLogger(__name__)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def active_template_path(doc_type: str) -> Path:
    """The .docx that renders ``doc_type`` now: the active uploaded version, else the shipped default."""
    record = DocumentTemplate.objects.filter(doc_type=doc_type, status=DocumentTemplate.Status.ACTIVE).first()
    if record is None:
        return default_template(doc_type)
    path = Path(record.file.path)
    if not path.is_file():
        logger.error("active template %s v%s is missing on disk (%s); using the default", doc_type,
                     record.version, path)  # fmt: skip
        return default_template(doc_type)
    return path


@dataclass
class TemplateOverview:
    """One document type on the templates screen: the active version (None: the default) and the history."""

    doc_type: str
    label: str
    active: DocumentTemplate | None
    history: list[DocumentTemplate] = field(default_factory=list)

    @property
    def active_version(self) -> int:
        return self.active.version if self.active else 0


def _require_view(user: Any) -> None:
    if not has_perm(user, Perm.DOCUMENT_ISSUE):
        raise NotInScope("Không tìm thấy.")


def document_template_overview_for_user(*, user: Any) -> list[TemplateOverview]:
    """Every document type with its versions (one query)."""
    _require_view(user)
    rows: dict[str, TemplateOverview] = {
        value: TemplateOverview(doc_type=value, label=str(label), active=None)
        for value, label in DocType.choices
    }
    for record in DocumentTemplate.objects.select_related("uploaded_by").order_by("doc_type", "-version"):
        row = rows[record.doc_type]
        row.history.append(record)
        if record.status == DocumentTemplate.Status.ACTIVE:
            row.active = record
    return list(rows.values())


def document_template_file_for_user(
    *, user: Any, doc_type: str, version: int | None = None
) -> tuple[bytes, str]:
    """The bytes and download name of a template version (None: the active one; 0: the shipped default)."""
    _require_view(user)
    if doc_type not in DocType.values:
        raise NotInScope("Không tìm thấy loại văn bản này.")
    if version is None:
        record = DocumentTemplate.objects.filter(
            doc_type=doc_type, status=DocumentTemplate.Status.ACTIVE
        ).first()
    elif version == 0:
        record = None
    else:
        record = DocumentTemplate.objects.filter(doc_type=doc_type, version=version).first()
        if record is None:
            raise NotInScope("Không tìm thấy phiên bản mẫu này.")
    if record is None:
        return default_template(doc_type).read_bytes(), f"mau-{doc_type}-mac-dinh.docx"
    with record.file.open("rb") as handle:
        return handle.read(), f"mau-{doc_type}-v{record.version}.docx"
