"""Reads of the registry, always scoped to the user's villages.

People are scoped by where they live *now*: a household is visible to a user when its village's current
commune is in the user's scope (or the village itself is assigned to them). Using today's parent, not the
lineage, keeps a commune from seeing people of a split predecessor who now live in another commune.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from hoctap.accounts.permissions import scope_for
from hoctap.core.permissions import Perm
from hoctap.core.text import fold
from hoctap.registry.models import (
    Citizen,
    Clan,
    Household,
    HouseholdMembership,
    HouseholdResidence,
    HouseholdStatus,
)
from hoctap.units.models import UnitVersion, Village, VillageParent, valid_on_q

WIDE_SCOPE_VILLAGES = (
    150  # about 50,000 households: beyond that, lists use the *_list_wide_for_user selectors
)
CCCD_SHAPE = re.compile(r"\d{12}")
CODE_SHAPE = re.compile(r"[A-Za-z0-9]{6,20}")


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
    on: date | None = None,
) -> QuerySet[Household]:
    """The households the user sees (by where they live now), filtered.

    ``on`` (a past day) switches the village and commune filters to that day: the households that lived
    on that day in the village, or in a village of the commune as it was then (a commune before the 2025
    reform, say); without a village or commune, the households living anywhere on that day.
    """
    qs = Household.objects.filter(village__in=village_ids_for_user(user=user, perm=perm))
    places = _places(village, commune, on)
    if on is not None:
        qs = qs.filter(lived_in_on(places, on))
    elif places is not None:
        qs = qs.filter(village__in=places)
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


def _places(village: Village | None, commune: UnitVersion | None, on: date | None) -> Any:
    """The villages a list is filtered to: the chosen village, else the commune's villages on ``on``
    (default today), else None (no village filter)."""
    if village is not None:
        return [village.pk]
    if commune is not None:
        day = on or timezone.localdate()
        return VillageParent.objects.filter(valid_on_q(day), commune=commune).values("village_id")
    return None


def citizen_list_for_user(
    *,
    user: Any,
    household: Household | None = None,
    village: Village | None = None,
    commune: UnitVersion | None = None,
    search: str = "",
    perm: Perm = Perm.REGISTRY_VIEW,
) -> QuerySet[Citizen]:
    villages = village_ids_for_user(user=user, perm=perm)
    qs = Citizen.objects.filter(household__village__in=villages)
    if household is not None:
        qs = qs.filter(household=household)
    places = _places(village, commune, None)
    if places is not None:
        qs = qs.filter(household__village__in=places)
    if search:
        folded = fold(search)
        qs = qs.filter(Q(name_search__contains=folded) | Q(cccd=search.strip()))
    return qs.select_related("household__village")


def citizen_get_for_user(*, user: Any, public_id: str, perm: Perm = Perm.REGISTRY_VIEW) -> Citizen | None:
    return citizen_list_for_user(user=user, perm=perm).filter(public_id=public_id).first()


def scope_is_wide(*, user: Any) -> bool:
    """Does the user see so many villages that lists should use the wide selectors (province users)?"""
    scope = scope_for(user, Perm.REGISTRY_VIEW)
    return scope.everything or village_ids_for_user(user=user).count() > WIDE_SCOPE_VILLAGES


def _in_scope_wide(qs: QuerySet[Any], user: Any, village_field: str) -> QuerySet[Any]:
    """``qs`` limited to rows whose ``village_field`` is a visible village, without steering the plan.

    A user who sees every village (everything, or a province officer when the database holds that one
    province) needs no village filter: a household always has a village, so only the first link is tested
    (``household_id IS NOT NULL`` for citizens: no join to the households, which took a third of the time
    of a search for a common name). Otherwise the village is compared as ``village_id + 0``: with a plain
    ``IN``, SQLite (and PostgreSQL for wide scopes) drives the query from the list of visible villages and
    sorts every household of the province (160 ms at 470,000) instead of walking the name index (2 ms).
    """
    visible = village_ids_for_user(user=user)
    if scope_for(user, Perm.REGISTRY_VIEW).everything or visible.count() == Village.objects.count():
        first_link = village_field.split("__", 1)[0]
        return qs.filter(**{f"{first_link}__isnull": False})
    villages = visible.values("pk")
    return qs.alias(village_key=F(village_field) + 0).filter(village_key__in=villages)


def _name_order(qs: QuerySet[Any], field: str) -> QuerySet[Any]:
    """Filter first, then sort (PostgreSQL): ordering by an expression of the name keeps the planner from
    walking the name index row by row up to the first matches (2.9 s over 1.9 million citizens for a
    common name); the matches come from the pg_trgm index of migration 0003 instead."""
    if connection.vendor == "postgresql":
        return qs.order_by(Lower(field), "pk")
    return qs


def household_list_wide_for_user(*, user: Any, status: str = "", search: str = "") -> QuerySet[Household]:
    """Same rows as `household_list_for_user` without a commune or village filter, shaped for scopes of
    hundreds of villages: a CCCD (12 digits) or a household code matches exactly; anything else searches
    the folded name alone, which a single index answers."""
    qs = _in_scope_wide(Household.objects.all(), user, "village_id")
    if status:
        qs = qs.filter(status=status)
    text = search.strip()
    if text:
        if CCCD_SHAPE.fullmatch(text):
            qs = qs.filter(head_cccd=text)
        else:
            name = Q(head_name_search__contains=fold(text))
            qs = qs.filter(Q(code=text.upper()) | name if CODE_SHAPE.fullmatch(text) else name)
            qs = _name_order(qs, "head_name_search")
    return qs.select_related("village")


def citizen_list_wide_for_user(*, user: Any, search: str = "") -> QuerySet[Citizen]:
    """Same rows as `citizen_list_for_user` (without a household filter), shaped for wide scopes.

    The household and village come by prefetch, not by join: PostgreSQL then keeps only the first rows
    while sorting the matches of a common name (top-N) instead of sorting all of them on disk.
    """
    qs = _in_scope_wide(Citizen.objects.all(), user, "household__village_id")
    text = search.strip()
    if text:
        if CCCD_SHAPE.fullmatch(text):
            qs = qs.filter(cccd=text)
        else:
            qs = _name_order(qs.filter(name_search__contains=fold(text)), "name_search")
    return qs.prefetch_related("household__village")


def clan_list_for_user(*, user: Any, search: str = "", perm: Perm = Perm.REGISTRY_VIEW) -> QuerySet[Clan]:
    scope = scope_for(user, perm)
    qs = scope.filter_units(Clan.objects.all(), field="commune_id")
    if search:
        qs = qs.filter(name_search__contains=fold(search))
    return qs.select_related("commune")


def clan_get_for_user(*, user: Any, public_id: str, perm: Perm = Perm.REGISTRY_VIEW) -> Clan | None:
    return clan_list_for_user(user=user, perm=perm).filter(public_id=public_id).first()


# --- histories: the current period (on the row), then the closed ones (history tables), newest first ---


@dataclass(frozen=True)
class HistoryPeriod:
    """One period of a history; the current one has ``valid_to`` None ("nay")."""

    valid_from: date | None
    valid_to: date | None
    village: Village | None = None
    household: Household | None = None
    citizen: Citizen | None = None
    relationship: str = ""
    communes: tuple[str, ...] = ()  # residences: the village's communes during the period, in order


def household_residences(household: Household) -> list[HistoryPeriod]:
    """Where the household lived: its village now (while it still lives there), then the earlier ones,
    each with the communes its village belonged to during the period (two across the 2025 reform)."""
    periods = []
    if household.status == HouseholdStatus.ACTIVE:
        periods.append(HistoryPeriod(household.village_since, None, village=household.village))
    earlier = HouseholdResidence.objects.filter(household=household).select_related("village")
    periods += [
        HistoryPeriod(r.valid_from, r.valid_to, village=r.village) for r in earlier.order_by("-valid_from")
    ]
    links = VillageParent.objects.filter(village_id__in={p.village.pk for p in periods if p.village})
    by_village: dict[int, list[VillageParent]] = {}
    for link in links.select_related("commune").order_by("valid_from"):
        by_village.setdefault(link.village_id, []).append(link)
    return [replace(p, communes=_communes_during(by_village, p)) for p in periods]


def _communes_during(by_village: dict[int, list[VillageParent]], period: HistoryPeriod) -> tuple[str, ...]:
    start, end = period.valid_from or date.min, period.valid_to or date.max
    links = by_village.get(period.village.pk, []) if period.village else []
    return tuple(
        link.commune.name for link in links if link.valid_from <= end and (link.valid_to or date.max) >= start
    )


def household_members(household: Household) -> list[HistoryPeriod]:
    """The household's members now (by the day they joined), then those who left (latest first)."""
    current = Citizen.objects.filter(household=household).order_by("household_since", "pk")
    periods = [
        HistoryPeriod(c.household_since, None, citizen=c, relationship=c.relationship) for c in current
    ]
    earlier = HouseholdMembership.objects.filter(household=household).select_related("citizen")
    periods += [
        HistoryPeriod(m.valid_from, m.valid_to, citizen=m.citizen, relationship=m.relationship)
        for m in earlier.order_by("-valid_to", "-valid_from")
    ]
    return periods


def citizen_households(citizen: Citizen) -> list[HistoryPeriod]:
    """The citizen's household now, then the earlier ones."""
    periods = []
    if citizen.household is not None:
        periods.append(
            HistoryPeriod(
                citizen.household_since, None, household=citizen.household, relationship=citizen.relationship
            )
        )
    earlier = HouseholdMembership.objects.filter(citizen=citizen).select_related("household")
    periods += [
        HistoryPeriod(m.valid_from, m.valid_to, household=m.household, relationship=m.relationship)
        for m in earlier.order_by("-valid_from")
    ]
    return periods


# --- the registry on a past day ---------------------------------------------------------------------------


def lived_in_on(villages: QuerySet[Any] | list[int] | None, day: date) -> Q:
    """Households that lived on ``day`` in one of ``villages`` (None: in any village).

    The current period is on the row (an active household, there since ``village_since``); an ended one is
    a HouseholdResidence row covering the day (ADR 0006).
    """
    current = Q(status=HouseholdStatus.ACTIVE, village_since__lte=day)
    earlier = HouseholdResidence.objects.filter(valid_from__lte=day, valid_to__gte=day)
    if villages is not None:
        current &= Q(village__in=villages)
        earlier = earlier.filter(village__in=villages)
    return current | Q(pk__in=earlier.values("household_id"))


def villages_on(households: list[Household], day: date) -> dict[int, int]:
    """Household id → the village it lived in on ``day``, for a page of households (one query)."""
    return village_ids_of_households_on(
        [(h.pk, h.village_id, h.status, h.village_since) for h in households], day
    )


def village_ids_of_households_on(rows: list[tuple[int, int, str, date]], day: date) -> dict[int, int]:
    """villages_on for (id, village_id, status, village_since) rows; households that lived nowhere in
    the registry on ``day`` are left out."""
    found = {
        pk: village
        for pk, village, status, since in rows
        if status == HouseholdStatus.ACTIVE and since <= day
    }
    rest = [row[0] for row in rows if row[0] not in found]
    if rest:
        earlier = HouseholdResidence.objects.filter(
            household_id__in=rest, valid_from__lte=day, valid_to__gte=day
        ).values_list("household_id", "village_id")
        found.update(earlier)
    return found


def household_counts_by_village(village_ids: list[int], day: date | None = None) -> dict[int, int]:
    """How many households live in each village: now (active ones), or on a past ``day``."""
    if day is None:
        now = Household.objects.filter(village_id__in=village_ids, status=HouseholdStatus.ACTIVE)
        return dict(now.values_list("village_id").annotate(n=Count("pk")).values_list("village_id", "n"))
    current = Household.objects.filter(
        village_id__in=village_ids, status=HouseholdStatus.ACTIVE, village_since__lte=day
    )
    earlier = HouseholdResidence.objects.filter(
        village_id__in=village_ids, valid_from__lte=day, valid_to__gte=day
    )
    counts: dict[int, int] = {}
    for qs in (current, earlier):
        for village_id, n in (
            qs.values_list("village_id").annotate(n=Count("pk")).values_list("village_id", "n")
        ):
            counts[village_id] = counts.get(village_id, 0) + n
    return counts
