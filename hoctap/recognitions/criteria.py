"""Which criteria set a round uses, and the facts computed from recorded data that the evaluation needs.

A model (gdht, dhht…) maps to a family of criteria set codes (`gdht-2015`, a future `gdht-2026`…): the round
of year Y uses the set of that family valid on 31/12/Y, so a new circular is a new data file, never code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from hoctap.criteria.schema import CriteriaSetVersion
from hoctap.criteria.selectors import criteria_catalogue, criteria_set_for
from hoctap.recognitions.models import Model, Recognition
from hoctap.registry.models import Citizen, ClanMembership, Household, HouseholdStatus, OrganisationMembership

SUBJECT_OF_MODEL: dict[str, str] = {
    Model.GDHT: "household",
    Model.DHHT: "clan",
    Model.CDHT_THON: "village",
    Model.DVHT_XA: "organisation",
    Model.CDHT: "citizen",
}


class CriteriaNotFound(LookupError):
    pass


def _family_re(model: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(model)}-\d{{4}}$")


def criteria_set_for_model(*, model: str, year: int) -> CriteriaSetVersion:
    """The set of the model's family valid on 31/12 of `year` (the newest valid_from wins).

    The family's codes come from the catalogue (stored versions, then shipped files), so a new circular
    uploaded by an administrator as `gdht-2026` is picked up without a code change.
    """
    on = date(year, 12, 31)
    pattern = _family_re(model)
    codes = sorted(entry["code"] for entry in criteria_catalogue()["sets"] if pattern.match(entry["code"]))
    candidates = []
    for code in codes:
        try:
            candidates.append(criteria_set(code=code, on=on))
        except LookupError:
            continue
    valid = [cs for cs in candidates if cs.valid_from <= on and (cs.valid_to is None or on <= cs.valid_to)]
    if not valid:
        raise CriteriaNotFound(f"Chưa có bộ tiêu chí {Model(model).label} áp dụng cho năm {year}.")
    return max(valid, key=lambda cs: cs.valid_from)


def criteria_set(*, code: str, version: int | None = None, on: date | None = None) -> CriteriaSetVersion:
    """The version to evaluate with: explicit, else the active one, else the one valid on `on`."""
    return criteria_set_for(code=code, version=version, on=on)


def _share(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def _gdht_households(year: int) -> Any:
    return Recognition.objects.filter(model=Model.GDHT, year=year, status=Recognition.Status.VALID).values(
        "assessment__household_id"
    )


def _clan_share(subject: Any, year: int) -> Decimal | None:
    members = ClanMembership.objects.filter(clan=subject, valid_from__lte=date(year, 12, 31)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=date(year, 1, 1))
    )
    whole = members.count()
    part = members.filter(household_id__in=_gdht_households(year)).count()
    return _share(part, whole)


def _village_share(subject: Any, year: int) -> Decimal | None:
    households = Household.objects.filter(village=subject, status=HouseholdStatus.ACTIVE)
    return _share(households.filter(pk__in=_gdht_households(year)).count(), households.count())


def _members_cdht_share(subject: Any, year: int) -> Decimal | None:
    members = OrganisationMembership.objects.filter(
        organisation=subject, valid_from__lte=date(year, 12, 31)
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date(year, 1, 1)))
    cdht = Recognition.objects.filter(model=Model.CDHT, year=year, status=Recognition.Status.VALID).values(
        "assessment__citizen_id"
    )
    return _share(members.filter(citizen_id__in=cdht).count(), members.count())


def _adults_cdht_share(subject: Any, year: int) -> Decimal | None:
    adults = Citizen.objects.filter(household__village=subject, birth_date__lte=date(year - 15, 12, 31))
    cdht = Recognition.objects.filter(model=Model.CDHT, year=year, status=Recognition.Status.VALID).values(
        "assessment__citizen_id"
    )
    return _share(adults.filter(pk__in=cdht).count(), adults.count())


# context_key → how it is computed for (subject, year). Keys come from the criteria data files.
CONTEXT_COMPUTERS: dict[str, Callable[[Any, int], Decimal | None]] = {
    "share_households_gdht": lambda s, y: (
        _clan_share(s, y) if s.__class__.__name__ == "Clan" else _village_share(s, y)
    ),
    "share_members_cdht": _members_cdht_share,
    "share_adults_cdht": _adults_cdht_share,
}


def context_keys(cs: CriteriaSetVersion) -> set[str]:
    """Every context key the set reads (computed indicators and preconditions)."""
    keys = {p.context_key for p in cs.preconditions}
    for tree in cs.criteria_trees():
        for criterion in tree:
            keys |= {ind.context_key for ind in criterion.indicators if ind.context_key}
    return {k for k in keys if k}


def compute_context(*, cs: CriteriaSetVersion, subject: Any, year: int) -> dict[str, object]:
    """The facts the set needs, computed from the same year's records (never typed in)."""
    context: dict[str, object] = {"data_year": year}
    for key in sorted(context_keys(cs)):
        computer = CONTEXT_COMPUTERS.get(key)
        if computer is not None:
            value = computer(subject, year)
            context[key] = float(value) if value is not None else 0.0
    return context
