"""Registry screens: happy paths, 405 for the wrong method, 404 for outsiders, 403 for read-only users,
masked CCCD with an audited reveal, and list query counts that do not grow with the rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from hoctap.core.models import AuditEntry
from hoctap.registry import services
from hoctap.registry.models import Citizen, Household, HouseholdResidence, HouseholdStatus
from hoctap.registry.services import CitizenData, HouseholdData
from hoctap.units.models import Village, VillageParent
from hoctap.units.selectors import unit_predecessors

pytestmark = pytest.mark.django_db

CCCD = "044085000123"


def add_household(personas, name: str = "Nguyễn Văn A", cccd: str | None = CCCD, village=None) -> Household:
    return services.household_create(
        actor=personas.province_officer,
        village=village or personas.village_a,
        data=HouseholdData(
            head_name=name, head_cccd=cccd or "", head_birth_date=date(1985, 1, 1), head_sex="nam"
        ),
        registered_on=date(2024, 1, 1),
    )


def add_citizen(personas, household: Household, name: str = "Trần Thị Bình") -> Citizen:
    return services.citizen_create(
        actor=personas.province_officer,
        household=household,
        data=CitizenData(full_name=name, sex="nu", birth_date=date(1990, 1, 1), cccd="044190000555"),
        joined_on=date(2020, 1, 1),
    )


def url(name: str, *args: str) -> str:
    return reverse(f"registry:{name}", args=args)


# --- lists -----------------------------------------------------------------------------------------------


def test_household_list_is_scoped_searchable_without_diacritics_and_masks_cccd(client, personas):
    # given households in two communes
    add_household(personas)
    add_household(personas, name="Lê Thị Phong", cccd=None, village=personas.village_b)
    client.force_login(personas.commune_a_officer)
    # when commune A's officer searches without diacritics
    body = client.get(url("households"), {"q": "nguyen van a"}).content.decode()
    # then they find their household, masked, and never commune B's
    assert "Nguyễn Văn A" in body and "********0123" in body and CCCD not in body
    assert "Lê Thị Phong" not in client.get(url("households")).content.decode()


def test_household_list_filters_by_commune_village_and_status(client, personas):
    kept = add_household(personas)
    gone = add_household(personas, name="Phạm Văn Đi", cccd=None)
    services.household_set_status(
        actor=personas.province_officer, household=gone, status=HouseholdStatus.MOVED, on=date(2025, 8, 1)
    )
    add_household(personas, name="Lê Thị Phong", cccd=None, village=personas.village_b)
    client.force_login(personas.province_officer)
    params = {
        "xa": personas.commune_a.public_id,
        "thon": personas.village_a.public_id,
        "tinh_trang": "active",
    }
    body = client.get(url("households"), params).content.decode()
    assert kept.head_name in body and "Phạm Văn Đi" not in body and "Lê Thị Phong" not in body


def test_household_list_query_count_does_not_grow_with_rows(client, personas, django_assert_max_num_queries):
    client.force_login(personas.commune_a_officer)
    for n in range(3):
        add_household(personas, name=f"Hộ số {n}", cccd=None)
    with django_assert_max_num_queries(16) as few:
        client.get(url("households"))
    for n in range(30):
        add_household(personas, name=f"Hộ thêm {n}", cccd=None)
    client.force_login(personas.commune_a_officer)  # a fresh user object: no cached scope
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("households"))
    assert response.content.decode().count('href="/dan-cu/ho/') >= 33


def test_citizen_clan_and_village_lists_have_constant_query_counts(
    client, personas, django_assert_max_num_queries
):
    household = add_household(personas)
    for n in range(20):
        add_citizen(personas, household, name=f"Công dân {n}") if n == 0 else services.citizen_create(
            actor=personas.province_officer,
            household=household,
            data=CitizenData(full_name=f"Công dân {n}", sex="nam", birth_date=date(1990, 1, 1)),
        )
    services.clan_create(actor=personas.province_officer, commune=personas.commune_a, name="Họ Nguyễn")
    client.force_login(personas.commune_a_officer)
    for name in ("citizens", "clans", "villages"):
        with django_assert_max_num_queries(14):
            assert client.get(url(name)).status_code == 200
    body = client.get(url("citizens"), {"q": "cong dan 1"}).content.decode()
    assert "Công dân 1" in body and "Công dân 10" in body and "Công dân 0" not in body
    assert "********0555" in client.get(url("citizens"), {"q": "CONG DÂN 0"}).content.decode()


def test_lists_hide_the_registry_from_users_without_it(client, personas):
    client.force_login(personas.citizen)
    for name in ("households", "citizens", "clans", "villages"):
        assert client.get(url(name)).status_code == 404
    assert client.post(url("households")).status_code == 405


# --- household pages -------------------------------------------------------------------------------------


def test_household_detail_shows_history_and_masked_cccd(client, personas):
    household = add_household(personas)
    add_citizen(personas, household)
    client.force_login(personas.commune_a_officer)
    body = client.get(url("household", household.public_id)).content.decode()
    assert "********0123" in body and CCCD not in body
    assert "Hiện số đầy đủ" in body  # the officer may reveal it
    assert "Trần Thị Bình" in body and "registry.household.created" in body


def test_household_detail_for_village_head_has_no_reveal_and_no_edit(client, personas):
    household = add_household(personas)
    client.force_login(personas.village_head)
    body = client.get(url("household", household.public_id)).content.decode()
    assert "********0123" in body and "Hiện số đầy đủ" not in body
    assert url("household_edit", household.public_id) not in body


def test_household_pages_answer_404_to_outsiders(client, personas):
    household = add_household(personas)
    for user in (personas.outsider, personas.commune_b_officer):
        client.force_login(user)
        for name in ("household", "household_edit", "household_move", "household_status", "citizen_create"):
            assert client.get(url(name, household.public_id)).status_code == 404, (user, name)
        assert client.post(url("household_cccd", household.public_id)).status_code == 404
    client.force_login(personas.commune_a_officer)
    assert client.get(url("household", "khongtontai")).status_code == 404


def test_household_write_pages_answer_403_to_read_only_users(client, personas):
    household = add_household(personas)
    for user in (personas.readonly, personas.village_head):
        client.force_login(user)
        for name in ("household_edit", "household_move", "household_status", "citizen_create"):
            assert client.get(url(name, household.public_id)).status_code == 403, (user, name)
            assert client.post(url(name, household.public_id), {"head_name": "X"}).status_code == 403
    client.force_login(personas.readonly)
    assert client.get(url("household_create")).status_code == 403
    assert Household.objects.get(pk=household.pk).head_name == "Nguyễn Văn A"


def test_wrong_methods_are_refused(client, personas):
    household = add_household(personas)
    client.force_login(personas.commune_a_officer)
    assert client.post(url("household", household.public_id)).status_code == 405
    assert client.get(url("household_cccd", household.public_id)).status_code == 405
    assert client.put(url("household_edit", household.public_id)).status_code == 405
    assert client.delete(url("household_status", household.public_id)).status_code == 405


def test_household_create_through_the_form(client, personas):
    client.force_login(personas.commune_a_officer)
    assert client.get(url("household_create")).status_code == 200
    response = client.post(
        url("household_create"),
        {
            "village": personas.village_a.public_id,
            "head_name": "Hoàng  Văn Nam",
            "head_cccd": CCCD,
            "head_birth_date": "1985-02-03",
            "head_sex": "nam",
            "member_count": "3",
            "address": "",
        },
    )
    household = Household.objects.get()
    assert response.status_code == 302 and response["Location"] == url("household", household.public_id)
    assert household.head_name == "Hoàng Văn Nam"


def test_household_create_shows_cccd_errors_in_vietnamese(client, personas):
    client.force_login(personas.commune_a_officer)
    response = client.post(
        url("household_create"),
        {
            "village": personas.village_a.public_id,
            "head_name": "Hoàng Văn Nam",
            "head_cccd": "044185000123",
            "head_birth_date": "1985-02-03",
            "head_sex": "nam",
            "member_count": "3",
        },
    )
    assert response.status_code == 200
    assert "không khớp với giới tính Nam" in response.content.decode()
    assert not Household.objects.exists()


def test_household_edit_with_a_stale_version_is_refused(client, personas):
    household = add_household(personas)
    client.force_login(personas.commune_a_officer)
    form = {
        "head_name": "Nguyễn Văn Á",
        "head_cccd": CCCD,
        "head_birth_date": "1985-01-01",
        "head_sex": "nam",
        "member_count": "2",
        "version": household.updated_at.isoformat(),
    }
    assert client.post(url("household_edit", household.public_id), form).status_code == 302
    stale = client.post(url("household_edit", household.public_id), form | {"head_name": "Ghi đè"})
    assert stale.status_code == 200 and "vừa được người khác sửa" in stale.content.decode()
    assert Household.objects.get(pk=household.pk).head_name == "Nguyễn Văn Á"


def test_household_move_and_status_through_the_forms(client, personas):
    household = add_household(personas)
    other = Village.objects.create(name="Tổ dân phố 7", valid_from=date(2025, 7, 1))
    VillageParent.objects.create(village=other, commune=personas.commune_a, valid_from=date(2025, 7, 1))
    client.force_login(personas.commune_a_officer)
    response = client.post(
        url("household_move", household.public_id), {"village": other.public_id, "on": "2025-09-01"}
    )
    assert response.status_code == 302
    assert HouseholdResidence.objects.filter(household=household).count() == 1
    page = client.get(url("household", household.public_id)).content.decode()
    assert "Tổ dân phố 7" in page and "01/09/2025 – nay" in page
    response = client.post(
        url("household_status", household.public_id), {"status": "dissolved", "on": "2025-10-01"}
    )
    assert response.status_code == 302
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.DISSOLVED


def test_reveal_full_cccd_is_audited_and_needs_the_permission(client, personas):
    household = add_household(personas)
    client.force_login(personas.commune_a_officer)
    response = client.post(url("household_cccd", household.public_id), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and CCCD in response.content.decode()
    entry = AuditEntry.objects.get(action="registry.cccd.viewed")
    assert entry.object_id == household.public_id and entry.actor == personas.commune_a_officer
    client.force_login(personas.village_head)
    assert client.post(url("household_cccd", household.public_id)).status_code == 403
    assert AuditEntry.objects.filter(action="registry.cccd.viewed").count() == 1


# --- citizens and clans ----------------------------------------------------------------------------------


def test_citizen_pages(client, personas):
    household = add_household(personas)
    citizen = add_citizen(personas, household)
    client.force_login(personas.commune_a_officer)
    body = client.get(url("citizen", citizen.public_id)).content.decode()
    assert "********0555" in body and "044190000555" not in body
    assert client.post(url("citizen_cccd", citizen.public_id)).content.decode().count("044190000555") == 1
    assert client.post(url("citizen", citizen.public_id)).status_code == 405
    target = add_household(personas, name="Lê Văn Bờ", cccd=None)
    response = client.post(
        url("citizen_move", citizen.public_id), {"household_code": target.code.lower(), "on": "2025-09-01"}
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Citizen.objects.get(pk=citizen.pk).household == target
    client.force_login(personas.outsider)
    assert client.get(url("citizen", citizen.public_id)).status_code == 404
    assert client.get(url("citizen_edit", citizen.public_id)).status_code == 404
    client.force_login(personas.readonly)
    assert client.get(url("citizen_edit", citizen.public_id)).status_code == 403
    assert client.post(url("citizen_move", citizen.public_id), {}).status_code == 403


def test_citizen_create_through_the_form(client, personas):
    household = add_household(personas)
    client.force_login(personas.commune_a_officer)
    response = client.post(
        url("citizen_create", household.public_id),
        {
            "full_name": "Võ Thị Hạnh",
            "sex": "nu",
            "birth_date": "2001-05-05",
            "cccd": "",
            "ethnicity": "Kinh",
        },
    )
    assert response.status_code == 302
    assert Citizen.objects.get(household=household).name_search == "vo thi hanh"


def test_clan_pages(client, personas):
    household = add_household(personas)
    client.force_login(personas.commune_a_officer)
    response = client.post(
        url("clan_create"), {"commune": personas.commune_a.public_id, "name": "Họ Nguyễn", "branch": "Chi 1"}
    )
    assert response.status_code == 302
    clan = services.Clan.objects.get()
    add = client.post(
        url("clan_add_household", clan.public_id), {"household_code": household.code, "on": "2025-01-01"}
    )
    assert add.status_code == 302
    body = client.get(url("clan", clan.public_id)).content.decode()
    assert household.head_name in body and "registry.clan.household_added" in body
    assert client.get(url("clan_add_household", clan.public_id)).status_code == 405
    client.force_login(personas.outsider)
    assert client.get(url("clan", clan.public_id)).status_code == 404
    assert client.post(url("clan_remove_household", clan.public_id), {}).status_code == 404
    client.force_login(personas.readonly)
    assert client.post(url("clan_remove_household", clan.public_id), {}).status_code == 403
    assert client.get(url("clan_create")).status_code == 403


def test_menu_shows_the_registry_to_officers_only(client, personas):
    client.force_login(personas.commune_a_officer)
    assert 'data-testid="nav-registry"' in client.get(reverse("core:home")).content.decode()
    client.force_login(personas.citizen)
    assert 'data-testid="nav-registry"' not in client.get(reverse("core:home")).content.decode()


def test_wide_scope_list_walks_the_name_index_with_the_same_scope(client, personas, monkeypatch):
    # given households in Quảng Trị and one in Hà Nội (outside the province officer's scope)
    from hoctap.registry import selectors

    inside = add_household(personas)
    hanoi = Village.objects.create(name="Tổ dân phố Ba Đình 1", valid_from=date(2025, 7, 1))
    VillageParent.objects.create(village=hanoi, commune=personas.commune_outside, valid_from=date(2025, 7, 1))
    services.household_create(
        actor=personas.outsider,
        village=hanoi,
        data=HouseholdData(head_name="Đỗ Văn Hà Nội"),
        registered_on=date(2024, 1, 1),
    )
    # when the province officer's scope counts as wide (the path used at province scale)
    monkeypatch.setattr(selectors, "WIDE_SCOPE_VILLAGES", 0)
    client.force_login(personas.province_officer)
    body = client.get(url("households")).content.decode()
    # then the rows are still scoped, and search finds names, codes and CCCD numbers
    assert "Nguyễn Văn A" in body and "Đỗ Văn Hà Nội" not in body
    for query in ("nguyen van a", inside.code.lower(), CCCD):
        assert inside.code in client.get(url("households"), {"q": query}).content.decode(), query
    assert "Đỗ Văn Hà Nội" not in client.get(url("households"), {"q": "do van ha noi"}).content.decode()
    citizen = add_citizen(personas, inside)
    body = client.get(url("citizens"), {"q": "tran thi binh"}).content.decode()
    assert citizen.public_id in body
    assert citizen.public_id in client.get(url("citizens"), {"q": "044190000555"}).content.decode()


def _village_before_and_after_the_reform(personas, name: str):
    """A village of an old ward (until 30/6/2025) that belongs to Phường Đồng Hới from 1/7/2025."""
    old_ward = next(row.unit for row in unit_predecessors(personas.commune_a) if row.is_default)
    village = Village.objects.create(name=name, valid_from=date(2020, 1, 1))
    VillageParent.objects.create(
        village=village, commune=old_ward, valid_from=date(2020, 1, 1), valid_to=date(2025, 6, 30)
    )
    VillageParent.objects.create(village=village, commune=personas.commune_a, valid_from=date(2025, 7, 1))
    return old_ward, village


def test_household_list_as_of_a_past_day_uses_the_units_and_villages_of_that_day(client, personas):
    # given a village of an old ward, a household living there since 2020 and one that moved in later
    old_ward, old_village = _village_before_and_after_the_reform(personas, "Tổ dân phố Cũ")
    stayed = services.household_create(
        actor=personas.province_officer,
        village=old_village,
        data=HouseholdData(head_name="Hồ Văn Ở", head_sex="nam", member_count=3),
        registered_on=date(2020, 3, 1),
    )
    mover = add_household(personas, name="Trần Văn Chuyển", cccd=None)  # Tổ dân phố 1 since 1/1/2024
    services.household_move(
        actor=personas.province_officer, household=mover, village=old_village, on=date(2025, 9, 1)
    )
    client.force_login(personas.commune_a_officer)
    # when the officer lists the households of the old ward as of 31/12/2024
    day = {"ngay": "2024-12-31"}
    page = client.get(url("households"), day).content.decode()
    listed = client.get(url("households"), day | {"xa": old_ward.public_id}).content.decode()
    # then the old ward is offered, and only the household that lived in its village then is listed
    assert old_ward.name in page and 'data-testid="as-of"' in page
    assert stayed.head_name in listed and mover.head_name not in listed
    # and on that day the mover is shown in the village it lived in then, under Phường Đồng Hới's list
    everyone = client.get(url("households"), day | {"q": "chuyen"}).content.decode()
    assert "Trần Văn Chuyển" in everyone and "Tổ dân phố 1" in everyone and "Tổ dân phố Cũ" not in everyone
    # and today it is listed in its new village
    now = client.get(url("households"), {"q": "chuyen"}).content.decode()
    assert "Tổ dân phố Cũ" in now and 'data-testid="as-of"' not in now


def test_household_list_as_of_refuses_bad_and_future_days_and_keeps_few_queries(
    client, personas, django_assert_max_num_queries
):
    for n in range(3):
        add_household(personas, name=f"Hộ cũ {n}", cccd=None)
    client.force_login(personas.commune_a_officer)
    bad = client.get(url("households"), {"ngay": "31/12/2024"}).content.decode()
    future = client.get(url("households"), {"ngay": "2999-01-01"}).content.decode()
    assert "không hợp lệ" in bad and "Hộ cũ 1" in bad
    assert "không được sau hôm nay" in future
    with django_assert_max_num_queries(18) as few:
        client.get(url("households"), {"ngay": "2025-12-31"})
    for n in range(30):
        add_household(personas, name=f"Hộ thêm {n}", cccd=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("households"), {"ngay": "2025-12-31"})
    assert response.content.decode().count('href="/dan-cu/ho/') >= 33


def test_village_list_as_of_a_past_day_shows_the_commune_and_households_of_that_day(client, personas):
    old_ward, old_village = _village_before_and_after_the_reform(personas, "Tổ dân phố Xưa")
    gone = services.household_create(
        actor=personas.province_officer,
        village=old_village,
        data=HouseholdData(head_name="Lê Văn Đi", head_sex="nam", member_count=2),
        registered_on=date(2021, 1, 1),
    )
    services.household_set_status(
        actor=personas.province_officer, household=gone, status="moved", on=date(2025, 3, 1)
    )
    client.force_login(personas.commune_a_officer)
    now = client.get(url("villages"), {"q": "xua"}).content.decode()
    then = client.get(url("villages"), {"q": "xua", "ngay": "2024-12-31"}).content.decode()
    # today: under Phường Đồng Hới, nobody living there; on 31/12/2024: under the old ward, one household
    assert personas.commune_a.name in now and old_ward.name not in now and "<td>0</td>" in now
    assert old_ward.name in then and "<td>1</td>" in then and "ngay=2024-12-31" in then


def test_citizen_list_filters_by_commune_and_village(client, personas):
    # given citizens in Phường Đồng Hới and in Xã Phong Nha
    here = add_citizen(personas, add_household(personas, cccd=None), name="Võ Thị Ở Đây")
    there_home = add_household(personas, name="Lê Văn Xa", cccd=None, village=personas.village_b)
    there = services.citizen_create(
        actor=personas.province_officer,
        household=there_home,
        data=CitizenData(full_name="Đỗ Văn Ở Xa", sex="nam", birth_date=date(1990, 1, 1)),
    )
    client.force_login(personas.province_officer)
    # when the province officer filters by commune, then by village
    by_commune = client.get(url("citizens"), {"xa": personas.commune_b.public_id}).content.decode()
    by_village = client.get(
        url("citizens"), {"xa": personas.commune_a.public_id, "thon": personas.village_a.public_id}
    ).content.decode()
    # then only the citizens living there are listed, and the village choices are the commune's
    assert there.full_name in by_commune and here.full_name not in by_commune
    assert here.full_name in by_village and there.full_name not in by_village
    assert f'value="{personas.village_a.public_id}" selected' in by_village
    # and a commune outside the officer's scope filters nothing in
    client.force_login(personas.commune_a_officer)
    foreign = client.get(url("citizens"), {"xa": personas.commune_b.public_id}).content.decode()
    assert there.full_name not in foreign


def test_household_detail_names_the_communes_of_each_residence(client, personas):
    # given a household living since 2020 in a village that moved from an old ward to Phường Đồng Hới
    old_ward, old_village = _village_before_and_after_the_reform(personas, "Tổ dân phố Lâu")
    household = services.household_create(
        actor=personas.province_officer,
        village=old_village,
        data=HouseholdData(head_name="Ngô Văn Lâu", head_sex="nam", member_count=2),
        registered_on=date(2020, 3, 1),
    )
    client.force_login(personas.commune_a_officer)
    # when its page is opened
    page = client.get(url("household", household.public_id)).content.decode()
    # then the residence names both communes of the period, in order
    assert f"{old_ward.name} → {personas.commune_a.name}" in page
