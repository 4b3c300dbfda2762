"""audit_log(): the one way services record what they did (call it inside the service's transaction)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from hoctap.core.middleware import current_request_id
from hoctap.core.models import AuditEntry

if TYPE_CHECKING:
    from hoctap.units.models import UnitVersion


def object_key(obj: models.Model) -> tuple[str, str]:
    """The (object_type, object_id) pair that identifies obj in the audit table."""
    public = getattr(obj, "public_id", None)
    return obj._meta.label_lower, str(public or obj.pk)


def audit_log(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    unit: UnitVersion | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry. `actor` may be None for system jobs (load_units, demo)."""
    object_type, object_id = object_key(obj) if obj is not None else ("", "")
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:300] if obj is not None else "",
        unit=unit,
        data=data or {},
        request_id=current_request_id(),
    )
