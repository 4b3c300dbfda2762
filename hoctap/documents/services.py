"""Allocating numbers from a register (never repeating or skipping, also under concurrency) and cancelling."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F

from hoctap.core.audit import audit_log, object_key
from hoctap.core.errors import ServiceError, TransitionError
from hoctap.documents.models import DocumentRegister, IssuedDocument
from hoctap.units.models import UnitVersion


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
