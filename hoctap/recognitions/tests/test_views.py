"""Round pages: happy path through the browser-facing views, wrong method, outsider 404, read-only 403."""

from datetime import date

import pytest
from django.urls import reverse

from hoctap.recognitions.models import Assessment, Recognition, Round
from hoctap.recognitions.services import assessment_record, round_create, round_decide, round_transition
from hoctap.recognitions.tests.test_round_services import full_marks, household

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(personas):
    officer = personas.commune_a_officer
    h = household(personas.village_a, "Nguyễn Thị Lụa", "044180000011")
    rnd = round_create(actor=officer, commune=personas.commune_a, model="gdht", year=2025)
    assessment_record(actor=officer, round=rnd, subject=h, answers=full_marks("gdht", 2025))
    round_transition(actor=officer, round=rnd, action="propose")
    round_transition(actor=officer, round=rnd, action="review")
    return round_decide(
        actor=officer,
        round=rnd,
        decision_date=date(2026, 1, 10),
        signer="Trần Văn Bảy",
    )


def test_officer_opens_a_round_from_the_list(client, personas):
    client.force_login(personas.commune_a_officer)
    response = client.post(
        reverse("recognitions:rounds"),
        {"commune": personas.commune_a.public_id, "model": "gdht", "year": 2026},
    )
    rnd = Round.objects.get(commune=personas.commune_a, year=2026)
    assert response.status_code == 302 and rnd.public_id in response["Location"]
    body = client.get(reverse("recognitions:rounds")).content.decode()
    assert "Gia đình học tập" in body and "Phường Đồng Hới" in body


def test_officer_cannot_open_a_round_for_another_commune(client, personas):
    client.force_login(personas.commune_a_officer)
    client.post(
        reverse("recognitions:rounds"),
        {"commune": personas.commune_b.public_id, "model": "gdht", "year": 2026},
    )
    assert not Round.objects.filter(commune=personas.commune_b).exists()


def test_round_pages_are_404_for_outsiders_and_other_communes(client, personas, decided):
    for user in (personas.outsider, personas.commune_b_officer):
        client.force_login(user)
        assert client.get(reverse("recognitions:round", args=[decided.public_id])).status_code == 404
        url = reverse("recognitions:round_action", args=[decided.public_id, "de-nghi"])
        assert client.post(url).status_code == 404
        rec = Recognition.objects.get(round=decided)
        assert client.get(reverse("recognitions:revoke", args=[rec.public_id])).status_code == 404


def test_read_only_user_sees_but_cannot_act(client, personas):
    rnd = round_create(actor=personas.commune_a_officer, commune=personas.commune_a, model="gdht", year=2026)
    client.force_login(personas.readonly)
    assert client.get(reverse("recognitions:round", args=[rnd.public_id])).status_code == 200
    url = reverse("recognitions:round_action", args=[rnd.public_id, "chuyen-tu-nam-truoc"])
    assert client.post(url).status_code == 403


def test_actions_need_post(client, personas):
    rnd = round_create(actor=personas.commune_a_officer, commune=personas.commune_a, model="gdht", year=2026)
    client.force_login(personas.commune_a_officer)
    assert (
        client.get(reverse("recognitions:round_action", args=[rnd.public_id, "de-nghi"])).status_code == 405
    )


def test_live_preview_and_save_of_an_assessment(client, personas):
    officer = personas.commune_a_officer
    h = household(personas.village_a, "Lê Văn Mạnh", "044080000012")
    rnd = round_create(actor=officer, commune=personas.commune_a, model="gdht", year=2026)
    client.force_login(officer)
    client.post(reverse("recognitions:round_action", args=[rnd.public_id, "them-tu-danh-ba"]))
    a = Assessment.objects.get(round=rnd, household=h)
    url = reverse("recognitions:assessment", args=[a.public_id])
    assert client.get(url).status_code == 200
    answers = {f"i_{k}": ("1" if v is True else v) for k, v in full_marks("gdht", 2026).items()}
    answers["i_1.1"] = "4"
    preview = client.post(url, {**answers, "preview": "1"}).content.decode()
    assert "Chưa đạt" in preview or "Đạt" in preview
    assert Assessment.objects.get(pk=a.pk).status == Assessment.Status.PENDING  # preview saves nothing
    response = client.post(url, answers)
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == Assessment.Status.ASSESSED and a.answers["1.1"] == "4"


def test_public_verification_page_and_revocation(client, personas, decided):
    rec = Recognition.objects.get(round=decided)
    body = client.get(reverse("verify_code", args=[rec.code])).content.decode()
    assert "Còn hiệu lực" in body or "Đã hết hiệu lực" in body
    assert "01/QĐ-UBND" in body and "Nguyễn Thị Lụa" in body
    assert "044180000011" not in body  # no more personal data than the certificate
    assert client.get(reverse("verify_code_en", args=[rec.code])).status_code == 200
    assert client.get(reverse("verify_code", args=["KHONGCOMA"])).status_code == 404
    client.force_login(personas.commune_a_officer)
    response = client.post(
        reverse("recognitions:revoke", args=[rec.public_id]),
        {"reason": "Kê khai sai", "reference": "09/QĐ-UBND ngày 01/02/2026"},
    )
    assert response.status_code == 302
    client.logout()
    body = client.get(reverse("verify_code", args=[rec.code])).content.decode()
    assert "Đã bị thu hồi" in body and "09/QĐ-UBND" in body


def test_progress_page_counts_per_commune_and_is_scoped(
    client, personas, decided, django_assert_max_num_queries
):
    household(personas.village_a, "Đinh Văn Nam", "044080000013")  # not yet assessed
    client.force_login(personas.commune_a_officer)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("recognitions:progress"), {"nam": 2025, "danh_hieu": "gdht"})
    body = response.content.decode()
    assert "Phường Đồng Hới" in body and "Xã Phong Nha" not in body
    row = response.context["rows"][0]
    assert (row.subjects, row.assessed, row.recognised, row.last_year) == (2, 1, 1, 0)
    assert "Gia đình học tập" in body and "QĐ 387" in body
    client.force_login(personas.outsider)
    assert "Phường Đồng Hới" not in client.get(reverse("recognitions:progress")).content.decode()


def test_decided_round_prints_its_decision_and_certificates(client, personas, decided, tmp_path):
    import subprocess

    client.force_login(personas.commune_a_officer)
    docx = client.get(reverse("recognitions:round_document", args=[decided.public_id, "quyet-dinh.docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from docx import Document

    text = "\n".join(p.text for p in Document(__import__("io").BytesIO(docx.content)).paragraphs)
    assert "ỦY BAN NHÂN DÂN PHƯỜNG ĐỒNG HỚI" in text and "01/QĐ-UBND" in text
    assert "HUYỆN" not in text  # after 1/7/2025: no district line
    pdf = client.get(reverse("recognitions:round_document", args=[decided.public_id, "giay-cong-nhan.pdf"]))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    path = tmp_path / "cert.pdf"
    path.write_bytes(pdf.content)
    extracted = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    rec = Recognition.objects.get(round=decided)
    assert rec.code in extracted and "Nguyễn Thị Lụa" in extracted
    client.force_login(personas.commune_b_officer)
    url = reverse("recognitions:round_document", args=[decided.public_id, "quyet-dinh.pdf"])
    assert client.get(url).status_code == 404


def test_village_head_assesses_the_households_of_their_village_only(client, personas):
    officer = personas.commune_a_officer
    own = household(personas.village_a, "Lý Văn Sơn", "044080000041")
    other_village = __import__("hoctap.units.models", fromlist=["Village"]).Village.objects.create(
        name="Tổ dân phố 9", valid_from=date(2025, 7, 1)
    )
    from hoctap.units.models import VillageParent

    VillageParent.objects.create(
        village=other_village, commune=personas.commune_a, valid_from=date(2025, 7, 1)
    )
    other = household(other_village, "Tạ Thị Hoa", "044180000042")
    rnd = round_create(actor=officer, commune=personas.commune_a, model="gdht", year=2026)
    from hoctap.recognitions.services import round_add_subjects

    round_add_subjects(actor=officer, round=rnd, subjects=[own, other])
    client.force_login(personas.village_head)
    body = client.get(reverse("recognitions:round", args=[rnd.public_id])).content.decode()
    assert "Lý Văn Sơn" in body and "Tạ Thị Hoa" not in body
    mine = Assessment.objects.get(round=rnd, household=own)
    theirs = Assessment.objects.get(round=rnd, household=other)
    answers = {f"i_{k}": ("1" if v is True else v) for k, v in full_marks("gdht", 2026).items()}
    assert client.post(reverse("recognitions:assessment", args=[mine.public_id]), answers).status_code == 302
    assert Assessment.objects.get(pk=mine.pk).status == Assessment.Status.ASSESSED
    assert (
        client.post(reverse("recognitions:assessment", args=[theirs.public_id]), answers).status_code == 404
    )
    url = reverse("recognitions:round_action", args=[rnd.public_id, "de-nghi"])
    assert client.post(url).status_code == 403  # proposing the round is the commune's step
