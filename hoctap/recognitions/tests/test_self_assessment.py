"""Citizen self-assessment (QĐ 324), verification by the commune, evidence files, background confirmation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hoctap.core.errors import PermissionDeniedError, ServiceError
from hoctap.core.models import AuditEntry
from hoctap.recognitions import services
from hoctap.recognitions.criteria import criteria_set_for_model
from hoctap.recognitions.models import Assessment, Evidence, Round, RoundJob
from hoctap.recognitions.self_assessment import (
    citizen_link_user,
    evidence_add,
    self_assessment_return,
    self_assessment_submit,
    self_assessment_verify,
)
from hoctap.recognitions.tests.test_round_services import full_marks, household
from hoctap.registry.models import Citizen

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
YEAR = timezone.localdate().year
GROUP = "nguoi-dan"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = IMMEDIATE


def answers(low: str | None = None, value: float = 4) -> dict[str, object]:
    cs = criteria_set_for_model(model="cdht", year=YEAR)
    group = next(g for g in cs.subject_groups if g.code == GROUP)
    out: dict[str, object] = {i.code: 9.0 for c in group.criteria for i in c.indicators}
    if low:
        out[low] = value
    return out


def post_answers(values: dict[str, object], **extra: Any) -> dict[str, Any]:
    return {"subject_group": GROUP, **{f"i_{k}": str(v) for k, v in values.items()}, **extra}


def make_citizen(village: Any, name: str, cccd: str) -> Citizen:
    home = household(village, name, cccd)
    return Citizen.objects.create(full_name=name, sex="nam", birth_date=date(1985, 3, 2), household=home)


@pytest.fixture
def linked(personas: Any) -> Citizen:
    citizen = make_citizen(personas.village_a, "Ngô Minh Đức", "044085000101")
    return citizen_link_user(actor=None, citizen=citizen, user=personas.citizen)


@pytest.fixture
def submitted(personas: Any, linked: Citizen) -> Assessment:
    return self_assessment_submit(actor=personas.citizen, year=YEAR, subject_group=GROUP, answers=answers())


def url_self(year: int = YEAR) -> str:
    return reverse("recognitions:self_form", args=[year])


# --- services ---------------------------------------------------------------------------------------------


def test_submit_opens_the_commune_round_as_the_system_and_waits_for_verification(personas, linked):
    assessment = self_assessment_submit(
        actor=personas.citizen, year=YEAR, subject_group=GROUP, answers=answers("2.2")
    )
    rnd = Round.objects.get(commune=personas.commune_a, model="cdht", year=YEAR)
    assert rnd.status == Round.Status.DRAFT and rnd.created_by is None
    assert assessment.status == Assessment.Status.SELF_SUBMITTED
    assert assessment.source == Assessment.Source.SELF and assessment.citizen == linked
    assert assessment.passed is False
    assert any("2.2" in r and "dưới mức tối thiểu 5" in r for r in assessment.result["reasons"])
    assert AuditEntry.objects.filter(action="recognitions.assessment.self_submitted").count() == 1
    with pytest.raises(ServiceError, match="chưa được đánh giá hoặc chưa xác nhận"):
        services.round_transition(actor=personas.commune_a_officer, round=rnd, action="propose")


def test_unlinked_citizen_or_wrong_group_is_refused(personas, linked):
    with pytest.raises(ServiceError, match="nhóm đối tượng"):
        self_assessment_submit(actor=personas.citizen, year=YEAR, subject_group="x", answers=answers())
    with pytest.raises(ServiceError):
        self_assessment_submit(actor=personas.outsider, year=YEAR, subject_group=GROUP, answers=answers())


def test_officer_verifies_with_adjusted_answers(personas, submitted):
    verified = self_assessment_verify(
        actor=personas.commune_a_officer, assessment=submitted, answers=answers("1.1", 10)
    )
    assert verified.status == Assessment.Status.ASSESSED and verified.passed is True
    assert verified.answers["1.1"] == 10
    entry = AuditEntry.objects.get(action="recognitions.assessment.verified")
    assert entry.data["adjusted"] is True
    with pytest.raises(PermissionDeniedError):
        self_assessment_submit(actor=personas.citizen, year=YEAR, subject_group=GROUP, answers=answers())
    with pytest.raises(ServiceError, match="không còn chờ xã xác minh"):
        self_assessment_verify(actor=personas.commune_a_officer, assessment=submitted)


def test_return_with_reason_then_citizen_resubmits(personas, submitted):
    with pytest.raises(ServiceError, match="lý do"):
        self_assessment_return(actor=personas.commune_a_officer, assessment=submitted, reason=" ")
    returned = self_assessment_return(
        actor=personas.commune_a_officer, assessment=submitted, reason="Thiếu minh chứng chỉ số 2.1"
    )
    assert returned.status == Assessment.Status.RETURNED
    again = self_assessment_submit(actor=personas.citizen, year=YEAR, subject_group=GROUP, answers=answers())
    assert again.pk == submitted.pk and again.status == Assessment.Status.SELF_SUBMITTED
    assert again.returned_reason == ""


def test_other_commune_officer_cannot_verify(personas, submitted):
    with pytest.raises(ServiceError):
        self_assessment_verify(actor=personas.commune_b_officer, assessment=submitted)
    assert Assessment.objects.get(pk=submitted.pk).status == Assessment.Status.SELF_SUBMITTED


def test_evidence_type_size_and_content_are_checked(personas, submitted, settings):
    with pytest.raises(ServiceError, match="không đúng định dạng"):
        evidence_add(actor=personas.citizen, assessment=submitted, upload=SimpleUploadedFile("a.exe", b"MZ"))
    with pytest.raises(ServiceError, match=r"không phải tệp \.pdf hợp lệ"):
        evidence_add(actor=personas.citizen, assessment=submitted, upload=SimpleUploadedFile("a.pdf", b"hi"))
    big = SimpleUploadedFile("to.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ServiceError, match="tối đa 10 MB"):
        evidence_add(actor=personas.citizen, assessment=submitted, upload=big)
    ev = evidence_add(
        actor=personas.citizen, assessment=submitted, upload=SimpleUploadedFile("giấy khen.pdf", PDF)
    )
    assert (
        ev.original_name == "giấy khen.pdf"
        and ev.public_id in str(ev.file.name)
        and "giấy" not in str(ev.file.name)
    )
    assert AuditEntry.objects.filter(action="recognitions.evidence.uploaded").count() == 1


# --- views: citizen ---------------------------------------------------------------------------------------


def test_citizen_self_form_live_result_names_the_low_index(client, personas, linked):
    client.force_login(personas.citizen)
    page = client.get(url_self())
    assert page.status_code == 200
    assert f"Tự đánh giá Công dân học tập năm {YEAR}" in page.content.decode()
    preview = client.post(url_self(), post_answers(answers("2.2"), preview="1"))
    assert "Chỉ tiêu 2.2 đạt 4 điểm, dưới mức tối thiểu 5 điểm" in preview.content.decode()
    assert not Assessment.objects.exists()
    done = client.post(url_self(), post_answers(answers()))
    assert done.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.status == Assessment.Status.SELF_SUBMITTED and assessment.passed is True
    listing = client.get(reverse("recognitions:self_home")).content.decode()
    assert "Tự đánh giá, chờ xã xác minh" in listing
    assert 'data-testid="home-self-assessment"' in client.get("/").content.decode()


def test_self_pages_wrong_method_outsider_and_read_only(client, personas, submitted):
    client.force_login(personas.citizen)
    assert client.put(url_self()).status_code == 405
    assert client.post(reverse("recognitions:self_home")).status_code == 405
    for user in (personas.outsider, personas.commune_a_officer):
        client.force_login(user)
        assert client.get(url_self()).status_code == 404
        assert client.get(reverse("recognitions:self_home")).status_code == 404
    self_assessment_verify(actor=personas.commune_a_officer, assessment=submitted)
    client.force_login(personas.citizen)
    assert client.post(url_self(), post_answers(answers())).status_code == 403
    assert 'data-testid="self-submit"' not in client.get(url_self()).content.decode()


def test_citizen_sees_the_returned_reason(client, personas, submitted):
    self_assessment_return(actor=personas.commune_a_officer, assessment=submitted, reason="Bổ sung ảnh")
    client.force_login(personas.citizen)
    assert "Bổ sung ảnh" in client.get(url_self()).content.decode()


# --- views: commune verification --------------------------------------------------------------------------


def test_round_page_filters_self_submitted_and_officer_confirms(client, personas, submitted):
    client.force_login(personas.commune_a_officer)
    page = client.get(reverse("recognitions:round", args=[submitted.round.public_id]))
    assert 'data-testid="self-filter"' in page.content.decode()
    form_url = reverse("recognitions:assessment", args=[submitted.public_id])
    assert "Xác nhận kết quả tự đánh giá" in client.get(form_url).content.decode()
    response = client.post(form_url, post_answers(answers()))
    assert response.status_code == 302
    assert Assessment.objects.get(pk=submitted.pk).status == Assessment.Status.ASSESSED
    assert AuditEntry.objects.filter(action="recognitions.assessment.verified").exists()


def test_return_view(client, personas, submitted):
    url = reverse("recognitions:assessment_return", args=[submitted.public_id])
    client.force_login(personas.commune_a_officer)
    assert client.get(url).status_code == 405
    client.force_login(personas.outsider)
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(personas.readonly)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(personas.commune_a_officer)
    assert client.post(url, {"reason": "Thiếu minh chứng"}).status_code == 302
    assert Assessment.objects.get(pk=submitted.pk).returned_reason == "Thiếu minh chứng"


# --- views: evidence --------------------------------------------------------------------------------------


def test_evidence_upload_and_scoped_download(client, personas, submitted):
    upload_url = reverse("recognitions:evidence_upload", args=[submitted.public_id])
    client.force_login(personas.citizen)
    assert client.get(upload_url).status_code == 405
    bad = client.post(upload_url, {"file": SimpleUploadedFile("a.txt", b"x")}, follow=True)
    assert "không đúng định dạng" in bad.content.decode()
    ok = client.post(upload_url, {"file": SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\nxx")})
    assert ok.status_code == 302
    ev = Evidence.objects.get()
    download = reverse("recognitions:evidence", args=[ev.public_id])
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.post(download).status_code == 405
    for user in (personas.outsider, personas.commune_b_officer):
        client.force_login(user)
        assert client.get(download).status_code == 404
        assert client.post(upload_url, {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    client.force_login(personas.readonly)
    assert client.get(download).status_code == 200
    assert client.post(upload_url, {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    client.force_login(personas.commune_a_officer)
    assert client.post(upload_url, {"file": SimpleUploadedFile("b.pdf", PDF)}).status_code == 302
    assert Evidence.objects.count() == 2
    assert AuditEntry.objects.filter(action="recognitions.evidence.downloaded").count() == 2


def test_citizen_cannot_add_evidence_once_verified(client, personas, submitted):
    self_assessment_verify(actor=personas.commune_a_officer, assessment=submitted)
    client.force_login(personas.citizen)
    url = reverse("recognitions:evidence_upload", args=[submitted.public_id])
    assert client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    assert not Evidence.objects.exists()


# --- background confirmation ------------------------------------------------------------------------------


def carried_round(personas: Any, n: int) -> Round:
    officer = personas.commune_a_officer
    rnd = services.round_create(actor=officer, commune=personas.commune_a, model="gdht", year=2026)
    marks = full_marks("gdht", 2026)
    Assessment.objects.bulk_create(
        [
            Assessment(
                round=rnd,
                household=household(personas.village_a, f"Hộ {i}", f"04418000{i:04d}"),
                subject_name=f"Hộ {i}",
                source=Assessment.Source.CARRY_OVER,
                status=Assessment.Status.TO_CONFIRM,
                answers=marks,
            )
            for i in range(n)
        ]
    )
    return rnd


def test_small_rounds_confirm_inline(personas):
    rnd = carried_round(personas, 3)
    assert services.round_confirm_carried_start(actor=personas.commune_a_officer, round=rnd) == 3
    assert not RoundJob.objects.exists()


def test_large_rounds_confirm_in_the_background_with_polled_progress(
    client, personas, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "CONFIRM_INLINE_LIMIT", 2)
    monkeypatch.setattr(services, "CONFIRM_CHUNK", 2)
    rnd = carried_round(personas, 5)
    client.force_login(personas.commune_a_officer)
    action = reverse("recognitions:round_action", args=[rnd.public_id, "xac-nhan-chuyen"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(action).status_code == 302
    job = RoundJob.objects.get()
    assert (job.status, job.total, job.done) == (RoundJob.Status.DONE, 5, 5)
    assert not rnd.assessments.filter(status=Assessment.Status.TO_CONFIRM).exists()
    page = client.get(reverse("recognitions:round", args=[rnd.public_id])).content.decode()
    assert 'data-testid="round-job"' in page and 'data-status="done"' in page
    status_url = reverse("recognitions:round_job", args=[rnd.public_id, job.public_id])
    assert client.get(status_url).status_code == 200
    assert client.post(status_url).status_code == 405
    client.force_login(personas.readonly)
    assert client.get(status_url).status_code == 200
    client.force_login(personas.outsider)
    assert client.get(status_url).status_code == 404


def test_a_queued_job_shows_progress_and_blocks_a_second_start(client, personas, monkeypatch):
    monkeypatch.setattr(services, "CONFIRM_INLINE_LIMIT", 2)
    rnd = carried_round(personas, 3)
    job = services.round_confirm_carried_start(actor=personas.commune_a_officer, round=rnd)
    assert isinstance(job, RoundJob) and job.status == RoundJob.Status.QUEUED
    with pytest.raises(ServiceError, match="đang chạy"):
        services.round_confirm_carried_start(actor=personas.commune_a_officer, round=rnd)
    client.force_login(personas.commune_a_officer)
    body = client.get(reverse("recognitions:round_job", args=[rnd.public_id, job.public_id])).content
    assert b'hx-trigger="every 1s"' in body
    Round.objects.filter(pk=rnd.pk).update(status=Round.Status.PROPOSED)
    assert services.round_job_run(job=job).status == RoundJob.Status.FAILED
