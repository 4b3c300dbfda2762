"""Criteria screens: sets and versions, compare, upload, activate, download, try an evaluation;
the public movement page; the programme targets and the province's own targets."""

from __future__ import annotations

import json
from typing import Any

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoctap.accounts.permissions import has_perm
from hoctap.core.errors import NotInScope, PermissionDeniedError, ServiceError
from hoctap.core.permissions import Perm
from hoctap.criteria import display
from hoctap.criteria.evaluation import EvaluationInputError, evaluate_payload
from hoctap.criteria.forms import CriteriaSetUploadForm, ProvinceTargetForm
from hoctap.criteria.models import CriteriaSet
from hoctap.criteria.schema import diff_versions, load_movement, load_targets
from hoctap.criteria.selectors import (
    criteria_set_get_for_user,
    criteria_set_list_for_user,
    province_list_for_user,
    province_target_list,
)
from hoctap.criteria.services import (
    CriteriaImportError,
    criteria_set_activate,
    criteria_set_import,
    province_target_set,
)


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "403.html", status=403)


def _require_view(request: HttpRequest) -> None:
    if not has_perm(request.user, Perm.CRITERIA_VIEW):
        raise Http404


def _record(request: HttpRequest, code: str, version: int | None = None) -> CriteriaSet:
    try:
        return criteria_set_get_for_user(user=request.user, code=code, version=version)
    except NotInScope as exc:
        raise Http404 from exc


@require_GET
@login_required
def set_list(request: HttpRequest) -> HttpResponse:
    try:
        rows = list(criteria_set_list_for_user(user=request.user))
    except NotInScope as exc:
        raise Http404 from exc
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        cs = row.as_version()
        groups.setdefault(row.code, []).append(
            {"row": row, "unconfirmed_items": display.unconfirmed_items(cs), "note": cs.unconfirmed_note}
        )
    context = {
        "groups": groups,
        "can_manage": has_perm(request.user, Perm.CRITERIA_MANAGE),
        "subject_labels": display.SUBJECT_LABELS,
    }
    return render(request, "criteria/set_list.html", context)


@require_GET
@login_required
def set_current(request: HttpRequest, code: str) -> HttpResponse:
    """A set code: its active version (else its newest one)."""
    _require_view(request)
    rows = CriteriaSet.objects.filter(code=code).order_by("-version")
    active = rows.filter(status="active").first() or rows.first()
    if active is None:
        raise Http404
    return redirect("criteria:version", code=code, version=active.version)


def _version_context(request: HttpRequest, record: CriteriaSet) -> dict[str, Any]:
    cs = record.as_version()
    group = request.GET.get("nhom") or (cs.subject_groups[0].code if cs.subject_groups else "")
    if cs.subject_groups and cs.subject_group(group) is None:
        group = cs.subject_groups[0].code
    all_trees = display.trees(cs)
    form_tree = next((t for t in all_trees if t["code"] == group), all_trees[0])
    context_fields = [
        {"key": i.context_key, "value_type": i.value_type, "title": i.title}
        for c in form_tree["criteria"]
        for i in c.indicators
        if i.kind == "computed"
    ] + [{"key": p.context_key, "value_type": p.value_type, "title": p.title} for p in cs.preconditions]
    return {
        "record": record,
        "cs": cs,
        "trees": all_trees,
        "form_tree": form_tree,
        "group": group,
        "context_fields": context_fields,
        "rules": [(r, display.rule_text(r)) for r in ([cs.pass_rule] if cs.pass_rule else [*cs.levels])],
        "unconfirmed_items": display.unconfirmed_items(cs),
        "versions": CriteriaSet.objects.filter(code=record.code).order_by("-version"),
        "can_manage": has_perm(request.user, Perm.CRITERIA_MANAGE),
        "today": timezone.localdate(),
        "subject_label": display.SUBJECT_LABELS.get(cs.subject_kind, cs.subject_kind),
    }


@require_GET
@login_required
def version_detail(request: HttpRequest, code: str, version: int) -> HttpResponse:
    record = _record(request, code, version)
    return render(request, "criteria/version_detail.html", _version_context(request, record))


@require_POST
@login_required
def version_activate(request: HttpRequest, code: str, version: int) -> HttpResponse:
    record = _record(request, code, version)
    try:
        criteria_set_activate(actor=request.user, criteria_set=record)
    except PermissionDeniedError:
        return _forbidden(request)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Đã áp dụng {record.key}; phiên bản đang áp dụng trước đó đã được thay thế."
        )
    return redirect("criteria:version", code=code, version=version)


@require_GET
@login_required
def version_download(request: HttpRequest, code: str, version: int, fmt: str) -> HttpResponse:
    if fmt not in ("yaml", "json"):
        raise Http404
    record = _record(request, code, version)
    if fmt == "json":
        body = json.dumps(record.data, ensure_ascii=False, indent=2) + "\n"
        content_type = "application/json; charset=utf-8"
    else:
        body = yaml.safe_dump(record.data, allow_unicode=True, sort_keys=False, width=110)
        content_type = "application/yaml; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{record.key}.{fmt}"'
    return response


@require_POST
@login_required
def version_try(request: HttpRequest, code: str, version: int) -> HttpResponse:
    """Evaluate the form's answers with the one evaluation function; answers the result fragment."""
    record = _record(request, code, version)
    cs = record.as_version()
    group = request.POST.get("subject_group") or None
    payload = display.payload_from_form(cs, group, request.POST)
    context: dict[str, Any] = {"cs": cs}
    try:
        context["result"] = evaluate_payload(criteria_set=cs, payload=payload)
    except EvaluationInputError as exc:
        context["errors"] = exc.errors
    return render(request, "criteria/_try_result.html", context)


@require_GET
@login_required
def version_compare(request: HttpRequest, code: str) -> HttpResponse:
    _require_view(request)
    versions = list(CriteriaSet.objects.filter(code=code).order_by("version"))
    if not versions:
        raise Http404
    numbers = [v.version for v in versions]

    def pick(name: str, default: int) -> int:
        raw = request.GET.get(name, "")
        return int(raw) if raw.isdigit() and int(raw) in numbers else default

    a_no = pick("a", numbers[-2] if len(numbers) > 1 else numbers[0])
    b_no = pick("b", numbers[-1])
    a = next(v for v in versions if v.version == a_no)
    b = next(v for v in versions if v.version == b_no)
    changes = diff_versions(a.as_version(), b.as_version())
    context = {"code": code, "versions": versions, "a": a, "b": b, "changes": changes}
    return render(request, "criteria/compare.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def set_upload(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    if not has_perm(request.user, Perm.CRITERIA_MANAGE):
        return _forbidden(request)
    form = CriteriaSetUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record, created = criteria_set_import(
                actor=request.user, content=upload.read(), file_name=upload.name
            )
            if form.cleaned_data["activate"] and record.status != "active":
                record = criteria_set_activate(actor=request.user, criteria_set=record)
        except CriteriaImportError as exc:
            problems = exc.problems
        except ServiceError as exc:
            problems = [str(exc)]
        else:
            text = (
                "Đã nạp" if created else "Phiên bản này đã có với nội dung giống hệt; không có gì thay đổi:"
            )
            messages.success(request, f"{text} {record.key}.")
            return redirect("criteria:version", code=record.code, version=record.version)
    return render(
        request, "criteria/upload.html", {"form": form, "problems": problems}, status=400 if problems else 200
    )


# --- public movement page, targets -------------------------------------------------------------------


@require_GET
def movement(request: HttpRequest) -> HttpResponse:
    """Kế hoạch 2557 (public): legal basis, purposes, contents, phases, target groups."""
    plan = load_movement()
    today = timezone.localdate()
    return render(request, "criteria/movement.html", {"plan": plan, "today": today})


def _targets_context(request: HttpRequest) -> dict[str, Any]:
    targets = load_targets()
    return {"programmes": dict(targets.programmes), "targets": targets.targets}


@require_GET
@login_required
def target_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    context = _targets_context(request)
    context["provinces"] = list(province_list_for_user(user=request.user))
    return render(request, "criteria/targets.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def province_targets(request: HttpRequest, public_id: str) -> HttpResponse:
    _require_view(request)
    unit = get_object_or_404(province_list_for_user(user=request.user), public_id=public_id)
    form = ProvinceTargetForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not has_perm(request.user, Perm.CRITERIA_MANAGE, unit):
            return _forbidden(request)
        if form.is_valid():
            try:
                province_target_set(actor=request.user, unit=unit, **form.cleaned_data)
            except ServiceError as exc:
                messages.error(request, str(exc))
                status = 400
            else:
                messages.success(request, "Đã lưu chỉ tiêu của tỉnh.")
                return redirect("criteria:province_targets", public_id=public_id)
        else:
            messages.error(request, "Dữ liệu chỉ tiêu không hợp lệ.")
            status = 400
    context = _targets_context(request)
    own: dict[str, dict[int, Any]] = {}
    for t in province_target_list(unit=unit):
        own.setdefault(t.target_code, {})[t.year] = t
    context.update(
        {
            "unit": unit,
            "own": own,
            "can_manage": has_perm(request.user, Perm.CRITERIA_MANAGE, unit),
            "years": (2025, 2030),
        }
    )
    return render(request, "criteria/province_targets.html", context, status=status)
