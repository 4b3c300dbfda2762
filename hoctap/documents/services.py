"""Allocating numbers from a register (never repeating or skipping, also under concurrency) and cancelling;
uploading and activating administrators' Word templates."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max

from hoctap.accounts.permissions import require_perm
from hoctap.core.audit import audit_log, object_key
from hoctap.core.errors import NotInScope, ServiceError, TransitionError
from hoctap.core.permissions import Perm
from hoctap.documents.models import DocType, DocumentRegister, DocumentTemplate, IssuedDocument
from hoctap.documents.rendering import default_template, validate_template
from hoctap.units.models import UnitVersion

logger = logging.getLogger(__name__)


def _register(issuer: UnitVersion, doc_type: str, year: int) -> DocumentRegister:
    """The register row, created on first use; concurrent creators both end up with the same row."""
    try:
        with transaction.atomic():
            register, _ = DocumentRegister.objects.get_or_create(issuer=issuer, doc_type=doc_type, year=year)
    except IntegrityError:
        register = DocumentRegister.objects.get(issuer=issuer, doc_type=doc_type, year=year)
    return register


@transaction.atomic
def document_number_allocate(
    *,
    actor: Any,
    issuer: UnitVersion,
    doc_type: str,
    symbol: str,
    issued_on: date,
    summary: str,
    obj: models.Model | None = None,
) -> IssuedDocument:
    """Take the next number of the issuer's register for that type and year (01 on 1 January)."""
    register = _register(issuer, doc_type, issued_on.year)
    DocumentRegister.objects.filter(pk=register.pk).update(last_number=F("last_number") + 1)
    number = DocumentRegister.objects.values_list("last_number", flat=True).get(pk=register.pk)
    object_type, object_id = object_key(obj) if obj is not None else ("", "")
    document = IssuedDocument.objects.create(
        register=register, number=number, symbol=symbol, issued_on=issued_on, summary=summary,
        object_type=object_type, object_id=object_id,
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    audit_log(actor=actor, action="documents.number.allocated", obj=document, unit=issuer,
              data={"reference": document.reference, "summary": summary})  # fmt: skip
    return document


@transaction.atomic
def document_cancel(*, actor: Any, document: IssuedDocument, reason: str) -> IssuedDocument:
    """Cancel an issued document; its number stays recorded and is never given again."""
    if not reason.strip():
        raise ServiceError("Phải nêu lý do hủy văn bản.")
    done = IssuedDocument.objects.filter(pk=document.pk, status=IssuedDocument.Status.ISSUED).update(
        status=IssuedDocument.Status.CANCELLED, cancelled_reason=reason.strip()
    )
    if done != 1:
        raise TransitionError("Văn bản này đã bị hủy trước đó.")
    audit_log(actor=actor, action="documents.document.cancelled", obj=document, unit=document.register.issuer,
              data={"reason": reason.strip()})  # fmt: skip
    return IssuedDocument.objects.get(pk=document.pk)


# --- Word templates ---------------------------------------------------------------------------------------

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


class TemplateUploadError(ServiceError):
    """The uploaded template was refused; ``problems`` lists every reason (Vietnamese)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def _check_doc_type(doc_type: str) -> None:
    if doc_type not in DocType.values:
        raise NotInScope("Không tìm thấy loại văn bản này.")


def document_template_problems(*, doc_type: str, content: bytes, file_name: str) -> list[str]:
    """Every reason to refuse ``content`` as the template of ``doc_type`` (empty when it is fine)."""
    name = Path(file_name).name or "mau.docx"
    problems: list[str] = []
    if not name.lower().endswith(".docx"):
        problems.append(f"Tệp {name} không phải tệp Word .docx (hãy lưu lại trong Word dưới dạng .docx).")
    if not content:
        problems.append("Tệp rỗng.")
    if len(content) > MAX_TEMPLATE_BYTES:
        problems.append(f"Tệp quá lớn ({len(content) / 1024 / 1024:.1f} MB); tối đa 5 MB.")
    if problems:
        return problems
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            return validate_template(path, doc_type=doc_type)
        except Exception as exc:  # an uploaded file can break the Word reader in many ways
            logger.warning("document template %s refused: %r", name, exc)
            return [f"Không đọc được tệp {name} như một mẫu Word: cấu trúc tệp bị hỏng."]


def _active_version(doc_type: str) -> int:
    """The active version of the type (0: the shipped default), its row locked until the transaction ends."""
    row = (
        DocumentTemplate.objects.select_for_update()
        .filter(doc_type=doc_type, status=DocumentTemplate.Status.ACTIVE)
        .values_list("version", flat=True)
        .first()
    )
    return row or 0


def document_template_upload(
    *, actor: Any, doc_type: str, content: bytes, file_name: str, note: str = ""
) -> DocumentTemplate:
    """Check the file (it must render on sample data), store it as the next version and activate it."""
    require_perm(actor, Perm.DOCUMENT_TEMPLATE_MANAGE)
    _check_doc_type(doc_type)
    problems = document_template_problems(doc_type=doc_type, content=content, file_name=file_name)
    digest = hashlib.sha256(content).hexdigest()
    if not problems and digest == hashlib.sha256(default_template(doc_type).read_bytes()).hexdigest():
        problems.append("Tệp này giống hệt mẫu mặc định; không cần nạp.")
    if problems:
        raise TemplateUploadError(problems)
    with transaction.atomic():
        previous = _active_version(doc_type)
        if DocumentTemplate.objects.filter(doc_type=doc_type, version=previous, sha256=digest).exists():
            raise TemplateUploadError(["Tệp này giống hệt mẫu đang áp dụng; không có gì thay đổi."])
        last = DocumentTemplate.objects.filter(doc_type=doc_type).aggregate(last=Max("version"))["last"] or 0
        DocumentTemplate.objects.filter(doc_type=doc_type, status=DocumentTemplate.Status.ACTIVE).update(
            status=DocumentTemplate.Status.RETIRED
        )
        record = DocumentTemplate(
            doc_type=doc_type, version=last + 1, file_name=Path(file_name).name[:200], size=len(content),
            sha256=digest, status=DocumentTemplate.Status.ACTIVE, note=note.strip(),
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        record.file.save("mau.docx", ContentFile(content), save=False)
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError as exc:
            record.file.delete(save=False)
            raise TransitionError(
                "Một mẫu khác vừa được nạp cùng lúc; hãy tải lại trang rồi nạp lại."
            ) from exc
        audit_log(actor=actor, action="documents.template.uploaded", obj=record,
                  data={"doc_type": doc_type, "version": record.version, "sha256": digest,
                        "file_name": record.file_name, "retired_version": previous})  # fmt: skip
    return record


@transaction.atomic
def document_template_activate(
    *, actor: Any, doc_type: str, version: int, expected_active: int | None = None
) -> DocumentTemplate | None:
    """Go back to an earlier version (0: the shipped default); the active one is retired.

    ``expected_active`` is the version the administrator saw as active: if someone changed it meanwhile,
    nothing happens (compare-and-set).
    """
    require_perm(actor, Perm.DOCUMENT_TEMPLATE_MANAGE)
    _check_doc_type(doc_type)
    if version != 0 and not DocumentTemplate.objects.filter(doc_type=doc_type, version=version).exists():
        raise NotInScope("Không tìm thấy phiên bản mẫu này.")
    current = _active_version(doc_type)
    if expected_active is not None and current != expected_active:
        raise TransitionError("Mẫu đang áp dụng vừa được người khác thay đổi; hãy tải lại trang.")
    if current == version:
        raise TransitionError("Phiên bản này đang được áp dụng.")
    DocumentTemplate.objects.filter(doc_type=doc_type, status=DocumentTemplate.Status.ACTIVE).update(
        status=DocumentTemplate.Status.RETIRED
    )
    record = None
    if version != 0:
        try:
            with transaction.atomic():
                done = DocumentTemplate.objects.filter(
                    doc_type=doc_type, version=version, status=DocumentTemplate.Status.RETIRED
                ).update(status=DocumentTemplate.Status.ACTIVE)
        except IntegrityError as exc:
            raise TransitionError("Một phiên bản khác vừa được áp dụng; hãy tải lại trang.") from exc
        if done != 1:
            raise TransitionError("Phiên bản này không còn ở trạng thái có thể áp dụng; hãy tải lại trang.")
        record = DocumentTemplate.objects.get(doc_type=doc_type, version=version)
    audit_log(actor=actor, action="documents.template.activated", obj=record,
              data={"doc_type": doc_type, "version": version, "retired_version": current})  # fmt: skip
    return record
