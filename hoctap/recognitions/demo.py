"""Demo step: link the persona `congdan` to an adult citizen of Phường Đồng Hới (for the self-assessment)."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.utils import timezone

from hoctap.accounts.models import User
from hoctap.core.demo import COMMUNE_A, register_demo_step
from hoctap.registry.models import Citizen
from hoctap.units.models import VillageParent, valid_on_q


@register_demo_step
def link_citizen_persona(scale: str, rng: random.Random) -> dict[str, Any]:
    from hoctap.recognitions.self_assessment import citizen_link_user

    user = User.objects.filter(username="congdan").first()
    if user is None or Citizen.objects.filter(user=user).exists():
        return {}
    villages = VillageParent.objects.filter(valid_on_q(timezone.localdate()), commune__code=COMMUNE_A).values(
        "village_id"
    )
    today = timezone.localdate()
    citizen = (
        Citizen.objects.filter(
            household__village__in=villages,
            user__isnull=True,
            birth_date__lte=date(today.year - 18, today.month, 1),
        )
        .order_by("pk")
        .first()
    )
    if citizen is None:
        return {}
    citizen_link_user(actor=None, citizen=citizen, user=user)
    return {"self_assessment_citizen": citizen.full_name}
