"""Reads of the audit trail, always scoped."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hoctap.accounts.permissions import scope_for
from hoctap.core.models import AuditEntry
from hoctap.core.permissions import Perm
from hoctap.units.models import UnitVersion
from hoctap.units.selectors import unit_descendant_ids


def audit_list_for_unit(*, user: Any, unit: UnitVersion) -> QuerySet[AuditEntry]:
    """Entries recorded for this unit or any unit below it, within the user's audit scope."""
    scope = scope_for(user, Perm.AUDIT_VIEW)
    ids = unit_descendant_ids(unit=unit) | {unit.pk}
    if not scope.everything:
        ids &= set(scope.unit_ids)
    return AuditEntry.objects.filter(unit_id__in=ids).select_related("actor", "unit")


def audit_list_for_object(
    *, user: Any, object_type: str, object_id: str, unit: UnitVersion | None
) -> QuerySet[AuditEntry]:
    """The history of one object; the caller has already resolved the object within the user's scope."""
    scope = scope_for(user, Perm.AUDIT_VIEW)
    if unit is not None and not scope.has_unit(unit.pk):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(object_type=object_type, object_id=object_id).select_related(
        "actor", "unit"
    )
