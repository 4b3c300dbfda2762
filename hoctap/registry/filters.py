"""The filters of the registry lists, read from query parameters (a page's GET, or a stored export's copy).

Used by the list pages and by their Excel exports, which must list exactly the same rows, also when an export
runs later as a background task.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hoctap.registry.models import Household, HouseholdStatus
from hoctap.registry.selectors import (
    communes_for_user,
    household_list_for_user,
    household_list_wide_for_user,
    scope_is_wide,
    village_ids_for_user,
)
from hoctap.units.models import UnitVersion, Village

HOUSEHOLD_PARAMS = ("q", "xa", "thon", "tinh_trang", "ngay")


def as_of(params: Mapping[str, str]) -> tuple[date | None, str]:
    """The past day of the `ngay` filter (None for today or none), and a message when it is not a date."""
    text = params.get("ngay", "").strip()
    if not text:
        return None, ""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None, _("Ngày “%(text)s” không hợp lệ; danh sách hiển thị theo đơn vị hiện nay.") % {
            "text": text
        }
    today = timezone.localdate()
    if day > today:
        return None, _("Ngày xem không được sau hôm nay; danh sách hiển thị theo đơn vị hiện nay.")
    return (day if day < today else None), ""


def selected_commune(user: Any, params: Mapping[str, str], on: date | None = None) -> UnitVersion | None:
    public_id = params.get("xa", "")
    if not public_id:
        return None
    return communes_for_user(user=user, on=on).filter(public_id=public_id).first()


def selected_village(user: Any, params: Mapping[str, str]) -> Village | None:
    public_id = params.get("thon", "")
    if not public_id:
        return None
    return village_ids_for_user(user=user).filter(public_id=public_id).first()


@dataclass(frozen=True)
class HouseholdFilters:
    day: date | None
    commune: UnitVersion | None
    village: Village | None
    status: str
    search: str


def household_filters(user: Any, params: Mapping[str, str]) -> HouseholdFilters:
    day, _message = as_of(params)
    status = params.get("tinh_trang", "")
    return HouseholdFilters(
        day=day,
        commune=selected_commune(user, params, day),
        village=selected_village(user, params),
        status=status if status in HouseholdStatus.values else "",
        search=params.get("q", "").strip(),
    )


def households_listed(user: Any, f: HouseholdFilters) -> QuerySet[Household]:
    """The households of the list page (and of its Excel export) for these filters."""
    if f.commune is None and f.village is None and f.day is None and scope_is_wide(user=user):
        return household_list_wide_for_user(user=user, status=f.status, search=f.search)
    return household_list_for_user(
        user=user, commune=f.commune, village=f.village, status=f.status or None, search=f.search, on=f.day
    )


def household_params(params: Mapping[str, str]) -> dict[str, str]:
    """The household list's own parameters, as stored with an export and written to its audit entry."""
    return {key: params[key] for key in HOUSEHOLD_PARAMS if params.get(key)}
