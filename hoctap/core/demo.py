"""Deterministic demo set-up: units, villages, organisations and one login per persona.

Idempotent: running it again changes nothing. The registry's generator (households, citizens) plugs in
through `DEMO_STEPS` so each app owns its own demo data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from hoctap.accounts.models import RoleAssignment, User
from hoctap.core.audit import audit_log
from hoctap.core.permissions import Role
from hoctap.core.text import fold
from hoctap.units.models import (
    Level,
    Organisation,
    OrganisationKind,
    UnitLineage,
    UnitVersion,
    Village,
    VillageKind,
    VillageParent,
)
from hoctap.units.selectors import unit_resolve
from hoctap.units.services import REFORM_DAY, units_load_snapshot

DEMO_PASSWORD = "Demo@2026"
SEED = 20231211  # the date of Kế hoạch 2557/KH-UBND
PROVINCE_CODE = "44"
COMMUNE_A = "18880"  # Phường Đồng Hới
COMMUNE_B = "19138"  # Xã Phong Nha
SCALES = {"small": {"villages_per_old_commune": 3}, "province": {"villages_per_old_commune": 5}}


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    position: str
    role: Role | None
    target: str  # "province", "commune_a", "commune_b", "village_a", "school_a"


PERSONAS: tuple[Persona, ...] = (
    Persona("admin", "Quản trị hệ thống", "Quản trị hệ thống", None, ""),
    Persona("tinh.quantri", "Nguyễn Văn Hùng", "Quản trị cấp tỉnh", Role.PROVINCE_ADMIN, "province"),
    Persona("so.gddt", "Trần Thị Minh Thu", "Chuyên viên Sở GDĐT", Role.PROVINCE_SPECIALIST, "province"),
    Persona("ban.tdkt", "Lê Quang Vinh", "Chuyên viên Ban TĐKT, Sở Nội vụ", Role.APPRAISER, "province"),
    Persona("hoidong", "Phạm Thị Lan", "Ủy viên Hội đồng TĐKT tỉnh", Role.COUNCIL_MEMBER, "province"),
    Persona(
        "xa.donghoi", "Hoàng Văn Nam", "Công chức VH-XH phường Đồng Hới", Role.COMMUNE_OFFICER, "commune_a"
    ),
    Persona("xa.phongnha", "Đặng Thị Hoa", "Công chức VH-XH xã Phong Nha", Role.COMMUNE_OFFICER, "commune_b"),
    Persona("thon.donghoi", "Bùi Văn Tâm", "Tổ trưởng tổ dân phố", Role.VILLAGE_HEAD, "village_a"),
    Persona("truong.donghoi", "Võ Thị Hạnh", "Phó Hiệu trưởng", Role.ORG_FOCAL_POINT, "school_a"),
    Persona("congdan", "Ngô Minh Đức", "Công dân", Role.CITIZEN, "commune_a"),
)

DemoStep = Callable[[str, random.Random], dict[str, Any]]
DEMO_STEPS: list[DemoStep] = []


def register_demo_step(step: DemoStep) -> DemoStep:
    """Apps add their demo generators here (called in registration order after units and villages)."""
    DEMO_STEPS.append(step)
    return step


def demo_setup(*, scale: str = "small") -> dict[str, Any]:
    if scale not in SCALES:
        raise ValueError(f"Quy mô không hợp lệ: {scale!r}; dùng small hoặc province.")
    rng = random.Random(SEED)
    summary: dict[str, Any] = {"scale": scale}
    if not UnitVersion.objects.filter(level=Level.PROVINCE).exists():
        summary["units"] = units_load_snapshot().counts
    summary["villages"] = _villages(scale, rng)
    targets = _targets()
    summary["users"] = _personas(targets)
    for step in DEMO_STEPS:
        summary.update(step(scale, rng))
    return summary


@transaction.atomic
def _villages(scale: str, rng: random.Random) -> int:
    """Villages under the old communes (until 30/6/2025) that follow their commune's default successor."""
    province = unit_resolve(code=PROVINCE_CODE, on=REFORM_DAY, level=Level.PROVINCE)
    new_communes = list(UnitVersion.objects.filter(province=province, level=Level.COMMUNE))
    if scale == "small":
        new_communes = [c for c in new_communes if c.code in (COMMUNE_A, COMMUNE_B)]
    links = UnitLineage.objects.filter(successor__in=new_communes, is_default=True).select_related(
        "predecessor", "successor"
    )
    per_old = SCALES[scale]["villages_per_old_commune"]
    existing = set(VillageParent.objects.values_list("commune_id", "village__name"))
    villages: list[Village] = []
    parents: list[tuple[int, UnitVersion, UnitVersion]] = []
    for link in links.order_by("successor__code", "predecessor__code"):
        old = link.predecessor
        urban = old.kind in ("phuong", "thi_tran")
        for n in range(1, per_old + 1):
            name = f"{'Tổ dân phố' if urban else 'Thôn'} {n}"
            if (old.pk, name) in existing:
                continue
            village = Village(
                name=name,
                kind=VillageKind.TO_DAN_PHO if urban else VillageKind.THON,
                valid_from=old.valid_from,
            )
            village.name_search = fold(name)
            villages.append(village)
            parents.append((len(villages) - 1, old, link.successor))
    Village.objects.bulk_create(villages)
    VillageParent.objects.bulk_create(
        [
            VillageParent(village=villages[i], commune=old, valid_from=old.valid_from, valid_to=old.valid_to)
            for i, old, _ in parents
        ]
        + [
            VillageParent(village=villages[i], commune=new, valid_from=new.valid_from, valid_to=None)
            for i, _, new in parents
        ]
    )
    return Village.objects.count()


def _targets() -> dict[str, Any]:
    province = unit_resolve(code=PROVINCE_CODE, on=REFORM_DAY, level=Level.PROVINCE)
    commune_a = unit_resolve(code=COMMUNE_A, on=REFORM_DAY, level=Level.COMMUNE)
    commune_b = unit_resolve(code=COMMUNE_B, on=REFORM_DAY, level=Level.COMMUNE)
    village_a = Village.objects.filter(parents__commune=commune_a).order_by("pk").first()
    school, _ = Organisation.objects.get_or_create(
        name="Trường THCS Hải Thành",
        unit=commune_a,
        defaults={"kind": OrganisationKind.SCHOOL, "valid_from": REFORM_DAY},
    )
    for name, kind in (
        ("Sở Giáo dục và Đào tạo tỉnh Quảng Trị", OrganisationKind.AGENCY),
        ("Hội Khuyến học tỉnh Quảng Trị", OrganisationKind.KHUYEN_HOC),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Quảng Trị", OrganisationKind.FRONT),
    ):
        Organisation.objects.get_or_create(
            name=name, unit=province, defaults={"kind": kind, "valid_from": REFORM_DAY}
        )
    return {
        "province": {"unit": province},
        "commune_a": {"unit": commune_a},
        "commune_b": {"unit": commune_b},
        "village_a": {"village": village_a},
        "school_a": {"organisation": school},
    }


@transaction.atomic
def _personas(targets: dict[str, Any]) -> list[dict[str, str]]:
    logins = []
    for p in PERSONAS:
        user = User.objects.filter(username=p.username).first()
        if user is None:
            user = User.objects.create_user(
                username=p.username,
                password=DEMO_PASSWORD,
                full_name=p.full_name,
                position=p.position,
                is_staff=p.role is None,
                is_superuser=p.role is None,
            )
            audit_log(actor=None, action="accounts.user.created", obj=user, data={"demo": True})
        if p.role is not None and not RoleAssignment.objects.filter(user=user, role=p.role.value).exists():
            RoleAssignment.objects.create(
                user=user, role=p.role.value, valid_from=date(2025, 7, 1), **targets[p.target]
            )
        logins.append({"username": p.username, "password": DEMO_PASSWORD, "role": p.position})
    return logins
