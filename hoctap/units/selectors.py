"""Reads over the unit hierarchy of any date. Every other app goes through these functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from hoctap.core.errors import NotInScope
from hoctap.core.text import fold
from hoctap.units.models import Level, UnitLineage, UnitVersion, Village, VillageParent, valid_on_q

LEVEL_ALIASES: dict[str, str] = {
    "province": Level.PROVINCE,
    "tinh": Level.PROVINCE,
    "district": Level.DISTRICT,
    "huyen": Level.DISTRICT,
    "commune": Level.COMMUNE,
    "xa": Level.COMMUNE,
}


def level_from_text(text: str) -> str:
    """ "huyen", "district"… → Level value; ValueError with the accepted names otherwise."""
    key = fold(text).replace(" ", "")
    if key not in LEVEL_ALIASES:
        raise ValueError(
            f"Cấp không hợp lệ: {text!r}. Dùng một trong: province (tinh), district (huyen), commune (xa)."
        )
    return LEVEL_ALIASES[key]


def _with_ancestors(qs: QuerySet[UnitVersion]) -> QuerySet[UnitVersion]:
    return qs.select_related("parent", "province", "district")


def units_valid_on(
    *, on: date, level: str | None = None, under: UnitVersion | None = None, search: str = ""
) -> QuerySet[UnitVersion]:
    """The unit versions valid on `on`, optionally at one level, below one unit, matching a search."""
    qs = UnitVersion.objects.filter(valid_on_q(on))
    if level:
        qs = qs.filter(level=level)
    if under is not None:
        qs = qs.filter(Q(province=under) | Q(district=under) | Q(parent=under)).exclude(pk=under.pk)
    if search:
        qs = qs.filter(name_search__contains=fold(search))
    return _with_ancestors(qs).order_by("level", "code")


def unit_resolve(*, code: str, on: date, level: str | None = None) -> UnitVersion:
    """The unit with this official code valid on `on` (codes are reused across the 2025 reform)."""
    qs = UnitVersion.objects.filter(valid_on_q(on), code=code.strip())
    if level:
        qs = qs.filter(level=level)
    found = list(_with_ancestors(qs)[:2])
    if not found:
        raise NotInScope(f"Không có đơn vị mã {code} có hiệu lực ngày {on:%d/%m/%Y}.")
    if len(found) > 1:
        raise NotInScope(f"Mã {code} ứng với nhiều đơn vị ngày {on:%d/%m/%Y}; hãy chỉ rõ cấp (--level).")
    return found[0]


def unit_ancestors(unit: UnitVersion) -> list[UnitVersion]:
    """Province first, then district (as they stood during this version)."""
    return [u for u in (unit.province, unit.district) if u is not None and u.pk != unit.pk]


def unit_children_on(*, unit: UnitVersion, on: date) -> QuerySet[UnitVersion]:
    return _with_ancestors(UnitVersion.objects.filter(valid_on_q(on), parent=unit)).order_by("code")


def unit_descendant_ids(*, unit: UnitVersion) -> set[int]:
    """All versions that ever sat below this version (its validity bounds theirs)."""
    return set(
        UnitVersion.objects.filter(Q(province=unit) | Q(district=unit) | Q(parent=unit)).values_list(
            "pk", flat=True
        )
    )


@dataclass(frozen=True)
class LineageRow:
    unit: UnitVersion
    kind: str
    kind_label: str
    is_default: bool
    effective_on: date
    legal_basis: str


def unit_predecessors(unit: UnitVersion) -> list[LineageRow]:
    links = UnitLineage.objects.filter(successor=unit).select_related(
        "predecessor__province", "predecessor__district"
    )
    return [
        LineageRow(
            link.predecessor,
            link.kind,
            link.get_kind_display(),
            link.is_default,
            link.effective_on,
            link.legal_basis,
        )
        for link in links.order_by("predecessor__code")
    ]


def unit_successors(unit: UnitVersion) -> list[LineageRow]:
    links = UnitLineage.objects.filter(predecessor=unit).select_related(
        "successor__province", "successor__district"
    )
    return [
        LineageRow(
            link.successor,
            link.kind,
            link.get_kind_display(),
            link.is_default,
            link.effective_on,
            link.legal_basis,
        )
        for link in links.order_by("-is_default", "successor__code")
    ]


def unit_map_to_date(
    *, unit: UnitVersion, on: date, follow: dict[int, int] | None = None
) -> UnitVersion | None:
    """Where a fact recorded for `unit` lands in the hierarchy of date `on`.

    Forward in time a unit follows its default successor (or the successor named in `follow`, a mapping
    predecessor id → successor id, for a split decided otherwise); backward it follows its predecessor when
    there is exactly one (a rename or a split), since a merged unit has no single past. None when the fact has
    no place in that hierarchy.
    """
    current: UnitVersion | None = unit
    seen: set[int] = set()
    while current is not None and not current.is_valid_on(on):
        if current.pk in seen:
            return None
        seen.add(current.pk)
        if current.valid_to is not None and on > current.valid_to:
            current = _next_successor(current, follow or {})
        else:
            preds = list(UnitLineage.objects.filter(successor=current).select_related("predecessor")[:2])
            current = preds[0].predecessor if len(preds) == 1 else None
    return current


def _next_successor(unit: UnitVersion, follow: dict[int, int]) -> UnitVersion | None:
    links = UnitLineage.objects.filter(predecessor=unit).select_related("successor")
    chosen = follow.get(unit.pk)
    for link in links:
        if (chosen is not None and link.successor_id == chosen) or (chosen is None and link.is_default):
            return link.successor
    return None


def unit_map_to_level(*, unit: UnitVersion, on: date, level: str) -> UnitVersion | None:
    """The unit of `level` that contains `unit`'s fact in the hierarchy of `on` (itself or an ancestor)."""
    mapped = unit_map_to_date(unit=unit, on=on)
    if mapped is None:
        return None
    if mapped.level == level:
        return mapped
    for ancestor in unit_ancestors(mapped):
        if ancestor.level == level:
            return ancestor
    return None


def villages_of_commune(*, commune: UnitVersion, on: date) -> QuerySet[Village]:
    return (
        Village.objects.filter(
            parents__commune=commune,
            parents__valid_from__lte=on,
        )
        .filter(Q(parents__valid_to__isnull=True) | Q(parents__valid_to__gte=on))
        .distinct()
        .order_by("name")
    )


def village_commune_on(*, village: Village, on: date) -> UnitVersion | None:
    link = (
        VillageParent.objects.filter(valid_on_q(on), village=village)
        .select_related("commune__province")
        .first()
    )
    return link.commune if link else None


def unit_ids_with_default_predecessors(root_ids: Iterable[int]) -> set[int]:
    """root_ids plus every unit (and its subtree) whose facts map into them through default lineage."""
    result = set(root_ids)
    frontier = set(result)
    while frontier:
        preds = (
            set(
                UnitLineage.objects.filter(successor_id__in=frontier, is_default=True).values_list(
                    "predecessor_id", flat=True
                )
            )
            - result
        )
        below = set(
            UnitVersion.objects.filter(
                Q(province_id__in=preds) | Q(district_id__in=preds) | Q(parent_id__in=preds)
            ).values_list("pk", flat=True)
        )
        frontier = (preds | below) - result
        result |= frontier
    return result
