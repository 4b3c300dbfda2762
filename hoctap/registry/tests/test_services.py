"""Registry services: create, edit, move, status, CCCD checks, duplicates, concurrency, audit entries."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hoctap.core.errors import NotInScope, PermissionDeniedError, ServiceError, TransitionError
from hoctap.core.models import AuditEntry
from hoctap.registry import services
from hoctap.registry.models import (
    Citizen,
    ClanMembership,
    Household,
    HouseholdMembership,
    HouseholdResidence,
    HouseholdStatus,
)
from hoctap.registry.selectors import citizen_households, household_members, household_residences
from hoctap.registry.services import CitizenData, HouseholdData, ValidationFailed
from hoctap.units.models import Village, VillageParent

pytestmark = pytest.mark.django_db

HEAD_CCCD = "044085000123"  # Quảng Bình, male, born 1985


def make_household(personas, *, actor=None, village=None, **overrides) -> Household:
    fields: dict[str, Any] = {
        "head_name": "Nguyễn Văn A",
        "head_cccd": HEAD_CCCD,
        "head_birth_date": date(1985, 3, 4),
        "head_sex": "nam",
        "member_count": 4,
        "address": "12 Lý Thường Kiệt",
    } | overrides
    return services.household_create(
        actor=actor or personas.commune_a_officer,
        village=village or personas.village_a,
        data=HouseholdData(**fields),
        registered_on=date(2024, 1, 1),
    )


def test_household_create_normalises_text_records_residence_and_audits(personas):
    # given a commune officer and a name typed in decomposed Unicode
    decomposed = "Nguye\u0302\u0303n Va\u0306n  A"
    # when they create a household
    household = make_household(personas, head_name=decomposed)
    # then the name is NFC with collapsed spaces, searchable without diacritics, and the history is recorded
    assert household.head_name == "Nguyễn Văn A"
    assert household.head_name_search == "nguyen van a"
    assert household.village == personas.village_a and household.village_since == date(2024, 1, 1)
    assert not HouseholdResidence.objects.filter(household=household).exists()  # nothing has ended yet
    [current] = household_residences(household)
    assert (current.village, current.valid_from, current.valid_to) == (
        personas.village_a,
        date(2024, 1, 1),
        None,
    )
    entry = AuditEntry.objects.get(action="registry.household.created", object_id=household.public_id)
    assert entry.unit == personas.commune_a
    assert entry.data["head_cccd"] == "********0123"  # the audit trail does not keep the full number


@pytest.mark.parametrize(
    ("cccd", "fragment"),
    [
        ("04408500012", "đúng 12 chữ số"),
        ("999085000123", "Mã tỉnh"),
        ("044185000123", "giới tính"),
        ("044090000123", "hai số cuối của năm sinh"),
    ],
)
def test_household_create_refuses_an_inconsistent_cccd_with_a_vietnamese_message(personas, cccd, fragment):
    # when the CCCD does not match the head's sex or birth year
    with pytest.raises(ValidationFailed) as caught:
        make_household(personas, head_cccd=cccd)
    # then the message explains the problem and nothing is written
    assert any(fragment in message for message in caught.value.errors["head_cccd"])
    assert not Household.objects.exists()


def test_duplicate_cccd_names_the_other_household_inside_scope(personas):
    # given a household in commune A
    make_household(personas)
    # when the same officer registers the same CCCD again
    with pytest.raises(ValidationFailed) as caught:
        make_household(personas, head_name="Trần Văn B")
    # then they are told which household uses it
    assert "Số CCCD đã được dùng cho hộ Nguyễn Văn A" in caught.value.errors["head_cccd"][0]


def test_duplicate_cccd_from_another_commune_reveals_nothing(personas):
    # given a household of commune A
    make_household(personas)
    # when commune B's officer uses the same number
    with pytest.raises(ValidationFailed) as caught:
        make_household(
            personas, actor=personas.commune_b_officer, village=personas.village_b, head_name="Lê C"
        )
    # then the refusal does not reveal the other person's name or household
    message = caught.value.errors["head_cccd"][0]
    assert message.startswith("Số CCCD đã được dùng cho")
    assert "Nguyễn" not in message and "mã hộ" not in message


def test_permissions_outsider_is_not_in_scope_and_readonly_is_denied(personas):
    with pytest.raises(NotInScope):
        make_household(personas, actor=personas.outsider)
    with pytest.raises(NotInScope):
        make_household(personas, actor=personas.commune_b_officer)
    with pytest.raises(PermissionDeniedError):
        make_household(personas, actor=personas.readonly)
    assert not Household.objects.exists()


def test_household_update_compare_and_set_refuses_a_stale_version(personas):
    # given a household opened by two editors at the same version
    household = make_household(personas)
    stale = household.updated_at
    first = services.household_update(
        actor=personas.commune_a_officer,
        household=household,
        data=HouseholdData(
            head_name="Nguyễn Văn Á",
            head_cccd=HEAD_CCCD,
            head_birth_date=date(1985, 3, 4),
            head_sex="nam",
            member_count=5,
        ),
        expected_updated_at=stale,
    )
    # when the second saves with the old version
    with pytest.raises(TransitionError):
        services.household_update(
            actor=personas.commune_a_officer,
            household=household,
            data=HouseholdData(head_name="Ghi đè", member_count=2),
            expected_updated_at=stale,
        )
    # then the first edit stays and the audit entry lists the change
    household.refresh_from_db()
    assert household.head_name == "Nguyễn Văn Á" and household.member_count == 5
    assert first.updated_at > stale
    entry = AuditEntry.objects.get(action="registry.household.updated")
    assert entry.data["changes"]["member_count"] == ["4", "5"]


def test_household_move_records_the_earlier_village_as_history(personas):
    # given a household in village A and another village of the same commune
    household = make_household(personas)
    other = Village.objects.create(name="Tổ dân phố 9", valid_from=date(2025, 7, 1))
    VillageParent.objects.create(village=other, commune=personas.commune_a, valid_from=date(2025, 7, 1))
    # when it moves on 1/8/2025
    moved = services.household_move(
        actor=personas.commune_a_officer, household=household, village=other, on=date(2025, 8, 1)
    )
    # then the old residence ends the day before and the new one starts that day
    assert moved.village == other and moved.village_since == date(2025, 8, 1)
    rows = HouseholdResidence.objects.filter(household=household)
    assert [(r.village_id, r.valid_from, r.valid_to) for r in rows] == [
        (personas.village_a.pk, date(2024, 1, 1), date(2025, 7, 31))
    ]
    assert [(p.village, p.valid_from, p.valid_to) for p in household_residences(moved)] == [
        (other, date(2025, 8, 1), None),
        (personas.village_a, date(2024, 1, 1), date(2025, 7, 31)),
    ]
    # and a move dated before the current residence began is refused
    with pytest.raises(ServiceError, match="01/08/2025"):
        services.household_move(
            actor=personas.commune_a_officer, household=moved, village=personas.village_a, on=date(2025, 8, 1)
        )
    assert AuditEntry.objects.filter(
        action="registry.household.moved", object_id=household.public_id
    ).exists()


def test_household_move_to_another_commune_needs_rights_there(personas):
    household = make_household(personas)
    with pytest.raises(NotInScope):
        services.household_move(
            actor=personas.commune_a_officer,
            household=household,
            village=personas.village_b,
            on=date(2025, 8, 1),
        )
    household.refresh_from_db()
    assert household.village == personas.village_a and not HouseholdResidence.objects.exists()


def test_household_set_status_never_deletes_and_refuses_repeats(personas):
    household = make_household(personas)
    changed = services.household_set_status(
        actor=personas.commune_a_officer,
        household=household,
        status=HouseholdStatus.DISSOLVED,
        on=date(2025, 9, 1),
        reason="Chủ hộ mất",
    )
    assert changed.status == HouseholdStatus.DISSOLVED and changed.status_changed_on == date(2025, 9, 1)
    ended = HouseholdResidence.objects.get(household=household)
    assert (ended.valid_from, ended.valid_to) == (date(2024, 1, 1), date(2025, 9, 1))
    assert [p.valid_to for p in household_residences(changed)] == [date(2025, 9, 1)]  # no current period
    with pytest.raises(TransitionError):
        services.household_set_status(
            actor=personas.commune_a_officer,
            household=household,
            status=HouseholdStatus.DISSOLVED,
            on=date(2025, 9, 2),
        )
    entry = AuditEntry.objects.get(action="registry.household.status_changed")
    assert entry.data["to"] == "dissolved" and entry.data["reason"] == "Chủ hộ mất"
    # and coming back is dated after the day it left, and starts a new period of residence
    with pytest.raises(ServiceError, match="01/09/2025"):
        services.household_set_status(
            actor=personas.commune_a_officer, household=changed, status="active", on=date(2025, 9, 1)
        )
    back = services.household_set_status(
        actor=personas.commune_a_officer, household=changed, status="active", on=date(2026, 2, 1)
    )
    assert back.village_since == date(2026, 2, 1)
    assert [(p.valid_from, p.valid_to) for p in household_residences(back)] == [
        (date(2026, 2, 1), None),
        (date(2024, 1, 1), date(2025, 9, 1)),
    ]


def citizen_data(**overrides) -> CitizenData:
    fields: dict[str, Any] = {
        "full_name": "Nguyễn Thị Bình",
        "sex": "nu",
        "birth_date": date(1990, 5, 6),
        "cccd": "045190001234",
        "relationship": "Vợ",
    } | overrides
    return CitizenData(**fields)


def test_citizen_create_update_and_move_keep_membership_history(personas):
    # given a citizen in a household
    first = make_household(personas)
    second = make_household(
        personas, head_name="Lê Văn Cường", head_cccd="044080000777", head_birth_date=date(1980, 1, 1)
    )
    citizen = services.citizen_create(
        actor=personas.commune_a_officer, household=first, data=citizen_data(), joined_on=date(2020, 1, 1)
    )
    # when she is edited and then moves to the second household
    citizen = services.citizen_update(
        actor=personas.commune_a_officer,
        citizen=citizen,
        data=citizen_data(full_name="Nguyễn Thị Bình An"),
        expected_updated_at=citizen.updated_at,
    )
    moved = services.citizen_move(
        actor=personas.commune_a_officer,
        citizen=citizen,
        household=second,
        on=date(2025, 10, 1),
        relationship="Con dâu",
    )
    # then the memberships tell the story
    assert moved.household == second and moved.name_search == "nguyen thi binh an"
    assert (moved.household_since, moved.relationship) == (date(2025, 10, 1), "Con dâu")
    rows = HouseholdMembership.objects.filter(citizen=citizen)
    assert [(r.household_id, r.relationship, r.valid_from, r.valid_to) for r in rows] == [
        (first.pk, "Vợ", date(2020, 1, 1), date(2025, 9, 30))
    ]
    assert [(p.household, p.relationship, p.valid_to) for p in citizen_households(moved)] == [
        (second, "Con dâu", None),
        (first, "Vợ", date(2025, 9, 30)),
    ]
    assert [(p.citizen, p.valid_to) for p in household_members(first)] == [(citizen, date(2025, 9, 30))]
    actions = set(AuditEntry.objects.filter(object_id=citizen.public_id).values_list("action", flat=True))
    assert actions == {"registry.citizen.created", "registry.citizen.updated", "registry.citizen.moved"}


def test_citizen_duplicate_cccd_and_stale_edit_are_refused(personas):
    household = make_household(personas)
    citizen = services.citizen_create(
        actor=personas.commune_a_officer, household=household, data=citizen_data()
    )
    with pytest.raises(ValidationFailed) as caught:
        services.citizen_create(
            actor=personas.commune_a_officer, household=household, data=citizen_data(full_name="Khác")
        )
    assert "Số CCCD đã được dùng cho công dân Nguyễn Thị Bình" in caught.value.errors["cccd"][0]
    stale = citizen.updated_at
    services.citizen_update(
        actor=personas.commune_a_officer,
        citizen=citizen,
        data=citizen_data(ethnicity="Tày"),
        expected_updated_at=stale,
    )
    with pytest.raises(TransitionError):
        services.citizen_update(
            actor=personas.commune_a_officer, citizen=citizen, data=citizen_data(), expected_updated_at=stale
        )
    assert Citizen.objects.get(pk=citizen.pk).ethnicity == "Tày"


def test_clan_create_add_and_remove_household_with_dates(personas):
    household = make_household(personas)
    clan = services.clan_create(
        actor=personas.commune_a_officer, commune=personas.commune_a, name="Họ  Nguyễn", branch="Chi 2"
    )
    assert clan.name == "Họ Nguyễn" and clan.name_search == "ho nguyen chi 2"
    with pytest.raises(ValidationFailed):
        services.clan_create(
            actor=personas.commune_a_officer, commune=personas.commune_a, name="Họ Nguyễn", branch="Chi 2"
        )
    services.clan_add_household(
        actor=personas.commune_a_officer, clan=clan, household=household, on=date(2025, 1, 1)
    )
    with pytest.raises(TransitionError):
        services.clan_add_household(
            actor=personas.commune_a_officer, clan=clan, household=household, on=date(2025, 2, 1)
        )
    services.clan_remove_household(
        actor=personas.commune_a_officer, clan=clan, household=household, on=date(2025, 12, 31)
    )
    row = ClanMembership.objects.get(clan=clan, household=household)
    assert (row.valid_from, row.valid_to) == (date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(TransitionError):
        services.clan_remove_household(
            actor=personas.commune_a_officer, clan=clan, household=household, on=date(2026, 1, 1)
        )
    with pytest.raises(NotInScope):
        services.clan_create(actor=personas.commune_b_officer, commune=personas.commune_a, name="Họ Lê")
    actions = list(AuditEntry.objects.filter(object_id=clan.public_id).values_list("action", flat=True))
    assert sorted(actions) == [
        "registry.clan.created",
        "registry.clan.household_added",
        "registry.clan.household_removed",
    ]


def test_cccd_reveal_is_audited_and_needs_the_permission(personas):
    household = make_household(personas)
    assert services.cccd_reveal(actor=personas.commune_a_officer, obj=household) == HEAD_CCCD
    entry = AuditEntry.objects.get(action="registry.cccd.viewed")
    assert entry.object_id == household.public_id and entry.actor == personas.commune_a_officer
    with pytest.raises(PermissionDeniedError):
        services.cccd_reveal(actor=personas.readonly, obj=household)
    with pytest.raises(NotInScope):
        services.cccd_reveal(actor=personas.commune_b_officer, obj=household)
    assert AuditEntry.objects.filter(action="registry.cccd.viewed").count() == 1


def test_service_error_hierarchy():
    assert issubclass(ValidationFailed, ServiceError)
