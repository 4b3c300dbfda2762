"""The policy API: what a user may do, and where (their unit subtree).

`scope_for(user, perm)` is the one place that turns role assignments into the set of unit versions,
villages and organisations a permission reaches. Selectors filter by it; services call `require_perm`.
A unit outside every scope of the user raises NotInScope (views answer 404); a unit the user can see
but not act on raises PermissionDeniedError (views answer 403).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from hoctap.accounts.models import RoleAssignment
from hoctap.core.errors import NotInScope, PermissionDeniedError
from hoctap.core.permissions import ROLE_PERMS, Perm, Role
from hoctap.units.models import Organisation, UnitVersion, valid_on_q
from hoctap.units.selectors import unit_ids_with_default_predecessors

_M = TypeVar("_M", bound=Model)


@dataclass(frozen=True)
class Scope:
    """Where a permission reaches. everything=True for superusers (the national operator)."""

    everything: bool
    unit_ids: frozenset[int]
    village_ids: frozenset[int]
    organisation_ids: frozenset[int]

    @property
    def empty(self) -> bool:
        return not (self.everything or self.unit_ids or self.village_ids or self.organisation_ids)

    def has_unit(self, unit_id: int | None) -> bool:
        return self.everything or (unit_id is not None and unit_id in self.unit_ids)

    def filter_units(self, qs: QuerySet[_M], field: str = "pk") -> QuerySet[_M]:
        """Keep the rows whose `field` (a unit id) lies in this scope."""
        return qs if self.everything else qs.filter(**{f"{field}__in": self.unit_ids})


NO_SCOPE = Scope(False, frozenset(), frozenset(), frozenset())


def active_assignments(user: Any, on: date | None = None) -> list[RoleAssignment]:
    if not getattr(user, "is_authenticated", False):
        return []
    cache: dict[str, Any] = user.__dict__.setdefault("_hoctap_policy_cache", {})
    key = f"assignments:{on}"
    if key not in cache:
        day = on or timezone.localdate()
        cache[key] = list(
            RoleAssignment.objects.filter(valid_on_q(day), user=user).select_related(
                "unit", "village", "organisation"
            )
        )
    result: list[RoleAssignment] = cache[key]
    return result


def roles_of(user: Any) -> set[Role]:
    return {Role(a.role) for a in active_assignments(user)}


def scope_for(user: Any, perm: Perm | None = None) -> Scope:
    """The scope of `perm` for `user` today; perm=None gives the union of all their roles (visibility)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    if user.is_superuser:
        return Scope(True, frozenset(), frozenset(), frozenset())
    cache: dict[str, Any] = user.__dict__.setdefault("_hoctap_policy_cache", {})
    key = f"scope:{perm}"
    if key not in cache:
        cache[key] = _compute_scope(active_assignments(user), perm)
    scope: Scope = cache[key]
    return scope


def _compute_scope(assignments: list[RoleAssignment], perm: Perm | None) -> Scope:
    roots: set[int] = set()
    singles: set[int] = set()
    villages: set[int] = set()
    orgs: set[int] = set()
    for a in assignments:
        if perm is not None and perm not in ROLE_PERMS[Role(a.role)]:
            continue
        if a.unit_id is not None:
            (roots if a.subtree else singles).add(a.unit_id)
        if a.village_id is not None:
            villages.add(a.village_id)
        if a.organisation_id is not None:
            orgs.add(a.organisation_id)
    unit_ids: set[int] = set(singles)
    if roots:
        below = UnitVersion.objects.filter(
            Q(pk__in=roots) | Q(province_id__in=roots) | Q(district_id__in=roots) | Q(parent_id__in=roots)
        ).values_list("pk", flat=True)
        unit_ids |= unit_ids_with_default_predecessors(set(below))
    if orgs:
        orgs |= set(Organisation.objects.filter(parent_id__in=orgs).values_list("pk", flat=True))
    return Scope(False, frozenset(unit_ids), frozenset(villages), frozenset(orgs))


def role_grants(user: Any, perm: Perm) -> bool:
    """Does any of the user's roles today grant `perm` (somewhere)? No scope computed: for menus."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or any(perm in ROLE_PERMS[Role(a.role)] for a in active_assignments(user))


def has_perm(user: Any, perm: Perm, unit: UnitVersion | None = None) -> bool:
    """May `user` use `perm` on `unit` (or anywhere, when unit is None)?"""
    scope = scope_for(user, perm)
    if unit is None:
        return not scope.empty
    return scope.has_unit(unit.pk)


def units_with_perm(user: Any, perm: Perm) -> QuerySet[UnitVersion]:
    return scope_for(user, perm).filter_units(UnitVersion.objects.all())


def require_perm(user: Any, perm: Perm, unit: UnitVersion | None = None) -> None:
    """Raise NotInScope when the unit is invisible to the user, PermissionDeniedError when read-only."""
    if has_perm(user, perm, unit):
        return
    visible = scope_for(user, None)
    if unit is None and not visible.empty:
        raise PermissionDeniedError("Bạn không có quyền thực hiện thao tác này.")
    if unit is not None and visible.has_unit(unit.pk):
        raise PermissionDeniedError("Bạn không có quyền thực hiện thao tác này đối với đơn vị này.")
    raise NotInScope("Không tìm thấy.")
