"""The templates screen: happy path, wrong method, no document access (404), read-only (403), anonymous;
and the round decision rendered with the active template."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoctap.documents.models import DocumentTemplate
from hoctap.documents.rendering import default_template
from hoctap.documents.services import document_template_upload
from hoctap.documents.tests.template_helpers import docx_text, marked

pytestmark = pytest.mark.django_db

LIST = reverse("documents:templates")
UPLOAD = reverse("documents:template_upload", args=["qd"])
CURRENT = reverse("documents:template_download", args=["qd"])


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def activate_url(version: int, doc_type: str = "qd") -> str:
    return reverse("documents:template_activate", args=[doc_type, version])


def post_file(client: Any, content: bytes, name: str = "qd-tinh.docx", url: str = UPLOAD) -> Any:
    return client.post(url, {"file": SimpleUploadedFile(name, content), "note": "sửa nơi nhận"})


def test_anonymous_is_sent_to_login(client: Any, personas: Any, settings: Any) -> None:
    for response in (client.get(LIST), client.get(CURRENT), post_file(client, b"x")):
        assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_admin_sees_every_type_the_pdf_note_and_the_menu_link(client: Any, personas: Any) -> None:
    client.force_login(personas.province_officer)
    response = client.get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    for label in ("Quyết định", "Tờ trình", "Báo cáo", "Biên bản", "Kế hoạch", "Thông báo"):
        assert label in body
    assert "chỉnh sửa trong Word chỉ áp dụng cho bản DOCX" in body
    assert body.count("Kiểm tra và nạp") == 6 and 'data-testid="nav-templates"' in body
    assert body.count("mẫu mặc định</strong>") == 6


def test_upload_activates_the_new_version_and_download_serves_it(client: Any, personas: Any) -> None:
    client.force_login(personas.province_officer)
    response = post_file(client, marked("qd", "MẪU TỈNH"))
    assert response.status_code == 302 and response["Location"] == LIST
    record = DocumentTemplate.objects.get()
    assert (record.version, record.status, record.file_name, record.note) == (
        1,
        "active",
        "qd-tinh.docx",
        "sửa nơi nhận",
    )
    body = client.get(LIST).content.decode()
    assert "Đã nạp và áp dụng phiên bản 1" in body and "phiên bản 1</strong>" in body
    current = client.get(CURRENT)
    assert current.status_code == 200 and current.content == marked("qd", "MẪU TỈNH")
    assert current["Content-Disposition"] == 'attachment; filename="mau-qd-v1.docx"'
    default = client.get(reverse("documents:template_version", args=["qd", 0]))
    assert default.content == default_template("qd").read_bytes()
    assert client.get(reverse("documents:template_version", args=["qd", 1])).content == record.file.read()


def test_a_refused_upload_shows_the_problems_and_stores_nothing(client: Any, personas: Any) -> None:
    client.force_login(personas.province_officer)
    response = post_file(client, b"not a word file", name="mau.pdf")
    body = response.content.decode()
    assert response.status_code == 400 and 'data-testid="upload-problems"' in body
    assert "Tệp mau.pdf không phải tệp Word .docx" in body
    assert not DocumentTemplate.objects.exists()


def test_activate_goes_back_to_an_older_version_and_to_the_default(client: Any, personas: Any) -> None:
    admin = personas.province_officer
    for marker in ("A", "B"):
        document_template_upload(actor=admin, doc_type="qd", content=marked("qd", marker), file_name="m.docx")
    client.force_login(admin)
    assert client.post(activate_url(1), {"dang_ap_dung": "2"}).status_code == 302
    assert DocumentTemplate.objects.get(status="active").version == 1
    response = client.post(activate_url(0), {"dang_ap_dung": "2"}, follow=True)  # a stale screen
    assert "vừa được người khác thay đổi" in response.content.decode()
    assert client.post(activate_url(0), {"dang_ap_dung": "1"}).status_code == 302
    assert not DocumentTemplate.objects.filter(status="active").exists()
    assert client.get(CURRENT)["Content-Disposition"] == 'attachment; filename="mau-qd-mac-dinh.docx"'


def test_wrong_method_is_405(client: Any, personas: Any) -> None:
    client.force_login(personas.province_officer)
    assert client.post(LIST).status_code == 405
    assert client.post(CURRENT).status_code == 405
    assert client.get(UPLOAD).status_code == 405
    assert client.get(activate_url(0)).status_code == 405


def test_users_without_document_access_get_404(client: Any, personas: Any) -> None:
    document_template_upload(
        actor=personas.province_officer, doc_type="qd", content=marked("qd", "A"), file_name="m.docx"
    )
    for user in (personas.readonly, personas.village_head, personas.citizen):
        client.force_login(user)
        assert client.get(LIST).status_code == 404
        assert client.get(CURRENT).status_code == 404
        assert client.get(reverse("documents:template_version", args=["qd", 1])).status_code == 404
        assert post_file(client, marked("qd", "B")).status_code == 404
        assert client.post(activate_url(0)).status_code == 404
        assert 'data-testid="nav-templates"' not in client.get(reverse("criteria:list")).content.decode()
    client.force_login(personas.province_officer)
    assert client.get(reverse("documents:template_version", args=["qd", 7])).status_code == 404
    assert client.get(reverse("documents:template_download", args=["xx"])).status_code == 404
    assert client.post(activate_url(7)).status_code == 404
    assert (
        post_file(
            client, marked("qd", "B"), url=reverse("documents:template_upload", args=["xx"])
        ).status_code
        == 404
    )
    assert DocumentTemplate.objects.get(status="active").version == 1


def test_document_issuers_can_download_but_not_change_templates(client: Any, personas: Any) -> None:
    document_template_upload(
        actor=personas.province_officer, doc_type="qd", content=marked("qd", "A"), file_name="m.docx"
    )
    client.force_login(personas.commune_a_officer)
    body = client.get(LIST).content.decode()
    assert "Tải mẫu đang áp dụng" in body and "Kiểm tra và nạp" not in body and "Áp dụng lại" not in body
    assert client.get(CURRENT).status_code == 200
    assert post_file(client, marked("qd", "B")).status_code == 403
    assert client.post(activate_url(0), {"dang_ap_dung": "1"}).status_code == 403
    assert list(DocumentTemplate.objects.values_list("version", "status")) == [(1, "active")]


def test_round_decision_docx_uses_the_active_decision_template(client: Any, personas: Any) -> None:
    from hoctap.recognitions.services import assessment_record, round_create, round_decide, round_transition
    from hoctap.recognitions.tests.test_round_services import full_marks, household

    # given a decided round and an uploaded decision template
    officer = personas.commune_a_officer
    h = household(personas.village_a, "Nguyễn Thị Lụa", "044180000011")
    rnd = round_create(actor=officer, commune=personas.commune_a, model="gdht", year=2025)
    assessment_record(actor=officer, round=rnd, subject=h, answers=full_marks("gdht", 2025))
    round_transition(actor=officer, round=rnd, action="propose")
    round_transition(actor=officer, round=rnd, action="review")
    rnd = round_decide(actor=officer, round=rnd, decision_date=date(2026, 1, 10), signer="Trần Văn Bảy")
    document_template_upload(
        actor=personas.province_officer,
        doc_type="qd",
        content=marked("qd", "MẪU CỦA TỈNH"),
        file_name="m.docx",
    )
    # when the officer downloads the decision
    client.force_login(officer)
    url = reverse("recognitions:round_document", args=[rnd.public_id, "quyet-dinh.docx"])
    text = docx_text(client.get(url).content)
    # then it follows the uploaded template, with the round's data
    assert "MẪU CỦA TỈNH" in text and "Nguyễn Thị Lụa" in text and "01/QĐ-UBND" in text
