"""A Sở GDĐT specialist opens a criteria set, sees what is unconfirmed, and tries an evaluation."""

import re
from datetime import date

import pytest

from conftest import PASSWORD

pytestmark = pytest.mark.e2e

GDHT_CODES = ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2")


@pytest.fixture
def specialist(e2e_personas):
    from hoctap.accounts.services import role_assign, user_create
    from hoctap.core.permissions import Role
    from hoctap.criteria.services import criteria_sync_shipped

    criteria_sync_shipped()
    user = user_create(actor=None, username="p.sogddt", password=PASSWORD, full_name="Chuyên viên Sở GDĐT")
    role_assign(
        actor=None,
        user=user,
        role=Role.PROVINCE_SPECIALIST,
        unit=e2e_personas.province,
        valid_from=date(2025, 7, 1),
    )
    return user


def test_specialist_reads_a_set_and_tries_an_evaluation(page, specialist):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("p.sogddt")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/$"))

    page.get_by_role("link", name="Bộ tiêu chí").first.click()
    page.get_by_test_id("set-table").get_by_role("link", name="gdht-2015").click()
    page.wait_for_url(re.compile(r"/tieu-chi/gdht-2015/1/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Gia đình học tập")
    summary = page.get_by_test_id("unconfirmed-summary")
    assert summary.get_by_test_id("unconfirmed-badge").first.is_visible()
    assert "chưa xác nhận" in summary.inner_text()

    form = page.get_by_test_id("try-form")
    for code in GDHT_CODES[:-1]:
        form.locator(f'[name="a_{code}"]').fill("10")
    form.locator('[name="evaluated_on"]').fill("2024-12-15")
    form.get_by_role("button", name="Đánh giá").click()
    errors = page.get_by_test_id("try-errors")
    errors.wait_for()
    assert "Thiếu câu trả lời cho chỉ tiêu: 4.2" in errors.inner_text()

    form.locator('[name="a_4.2"]').fill("0")
    form.locator('[name="a_1.1"]').fill("0")
    form.locator('[name="a_1.2"]').fill("0")
    form.get_by_role("button", name="Đánh giá").click()
    verdict = page.get_by_test_id("try-verdict")
    verdict.wait_for()
    assert "Chưa đạt" in verdict.inner_text()
    assert "Tổng điểm 80/100" not in verdict.inner_text()
    assert "Tổng điểm 70/100, dưới mức tối thiểu 80 điểm" in verdict.inner_text()

    form.locator('[name="a_4.2"]').fill("10")
    form.locator('[name="a_1.1"]').fill("10")
    form.locator('[name="a_1.2"]').fill("10")
    form.get_by_role("button", name="Đánh giá").click()
    page.wait_for_function("document.querySelector('[data-testid=try-verdict]').innerText.startsWith('Đạt')")
    assert "Kết quả: đạt — Công nhận Gia đình học tập." in page.get_by_test_id("try-verdict").inner_text()
    page.screenshot(path="var/e2e-criteria.png", full_page=True)
