"""A citizen self-assesses "Công dân học tập" (first failing on an index below 5), the commune verifies it."""

import re

import pytest
from django.utils import timezone

from e2e.test_login_journey import login
from hoctap.recognitions.criteria import criteria_set_for_model
from hoctap.recognitions.models import Assessment
from hoctap.recognitions.self_assessment import citizen_link_user
from hoctap.recognitions.tests.test_round_services import household
from hoctap.registry.models import Citizen

pytestmark = pytest.mark.e2e


def indicator_codes(year: int) -> list[str]:
    cs = criteria_set_for_model(model="cdht", year=year)
    group = next(g for g in cs.subject_groups if g.code == "nguoi-lao-dong")
    return [i.code for c in group.criteria for i in c.indicators]


def test_citizen_self_assesses_and_the_commune_verifies(page, e2e_personas):
    year = timezone.localdate().year
    home = household(e2e_personas.village_a, "Ngô Minh Đức", "044085000201")
    citizen = Citizen.objects.create(
        full_name="Ngô Minh Đức", sex="nam", birth_date="1985-03-02", household=home
    )
    citizen_link_user(actor=None, citizen=citizen, user=e2e_personas.citizen)

    login(page, "p.citizen")
    page.get_by_test_id("home-self-assessment").click()
    page.get_by_test_id("self-start").click()
    assert f"Tự đánh giá Công dân học tập năm {year}" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_label("Nhóm đối tượng (phiếu)").select_option("nguoi-lao-dong")
    page.wait_for_load_state("networkidle")
    codes = indicator_codes(year)
    for code in codes:
        page.locator(f'[name="i_{code}"]').fill("4" if code == "2.2" else "9")
    result = page.get_by_test_id("result")
    result.get_by_text("Chưa đạt", exact=True).wait_for()
    assert "Chỉ tiêu 2.2 đạt 4 điểm, dưới mức tối thiểu 5 điểm" in result.inner_text()

    page.locator('[name="i_2.2"]').fill("7")
    result.get_by_text("Đạt", exact=True).wait_for()
    page.get_by_test_id("self-submit").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("self-status").inner_text() == "Tự đánh giá, chờ xã xác minh"
    assessment = Assessment.objects.get(citizen=citizen)
    assert assessment.status == Assessment.Status.SELF_SUBMITTED and assessment.passed is True

    page.context.clear_cookies()
    login(page, "p.commune_a")
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"/cong-nhan/dot/{assessment.round.public_id}/")
    page.get_by_test_id("self-filter").click()
    page.get_by_test_id("assessments").get_by_role("link", name="Ngô Minh Đức").click()
    page.get_by_role("button", name="Xác nhận kết quả tự đánh giá").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Đã xác minh phiếu tự đánh giá: Ngô Minh Đức.").is_visible()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.ASSESSED
