"""Unit pages: happy path, wrong method, outsider (404), read-only (403), anonymous."""

import pytest
from django.urls import reverse

from hoctap.core.audit import audit_log

pytestmark = pytest.mark.django_db


def detail(unit) -> str:
    return reverse("units:detail", args=[unit.public_id])


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(detail(personas.commune_a))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_commune_officer_sees_own_commune_with_lineage(client, personas):
    client.force_login(personas.commune_a_officer)
    response = client.get(detail(personas.commune_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Phường Đồng Hới" in body
    assert "Phường Đồng Phú" in body  # a predecessor
    assert "Tổ dân phố 1" in body  # its village


def test_commune_officer_sees_predecessors_of_own_commune(client, personas):
    from hoctap.units.selectors import unit_predecessors

    client.force_login(personas.commune_a_officer)
    old = unit_predecessors(personas.commune_a)[0].unit
    assert client.get(detail(old)).status_code == 200


def test_other_commune_answers_404_like_a_missing_one(client, personas):
    client.force_login(personas.commune_a_officer)
    assert client.get(detail(personas.commune_b)).status_code == 404
    assert client.get(detail(personas.province)).status_code == 404
    assert client.get(reverse("units:detail", args=["doesnotexist"])).status_code == 404
    assert client.get(reverse("units:audit", args=[personas.commune_b.public_id])).status_code == 404


def test_outsider_gets_404_for_every_unit_page_of_the_province(client, personas):
    client.force_login(personas.outsider)
    for unit in (personas.province, personas.commune_a, personas.commune_b):
        assert client.get(detail(unit)).status_code == 404
        assert client.get(reverse("units:audit", args=[unit.public_id])).status_code == 404


def test_wrong_method_is_refused(client, personas):
    client.force_login(personas.province_officer)
    assert client.post(detail(personas.commune_a)).status_code == 405
    assert client.post(reverse("units:browser")).status_code == 405


def test_read_only_user_gets_403_on_audit(client, personas):
    client.force_login(personas.readonly)
    assert client.get(detail(personas.commune_a)).status_code == 200
    assert client.get(reverse("units:audit", args=[personas.commune_a.public_id])).status_code == 403


def test_audit_view_is_scoped(client, personas):
    audit_log(actor=personas.commune_a_officer, action="test.thing.done", unit=personas.commune_a)
    audit_log(actor=personas.commune_b_officer, action="test.other.done", unit=personas.commune_b)
    client.force_login(personas.province_officer)
    body = client.get(reverse("units:audit", args=[personas.province.public_id])).content.decode()
    assert "test.thing.done" in body and "test.other.done" in body
    client.force_login(personas.commune_a_officer)
    body = client.get(reverse("units:audit", args=[personas.commune_a.public_id])).content.decode()
    assert "test.thing.done" in body and "test.other.done" not in body


def test_browser_as_of_date_and_diacritic_free_search(client, personas):
    client.force_login(personas.province_officer)
    body = client.get(reverse("units:browser"), {"ngay": "2024-06-01", "q": "dong hoi"}).content.decode()
    assert "Thành phố Đồng Hới" in body  # old district, visible through lineage
    body = client.get(reverse("units:browser"), {"ngay": "2026-01-01", "q": "dong hoi"}).content.decode()
    assert "Phường Đồng Hới" in body and "Thành phố Đồng Hới" not in body


def test_browser_hides_other_provinces(client, personas):
    client.force_login(personas.province_officer)
    body = client.get(reverse("units:browser"), {"ngay": "2026-01-01", "q": "ba dinh"}).content.decode()
    assert "Phường Ba Đình" not in body


def test_village_head_and_citizen_cannot_browse_units(client, personas):
    client.force_login(personas.village_head)
    assert client.get(reverse("units:browser")).status_code == 404
    client.force_login(personas.citizen)
    assert client.get(detail(personas.commune_b)).status_code == 404


def test_browser_query_count_is_constant(client, personas, django_assert_max_num_queries):
    client.force_login(personas.province_officer)
    client.get(reverse("units:browser"))  # warm the session
    with django_assert_max_num_queries(20):
        response = client.get(reverse("units:browser"), {"ngay": "2024-06-01"})
    assert response.status_code == 200
