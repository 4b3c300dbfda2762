"""Every write of the yearly recognition round: create, carry over, assess, transitions, decide, revoke."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from hoctap.accounts.permissions import has_perm, require_perm, scope_for
from hoctap.core.audit import audit_log
from hoctap.core.errors import NotInScope, PermissionDeniedError, ServiceError, TransitionError
from hoctap.core.permissions import Perm
from hoctap.criteria.evaluation import EvaluationInputError, evaluate
from hoctap.criteria.models import CriteriaSet
from hoctap.criteria.services import criteria_set_freeze
from hoctap.documents.issuers import issuer_for
from hoctap.documents.services import document_number_allocate
from hoctap.recognitions.criteria import (
    SUBJECT_OF_MODEL,
    CriteriaNotFound,
    compute_context,
    criteria_set,
    criteria_set_for_model,
)
from hoctap.recognitions.models import Assessment, Model, Recognition, Round, RoundJob
from hoctap.registry.models import Citizen, Clan, Household, HouseholdStatus
from hoctap.units.models import Level, Organisation, UnitVersion, Village, VillageParent, valid_on_q

Subject = Household | Citizen | Clan | Village | Organisation


def _year_touches(unit: UnitVersion, year: int) -> bool:
    return unit.valid_from <= date(year, 12, 31) and (
        unit.valid_to is None or unit.valid_to >= date(year, 1, 1)
    )


@transaction.atomic
def round_create(*, actor: Any, commune: UnitVersion, model: str, year: int) -> Round:
    """Open the round of one model and year for a commune, with the criteria set valid that year."""
    require_perm(actor, Perm.RECOGNITION_EDIT, commune)
    return round_open(actor=actor, commune=commune, model=model, year=year)


@transaction.atomic
def round_open(*, actor: Any, commune: UnitVersion, model: str, year: int) -> Round:
    """round_create without the permission check: for callers that checked another permission first (a
    citizen's self-assessment opens the commune's cdht round as the system, actor=None)."""
    if commune.level != Level.COMMUNE or not _year_touches(commune, year):
        raise ServiceError(f"{commune} không phải đơn vị cấp xã tồn tại trong năm {year}.")
    if model not in Model.values:
        raise ServiceError(f"Danh hiệu không hợp lệ: {model!r}.")
    try:
        cs = criteria_set_for_model(model=model, year=year)
    except CriteriaNotFound as exc:
        raise ServiceError(str(exc)) from exc
    if Round.objects.filter(commune=commune, model=model, year=year).exists():
        raise ServiceError(f"{commune} đã có đợt công nhận {Model(model).label} năm {year}.")
    rnd = Round.objects.create(
        commune=commune,
        model=model,
        year=year,
        criteria_code=cs.code,
        criteria_version=cs.version,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_log(
        actor=actor,
        action="recognitions.round.created",
        obj=rnd,
        unit=commune,
        data={"model": model, "year": year, "criteria": cs.key},
    )
    return rnd


def subject_fields(subject: Subject) -> dict[str, Any]:
    if isinstance(subject, Household):
        return {
            "household": subject,
            "subject_name": f"Hộ {subject.head_name}",
            "subject_village": subject.village,
        }
    if isinstance(subject, Citizen):
        village = subject.household.village if subject.household_id and subject.household else None
        return {"citizen": subject, "subject_name": subject.full_name, "subject_village": village}
    if isinstance(subject, Clan):
        return {"clan": subject, "subject_name": str(subject), "subject_village": None}
    if isinstance(subject, Village):
        return {"village": subject, "subject_name": subject.name, "subject_village": subject}
    return {"organisation": subject, "subject_name": subject.name, "subject_village": None}


def subject_of(assessment: Assessment) -> Subject:
    subject = (
        assessment.household
        or assessment.citizen
        or assessment.clan
        or assessment.village
        or assessment.organisation
    )
    assert subject is not None
    return subject


def _check_subject_kind(rnd: Round, subject: Subject) -> None:
    expected = SUBJECT_OF_MODEL[rnd.model]
    kinds = {
        Household: "household",
        Citizen: "citizen",
        Clan: "clan",
        Village: "village",
        Organisation: "organisation",
    }
    if kinds[type(subject)] != expected:
        raise ServiceError(
            f"Đối tượng {subject} không thuộc loại được xét danh hiệu {rnd.get_model_display()}."
        )


def may_assess(*, actor: Any, round: Round, village: Village | None) -> bool:
    """Commune officers assess anyone in the round; a village head only the subjects of their villages."""
    if has_perm(actor, Perm.RECOGNITION_EDIT, round.commune):
        return True
    return village is not None and village.pk in scope_for(actor, Perm.RECOGNITION_EDIT).village_ids


def require_assess(*, actor: Any, round: Round, village: Village | None) -> None:
    if may_assess(actor=actor, round=round, village=village):
        return
    visible = scope_for(actor, Perm.RECOGNITION_VIEW)
    if visible.has_unit(round.commune_id) or (village is not None and village.pk in visible.village_ids):
        raise PermissionDeniedError("Bạn không có quyền đánh giá đối tượng này.")
    raise NotInScope("Không tìm thấy.")


def require_round_editable(*, actor: Any, round: Round) -> None:
    """The checks every change to a round's list makes: permission on the commune, round still a draft."""
    require_perm(actor, Perm.RECOGNITION_EDIT, round.commune)
    _lock_check(round)


def _lock_check(rnd: Round) -> None:
    if rnd.status != Round.Status.DRAFT:
        raise TransitionError(
            f"Đợt công nhận đang ở trạng thái “{rnd.get_status_display()}”: không thể sửa danh sách. "
            "Hãy trả lại đợt về bước lập danh sách trước (nếu chưa quyết định)."
        )


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    round: Round,
    subject: Subject,
    answers: dict[str, Any],
    subject_group: str = "",
    source: str = Assessment.Source.WEB,
) -> Assessment:
    """Evaluate the subject's answers with the round's criteria version and store answers and result."""
    require_assess(actor=actor, round=round, village=subject_fields(subject)["subject_village"])
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    _lock_check(rnd)
    _check_subject_kind(rnd, subject)
    assessment = _assess(
        actor=actor, rnd=rnd, subject=subject, answers=answers, subject_group=subject_group, source=source
    )
    audit_log(
        actor=actor,
        action="recognitions.assessment.recorded",
        obj=assessment,
        unit=rnd.commune,
        data={"passed": assessment.passed, "total": str(assessment.total), "source": source},
    )
    return assessment


def assessment_evaluate(
    *, cs: Any, subject: Subject, answers: dict[str, Any], subject_group: str, year: int
) -> tuple[Any, dict[str, object]]:
    """Run the one evaluation function with the context computed from the year's records."""
    context = compute_context(cs=cs, subject=subject, year=year)
    try:
        result = evaluate(
            criteria_set=cs,
            answers=answers,
            context=context,
            evaluated_on=timezone.localdate(),
            subject_group=subject_group or None,
        )
    except EvaluationInputError as exc:
        raise ServiceError(f"{subject_fields(subject)['subject_name']}: {exc}") from exc
    return result, context


def assessment_result_fields(
    *,
    actor: Any,
    cs: Any,
    answers: dict[str, Any],
    context: dict[str, object],
    subject_group: str,
    result: Any,
) -> dict[str, Any]:
    """The assessment fields (EVALUATED_FIELDS) that store an evaluation and who made it."""
    return {
        "status": Assessment.Status.ASSESSED,
        "answers": answers,
        "context": context,
        "subject_group": subject_group,
        "result": result.to_dict(),
        "passed": result.passed,
        "total": Decimal(str(result.total)),
        "level": result.level or "",
        "criteria_version": cs.version,
        "assessed_by": actor if getattr(actor, "pk", None) else None,
        "assessed_at": timezone.now(),
    }


def evaluated_fields(
    *, actor: Any, cs: Any, rnd: Round, subject: Subject, answers: dict[str, Any], subject_group: str
) -> dict[str, Any]:
    """The assessment fields that the one evaluation function gives for these answers."""
    result, context = assessment_evaluate(
        cs=cs, subject=subject, answers=answers, subject_group=subject_group, year=rnd.year
    )
    return assessment_result_fields(
        actor=actor, cs=cs, answers=answers, context=context, subject_group=subject_group, result=result
    )


def _assess(
    *, actor: Any, rnd: Round, subject: Subject, answers: dict[str, Any], subject_group: str, source: str
) -> Assessment:
    cs = criteria_set(code=rnd.criteria_code, version=rnd.criteria_version)
    values = evaluated_fields(
        actor=actor, cs=cs, rnd=rnd, subject=subject, answers=answers, subject_group=subject_group
    )
    fields = subject_fields(subject)
    key = {k: v for k, v in fields.items() if k in SUBJECT_KEYS}
    assessment, _ = Assessment.objects.update_or_create(
        round=rnd,
        **key,
        defaults={
            "subject_name": fields["subject_name"],
            "subject_village": fields["subject_village"],
            "source": source,
            **values,
        },
    )
    return assessment


SUBJECT_KEYS = ("household", "citizen", "clan", "village", "organisation")
EVALUATED_FIELDS = (
    "status",
    "answers",
    "context",
    "subject_group",
    "result",
    "passed",
    "total",
    "level",
    "criteria_version",
    "assessed_by",
    "assessed_at",
)


@transaction.atomic
def round_add_subjects(*, actor: Any, round: Round, subjects: list[Subject]) -> int:
    """Add subjects from the registry as pending assessments (the ones already in the round are skipped)."""
    require_perm(actor, Perm.RECOGNITION_EDIT, round.commune)
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    _lock_check(rnd)
    created = 0
    for subject in subjects:
        _check_subject_kind(rnd, subject)
        fields = subject_fields(subject)
        key = {k: v for k, v in fields.items() if k in SUBJECT_KEYS}
        _, was_created = Assessment.objects.get_or_create(
            round=rnd,
            **key,
            defaults={
                "subject_name": fields["subject_name"],
                "subject_village": fields["subject_village"],
                "source": Assessment.Source.REGISTRY,
            },
        )
        created += int(was_created)
    audit_log(
        actor=actor,
        action="recognitions.round.subjects_added",
        obj=rnd,
        unit=rnd.commune,
        data={"added": created},
    )
    return created


def _previous_recognitions(rnd: Round) -> Any:
    """Last year's valid recognitions of the model whose subject now lives in this commune."""
    today = timezone.localdate()
    villages = VillageParent.objects.filter(valid_on_q(today), commune=rnd.commune).values("village_id")
    qs = Recognition.objects.filter(model=rnd.model, year=rnd.year - 1, status=Recognition.Status.VALID)
    if SUBJECT_OF_MODEL[rnd.model] in ("household", "citizen", "village"):
        return qs.filter(village_id__in=villages)
    from hoctap.units.selectors import unit_ids_with_default_predecessors

    return qs.filter(unit_id__in=unit_ids_with_default_predecessors({rnd.commune_id}))


@transaction.atomic
def round_carry_over(*, actor: Any, round: Round) -> int:
    """Pre-fill the round with last year's recognised subjects and their answers, to confirm in bulk."""
    require_perm(actor, Perm.RECOGNITION_EDIT, round.commune)
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    _lock_check(rnd)
    previous = _previous_recognitions(rnd).select_related(
        "assessment__household__village",
        "assessment__citizen__household__village",
        "assessment__clan",
        "assessment__village",
        "assessment__organisation",
    )
    present = {tuple(row) for row in rnd.assessments.values_list(*(f"{k}_id" for k in SUBJECT_KEYS))}
    fresh: list[Assessment] = []
    for rec in previous.iterator(chunk_size=2000):
        old = rec.assessment
        subject = subject_of(old)
        if isinstance(subject, Household) and subject.status != HouseholdStatus.ACTIVE:
            continue
        fields = subject_fields(subject)
        key = {k: fields.get(k) for k in SUBJECT_KEYS}
        if tuple(getattr(v, "pk", None) for v in key.values()) in present:
            continue
        fresh.append(
            Assessment(
                round=rnd,
                **{k: v for k, v in key.items() if v is not None},
                subject_name=fields["subject_name"],
                subject_village=fields["subject_village"],
                source=Assessment.Source.CARRY_OVER,
                status=Assessment.Status.TO_CONFIRM,
                answers=old.answers,
                subject_group=old.subject_group,
            )
        )
    Assessment.objects.bulk_create(fresh, batch_size=2000)
    created = len(fresh)
    audit_log(
        actor=actor,
        action="recognitions.round.carried_over",
        obj=rnd,
        unit=rnd.commune,
        data={"from_year": rnd.year - 1, "created": created},
    )
    return created


@transaction.atomic
def round_confirm_carried(*, actor: Any, round: Round, assessments: list[Assessment] | None = None) -> int:
    """Confirm carried-over subjects unchanged: each is re-evaluated with this year's criteria version."""
    require_perm(actor, Perm.RECOGNITION_EDIT, round.commune)
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    _lock_check(rnd)
    qs = rnd.assessments.filter(status=Assessment.Status.TO_CONFIRM)
    if assessments is not None:
        qs = qs.filter(pk__in=[a.pk for a in assessments])
    cs = criteria_set(code=rnd.criteria_code, version=rnd.criteria_version)
    changed: list[Assessment] = []
    for a in qs.select_related(
        "household__village", "citizen__household__village", "clan", "village", "organisation"
    ):
        values = evaluated_fields(
            actor=actor,
            cs=cs,
            rnd=rnd,
            subject=subject_of(a),
            answers=a.answers,
            subject_group=a.subject_group,
        )
        for name, value in values.items():
            setattr(a, name, value)
        changed.append(a)
    Assessment.objects.bulk_update(changed, list(EVALUATED_FIELDS), batch_size=1000)
    confirmed = len(changed)
    audit_log(
        actor=actor,
        action="recognitions.round.carry_confirmed",
        obj=rnd,
        unit=rnd.commune,
        data={"confirmed": confirmed},
    )
    return confirmed


CONFIRM_INLINE_LIMIT = 500
CONFIRM_CHUNK = 500


@transaction.atomic
def round_confirm_carried_start(*, actor: Any, round: Round) -> int | RoundJob:
    """Confirm all carried-over subjects: inline below CONFIRM_INLINE_LIMIT (returns the count), otherwise
    as a background job enqueued after commit (returns the job, whose progress the round page polls)."""
    require_perm(actor, Perm.RECOGNITION_EDIT, round.commune)
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    _lock_check(rnd)
    pending = rnd.assessments.filter(status=Assessment.Status.TO_CONFIRM).count()
    if pending < CONFIRM_INLINE_LIMIT:
        return round_confirm_carried(actor=actor, round=rnd)
    if RoundJob.objects.filter(round=rnd, kind=RoundJob.Kind.CONFIRM_CARRIED, status__in=_ACTIVE).exists():
        raise ServiceError("Việc xác nhận đối tượng chuyển từ năm trước đang chạy; hãy chờ kết quả.")
    job = RoundJob.objects.create(
        round=rnd, kind=RoundJob.Kind.CONFIRM_CARRIED, total=pending, created_by=actor
    )
    audit_log(
        actor=actor,
        action="recognitions.round.carry_confirm_queued",
        obj=rnd,
        unit=rnd.commune,
        data={"job": job.public_id, "total": pending},
    )
    from hoctap.recognitions.tasks import round_job_process

    transaction.on_commit(lambda: round_job_process.enqueue(job_id=job.pk))
    return job


_ACTIVE = (RoundJob.Status.QUEUED, RoundJob.Status.RUNNING)


def round_job_run(*, job: RoundJob) -> RoundJob:
    """Run a queued job chunk by chunk (one transaction per chunk, progress saved after each)."""
    if (
        RoundJob.objects.filter(pk=job.pk, status=RoundJob.Status.QUEUED).update(
            status=RoundJob.Status.RUNNING
        )
        != 1
    ):
        return RoundJob.objects.get(pk=job.pk)
    rnd, actor = job.round, job.created_by
    try:
        while True:
            ids = list(
                rnd.assessments.filter(status=Assessment.Status.TO_CONFIRM)
                .order_by("pk")
                .values_list("pk", flat=True)[:CONFIRM_CHUNK]
            )
            if not ids:
                break
            n = round_confirm_carried(actor=actor, round=rnd, assessments=[Assessment(pk=i) for i in ids])
            if n == 0:
                break
            RoundJob.objects.filter(pk=job.pk).update(done=models.F("done") + n)
    except ServiceError as exc:
        _job_finish(job, RoundJob.Status.FAILED, str(exc))
    except Exception:
        _job_finish(job, RoundJob.Status.FAILED, "Lỗi hệ thống khi xác nhận; hãy thử lại hoặc báo quản trị.")
        raise
    else:
        _job_finish(job, RoundJob.Status.DONE, "")
    return RoundJob.objects.get(pk=job.pk)


def _job_finish(job: RoundJob, status: str, message: str) -> None:
    RoundJob.objects.filter(pk=job.pk).update(status=status, message=message, finished_at=timezone.now())


_TRANSITIONS: dict[str, tuple[str, str, Perm, str]] = {
    "propose": (Round.Status.DRAFT, Round.Status.PROPOSED, Perm.RECOGNITION_EDIT, "proposed"),
    "review": (Round.Status.PROPOSED, Round.Status.REVIEWED, Perm.RECOGNITION_APPROVE, "reviewed"),
}


@transaction.atomic
def round_transition(*, actor: Any, round: Round, action: str, comment: str = "") -> Round:
    """propose (draft → proposed) or review (proposed → reviewed), as a compare-and-set."""
    source, target, perm, past = _TRANSITIONS[action]
    require_perm(actor, perm, round.commune)
    if (
        action == "propose"
        and round.assessments.filter(
            status__in=[
                Assessment.Status.PENDING,
                Assessment.Status.TO_CONFIRM,
                Assessment.Status.SELF_SUBMITTED,
            ]
        ).exists()
    ):
        raise ServiceError(
            "Còn đối tượng chưa được đánh giá hoặc chưa xác nhận: hãy hoàn tất trước khi đề nghị."
        )
    done = Round.objects.filter(pk=round.pk, status=source).update(status=target, returned_reason="")
    if done != 1:
        raise TransitionError("Đợt công nhận không còn ở bước này (có thể người khác vừa thao tác).")
    audit_log(
        actor=actor,
        action=f"recognitions.round.{past}",
        obj=round,
        unit=round.commune,
        data={"comment": comment},
    )
    return Round.objects.get(pk=round.pk)


@transaction.atomic
def round_return(*, actor: Any, round: Round, reason: str) -> Round:
    """Send a proposed or reviewed round back to draft with the reason (required)."""
    require_perm(actor, Perm.RECOGNITION_APPROVE, round.commune)
    if not reason.strip():
        raise ServiceError("Phải nêu lý do trả lại.")
    done = Round.objects.filter(
        pk=round.pk, status__in=[Round.Status.PROPOSED, Round.Status.REVIEWED]
    ).update(status=Round.Status.DRAFT, returned_reason=reason.strip())
    if done != 1:
        raise TransitionError("Chỉ trả lại được đợt đã đề nghị hoặc đã thẩm định, chưa quyết định.")
    audit_log(
        actor=actor,
        action="recognitions.round.returned",
        obj=round,
        unit=round.commune,
        data={"reason": reason.strip()},
    )
    return Round.objects.get(pk=round.pk)


def recogniser_on(*, round: Round, on: date) -> str:
    """Who recognises, by the criteria data valid on that date ("" when the data names nobody)."""
    cs = criteria_set(code=round.criteria_code, version=round.criteria_version)
    for period in cs.recogniser:
        if (period.valid_from is None or period.valid_from <= on) and (
            period.valid_to is None or on <= period.valid_to
        ):
            return period.authority + (" (chưa xác nhận)" if period.unconfirmed else "")
    return ""


@transaction.atomic
def round_decide(*, actor: Any, round: Round, decision_date: date, signer: str) -> Round:
    """Reviewed → decided: the decision takes the next number of the commune's register, one Recognition
    per passing assessment is created and the round is locked from now on."""
    require_perm(actor, Perm.RECOGNITION_APPROVE, round.commune)
    if not signer.strip():
        raise ServiceError("Phải có họ tên người ký quyết định.")
    if decision_date > timezone.localdate():
        raise ServiceError("Ngày ký quyết định không được ở tương lai.")
    issuer = issuer_for(unit=round.commune, on=decision_date)
    done = Round.objects.filter(pk=round.pk, status=Round.Status.REVIEWED).update(
        status=Round.Status.DECIDED,
        decision_date=decision_date,
        decision_signer=signer.strip(),
        decision_authority=recogniser_on(round=round, on=decision_date),
        decided_by=actor if getattr(actor, "pk", None) else None,
        decided_at=timezone.now(),
    )
    if done != 1:
        raise TransitionError("Chỉ quyết định được đợt đã thẩm định và chưa quyết định.")
    document = document_number_allocate(
        actor=actor,
        issuer=issuer.unit,
        doc_type="qd",
        symbol="QĐ-UBND",
        issued_on=decision_date,
        summary=f"Về việc công nhận danh hiệu “{round.get_model_display()}” năm {round.year}",
        obj=round,
    )
    Round.objects.filter(pk=round.pk).update(decision_number=document.reference)
    rnd = Round.objects.get(pk=round.pk)
    passing = rnd.assessments.filter(status=Assessment.Status.ASSESSED, passed=True)
    recognitions = [
        Recognition(
            round=rnd,
            assessment=a,
            unit=rnd.commune,
            village=a.subject_village,
            model=rnd.model,
            year=rnd.year,
            level=a.level,
            subject_name=a.subject_name,
            subject_detail=a.subject_village.name if a.subject_village else "",
            valid_until=date.fromisoformat(a.result["valid_until"])
            if a.result.get("valid_until")
            else date(rnd.year, 12, 31),
        )
        for a in passing.select_related("subject_village")
    ]
    Recognition.objects.bulk_create(recognitions, batch_size=2000)
    _freeze_criteria(rnd)
    audit_log(
        actor=actor,
        action="recognitions.round.decided",
        obj=rnd,
        unit=rnd.commune,
        data={"decision": rnd.decision_number, "recognised": len(recognitions)},
    )
    return rnd


def _freeze_criteria(rnd: Round) -> None:
    """A version used by a decided round can never change again."""
    record = CriteriaSet.objects.filter(code=rnd.criteria_code, version=rnd.criteria_version).first()
    if record is not None:
        criteria_set_freeze(criteria_set=record)


@transaction.atomic
def recognition_revoke(*, actor: Any, recognition: Recognition, reason: str, reference: str) -> Recognition:
    """Revoke one recognition (reason and the revoking document are required); the verify page shows it."""
    require_perm(actor, Perm.RECOGNITION_APPROVE, recognition.unit)
    if not reason.strip() or not reference.strip():
        raise ServiceError("Phải nêu lý do và văn bản thu hồi.")
    done = Recognition.objects.filter(pk=recognition.pk, status=Recognition.Status.VALID).update(
        status=Recognition.Status.REVOKED,
        revoked_reason=reason.strip(),
        revoked_reference=reference.strip(),
        revoked_at=timezone.now(),
        revoked_by=actor if getattr(actor, "pk", None) else None,
    )
    if done != 1:
        raise TransitionError("Danh hiệu này đã bị thu hồi trước đó.")
    audit_log(
        actor=actor,
        action="recognitions.recognition.revoked",
        obj=recognition,
        unit=recognition.unit,
        data={"reason": reason.strip(), "reference": reference.strip()},
    )
    return Recognition.objects.get(pk=recognition.pk)
