"""Every write to the registry: households, citizens, clans and their dated memberships.

Each service checks `Perm.REGISTRY_EDIT` on the commune the object lives in today, normalises text to NFC,
validates CCCD numbers, changes state with a compare-and-set and writes its audit entry in the same
transaction. Nothing is deleted: a household that leaves or dissolves changes status. The current village
and household are on the rows (with the day they began); a move writes the period that ended as a closed
history row (HouseholdResidence, HouseholdMembership; ADR 0006).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from hoctap.accounts.permissions import has_perm, require_perm
from hoctap.core.audit import audit_log
from hoctap.core.errors import NotInScope, ServiceError, TransitionError
from hoctap.core.permissions import Perm
from hoctap.core.text import fold, nfc
from hoctap.registry.cccd import mask_cccd, validate_cccd
from hoctap.registry.models import (
    Citizen,
    Clan,
    ClanMembership,
    Household,
    HouseholdMembership,
    HouseholdResidence,
    HouseholdStatus,
    Sex,
)
from hoctap.registry.selectors import village_ids_for_user
from hoctap.units.models import Level, UnitVersion, Village
from hoctap.units.selectors import village_commune_on

CONFLICT_MESSAGE = "Bản ghi vừa được người khác sửa. Hãy tải lại trang, xem thay đổi rồi sửa lại."


class ValidationFailed(ServiceError):
    """One or more fields are invalid; `errors` maps a field name to its Vietnamese messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(" ".join(m for msgs in errors.values() for m in msgs))


# --- helpers ---------------------------------------------------------------------------------------------


def commune_of_village(village: Village, on: date | None = None) -> UnitVersion:
    """The commune the village belongs to on `on` (default today); NotInScope when it has none."""
    commune = village_commune_on(village=village, on=on or timezone.localdate())
    if commune is None:
        raise NotInScope("Không tìm thấy thôn, tổ dân phố này.")
    return commune


def _require_village_edit(actor: Any, village: Village) -> UnitVersion:
    """Edit on a village: the commune's officer, or anyone whose REGISTRY_EDIT scope holds the village."""
    commune = commune_of_village(village)
    if has_perm(actor, Perm.REGISTRY_EDIT, commune):
        return commune
    if village_ids_for_user(user=actor, perm=Perm.REGISTRY_EDIT).filter(pk=village.pk).exists():
        return commune
    require_perm(actor, Perm.REGISTRY_EDIT, commune)  # raises NotInScope or PermissionDeniedError
    return commune


def _text(value: str, field: str, errors: dict[str, list[str]], *, required: bool = False) -> str:
    text = nfc(value or "")
    if required and not text:
        errors.setdefault(field, []).append("Trường này là bắt buộc.")
    return text


def _check_cccd(
    value: str | None,
    *,
    field: str,
    birth_date: date | None,
    sex: str | None,
    errors: dict[str, list[str]],
) -> str | None:
    text = "".join((value or "").split())
    if not text:
        return None
    problems = validate_cccd(text, birth_date=birth_date, sex=sex if sex in Sex.values else None)  # type: ignore[arg-type]
    if problems:
        errors.setdefault(field, []).extend(problems)
    return text


def _duplicate_message(actor: Any, other: Household | Citizen) -> str:
    """Name the other record only when the actor may see it; otherwise reveal nothing about it."""
    visible = village_ids_for_user(user=actor)
    village_id = (
        other.village_id if isinstance(other, Household) else getattr(other.household, "village_id", None)
    )
    if village_id is not None and visible.filter(pk=village_id).exists():
        label = (
            f"hộ {other.head_name} (mã hộ {other.code})"
            if isinstance(other, Household)
            else (f"công dân {other.full_name}, sinh năm {other.birth_date.year}")
        )
        return f"Số CCCD đã được dùng cho {label}."
    return "Số CCCD đã được dùng cho một người khác trong cơ sở dữ liệu (ngoài phạm vi quản lý của bạn)."


def _check_duplicate(
    actor: Any,
    model: type[Household] | type[Citizen],
    cccd: str | None,
    exclude_pk: int | None,
    field: str,
    errors: dict[str, list[str]],
) -> None:
    if not cccd or field in errors:
        return
    column = "head_cccd" if model is Household else "cccd"
    qs = model.objects.filter(**{column: cccd})
    other = (qs.exclude(pk=exclude_pk) if exclude_pk is not None else qs).first()
    if other is not None:
        errors.setdefault(field, []).append(_duplicate_message(actor, other))


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _masked_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the audit entry, with CCCD numbers masked (personal data)."""
    changes: dict[str, list[Any]] = {}
    for key, new in after.items():
        old = before.get(key)
        if old != new:
            if "cccd" in key:
                old, new = (mask_cccd(old) if old else ""), (mask_cccd(new) if new else "")
            changes[key] = [str(old) if old is not None else "", str(new) if new is not None else ""]
    return changes


def _snapshot(obj: Model, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


# --- households ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdData:
    """The editable fields of a household (what the form and the import provide)."""

    head_name: str
    head_cccd: str = ""
    head_birth_date: date | None = None
    head_sex: str = ""
    member_count: int = 1
    address: str = ""


HOUSEHOLD_FIELDS = ["head_name", "head_cccd", "head_birth_date", "head_sex", "member_count", "address"]


def _household_values(actor: Any, data: HouseholdData, exclude_pk: int | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "head_name": _text(data.head_name, "head_name", errors, required=True),
        "head_birth_date": data.head_birth_date,
        "head_sex": data.head_sex if data.head_sex in Sex.values else "",
        "member_count": data.member_count,
        "address": _text(data.address, "address", errors),
    }
    if data.member_count < 1:
        errors.setdefault("member_count", []).append("Số nhân khẩu phải từ 1 trở lên.")
    values["head_cccd"] = _check_cccd(
        data.head_cccd,
        field="head_cccd",
        birth_date=data.head_birth_date,
        sex=values["head_sex"] or None,
        errors=errors,
    )
    _check_duplicate(actor, Household, values["head_cccd"], exclude_pk, "head_cccd", errors)
    _raise_if(errors)
    values["head_name_search"] = fold(values["head_name"])
    return values


@transaction.atomic
def household_create(
    *, actor: Any, village: Village, data: HouseholdData, registered_on: date | None = None
) -> Household:
    commune = _require_village_edit(actor, village)
    values = _household_values(actor, data, None)
    day = registered_on or timezone.localdate()
    try:
        with transaction.atomic():
            household = Household.objects.create(
                village=village, village_since=day, registered_on=day, **values
            )
    except IntegrityError as exc:
        raise ServiceError("Số CCCD đã được dùng cho một hộ khác.") from exc
    audit_log(
        actor=actor,
        action="registry.household.created",
        obj=household,
        unit=commune,
        data={"village": village.public_id, "head_cccd": mask_cccd(values["head_cccd"] or "")},
    )
    return household


@transaction.atomic
def household_update(
    *, actor: Any, household: Household, data: HouseholdData, expected_updated_at: datetime
) -> Household:
    """Edit a household; refused with TransitionError when someone saved it after `expected_updated_at`."""
    commune = _require_village_edit(actor, household.village)
    values = _household_values(actor, data, household.pk)
    before = _snapshot(household, HOUSEHOLD_FIELDS)
    try:
        with transaction.atomic():
            done = Household.objects.filter(pk=household.pk, updated_at=expected_updated_at).update(
                updated_at=timezone.now(), **values
            )
    except IntegrityError as exc:
        raise ServiceError("Số CCCD đã được dùng cho một hộ khác.") from exc
    if done != 1:
        raise TransitionError(CONFLICT_MESSAGE)
    audit_log(
        actor=actor,
        action="registry.household.updated",
        obj=household,
        unit=commune,
        data={"changes": _masked_changes(before, values)},
    )
    return Household.objects.select_related("village").get(pk=household.pk)


def _require_active(household: Household) -> None:
    if household.status != HouseholdStatus.ACTIVE:
        raise TransitionError(
            f"Hộ {household.head_name} không còn cư trú (tình trạng: {household.get_status_display()})."
        )


@transaction.atomic
def household_move(*, actor: Any, household: Household, village: Village, on: date) -> Household:
    """Move a household to another village from `on`: the period in the old village becomes history."""
    source = _require_village_edit(actor, household.village)
    target = _require_village_edit(actor, village)
    _require_active(household)
    if village.pk == household.village_id:
        raise ServiceError("Hộ đã ở thôn, tổ dân phố này.")
    since = household.village_since
    if since >= on:
        raise ServiceError(f"Ngày chuyển phải sau ngày bắt đầu cư trú hiện tại ({since:%d/%m/%Y}).")
    done = Household.objects.filter(
        pk=household.pk,
        village_id=household.village_id,
        village_since=since,
        status=HouseholdStatus.ACTIVE,
    ).update(village=village, village_since=on, updated_at=timezone.now())
    if done != 1:
        raise TransitionError(CONFLICT_MESSAGE)
    HouseholdResidence.objects.create(
        household=household,
        village_id=household.village_id,
        valid_from=since,
        valid_to=on - timedelta(days=1),
    )
    data = {
        "from_village": household.village.public_id,
        "to_village": village.public_id,
        "on": on.isoformat(),
    }
    audit_log(actor=actor, action="registry.household.moved", obj=household, unit=source, data=data)
    if target.pk != source.pk:
        audit_log(actor=actor, action="registry.household.moved", obj=household, unit=target, data=data)
    return Household.objects.select_related("village").get(pk=household.pk)


@transaction.atomic
def household_set_status(
    *, actor: Any, household: Household, status: str, on: date, reason: str = ""
) -> Household:
    """Mark a household as moved away or dissolved (or active again); never deletes it."""
    commune = _require_village_edit(actor, household.village)
    if status not in HouseholdStatus.values:
        raise ServiceError("Tình trạng không hợp lệ.")
    if status == household.status:
        raise TransitionError(f"Hộ đã ở tình trạng “{household.get_status_display()}”.")
    leaving = household.status == HouseholdStatus.ACTIVE
    since, left = household.village_since, household.status_changed_on
    if leaving and on < since:
        raise ServiceError(f"Ngày thay đổi phải từ ngày bắt đầu cư trú hiện tại ({since:%d/%m/%Y}).")
    if status == HouseholdStatus.ACTIVE and left is not None and on <= left:
        raise ServiceError(f"Ngày cư trú trở lại phải sau ngày hộ rời đi ({left:%d/%m/%Y}).")
    changes: dict[str, Any] = {"status": status, "status_changed_on": on, "updated_at": timezone.now()}
    if status == HouseholdStatus.ACTIVE:
        changes["village_since"] = on  # back in its village: a new period of residence begins
    done = Household.objects.filter(pk=household.pk, status=household.status).update(**changes)
    if done != 1:
        raise TransitionError(CONFLICT_MESSAGE)
    if leaving:  # the period in the village ends on that day and becomes history
        HouseholdResidence.objects.create(
            household=household, village_id=household.village_id, valid_from=since, valid_to=on
        )
    audit_log(
        actor=actor,
        action="registry.household.status_changed",
        obj=household,
        unit=commune,
        data={"from": household.status, "to": status, "on": on.isoformat(), "reason": nfc(reason)},
    )
    return Household.objects.select_related("village").get(pk=household.pk)


# --- citizens --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitizenData:
    full_name: str
    sex: str
    birth_date: date
    cccd: str = ""
    ethnicity: str = "Kinh"
    relationship: str = ""


CITIZEN_FIELDS = ["full_name", "sex", "birth_date", "cccd", "ethnicity", "relationship"]


def _citizen_values(actor: Any, data: CitizenData, exclude_pk: int | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "full_name": _text(data.full_name, "full_name", errors, required=True),
        "sex": data.sex,
        "birth_date": data.birth_date,
        "ethnicity": _text(data.ethnicity, "ethnicity", errors) or "Kinh",
        "relationship": _text(data.relationship, "relationship", errors),
    }
    if data.sex not in Sex.values:
        errors.setdefault("sex", []).append("Giới tính phải là Nam hoặc Nữ.")
    if data.birth_date > timezone.localdate():
        errors.setdefault("birth_date", []).append("Ngày sinh không được sau ngày hôm nay.")
    values["cccd"] = _check_cccd(
        data.cccd, field="cccd", birth_date=data.birth_date, sex=data.sex, errors=errors
    )
    _check_duplicate(actor, Citizen, values["cccd"], exclude_pk, "cccd", errors)
    _raise_if(errors)
    values["name_search"] = fold(values["full_name"])
    return values


@transaction.atomic
def citizen_create(
    *, actor: Any, household: Household, data: CitizenData, joined_on: date | None = None
) -> Citizen:
    commune = _require_village_edit(actor, household.village)
    _require_active(household)
    values = _citizen_values(actor, data, None)
    try:
        with transaction.atomic():
            citizen = Citizen.objects.create(
                household=household, household_since=joined_on or timezone.localdate(), **values
            )
    except IntegrityError as exc:
        raise ServiceError("Số CCCD đã được dùng cho một công dân khác.") from exc
    audit_log(
        actor=actor,
        action="registry.citizen.created",
        obj=citizen,
        unit=commune,
        data={"household": household.code, "cccd": mask_cccd(values["cccd"] or "")},
    )
    return citizen


def _citizen_village(citizen: Citizen) -> Village:
    if citizen.household is None:
        raise NotInScope("Không tìm thấy công dân này.")
    return citizen.household.village


@transaction.atomic
def citizen_update(
    *, actor: Any, citizen: Citizen, data: CitizenData, expected_updated_at: datetime
) -> Citizen:
    commune = _require_village_edit(actor, _citizen_village(citizen))
    values = _citizen_values(actor, data, citizen.pk)
    before = _snapshot(citizen, CITIZEN_FIELDS)
    try:
        with transaction.atomic():
            done = Citizen.objects.filter(pk=citizen.pk, updated_at=expected_updated_at).update(
                updated_at=timezone.now(), **values
            )
    except IntegrityError as exc:
        raise ServiceError("Số CCCD đã được dùng cho một công dân khác.") from exc
    if done != 1:
        raise TransitionError(CONFLICT_MESSAGE)
    audit_log(
        actor=actor,
        action="registry.citizen.updated",
        obj=citizen,
        unit=commune,
        data={"changes": _masked_changes(before, values)},
    )
    return Citizen.objects.select_related("household__village").get(pk=citizen.pk)


@transaction.atomic
def citizen_move(
    *, actor: Any, citizen: Citizen, household: Household, on: date, relationship: str = ""
) -> Citizen:
    """Move a citizen to another household from `on`: the membership that ends becomes history."""
    source = _require_village_edit(actor, _citizen_village(citizen))
    target = _require_village_edit(actor, household.village)
    _require_active(household)
    if household.pk == citizen.household_id:
        raise ServiceError("Công dân đã thuộc hộ này.")
    since = citizen.household_since
    if since is not None and since >= on:
        raise ServiceError(f"Ngày chuyển phải sau ngày vào hộ hiện tại ({since:%d/%m/%Y}).")
    rel = nfc(relationship)
    done = Citizen.objects.filter(pk=citizen.pk, household=citizen.household, household_since=since).update(
        household=household, relationship=rel, household_since=on, updated_at=timezone.now()
    )
    if done != 1:
        raise TransitionError(CONFLICT_MESSAGE)
    if citizen.household_id is not None and since is not None:
        HouseholdMembership.objects.create(
            citizen=citizen,
            household_id=citizen.household_id,
            relationship=citizen.relationship,
            valid_from=since,
            valid_to=on - timedelta(days=1),
        )
    old_code = citizen.household.code if citizen.household else ""
    data = {"from_household": old_code, "to_household": household.code, "on": on.isoformat()}
    audit_log(actor=actor, action="registry.citizen.moved", obj=citizen, unit=source, data=data)
    if target.pk != source.pk:
        audit_log(actor=actor, action="registry.citizen.moved", obj=citizen, unit=target, data=data)
    return Citizen.objects.select_related("household__village").get(pk=citizen.pk)


# --- clans -----------------------------------------------------------------------------------------------


@transaction.atomic
def clan_create(
    *,
    actor: Any,
    commune: UnitVersion,
    name: str,
    branch: str = "",
    representative: str = "",
    registered_on: date | None = None,
) -> Clan:
    require_perm(actor, Perm.REGISTRY_EDIT, commune)
    if commune.level != Level.COMMUNE:
        raise ServiceError("Dòng họ phải được đăng ký ở một đơn vị cấp xã.")
    errors: dict[str, list[str]] = {}
    clean_name = _text(name, "name", errors, required=True)
    _raise_if(errors)
    clean_branch = nfc(branch)
    if Clan.objects.filter(commune=commune, name=clean_name, branch=clean_branch).exists():
        raise ValidationFailed({"name": [f"Dòng họ “{clean_name}” đã được đăng ký ở {commune.name}."]})
    clan = Clan.objects.create(
        commune=commune,
        name=clean_name,
        branch=clean_branch,
        representative=nfc(representative),
        registered_on=registered_on or timezone.localdate(),
    )
    audit_log(actor=actor, action="registry.clan.created", obj=clan, unit=commune, data={"name": str(clan)})
    return clan


@transaction.atomic
def clan_add_household(*, actor: Any, clan: Clan, household: Household, on: date) -> ClanMembership:
    require_perm(actor, Perm.REGISTRY_EDIT, clan.commune)
    _require_village_edit(actor, household.village)
    if ClanMembership.objects.filter(clan=clan, household=household, valid_to__isnull=True).exists():
        raise TransitionError(f"Hộ {household.head_name} đã thuộc dòng họ {clan}.")
    membership = ClanMembership.objects.create(clan=clan, household=household, valid_from=on)
    audit_log(
        actor=actor,
        action="registry.clan.household_added",
        obj=clan,
        unit=clan.commune,
        data={"household": household.code, "on": on.isoformat()},
    )
    return membership


@transaction.atomic
def clan_remove_household(*, actor: Any, clan: Clan, household: Household, on: date) -> None:
    """Close the household's open membership of the clan on `on` (the row stays as history)."""
    require_perm(actor, Perm.REGISTRY_EDIT, clan.commune)
    open_rows = ClanMembership.objects.filter(clan=clan, household=household, valid_to__isnull=True)
    first = open_rows.first()
    if first is not None and first.valid_from > on:
        raise ServiceError(f"Ngày rời dòng họ phải từ ngày {first.valid_from:%d/%m/%Y} trở đi.")
    if open_rows.update(valid_to=on) != 1:
        raise TransitionError(f"Hộ {household.head_name} hiện không thuộc dòng họ {clan}.")
    audit_log(
        actor=actor,
        action="registry.clan.household_removed",
        obj=clan,
        unit=clan.commune,
        data={"household": household.code, "on": on.isoformat()},
    )


# --- personal data ---------------------------------------------------------------------------------------


def can_view_cccd(user: Any, village: Village | None) -> bool:
    """May the user see full CCCD numbers of people living in this village (Nghị định 13/2023)?"""
    if village is None:
        return False
    commune = village_commune_on(village=village, on=timezone.localdate())
    return commune is not None and has_perm(user, Perm.REGISTRY_VIEW_CCCD, commune)


@transaction.atomic
def cccd_reveal(*, actor: Any, obj: Household | Citizen) -> str:
    """The full CCCD number of a household head or a citizen, on an explicit request; audited."""
    village = obj.village if isinstance(obj, Household) else _citizen_village(obj)
    commune = commune_of_village(village)
    require_perm(actor, Perm.REGISTRY_VIEW_CCCD, commune)
    number = obj.head_cccd if isinstance(obj, Household) else obj.cccd
    audit_log(actor=actor, action="registry.cccd.viewed", obj=obj, unit=commune, data={})
    return number or ""
