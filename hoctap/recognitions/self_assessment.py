"""Writes of the citizen's self-assessment (Công dân học tập, QĐ 324), its verification by the commune, and
the evidence files (minh chứng) of any assessment.

A citizen linked to a registry Citizen submits the form of their subject group; the assessment lands in the
cdht round of their commune and year (opened by the system when missing) as SELF_SUBMITTED. The commune
officer confirms it (→ ASSESSED, possibly with adjusted answers) or returns it with a reason (→ RETURNED);
the citizen may edit it while it is SELF_SUBMITTED or RETURNED and the round is a draft.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from hoctap.accounts.permissions import has_perm, require_perm
from hoctap.core.audit import audit_log
from hoctap.core.errors import NotInScope, PermissionDeniedError, ServiceError, TransitionError
from hoctap.core.permissions import Perm
from hoctap.recognitions import services
from hoctap.recognitions.criteria import criteria_set
from hoctap.recognitions.models import Assessment, Evidence, Model, Round
from hoctap.registry.models import Citizen
from hoctap.units.models import UnitVersion, VillageParent, valid_on_q

CITIZEN_EDITABLE = (
    Assessment.Status.PENDING,
    Assessment.Status.SELF_SUBMITTED,
    Assessment.Status.RETURNED,
)

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# extension → (content type, leading bytes the file must start with)
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}


def citizen_of(user: Any) -> Citizen | None:
    """The registry citizen linked to this login, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Citizen.objects.select_related("household__village").filter(user=user).first()


def citizen_commune(citizen: Citizen, on: date | None = None) -> UnitVersion | None:
    """The commune the citizen's household village belongs to today."""
    if citizen.household is None:
        return None
    day = on or timezone.localdate()
    link = (
        VillageParent.objects.filter(valid_on_q(day), village_id=citizen.household.village_id)
        .select_related("commune")
        .first()
    )
    return link.commune if link else None


@transaction.atomic
def citizen_link_user(*, actor: Any, citizen: Citizen, user: Any) -> Citizen:
    """Link a login to a registry citizen (once; the commune officer of the citizen's commune does it)."""
    commune = citizen_commune(citizen)
    if actor is not None:
        require_perm(actor, Perm.REGISTRY_EDIT, commune)
    if Citizen.objects.filter(user=user).exclude(pk=citizen.pk).exists():
        raise ServiceError("Tài khoản này đã được gắn với một công dân khác.")
    done = Citizen.objects.filter(pk=citizen.pk, user__isnull=True).update(user=user)
    if done != 1 and not Citizen.objects.filter(pk=citizen.pk, user=user).exists():
        raise TransitionError("Công dân này đã được gắn với một tài khoản khác.")
    audit_log(
        actor=actor,
        action="recognitions.citizen.user_linked",
        obj=citizen,
        unit=commune,
        data={"user": getattr(user, "username", "")},
    )
    return Citizen.objects.get(pk=citizen.pk)


def self_assessment_years(today: date | None = None) -> list[int]:
    """Years a citizen may self-assess: the current one and, in January–March, the year just ended."""
    today = today or timezone.localdate()
    return [today.year, today.year - 1] if today.month <= 3 else [today.year]


def _citizen_round(*, commune: UnitVersion, year: int) -> Round:
    """The commune's cdht round of the year, opened as a draft by the system when missing."""
    rnd = Round.objects.filter(commune=commune, model=Model.CDHT, year=year).first()
    if rnd is not None:
        return rnd
    try:
        return services.round_open(actor=None, commune=commune, model=Model.CDHT, year=year)
    except IntegrityError:  # another citizen opened it a moment ago
        return Round.objects.get(commune=commune, model=Model.CDHT, year=year)


@transaction.atomic
def self_assessment_submit(
    *, actor: Any, year: int, subject_group: str, answers: dict[str, Any]
) -> Assessment:
    """A citizen submits (or edits) their own Công dân học tập self-assessment of `year`."""
    citizen = citizen_of(actor)
    if citizen is None:
        raise NotInScope("Tài khoản chưa được gắn với công dân nào trong danh bạ.")
    commune = citizen_commune(citizen)
    if commune is None:
        raise ServiceError("Chưa xác định được xã, phường nơi bạn cư trú; hãy liên hệ cán bộ xã.")
    require_perm(actor, Perm.SELF_ASSESS, commune)
    if year not in self_assessment_years():
        raise ServiceError(f"Không thể tự đánh giá cho năm {year}.")
    rnd = Round.objects.select_for_update().get(pk=_citizen_round(commune=commune, year=year).pk)
    if rnd.status != Round.Status.DRAFT:
        raise PermissionDeniedError(
            f"Đợt công nhận năm {year} đã chuyển sang bước “{rnd.get_status_display()}”: không sửa được nữa."
        )
    cs = criteria_set(code=rnd.criteria_code, version=rnd.criteria_version)
    if subject_group not in {g.code for g in cs.subject_groups}:
        raise ServiceError("Hãy chọn nhóm đối tượng (phiếu đánh giá) phù hợp với bạn.")
    existing = Assessment.objects.filter(round=rnd, citizen=citizen).first()
    if existing is not None and existing.status not in CITIZEN_EDITABLE:
        raise PermissionDeniedError("Xã đã xác minh phiếu của bạn: không sửa được nữa.")
    values = services.evaluated_fields(
        actor=actor, cs=cs, rnd=rnd, subject=citizen, answers=answers, subject_group=subject_group
    )
    values.update(status=Assessment.Status.SELF_SUBMITTED, source=Assessment.Source.SELF, returned_reason="")
    fields = services.subject_fields(citizen)
    if existing is None:
        assessment = Assessment.objects.create(round=rnd, **fields, **values)
    else:
        done = Assessment.objects.filter(pk=existing.pk, status__in=CITIZEN_EDITABLE).update(**values)
        if done != 1:
            raise TransitionError("Phiếu vừa được xã xử lý; hãy tải lại trang.")
        assessment = Assessment.objects.get(pk=existing.pk)
    audit_log(
        actor=actor,
        action="recognitions.assessment.self_submitted",
        obj=assessment,
        unit=commune,
        data={"passed": assessment.passed, "total": str(assessment.total), "group": subject_group},
    )
    return assessment


def self_assessment_editable(*, assessment: Assessment) -> bool:
    return assessment.status in CITIZEN_EDITABLE and assessment.round.status == Round.Status.DRAFT


@transaction.atomic
def self_assessment_verify(
    *,
    actor: Any,
    assessment: Assessment,
    answers: dict[str, Any] | None = None,
    subject_group: str | None = None,
    comment: str = "",
) -> Assessment:
    """The commune confirms a self-assessment, possibly with adjusted answers: SELF_SUBMITTED → ASSESSED."""
    services.require_round_editable(actor=actor, round=assessment.round)
    rnd = Round.objects.select_for_update().get(pk=assessment.round_id)
    services.require_round_editable(actor=actor, round=rnd)
    cs = criteria_set(code=rnd.criteria_code, version=rnd.criteria_version)
    final_answers = assessment.answers if answers is None else answers
    group = subject_group or assessment.subject_group
    values = services.evaluated_fields(
        actor=actor,
        cs=cs,
        rnd=rnd,
        subject=services.subject_of(assessment),
        answers=final_answers,
        subject_group=group,
    )
    done = Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.SELF_SUBMITTED).update(
        **values, returned_reason=""
    )
    if done != 1:
        raise TransitionError("Phiếu này không còn chờ xã xác minh (có thể người khác vừa thao tác).")
    verified = Assessment.objects.get(pk=assessment.pk)
    audit_log(
        actor=actor,
        action="recognitions.assessment.verified",
        obj=verified,
        unit=rnd.commune,
        data={
            "passed": verified.passed,
            "total": str(verified.total),
            "adjusted": final_answers != assessment.answers or group != assessment.subject_group,
            "comment": comment,
        },
    )
    return verified


@transaction.atomic
def self_assessment_return(*, actor: Any, assessment: Assessment, reason: str) -> Assessment:
    """The commune sends a self-assessment back to the citizen with a reason: SELF_SUBMITTED → RETURNED."""
    services.require_round_editable(actor=actor, round=assessment.round)
    if not reason.strip():
        raise ServiceError("Phải nêu lý do trả lại để công dân biết cần bổ sung gì.")
    done = Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.SELF_SUBMITTED).update(
        status=Assessment.Status.RETURNED, returned_reason=reason.strip()
    )
    if done != 1:
        raise TransitionError("Phiếu này không còn chờ xã xác minh (có thể người khác vừa thao tác).")
    audit_log(
        actor=actor,
        action="recognitions.assessment.returned",
        obj=assessment,
        unit=assessment.round.commune,
        data={"reason": reason.strip()},
    )
    return Assessment.objects.get(pk=assessment.pk)


def _is_owner(actor: Any, assessment: Assessment) -> bool:
    return bool(
        assessment.citizen_id
        and getattr(actor, "is_authenticated", False)
        and Citizen.objects.filter(pk=assessment.citizen_id, user=actor).exists()
    )


def _check_evidence_file(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable file, else a ServiceError in Vietnamese."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        raise ServiceError(
            f"Tệp “{name}” không đúng định dạng: chỉ nhận PDF, ảnh JPG/PNG, Word (.docx) hoặc Excel (.xlsx)."
        )
    size = upload.size or 0
    if size == 0:
        raise ServiceError(f"Tệp “{name}” rỗng.")
    if size > EVIDENCE_MAX_BYTES:
        raise ServiceError(f"Tệp “{name}” quá lớn ({size / 1024 / 1024:.1f} MB): tối đa 10 MB.")
    content_type, magics = EVIDENCE_TYPES[ext]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(m) for m in magics):
        raise ServiceError(f"Nội dung tệp “{name}” không phải tệp .{ext} hợp lệ.")
    return ext, content_type


@transaction.atomic
def evidence_add(
    *, actor: Any, assessment: Assessment, upload: UploadedFile, description: str = ""
) -> Evidence:
    """Attach a file to an assessment: the commune officer (round not decided) or the citizen who owns a
    self-assessment they may still edit."""
    rnd = Round.objects.select_for_update().get(pk=assessment.round_id)
    if _is_owner(actor, assessment):
        if not self_assessment_editable(assessment=assessment):
            raise PermissionDeniedError("Phiếu đã được xã xác minh hoặc đợt đã khóa: không thêm minh chứng.")
    else:
        require_perm(actor, Perm.RECOGNITION_EDIT, rnd.commune)
        if rnd.locked:
            raise PermissionDeniedError("Đợt công nhận đã quyết định: không thêm minh chứng được nữa.")
    _, content_type = _check_evidence_file(upload)
    evidence = Evidence(
        assessment=assessment,
        original_name=(upload.name or "")[:255],
        content_type=content_type,
        size=upload.size or 0,
        description=description.strip()[:300],
        uploaded_by=actor,
    )
    # The file is written before the row: a rollback leaves an orphan file, never a row without its file.
    evidence.file.save(upload.name or "minh-chung", upload, save=False)
    evidence.save()
    audit_log(
        actor=actor,
        action="recognitions.evidence.uploaded",
        obj=assessment,
        unit=rnd.commune,
        data={"evidence": evidence.public_id, "name": evidence.original_name, "size": evidence.size},
    )
    return evidence


def evidence_download_log(*, actor: Any, evidence: Evidence) -> None:
    """Downloads of personal evidence are audited like uploads."""
    audit_log(
        actor=actor,
        action="recognitions.evidence.downloaded",
        obj=evidence.assessment,
        unit=evidence.assessment.round.commune,
        data={"evidence": evidence.public_id},
    )


def can_verify(*, user: Any, assessment: Assessment) -> bool:
    return (
        assessment.status == Assessment.Status.SELF_SUBMITTED
        and assessment.round.status == Round.Status.DRAFT
        and has_perm(user, Perm.RECOGNITION_EDIT, assessment.round.commune)
    )
