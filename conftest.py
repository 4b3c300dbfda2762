"""Shared fixtures: the real unit snapshot loaded once per test database, and the persona set.

Personas (over real units of tỉnh Quảng Trị after 1/7/2025):
province officer (province admin), a read-only province user (council member), two commune officers
(Phường Đồng Hới, Xã Phong Nha), a village head in Đồng Hới, a citizen, and an outsider (commune officer of
a commune in Hà Nội).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

REFORM = date(2025, 7, 1)
PASSWORD = "Test@2026-pass"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from hoctap.units.services import units_load_snapshot

    with django_db_blocker.unblock():
        units_load_snapshot()
    yield


@pytest.fixture
def units_loaded(db: Any) -> None:
    """Transactional tests (live server) flush the tables: reload the snapshot when it is gone."""
    from hoctap.units.models import UnitVersion
    from hoctap.units.services import units_load_snapshot

    if not UnitVersion.objects.exists():
        units_load_snapshot()


@dataclass
class Personas:
    province: Any
    commune_a: Any
    commune_b: Any
    commune_outside: Any
    village_a: Any
    village_b: Any
    province_officer: Any
    readonly: Any
    commune_a_officer: Any
    commune_b_officer: Any
    village_head: Any
    citizen: Any
    outsider: Any


def _make_personas() -> Personas:
    from hoctap.accounts.services import role_assign, user_create
    from hoctap.core.permissions import Role
    from hoctap.units.models import Level, Village, VillageParent
    from hoctap.units.selectors import unit_resolve

    province = unit_resolve(code="44", on=REFORM, level=Level.PROVINCE)
    commune_a = unit_resolve(code="18880", on=REFORM, level=Level.COMMUNE)
    commune_b = unit_resolve(code="19138", on=REFORM, level=Level.COMMUNE)
    outside = unit_resolve(code="00004", on=REFORM, level=Level.COMMUNE)  # Phường Ba Đình, Hà Nội

    def village(name: str, commune: Any) -> Any:
        v = Village.objects.create(name=name, valid_from=REFORM)
        VillageParent.objects.create(village=v, commune=commune, valid_from=REFORM)
        return v

    village_a = village("Tổ dân phố 1", commune_a)
    village_b = village("Thôn Phong Nha 2", commune_b)

    def person(username: str, role: Role, **target: Any) -> Any:
        user = user_create(actor=None, username=username, password=PASSWORD, full_name=username)
        role_assign(actor=None, user=user, role=role, valid_from=REFORM, **target)
        return user

    return Personas(
        province=province,
        commune_a=commune_a,
        commune_b=commune_b,
        commune_outside=outside,
        village_a=village_a,
        village_b=village_b,
        province_officer=person("p.province", Role.PROVINCE_ADMIN, unit=province),
        readonly=person("p.council", Role.COUNCIL_MEMBER, unit=province),
        commune_a_officer=person("p.commune_a", Role.COMMUNE_OFFICER, unit=commune_a),
        commune_b_officer=person("p.commune_b", Role.COMMUNE_OFFICER, unit=commune_b),
        village_head=person("p.village", Role.VILLAGE_HEAD, village=village_a),
        citizen=person("p.citizen", Role.CITIZEN, unit=commune_a, subtree=False),
        outsider=person("p.outsider", Role.COMMUNE_OFFICER, unit=outside),
    )


@pytest.fixture
def personas(db: Any, units_loaded: None) -> Personas:
    return _make_personas()
