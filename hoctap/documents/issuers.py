"""Who issues a document, by unit and date: the issuer block, the place name and the authority line.

A 2024 document of the province is issued by "ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH", a 2026 one by "ỦY BAN NHÂN
DÂN TỈNH QUẢNG TRỊ"; a commune's document before 1/7/2025 carries its district's People's Committee above it,
after that date no district line (the district level no longer exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hoctap.units.models import Level, UnitVersion
from hoctap.units.selectors import unit_map_to_date

_PREFIXES = ("Tỉnh ", "Thành phố ", "Huyện ", "Quận ", "Thị xã ", "Xã ", "Phường ", "Thị trấn ", "Đặc khu ")


@dataclass(frozen=True)
class Issuer:
    parent_body: str
    issuing_body: str
    place: str
    unit: UnitVersion


def short_name(unit: UnitVersion) -> str:
    """ "Phường Đồng Hới" → "Đồng Hới" (the place name written before the date)."""
    for prefix in _PREFIXES:
        if unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def people_committee(unit: UnitVersion) -> str:
    return f"ỦY BAN NHÂN DÂN {unit.name.upper()}"


def issuer_for(*, unit: UnitVersion, on: date) -> Issuer:
    """The issuer block of `unit`'s People's Committee for a document dated `on` (unit mapped to it)."""
    current = unit_map_to_date(unit=unit, on=on) or unit
    parent = ""
    if current.level == Level.COMMUNE and current.district is not None:
        parent = people_committee(current.district)
    elif current.level == Level.DISTRICT and current.province is not None:
        parent = people_committee(current.province)
    return Issuer(
        parent_body=parent, issuing_body=people_committee(current), place=short_name(current), unit=current
    )
