"""The Word templates screen: see each type's active version, download, upload a new one, go back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from hoctap.accounts.permissions import has_perm
from hoctap.core.errors import NotInScope, PermissionDeniedError, ServiceError
from hoctap.core.permissions import Perm
from hoctap.documents.forms import TemplateUploadForm
from hoctap.documents.models import DocType
from hoctap.documents.selectors import (
    DOCX_MIME,
    document_template_file_for_user,
    document_template_overview_for_user,
)
from hoctap.documents.services import (
    TemplateUploadError,
    document_template_activate,
    document_template_upload,
)

PDF_NOTE = (
    "Bản PDF được tạo từ mẫu HTML chuẩn của hệ thống, nên các chỉnh sửa trong Word chỉ áp dụng cho bản DOCX."
)


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "403.html", status=403)


def _require_view(request: HttpRequest) -> None:
    if not has_perm(request.user, Perm.DOCUMENT_ISSUE):
        raise Http404


def _check_type(doc_type: str) -> None:
    if doc_type not in DocType.values:
        raise Http404


def _page(request: HttpRequest, *, failed: str = "", form: Any = None, problems: list[str] | None = None,
          status: int = 200) -> HttpResponse:  # fmt: skip
    try:
        rows = document_template_overview_for_user(user=request.user)
    except NotInScope as exc:
        raise Http404 from exc
    context = {
        "rows": rows,
        "can_manage": has_perm(request.user, Perm.DOCUMENT_TEMPLATE_MANAGE),
        "failed": failed,
        "failed_form": form,
        "problems": problems or [],
        "pdf_note": PDF_NOTE,
    }
    return render(request, "documents/template_list.html", context, status=status)


@require_GET
@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_GET
@login_required
def template_download(request: HttpRequest, doc_type: str, version: int | None = None) -> HttpResponse:
    try:
        data, name = document_template_file_for_user(user=request.user, doc_type=doc_type, version=version)
    except NotInScope as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type=DOCX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def template_upload(request: HttpRequest, doc_type: str) -> HttpResponse:
    _require_view(request)
    _check_type(doc_type)
    if not has_perm(request.user, Perm.DOCUMENT_TEMPLATE_MANAGE):
        return _forbidden(request)
    form = TemplateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return _page(request, failed=doc_type, form=form, problems=problems, status=400)
    upload = form.cleaned_data["file"]
    try:
        record = document_template_upload(
            actor=request.user, doc_type=doc_type, content=upload.read(), file_name=upload.name,
            note=form.cleaned_data["note"],
        )  # fmt: skip
    except PermissionDeniedError:
        return _forbidden(request)
    except NotInScope as exc:
        raise Http404 from exc
    except TemplateUploadError as exc:
        return _page(request, failed=doc_type, form=form, problems=exc.problems, status=400)
    except ServiceError as exc:
        return _page(request, failed=doc_type, form=form, problems=[str(exc)], status=400)
    messages.success(
        request, f"Đã nạp và áp dụng phiên bản {record.version} của mẫu {record.get_doc_type_display()}."
    )
    return redirect("documents:templates")


@require_POST
@login_required
def template_activate(request: HttpRequest, doc_type: str, version: int) -> HttpResponse:
    _require_view(request)
    _check_type(doc_type)
    if not has_perm(request.user, Perm.DOCUMENT_TEMPLATE_MANAGE):
        return _forbidden(request)
    raw = request.POST.get("dang_ap_dung", "")
    expected = int(raw) if raw.isdigit() else None
    try:
        document_template_activate(
            actor=request.user, doc_type=doc_type, version=version, expected_active=expected
        )
    except PermissionDeniedError:
        return _forbidden(request)
    except NotInScope as exc:
        raise Http404 from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        label = DocType(doc_type).label
        which = "mẫu mặc định" if version == 0 else f"phiên bản {version}"
        messages.success(request, f"Mẫu {label} đã trở về {which}.")
    return redirect("documents:templates")
