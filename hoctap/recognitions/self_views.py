"""Pages of the citizen's self-assessment, of its verification by the commune, of evidence files and of the
background jobs of a round."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoctap.accounts.permissions import scope_for
from hoctap.core.errors import NotInScope, PermissionDeniedError, ServiceError
from hoctap.core.permissions import Perm
from hoctap.recognitions import self_assessment as selfsvc
from hoctap.recognitions.criteria import criteria_set, criteria_set_for_model
from hoctap.recognitions.forms import ReturnForm
from hoctap.recognitions.models import Assessment, Model, Round
from hoctap.recognitions.selectors import (
    assessment_get_for_user,
    evidence_get_for_user,
    own_assessment_list,
    round_get_for_user,
)
from hoctap.recognitions.views import _answers_from_post, _forbidden, _preview


def _citizen_or_404(request: HttpRequest) -> Any:
    if scope_for(request.user, Perm.SELF_ASSESS).empty:
        raise Http404
    citizen = selfsvc.citizen_of(request.user)
    if citizen is None:
        raise Http404
    return citizen


@require_GET
@login_required
def self_home(request: HttpRequest) -> HttpResponse:
    """The citizen's own self-assessments, one per year, with the status and the commune's reply."""
    citizen = _citizen_or_404(request)
    own = list(own_assessment_list(user=request.user).prefetch_related("evidence"))
    done_years = {a.round.year for a in own}
    context = {
        "citizen": citizen,
        "assessments": own,
        "years": [y for y in selfsvc.self_assessment_years() if y not in done_years],
    }
    return render(request, "recognitions/self_home.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def self_form(request: HttpRequest, year: int) -> HttpResponse:
    """Tự đánh giá Công dân học tập năm YYYY: choose the form, answer, live result, submit."""
    citizen = _citizen_or_404(request)
    if year not in selfsvc.self_assessment_years():
        raise Http404
    own = own_assessment_list(user=request.user).filter(round__year=year).first()
    cs = (
        criteria_set(code=own.round.criteria_code, version=own.round.criteria_version)
        if own
        else criteria_set_for_model(model=Model.CDHT, year=year)
    )
    groups = {g.code: g for g in cs.subject_groups}
    group = request.POST.get("subject_group") or request.GET.get("nhom") or (own.subject_group if own else "")
    if group not in groups:
        group = cs.subject_groups[0].code
    editable = own is None or selfsvc.self_assessment_editable(assessment=own)
    error = ""
    result = own.result if own and own.subject_group == group else None
    answers = own.answers if own and own.subject_group == group else {}
    if request.method == "POST":
        answers = _answers_from_post(cs, request.POST, group)
        if request.POST.get("preview") == "1":
            result, error = _preview(cs, answers, citizen, year, group)
            return render(request, "recognitions/_result.html", {"result": result, "error": error})
        if not editable:
            return _forbidden(request)
        try:
            selfsvc.self_assessment_submit(
                actor=request.user, year=year, subject_group=group, answers=answers
            )
        except PermissionDeniedError:
            return _forbidden(request)
        except NotInScope as exc:
            raise Http404 from exc
        except ServiceError as exc:
            error = str(exc)
        else:
            messages.success(request, "Đã gửi phiếu tự đánh giá. Xã sẽ xác minh và báo kết quả.")
            return redirect("recognitions:self_form", year=year)
    context = {
        "citizen": citizen,
        "year": year,
        "own": own,
        "criteria": cs,
        "group": group,
        "tree": groups[group].criteria,
        "answers": answers,
        "result": result,
        "error": error,
        "locked": not editable,
        "evidence": list(own.evidence.all()) if own else [],
        "can_upload": own is not None and editable,
    }
    return render(request, "recognitions/self_form.html", context)


def _assessment_for_upload(request: HttpRequest, public_id: str) -> tuple[Assessment, bool]:
    own = own_assessment_list(user=request.user).filter(public_id=public_id).first()
    if own is not None:
        return own, True
    assessment = assessment_get_for_user(user=request.user, public_id=public_id)
    if assessment is None:
        raise Http404
    return assessment, False


@require_POST
@login_required
def evidence_upload(request: HttpRequest, public_id: str) -> HttpResponse:
    assessment, is_own = _assessment_for_upload(request, public_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ServiceError("Hãy chọn tệp minh chứng để tải lên.")
        selfsvc.evidence_add(
            actor=request.user,
            assessment=assessment,
            upload=upload,
            description=request.POST.get("description", ""),
        )
    except PermissionDeniedError:
        return _forbidden(request)
    except NotInScope as exc:
        raise Http404 from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Đã tải lên minh chứng “{upload.name}”.")
    if is_own:
        return redirect("recognitions:self_form", year=assessment.round.year)
    return redirect("recognitions:assessment", public_id=assessment.public_id)


@require_GET
@login_required
def evidence_download(request: HttpRequest, public_id: str) -> FileResponse:
    """Evidence is personal data: served only through this scoped, audited view (never a media URL)."""
    evidence = evidence_get_for_user(user=request.user, public_id=public_id)
    if evidence is None:
        raise Http404
    selfsvc.evidence_download_log(actor=request.user, evidence=evidence)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name or "minh-chung",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def assessment_return(request: HttpRequest, public_id: str) -> HttpResponse:
    """The commune returns a self-assessment to the citizen with a reason."""
    assessment = assessment_get_for_user(user=request.user, public_id=public_id)
    if assessment is None:
        raise Http404
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError("Phải nêu lý do trả lại để công dân biết cần bổ sung gì.")
        selfsvc.self_assessment_return(
            actor=request.user, assessment=assessment, reason=form.cleaned_data["reason"]
        )
    except PermissionDeniedError:
        return _forbidden(request)
    except NotInScope as exc:
        raise Http404 from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("recognitions:assessment", public_id=assessment.public_id)
    messages.success(request, f"Đã trả lại phiếu tự đánh giá của {assessment.subject_name}.")
    return redirect(f"{_round_url(assessment.round)}?trang_thai={Assessment.Status.SELF_SUBMITTED.value}")


def _round_url(rnd: Round) -> str:
    from django.urls import reverse

    return reverse("recognitions:round", args=[rnd.public_id])


@require_GET
@login_required
def round_job_status(request: HttpRequest, public_id: str, job_id: str) -> HttpResponse:
    """The htmx-polled progress of a round's background job."""
    rnd = round_get_for_user(user=request.user, public_id=public_id)
    if rnd is None:
        raise Http404
    job = rnd.jobs.filter(public_id=job_id).first()
    if job is None:
        raise Http404
    return render(request, "recognitions/_job.html", {"job": job, "round": rnd})
