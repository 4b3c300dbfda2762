"""A commune officer logs in, finds their commune and its history, and cannot reach another commune."""

import re

import pytest

from conftest import PASSWORD

pytestmark = pytest.mark.e2e


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_commune_officer_journey(page, e2e_personas):
    login(page, "p.commune_a", "wrong-password")
    assert page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng.").is_visible()

    login(page, "p.commune_a")
    page.wait_for_url(re.compile(r"/$"))
    card = page.get_by_test_id("role-card")
    assert "Cán bộ cấp xã" in card.inner_text()
    assert "Phường Đồng Hới" in card.inner_text()

    card.get_by_role("link", name="Xem đơn vị").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Phường Đồng Hới")
    lineage = page.get_by_test_id("lineage").inner_text()
    assert "Phường Đồng Phú" in lineage and "Sáp nhập" in lineage

    response = page.goto(f"/don-vi/{e2e_personas.commune_b.public_id}/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="Không tìm thấy").is_visible()

    page.goto("/")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/dang-nhap/"))
    assert page.get_by_text("Bạn đã đăng xuất.").is_visible()


def test_province_officer_switches_the_as_of_date(page, e2e_personas):
    login(page, "p.province")
    page.goto("/don-vi/")
    page.get_by_label("Theo địa giới ngày").fill("2024-12-31")
    page.get_by_label("Tìm theo tên (không cần dấu)").fill("dong hoi")
    page.get_by_role("button", name="Xem").click()
    table = page.get_by_test_id("unit-table").inner_text()
    assert "Thành phố Đồng Hới" in table
    page.get_by_label("Theo địa giới ngày").fill("2025-07-01")
    page.get_by_role("button", name="Xem").click()
    table = page.get_by_test_id("unit-table").inner_text()
    assert "Phường Đồng Hới" in table and "Thành phố Đồng Hới" not in table
    page.screenshot(path="var/e2e-units.png", full_page=True)
