"""Criteria screens: happy path, wrong method, no criteria access (404), read-only (403), anonymous."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoctap.accounts.services import role_assign, user_create
from hoctap.core.permissions import Role
from hoctap.criteria.models import CriteriaSet, ProvinceTarget
from hoctap.criteria.tests.factories import TEST_CODE, set_bytes

pytestmark = pytest.mark.django_db

VERSION = reverse("criteria:version", args=["gdht-2015", 1])
TRY = reverse("criteria:try", args=["gdht-2015", 1])
ACTIVATE = reverse("criteria:activate", args=[TEST_CODE, 1])
UPLOAD = reverse("criteria:upload")


@pytest.fixture
def specialist(personas):
    user = user_create(actor=None, username="p.specialist", password="x-Test@2026")
    role_assign(
        actor=None,
        user=user,
        role=Role.PROVINCE_SPECIALIST,
        unit=personas.province,
        valid_from=date(2025, 7, 1),
    )
    return user


def upload(client, content: bytes, activate: bool = False):
    data: dict[str, object] = {
        "file": SimpleUploadedFile("set.yaml", content, content_type="application/yaml")
    }
    if activate:
        data["activate"] = "on"
    return client.post(UPLOAD, data)


def test_anonymous_is_sent_to_login_but_the_movement_page_is_public(client, personas):
    assert client.get(reverse("criteria:list")).status_code == 302
    response = client.get(reverse("criteria:movement"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "2557/KH-UBND" in body and "chưa xác nhận" in body
    assert reverse("criteria:set", args=["thidua-2557-xa"]) in body
    assert client.post(reverse("criteria:movement")).status_code == 405


def test_list_shows_versions_status_and_unconfirmed_badges(client, personas):
    client.force_login(personas.readonly)
    body = client.get(reverse("criteria:list")).content.decode()
    assert "cdht-2023" in body and "Đang áp dụng" in body
    assert 'class="badge badge-unconfirmed"' in body and "Nạp phiên bản mới" not in body


def test_version_page_shows_the_tree_rules_authorities_and_flags(client, personas):
    client.force_login(personas.readonly)
    response = client.get(reverse("criteria:version", args=["cdhtxa-2023", 1]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mức độ 1" in body or "mức độ 1" in body.lower()
    assert "Cơ quan công nhận" in body and "chưa xác nhận" in body and "Thử đánh giá" in body
    assert client.get(reverse("criteria:set", args=["cdhtxa-2023"])).url == reverse(
        "criteria:version", args=["cdhtxa-2023", 1]
    )


def test_subject_groups_each_show_their_tree(client, personas):
    client.force_login(personas.readonly)
    body = client.get(
        reverse("criteria:version", args=["cdht-2023", 1]), {"nhom": "hoc-sinh-sinh-vien"}
    ).content.decode()
    assert 'value="hoc-sinh-sinh-vien" selected' in body
    assert 'name="subject_group" value="hoc-sinh-sinh-vien"' in body


def test_users_without_criteria_access_get_404(client, personas):
    client.force_login(personas.citizen)
    for url in (reverse("criteria:list"), VERSION, reverse("criteria:targets"), UPLOAD):
        assert client.get(url).status_code == 404
    assert client.post(TRY, {"evaluated_on": "2024-12-15"}).status_code == 404
    client.force_login(personas.readonly)
    assert client.get(reverse("criteria:version", args=["gdht-2015", 9])).status_code == 404
    assert client.get(reverse("criteria:version", args=["khong-co", 1])).status_code == 404


def test_wrong_methods_are_refused(client, personas):
    client.force_login(personas.province_officer)
    assert client.post(VERSION).status_code == 405
    assert client.get(TRY).status_code == 405
    assert client.get(reverse("criteria:activate", args=["gdht-2015", 1])).status_code == 405
    assert client.post(reverse("criteria:list")).status_code == 405
    assert client.put(UPLOAD).status_code == 405


def test_read_only_user_gets_403_on_upload_and_activate(client, personas):
    client.force_login(personas.province_officer)
    upload(client, set_bytes())
    client.force_login(personas.readonly)
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, set_bytes(version=2)).status_code == 403
    assert client.post(ACTIVATE).status_code == 403
    assert CriteriaSet.objects.get(code=TEST_CODE).status == "draft"


def test_specialist_uploads_activates_and_downloads(client, specialist):
    client.force_login(specialist)
    response = upload(client, set_bytes())
    assert response.status_code == 302 and response.url == reverse("criteria:version", args=[TEST_CODE, 1])
    assert client.post(ACTIVATE).status_code == 302
    assert CriteriaSet.objects.get(code=TEST_CODE).status == "active"
    yaml_file = client.get(reverse("criteria:download", args=[TEST_CODE, 1, "yaml"]))
    assert yaml_file["Content-Disposition"] == f'attachment; filename="{TEST_CODE}@1.yaml"'
    assert "code: thu-nghiem-2024" in yaml_file.content.decode()
    assert client.get(reverse("criteria:download", args=[TEST_CODE, 1, "json"])).json()["version"] == 1
    assert client.get(reverse("criteria:download", args=[TEST_CODE, 1, "exe"])).status_code == 404


def test_upload_errors_are_shown_in_vietnamese(client, specialist):
    client.force_login(specialist)
    response = upload(client, b"code: Sai\nversion: 0\n")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Không nạp được tệp" in body and "phải từ 1 trở lên" in body


def test_compare_page_lists_the_changes(client, specialist):
    client.force_login(specialist)
    upload(client, set_bytes())
    upload(client, set_bytes(version=2, title="Gia đình học tập (2026)"))
    response = client.get(reverse("criteria:compare", args=[TEST_CODE]), {"a": 1, "b": 2})
    body = response.content.decode()
    assert response.status_code == 200 and "Gia đình học tập (2026)" in body and "<code>title</code>" in body
    assert client.get(reverse("criteria:compare", args=["khong-co"])).status_code == 404


def test_try_evaluation_shows_the_reason_then_the_pass(client, personas):
    client.force_login(personas.readonly)
    fields = {f"a_{c}": "10" for c in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1")}
    missing = client.post(TRY, {**fields, "evaluated_on": "2024-12-15"}, HTTP_HX_REQUEST="true")
    assert "Thiếu câu trả lời cho chỉ tiêu: 4.2" in missing.content.decode()
    low = client.post(
        TRY, {**fields, "a_4.2": "0", "a_1.1": "0", "a_1.2": "5,5", "evaluated_on": "2024-12-15"}
    )
    assert "Tổng điểm 75,5/100, dưới mức tối thiểu 80 điểm" in low.content.decode()
    ok = client.post(TRY, {**fields, "a_4.2": "10", "evaluated_on": "2024-12-15"}).content.decode()
    assert "Đạt" in ok and "Kết quả: đạt — Công nhận Gia đình học tập." in ok


def test_targets_page_and_province_targets(client, personas):
    client.force_login(personas.province_officer)
    body = client.get(reverse("criteria:targets")).content.decode()
    assert "1373/QĐ-TTg" in body and personas.province.name in body
    url = reverse("criteria:province_targets", args=[personas.province.public_id])
    response = client.post(url, {"target_code": "qd387-gia-dinh-hoc-tap", "year": 2025, "value": "75"})
    assert response.status_code == 302
    assert ProvinceTarget.objects.get().value == 75
    refused = client.post(url, {"target_code": "qd387-gia-dinh-hoc-tap", "year": 2025, "value": "60"})
    assert refused.status_code == 400 and "không được thấp hơn chỉ tiêu quốc gia" in refused.content.decode()
    assert client.delete(url).status_code == 405


def test_province_targets_are_scoped(client, personas):
    url = reverse("criteria:province_targets", args=[personas.province.public_id])
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    client.force_login(personas.readonly)
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"target_code": "qd387-gia-dinh-hoc-tap", "year": 2025, "value": "75"}).status_code
        == 403
    )
    assert not ProvinceTarget.objects.exists()
