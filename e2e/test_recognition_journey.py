"""A commune officer runs the 2026 "Gia đình học tập" round end to end; a visitor verifies a certificate."""

import re
from datetime import date

import pytest
from openpyxl import load_workbook

from e2e.test_login_journey import login
from hoctap.recognitions.models import Recognition
from hoctap.recognitions.services import assessment_record, round_create, round_decide, round_transition
from hoctap.recognitions.tests.test_round_services import full_marks, household

pytestmark = pytest.mark.e2e


def last_year(personas):
    officer = personas.commune_a_officer
    homes = [household(personas.village_a, f"Nguyễn Văn {n}", f"04408000090{i}") for i, n in enumerate("ABC")]
    rnd = round_create(actor=officer, commune=personas.commune_a, model="gdht", year=2025)
    for h in homes[:2]:
        assessment_record(actor=officer, round=rnd, subject=h, answers=full_marks("gdht", 2025))
    assessment_record(
        actor=officer, round=rnd, subject=homes[2], answers=dict.fromkeys(full_marks("gdht", 2025), 0)
    )
    round_transition(actor=officer, round=rnd, action="propose")
    round_transition(actor=officer, round=rnd, action="review")
    round_decide(actor=officer, round=rnd, decision_date=date(2026, 1, 20), signer="Trần Văn Bảy")
    return homes


def fill(template: str, out: str, rows: list[list[object]]) -> str:
    book = load_workbook(template)
    sheet = book.worksheets[0]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
    book.save(out)
    return out


def click_post(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("networkidle")


def test_round_end_to_end(page, e2e_personas, tmp_path):
    homes = last_year(e2e_personas)
    login(page, "p.commune_a")
    page.goto("/cong-nhan/")
    create = page.get_by_test_id("round-create")
    create.get_by_label("Danh hiệu").select_option("gdht")
    create.get_by_label("Năm đánh giá").fill("2026")
    click_post(page, "Mở đợt")
    assert "Gia đình học tập năm 2026" in page.get_by_role("heading", level=1).inner_text()

    click_post(page, "Chuyển danh sách năm 2025")
    assert page.get_by_text("Đã chuyển 2 đối tượng").is_visible()
    click_post(page, "Xác nhận tất cả đối tượng chuyển từ năm trước")
    assert page.get_by_text("Đã xác nhận và đánh giá lại 2").is_visible()

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải mẫu Excel của đợt").click()
    template = str(tmp_path / "mau.xlsx")
    info.value.save_as(template)
    answers = full_marks("gdht", 2026)
    codes = sorted(answers, key=lambda c: tuple(map(int, c.split("."))))
    third = homes[2]
    bad = [third.code, third.head_name, *[11 if code == "1.1" else answers[code] for code in codes]]
    page.get_by_label("Tệp kết quả đánh giá (.xlsx)").set_input_files(
        fill(template, str(tmp_path / "sai.xlsx"), [bad])
    )
    click_post(page, "Nhập kết quả từ Excel")
    assert page.get_by_text("không có dữ liệu nào được ghi").is_visible()
    assert page.get_by_role("link", name="Tải báo cáo lỗi (Excel)").is_visible()
    good = [third.code, third.head_name, *[answers[code] for code in codes]]
    page.get_by_label("Tệp kết quả đánh giá (.xlsx)").set_input_files(
        fill(template, str(tmp_path / "dung.xlsx"), [good])
    )
    click_post(page, "Nhập kết quả từ Excel")
    assert (
        page.get_by_text("Đã nhập 1 dòng: 0 mới, 1 cập nhật").is_visible()
        or page.get_by_text("Đã nhập 1 dòng: 1 mới").is_visible()
    )

    click_post(page, "Đề nghị công nhận")
    click_post(page, "Xác nhận đã thẩm định")
    decide = page.get_by_test_id("decide-form")
    decide.get_by_label("Ngày ký").fill("2026-11-20")
    decide.get_by_label("Người ký").fill("Trần Văn Bảy")
    click_post(page, "Quyết định công nhận")
    assert page.get_by_test_id("round-status").inner_text() == "Đã quyết định công nhận"
    table = page.get_by_test_id("recognitions").inner_text()
    assert all(h.head_name in table for h in homes)

    with page.expect_download() as info:
        page.get_by_role("link", name="In giấy công nhận (PDF)").click()
    pdf = tmp_path / "giay.pdf"
    info.value.save_as(str(pdf))
    assert pdf.read_bytes()[:4] == b"%PDF"

    code = Recognition.objects.filter(round__year=2026, subject_name__endswith="Nguyễn Văn A").get().code
    page.goto("/")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/dang-nhap/"))
    page.goto("/xac-minh/")
    page.get_by_label("Mã xác minh").fill(code)
    click_post(page, "Xác minh")
    result = page.get_by_test_id("verify-result").inner_text()
    assert "Còn hiệu lực" in result and "Nguyễn Văn A" in result and "Gia đình học tập" in result
