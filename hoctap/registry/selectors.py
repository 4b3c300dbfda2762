"""Reads of the registry, always scoped to the user's villages.

People are scoped by where they live *now*: a household is visible to a user when its village's current
commune is in the user's scope (or the village itself is assigned to them). Using today's parent, not the
lineage, keeps a commune from seeing people of a split predecessor who now live in another commune.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from hoctap.accounts.permissions import scope_for
from hoctap.core.permissions import Perm
from hoctap.core.text import fold
from hoctap.registry.models import Citizen, Clan, Household
from hoctap.units.models import UnitVersion, Village, VillageParent, valid_on_q


def village_ids_for_user(
    *, user: Any, perm: Perm = Perm.REGISTRY_VIEW, on: date | None = None
) -> QuerySet[Village]:
    """Villages whose commune on `on` (default today) is in scope for `perm`, plus assigned villages."""
    scope = scope_for(user, perm)
    day = on or timezone.localdate()
    if scope.everything:
        return Village.objects.all()
    links = VillageParent.objects.filter(valid_on_q(day), commune_id__in=scope.unit_ids).values("village_id")
    return Village.objects.filter(Q(pk__in=links) | Q(pk__in=scope.village_ids))


def communes_for_user(
    *, user: Any, perm: Perm = Perm.REGISTRY_VIEW, on: date | None = None
) -> QuerySet[UnitVersion]:
    """Communes valid on `on` (default today) in the user's scope for `perm`."""
    scope = scope_for(user, perm)
    day = on or timezone.localdate()
    qs = UnitVersion.objects.filter(valid_on_q(day), level="commune")
    return scope.filter_units(qs)


def household_list_for_user(
    *,
    user: Any,
    village: Village | None = None,
    commune: UnitVersion | None = None,
    status: str | None = None,
    search: str = "",
    perm: Perm = Perm.REGISTRY_VIEW,
) -> QuerySet[Household]:
    qs = Household.objects.filter(village__in=village_ids_for_user(user=user, perm=perm))
    if village is not None:
        qs = qs.filter(village=village)
    if commune is not None:
        in_commune = VillageParent.objects.filter(valid_on_q(timezone.localdate()), commune=commune)
        qs = qs.filter(village__in=in_commune.values("village_id"))
    if status:
        qs = qs.filter(status=status)
    if search:
        folded = fold(search)
        qs = qs.filter(
            Q(head_name_search__contains=folded)
            | Q(code=search.strip().upper())
            | Q(head_cccd=search.strip())
        )
    return qs.select_related("village")


def household_get_for_user(*, user: Any, public_id: str, perm: Perm = Perm.REGISTRY_VIEW) -> Household | None:
    return household_list_for_user(user=user, perm=perm).filter(public_id=public_id).first()


def citizen_list_for_user(
    *, user: Any, household: Household | None = None, search: str = "", perm: Perm = Perm.REGISTRY_VIEW
) -> QuerySet[Citizen]:
    villages = village_ids_for_user(user=user, perm=perm)
    qs = Citizen.objects.filter(household__village__in=villages)
    if household is not None:
        qs = qs.filter(household=household)
    if search:
        folded = fold(search)
        qs = qs.filter(Q(name_search__contains=folded) | Q(cccd=search.strip()))
    return qs.select_related("household__village")


def citizen_get_for_user(*, user: Any, public_id: str, perm: Perm = Perm.REGISTRY_VIEW) -> Citizen | None:
    return citizen_list_for_user(user=user, perm=perm).filter(public_id=public_id).first()


def clan_list_for_user(*, user: Any, search: str = "", perm: Perm = Perm.REGISTRY_VIEW) -> QuerySet[Clan]:
    scope = scope_for(user, perm)
    qs = scope.filter_units(Clan.objects.all(), field="commune_id")
    if search:
        qs = qs.filter(name_search__contains=fold(search))
    return qs.select_related("commune")


def clan_get_for_user(*, user: Any, public_id: str, perm: Perm = Perm.REGISTRY_VIEW) -> Clan | None:
    return clan_list_for_user(user=user, perm=perm).filter(public_id=public_id).first()
