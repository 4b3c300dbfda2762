from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoctap.accounts.permissions import has_perm, scope_for
from hoctap.core.errors import NotInScope, PermissionDeniedError, ServiceError
from hoctap.core.permissions import Perm
from hoctap.criteria.evaluation import EvaluationInputError, evaluate
from hoctap.recognitions import services
from hoctap.recognitions.criteria import compute_context, criteria_set
from hoctap.recognitions.forms import DecideForm, ReturnForm, RevokeForm, RoundCreateForm
from hoctap.recognitions.models import Assessment, Model, Recognition, Round
from hoctap.recognitions.selectors import (
    assessment_list_for_user,
    recognition_by_code,
    recognition_list_for_user,
    round_get_for_user,
    round_job_latest,
    round_list_for_user,
)
from hoctap.registry.models import ImportBatch
from hoctap.registry.selectors import communes_for_user
from hoctap.units.models import VillageParent, valid_on_q


def _round_or_404(request: HttpRequest, public_id: str) -> Round:
    rnd = round_get_for_user(user=request.user, public_id=public_id)
    if rnd is None:
        raise Http404
    return rnd


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "403.html", status=403)


@require_http_methods(["GET", "POST"])
@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user, Perm.RECOGNITION_VIEW).empty:
        raise Http404
    communes = list(communes_for_user(user=request.user, perm=Perm.RECOGNITION_EDIT))
    form = RoundCreateForm(request.POST or None, communes=communes)
    if request.method == "POST":
        if not communes:
            return _forbidden(request)
        if form.is_valid():
            commune = next(c for c in communes if c.public_id == form.cleaned_data["commune"])
            try:
                rnd = services.round_create(
                    actor=request.user,
                    commune=commune,
                    model=form.cleaned_data["model"],
                    year=form.cleaned_data["year"],
                )
            except ServiceError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"Đã mở đợt công nhận: {rnd}.")
                return redirect("recognitions:round", public_id=rnd.public_id)
    year = request.GET.get("nam")
    rounds = round_list_for_user(
        user=request.user,
        year=int(year) if year and year.isdigit() else None,
        model=request.GET.get("danh_hieu") or None,
    ).order_by("-year", "commune__name", "model")
    page = Paginator(rounds, 50).get_page(request.GET.get("trang"))
    return render(
        request,
        "recognitions/round_list.html",
        {"page": page, "form": form, "can_create": bool(communes), "models": Model.choices},
    )


@require_GET
@login_required
def round_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    rnd = _round_or_404(request, public_id)
    cs = criteria_set(code=rnd.criteria_code, version=rnd.criteria_version)
    status = request.GET.get("trang_thai") or None
    assessments = assessment_list_for_user(
        user=request.user, round=rnd, status=status, search=request.GET.get("q", "")
    )
    page = Paginator(assessments.order_by("subject_name", "pk"), 50).get_page(request.GET.get("trang"))
    counts = dict.fromkeys(Assessment.Status.values, 0)
    for row in rnd.assessments.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    batch_id = request.session.get("hoctap_round_batch")
    context: dict[str, Any] = {
        "last_batch": ImportBatch.objects.filter(public_id=batch_id, unit=rnd.commune).first()
        if batch_id
        else None,
        "round": rnd,
        "criteria": cs,
        "page": page,
        "counts": counts,
        "passed": rnd.assessments.filter(passed=True).count(),
        "recognitions": recognition_list_for_user(user=request.user, round=rnd)[:2000] if rnd.locked else [],
        "can_edit": has_perm(request.user, Perm.RECOGNITION_EDIT, rnd.commune),
        "can_approve": has_perm(request.user, Perm.RECOGNITION_APPROVE, rnd.commune),
        "return_form": ReturnForm(),
        "decide_form": DecideForm(initial={"decision_date": timezone.localdate()}),
        "statuses": Assessment.Status.choices,
        "deadlines": cs.deadlines,
        "job": round_job_latest(round=rnd),
    }
    return render(request, "recognitions/round_detail.html", context)


@require_POST
@login_required
def round_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    """One endpoint per transition; each calls exactly one service."""
    rnd = _round_or_404(request, public_id)
    try:
        message = _run_action(request, rnd, action)
    except (PermissionDeniedError, NotInScope):
        # the round is visible to this user (found above): refusing an action on it is a 403
        return _forbidden(request)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        if message:
            messages.success(request, message)
    return redirect("recognitions:round", public_id=rnd.public_id)


def _run_action(request: HttpRequest, rnd: Round, action: str) -> str:
    user = request.user
    if action == "chuyen-tu-nam-truoc":
        n = services.round_carry_over(actor=user, round=rnd)
        return (
            f"Đã chuyển {n} đối tượng được công nhận năm {rnd.year - 1} sang; hãy xác nhận hoặc đánh giá lại."
        )
    if action == "xac-nhan-chuyen":
        started = services.round_confirm_carried_start(actor=user, round=rnd)
        if isinstance(started, int):
            return f"Đã xác nhận và đánh giá lại {started} đối tượng chuyển từ năm trước."
        return (
            f"Đang xác nhận {started.total} đối tượng chuyển từ năm trước trong nền; "
            "theo dõi tiến độ bên dưới."
        )
    if action == "them-tu-danh-ba":
        return _add_registry_subjects(request, rnd)
    if action == "nhap-excel":
        return _import_file(request, rnd)
    if action in ("de-nghi", "tham-dinh"):
        services.round_transition(
            actor=user, round=rnd, action="propose" if action == "de-nghi" else "review"
        )
        return "Đã chuyển đợt công nhận sang bước tiếp theo."
    if action == "tra-lai":
        form = ReturnForm(request.POST)
        if not form.is_valid():
            raise ServiceError("Phải nêu lý do trả lại.")
        services.round_return(actor=user, round=rnd, reason=form.cleaned_data["reason"])
        return "Đã trả lại đợt công nhận để bổ sung."
    if action == "quyet-dinh":
        decide = DecideForm(request.POST)
        if not decide.is_valid():
            raise ServiceError("Cần ngày ký và họ tên người ký hợp lệ.")
        services.round_decide(
            actor=user,
            round=rnd,
            decision_date=decide.cleaned_data["decision_date"],
            signer=decide.cleaned_data["signer"],
        )
        return "Đã quyết định công nhận. Danh sách đã được khóa."
    raise Http404


def _import_file(request: HttpRequest, rnd: Round) -> str:
    """Import this round's results from the Excel template (all-or-nothing, see recognitions.imports)."""
    from hoctap.registry.imports import import_run

    upload = request.FILES.get("file")
    name, size = (upload.name or "", upload.size or 0) if upload is not None else ("", 0)
    if upload is None or not name.lower().endswith(".xlsx") or not 0 < size <= 50 * 1024 * 1024:
        raise ServiceError("Hãy chọn tệp Excel (.xlsx, tối đa 50 MB) theo mẫu của đợt này.")
    services.require_round_editable(actor=request.user, round=rnd)
    batch = import_run(
        kind="recognitions",
        data=upload.read(),
        file_name=name,
        unit=rnd.commune,
        on=timezone.localdate(),
        year=rnd.year,
        actor=request.user,
        options={"model": rnd.model, "year": rnd.year},
    )
    request.session["hoctap_round_batch"] = batch.public_id
    counts = batch.counts
    if batch.status == batch.Status.REJECTED:
        raise ServiceError(
            f"Tệp có {counts.get('errors', 0)} lỗi ở {counts.get('invalid_rows', 0)} dòng; "
            "không có dữ liệu nào được ghi. Tải báo cáo lỗi bên dưới, sửa rồi nhập lại."
        )
    return (
        f"Đã nhập {counts.get('rows', 0)} dòng: {counts.get('created', 0)} mới, {counts.get('updated', 0)} "
        f"cập nhật, {counts.get('unchanged', 0)} không đổi."
    )


def _add_registry_subjects(request: HttpRequest, rnd: Round) -> str:
    from hoctap.recognitions.criteria import SUBJECT_OF_MODEL
    from hoctap.registry.models import Household, HouseholdStatus

    if SUBJECT_OF_MODEL[rnd.model] != "household":
        raise ServiceError("Thêm từ danh bạ hiện hỗ trợ danh hiệu Gia đình học tập.")
    villages = VillageParent.objects.filter(valid_on_q(timezone.localdate()), commune=rnd.commune).values(
        "village_id"
    )
    existing = rnd.assessments.filter(household__isnull=False).values("household_id")
    subjects = list(
        Household.objects.filter(village__in=villages, status=HouseholdStatus.ACTIVE)
        .exclude(pk__in=existing)
        .select_related("village")
    )
    n = services.round_add_subjects(actor=request.user, round=rnd, subjects=list(subjects))
    return f"Đã thêm {n} hộ từ danh bạ vào đợt công nhận."


def _answers_from_post(cs: Any, post: Any, subject_group: str) -> dict[str, object]:
    trees = (
        [g.criteria for g in cs.subject_groups if g.code == subject_group]
        if cs.subject_groups
        else [cs.criteria]
    )
    answers: dict[str, object] = {}
    for tree in trees:
        for criterion in tree:
            for ind in criterion.indicators:
                if ind.kind == "computed":
                    continue
                raw = post.get(f"i_{ind.code}", "").strip()
                if raw == "":
                    continue
                if ind.kind == "yes_no":
                    answers[ind.code] = raw == "1"
                elif ind.kind == "choice":
                    answers[ind.code] = raw
                else:
                    answers[ind.code] = raw.replace(",", ".")
    return answers


@require_http_methods(["GET", "POST"])
@login_required
def assessment_form(request: HttpRequest, public_id: str) -> HttpResponse:
    """The per-subject form: indicators of the round's criteria version, live result, save."""
    assessment = Assessment.objects.select_related("round__commune").filter(public_id=public_id).first()
    if (
        assessment is None
        or round_get_for_user(user=request.user, public_id=assessment.round.public_id) is None
    ):
        raise Http404
    if (
        not assessment_list_for_user(user=request.user, round=assessment.round)
        .filter(pk=assessment.pk)
        .exists()
    ):
        raise Http404
    rnd = assessment.round
    cs = criteria_set(code=rnd.criteria_code, version=rnd.criteria_version)
    group = request.POST.get("subject_group") or request.GET.get("nhom") or assessment.subject_group
    if cs.subject_groups and not group:
        group = cs.subject_groups[0].code
    result = assessment.result or None
    error = ""
    if request.method == "POST":
        if not services.may_assess(actor=request.user, round=rnd, village=assessment.subject_village):
            return _forbidden(request)
        answers = _answers_from_post(cs, request.POST, group)
        subject = services.subject_of(assessment)
        if request.POST.get("preview") == "1":
            result, error = _preview(cs, answers, subject, rnd.year, group)
            return render(request, "recognitions/_result.html", {"result": result, "error": error})
        if assessment.status == Assessment.Status.SELF_SUBMITTED:
            return _verify(request, assessment, answers, group or "")
        try:
            services.assessment_record(
                actor=request.user,
                round=rnd,
                subject=subject,
                answers=answers,
                subject_group=group or "",
                source=Assessment.Source.WEB,
            )
        except ServiceError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Đã lưu kết quả đánh giá: {assessment.subject_name}.")
            return redirect("recognitions:round", public_id=rnd.public_id)
    trees = [g for g in cs.subject_groups if g.code == group] if cs.subject_groups else []
    context = {
        "assessment": assessment,
        "round": rnd,
        "criteria": cs,
        "group": group,
        "tree": trees[0].criteria if trees else cs.criteria,
        "answers": assessment.answers or {},
        "result": result,
        "error": error,
        "locked": rnd.status != Round.Status.DRAFT,
        "can_edit": services.may_assess(actor=request.user, round=rnd, village=assessment.subject_village),
        "evidence": list(assessment.evidence.all()),
        "can_upload": not rnd.locked and has_perm(request.user, Perm.RECOGNITION_EDIT, rnd.commune),
        "return_form": ReturnForm(),
    }
    return render(request, "recognitions/assessment_form.html", context)


def _verify(
    request: HttpRequest, assessment: Assessment, answers: dict[str, object], group: str
) -> HttpResponse:
    """Saving a self-submitted assessment is the commune's verification (audited as such)."""
    from hoctap.recognitions.self_assessment import self_assessment_verify

    try:
        self_assessment_verify(
            actor=request.user, assessment=assessment, answers=answers, subject_group=group
        )
    except PermissionDeniedError:
        return _forbidden(request)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("recognitions:assessment", public_id=assessment.public_id)
    messages.success(request, f"Đã xác minh phiếu tự đánh giá: {assessment.subject_name}.")
    return redirect(
        f"{reverse('recognitions:round', args=[assessment.round.public_id])}"
        f"?trang_thai={Assessment.Status.SELF_SUBMITTED.value}"
    )


def _preview(cs: Any, answers: dict[str, object], subject: Any, year: int, group: str) -> tuple[Any, str]:
    context = compute_context(cs=cs, subject=subject, year=year)
    try:
        return evaluate(
            criteria_set=cs,
            answers=answers,
            context=context,
            evaluated_on=timezone.localdate(),
            subject_group=group or None,
        ).to_dict(), ""
    except EvaluationInputError as exc:
        return None, str(exc)


@require_http_methods(["GET", "POST"])
@login_required
def recognition_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    rec = recognition_list_for_user(user=request.user).filter(public_id=public_id).first()
    if rec is None:
        raise Http404
    if not has_perm(request.user, Perm.RECOGNITION_APPROVE, rec.unit):
        return _forbidden(request)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recognition_revoke(
                actor=request.user,
                recognition=rec,
                reason=form.cleaned_data["reason"],
                reference=form.cleaned_data["reference"],
            )
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Đã thu hồi danh hiệu của {rec.subject_name}.")
            return redirect("recognitions:round", public_id=rec.round.public_id)
    return render(request, "recognitions/revoke.html", {"recognition": rec, "form": form})


@require_GET
def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """Public page behind the QR code: who holds what, under which decision, still valid or revoked."""
    code = code or request.GET.get("ma", "")
    rec = recognition_by_code(code=code) if code else None
    status = 404 if code and rec is None else 200
    today = timezone.localdate()
    context = {
        "code": code,
        "recognition": rec,
        "expired": bool(rec and rec.valid_until < today),
        "revoked": bool(rec and rec.status == Recognition.Status.REVOKED),
    }
    return render(request, "recognitions/verify.html", context, status=status)


@require_GET
@login_required
def progress(request: HttpRequest) -> HttpResponse:
    """How far each commune is with this year's round, against last year and the programme targets."""
    from hoctap.recognitions.progress import progress_for_user, targets_for

    if scope_for(request.user, Perm.RECOGNITION_VIEW).empty:
        raise Http404
    model = request.GET.get("danh_hieu") or Model.GDHT
    if model not in Model.values:
        model = Model.GDHT
    raw_year = request.GET.get("nam", "")
    year = int(raw_year) if raw_year.isdigit() else timezone.localdate().year
    rows = progress_for_user(user=request.user, model=model, year=year)
    context = {
        "rows": rows,
        "model": model,
        "model_label": Model(model).label,
        "year": year,
        "models": Model.choices,
        "targets": targets_for(model=model),
    }
    return render(request, "recognitions/progress.html", context)


@require_GET
@login_required
def round_document(request: HttpRequest, public_id: str, kind: str) -> HttpResponse:
    """The decided round's decision (DOCX or PDF) or its certificates (one PDF)."""
    from hoctap.documents.rendering import render_certificates_pdf, render_docx, render_pdf
    from hoctap.documents.selectors import active_template_path
    from hoctap.recognitions.documents import certificate_specs, decision_spec

    rnd = _round_or_404(request, public_id)
    name = f"{rnd.model}-{rnd.year}-{rnd.commune.code}"
    if kind == "mau-nhap.xlsx":
        return _template_response(rnd)
    if not rnd.locked:
        raise Http404
    if kind == "quyet-dinh.docx":
        data, mime = (
            render_docx(decision_spec(rnd), active_template_path("qd")),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    elif kind == "quyet-dinh.pdf":
        data, mime = render_pdf(decision_spec(rnd)), "application/pdf"
    elif kind == "giay-cong-nhan.pdf":
        data, mime = render_certificates_pdf(certificate_specs(rnd)), "application/pdf"
    else:
        raise Http404
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}-{kind}"'
    return response


def _template_response(rnd: Round) -> HttpResponse:
    import tempfile
    from pathlib import Path

    from hoctap.registry.imports import ImportContext
    from hoctap.registry.imports.templates import write_import_template

    ctx = ImportContext(
        unit=rnd.commune, on=timezone.localdate(), options={"model": rnd.model, "year": rnd.year}
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = write_import_template("recognitions", Path(tmp) / "mau.xlsx", ctx)
        data = Path(path).read_bytes()
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="mau-{rnd.model}-{rnd.year}-{rnd.commune.code}.xlsx"'
    )
    return response
