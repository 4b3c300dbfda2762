"""Progress of a year's rounds per commune and village, against last year and the programme targets."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone

from hoctap.core.permissions import Perm
from hoctap.criteria.schema import load_targets
from hoctap.criteria.schema.movement import Target
from hoctap.recognitions.models import Assessment, Model, Recognition
from hoctap.registry.models import Citizen, Household, HouseholdStatus
from hoctap.registry.selectors import communes_for_user
from hoctap.units.models import VillageParent, valid_on_q


@dataclass(frozen=True)
class ProgressRow:
    name: str
    public_id: str
    subjects: int
    assessed: int
    recognised: int
    last_year: int

    @property
    def rate(self) -> Decimal | None:
        if not self.subjects:
            return None
        return (Decimal(self.recognised) * 100 / self.subjects).quantize(Decimal("0.1"))


def _counts_by_village(model: str, year: int, villages: list[int]) -> dict[str, dict[int, int]]:
    if model == Model.CDHT:
        by_citizen = Citizen.objects.filter(household__village__in=villages).values("household__village")
        subject_map = dict(by_citizen.annotate(n=Count("pk")).values_list("household__village", "n"))
    else:
        active = Household.objects.filter(village__in=villages, status=HouseholdStatus.ACTIVE)
        subject_map = dict(active.values("village").annotate(n=Count("pk")).values_list("village", "n"))
    assessed = (
        Assessment.objects.filter(
            round__model=model,
            round__year=year,
            status=Assessment.Status.ASSESSED,
            subject_village__in=villages,
        )
        .values("subject_village")
        .annotate(n=Count("pk"))
    )
    recs = (
        Recognition.objects.filter(
            model=model, year__in=[year, year - 1], village__in=villages, status=Recognition.Status.VALID
        )
        .values("village", "year")
        .annotate(n=Count("pk"))
    )
    return {
        "subjects": subject_map,
        "assessed": {r["subject_village"]: r["n"] for r in assessed},
        "recognised": {r["village"]: r["n"] for r in recs if r["year"] == year},
        "last_year": {r["village"]: r["n"] for r in recs if r["year"] == year - 1},
    }


def progress_for_user(*, user: Any, model: str, year: int) -> list[ProgressRow]:
    """One row per commune in scope (today's hierarchy), counted over its villages; constant query count."""
    communes = list(communes_for_user(user=user, perm=Perm.RECOGNITION_VIEW).order_by("name"))
    links = list(
        VillageParent.objects.filter(valid_on_q(timezone.localdate()), commune__in=communes).values_list(
            "commune_id", "village_id"
        )
    )
    counts = _counts_by_village(model, year, [v for _, v in links])
    rows = []
    for commune in communes:
        villages = [v for c, v in links if c == commune.pk]
        total = {key: sum(values.get(v, 0) for v in villages) for key, values in counts.items()}
        rows.append(
            ProgressRow(
                commune.name,
                commune.public_id,
                total["subjects"],
                total["assessed"],
                total["recognised"],
                total["last_year"],
            )
        )
    return rows


def targets_for(*, model: str) -> list[Target]:
    """The programme targets whose numerator counts this model's recognitions."""
    return [t for t in load_targets().targets if t.numerator is not None and t.numerator.model == model]
