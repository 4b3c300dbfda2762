"""The import pages: upload per commune and kind, template download, batch result with live status."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hoctap.accounts.permissions import require_perm, scope_for
from hoctap.core.errors import NotInScope, PermissionDeniedError
from hoctap.core.permissions import Perm
from hoctap.registry.imports import (
    ImportContext,
    import_batch_create,
    import_batch_run,
    import_date_for,
    import_kinds,
    importer_for,
    report_file,
)
from hoctap.registry.imports.pipeline import UPLOAD_DIR
from hoctap.registry.imports.templates import write_import_template
from hoctap.registry.models import ImportBatch
from hoctap.registry.selectors import communes_for_user
from hoctap.registry.tasks import import_batch_process
from hoctap.units.models import Level, UnitVersion

SYNC_LIMIT_BYTES = 200_000  # about 3,000 rows: run at once, larger files go to the task queue
MAX_UPLOAD_BYTES = 50_000_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)")
    dry_run = forms.BooleanField(label="Chỉ kiểm tra thử, không ghi dữ liệu", required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Hãy chọn tệp Excel định dạng .xlsx (tải tệp mẫu ở trên).")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp quá lớn (tối đa 50 MB).")
        return upload


def _guard(user: Any, unit: UnitVersion) -> None:
    """404 outside the user's scope, 403 when they only see the unit."""
    try:
        require_perm(user, Perm.REGISTRY_IMPORT, unit)
    except NotInScope as exc:
        raise Http404 from exc
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc


def _commune_and_importer(request: HttpRequest, unit_id: str, kind: str) -> tuple[UnitVersion, Any]:
    unit = get_object_or_404(UnitVersion, public_id=unit_id, level=Level.COMMUNE)
    _guard(request.user, unit)
    try:
        importer = importer_for(kind)
    except KeyError as exc:
        raise Http404 from exc
    return unit, importer


def _batch(request: HttpRequest, batch_id: str) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("unit", "created_by"), public_id=batch_id)
    _guard(request.user, batch.unit)
    return batch


@require_GET
@login_required
def import_index(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user, Perm.REGISTRY_IMPORT)
    if scope.empty:
        raise PermissionDenied
    communes = list(communes_for_user(user=request.user, perm=Perm.REGISTRY_IMPORT).order_by("name")[:200])
    batches = scope.filter_units(ImportBatch.objects.all(), field="unit_id").select_related(
        "unit", "created_by"
    )
    context = {"communes": communes, "kinds": import_kinds(), "batches": list(batches[:20])}
    return render(request, "registry/import_index.html", context)


def _enqueue_after_commit(
    batch: ImportBatch, path: Path, on: str, dry_run: bool, user_id: int | None
) -> None:
    """Queue the background run once the batch row is committed (task arguments are ids and strings)."""
    if user_id is None:  # login_required lets no anonymous user through
        raise PermissionDenied
    transaction.on_commit(
        lambda: import_batch_process.enqueue(
            batch_id=batch.pk, upload_path=str(path), on=on, dry_run=dry_run, user_id=user_id
        )
    )


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request: HttpRequest, unit_id: str, kind: str) -> HttpResponse:
    unit, importer = _commune_and_importer(request, unit_id, kind)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        batch = import_batch_create(
            kind=kind, unit=unit, year=None, file_name=upload.name, data=data, actor=request.user
        )
        on, dry_run = import_date_for(None), form.cleaned_data["dry_run"]
        if len(data) <= SYNC_LIMIT_BYTES:
            import_batch_run(batch=batch, data=data, on=on, actor=request.user, dry_run=dry_run)
        else:
            folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{uuid.uuid4().hex}.xlsx"
            path.write_bytes(data)
            _enqueue_after_commit(batch, path, on.isoformat(), dry_run, request.user.pk)
        return redirect("imports:batch", batch_id=batch.public_id)
    context = {"unit": unit, "importer": importer, "form": form, "spec": importer.spec()}
    return render(request, "registry/import_upload.html", context)


@require_GET
@login_required
def import_template(request: HttpRequest, unit_id: str, kind: str) -> HttpResponse:
    unit, _importer = _commune_and_importer(request, unit_id, kind)
    ctx = ImportContext(unit=unit, on=import_date_for(None))
    with tempfile.TemporaryDirectory() as tmp:
        out = write_import_template(kind, Path(tmp) / "mau.xlsx", ctx)
        data = out.read_bytes()
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-{kind}-{unit.code}.xlsx"'
    return response


@require_GET
@login_required
def import_batch_detail(request: HttpRequest, batch_id: str) -> HttpResponse:
    batch = _batch(request, batch_id)
    context = {"batch": batch, "importer": importer_for(batch.kind)}
    return render(request, "registry/import_batch.html", context)


@require_GET
@login_required
def import_batch_status(request: HttpRequest, batch_id: str) -> HttpResponse:
    batch = _batch(request, batch_id)
    return render(request, "registry/import_status.html", {"batch": batch})


@require_GET
@login_required
def import_batch_report(request: HttpRequest, batch_id: str, fmt: str) -> FileResponse:
    batch = _batch(request, batch_id)
    if fmt not in ("xlsx", "json"):
        raise Http404
    path = report_file(batch, f".{fmt}")
    if path is None:
        raise Http404
    name = f"bao-cao-loi-{batch.public_id}.{fmt}"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)
