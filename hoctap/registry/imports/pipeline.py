"""The import services: resolve the commune, create a batch, run it all-or-nothing, report errors.

``import_run`` is what the CLI calls; the import page calls ``import_batch_create`` then runs
``import_batch_run`` itself (small files) or through the ``import_batch_process`` task.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hoctap.accounts.permissions import require_perm
from hoctap.core.audit import audit_log
from hoctap.core.errors import PermissionDeniedError, TransitionError
from hoctap.core.sheets import CellError, SheetReadError, SheetResult, errors_to_json, write_error_report
from hoctap.registry.imports.base import ImportContext, ImportPlan, importer_for
from hoctap.registry.models import ImportBatch
from hoctap.units.models import Level, UnitVersion
from hoctap.units.selectors import unit_resolve

REFORM_DAY = date(2025, 7, 1)
REPORT_DIR = "import-reports"
UPLOAD_DIR = "import-uploads"
Status = ImportBatch.Status


def import_date_for(year: int | None, *, today: date | None = None) -> date:
    """The date whose units and villages an import uses: 31/12/year for a year before the 2025 reform
    (the old communes of that year), today otherwise (today's communes)."""
    day = today or timezone.localdate()
    if year is not None and date(year, 12, 31) < REFORM_DAY:
        return date(year, 12, 31)
    return day


def import_commune_resolve(*, code: str, year: int | None = None) -> tuple[UnitVersion, date]:
    """The commune with this code on the import date, and that date (raises NotInScope)."""
    on = import_date_for(year)
    return unit_resolve(code=code, on=on, level=Level.COMMUNE), on


def _check_actor(actor: Any, perm: Any, unit: UnitVersion, system: bool) -> None:
    if actor is None:
        if not system:
            raise PermissionDeniedError("Bạn không có quyền thực hiện thao tác này.")
        return
    require_perm(actor, perm, unit)


@transaction.atomic
def import_batch_create(
    *,
    kind: str,
    unit: UnitVersion,
    year: int | None,
    file_name: str,
    data: bytes,
    actor: Any,
    system: bool = False,
) -> ImportBatch:
    """A pending batch for this file (checks the importer's permission on the unit; actor=None: CLI only)."""
    importer = importer_for(kind)
    _check_actor(actor, importer.perm, unit, system)
    return ImportBatch.objects.create(
        kind=kind, unit=unit, year=year, file_name=Path(file_name).name[:255],
        sha256=hashlib.sha256(data).hexdigest(), created_by=actor if getattr(actor, "pk", None) else None,
        counts={"stage": "queued", "progress": 0},
    )  # fmt: skip


def _progress(batch: ImportBatch, stage: str, percent: int) -> None:
    batch.counts = {**batch.counts, "stage": stage, "progress": percent}
    ImportBatch.objects.filter(pk=batch.pk, status=Status.PENDING).update(counts=batch.counts)


def _sort_errors(errors: list[CellError]) -> None:
    errors.sort(key=lambda e: (e.row_number, len(e.column_letter), e.column_letter))


def _write_reports(batch: ImportBatch, result: SheetResult) -> str:
    folder = Path(settings.MEDIA_ROOT) / REPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    xlsx = folder / f"{batch.public_id}.xlsx"
    write_error_report(result, result.spec, xlsx)
    payload = errors_to_json(result)
    (folder / f"{batch.public_id}.json").write_text(
        json.dumps(payload, ensure_ascii=False, default=str), "utf-8"
    )
    return f"{REPORT_DIR}/{batch.public_id}.xlsx"


@dataclass
class _Outcome:
    result: SheetResult
    plan: ImportPlan | None


def _counts(outcome: _Outcome, *, dry_run: bool) -> dict[str, Any]:
    result, plan = outcome.result, outcome.plan or ImportPlan()
    rejected = bool(result.errors)
    return {
        "rows": result.total_rows,
        "created": 0 if rejected else plan.created,
        "updated": 0 if rejected else plan.updated,
        "unchanged": 0 if rejected else plan.unchanged,
        "errors": len(result.errors),
        "invalid_rows": len(result.invalid_row_numbers()),
        "dry_run": dry_run,
        "stage": "done",
        "progress": 100,
    }


def import_batch_run(
    *,
    batch: ImportBatch,
    data: bytes,
    on: date,
    actor: Any,
    dry_run: bool = False,
    system: bool = False,
    options: dict[str, Any] | None = None,
) -> ImportBatch:
    """Read, check and (unless dry_run or any error) write the file of a pending batch, all-or-nothing."""
    importer = importer_for(batch.kind)
    unit = batch.unit
    _check_actor(actor, importer.perm, unit, system)
    ctx = ImportContext(unit=unit, on=on, batch_id=batch.pk, actor=actor, options=options or {})
    _progress(batch, "reading", 10)
    if importer.streams:
        outcome = _read_check_and_apply(batch, importer, ctx, data, dry_run=dry_run)
    else:
        outcome = _read(importer, ctx, data)
        if not outcome.result.errors:
            _progress(batch, "checking", 50)
            _guarded(outcome, lambda: _check_and_apply(batch, importer, ctx, outcome, dry_run=dry_run))
    if outcome.result.errors:
        _reject(batch, outcome, actor=actor, dry_run=dry_run)
    batch.refresh_from_db()
    return batch


def _read(importer: Any, ctx: ImportContext, data: bytes) -> _Outcome:
    try:
        result = importer.read(data, ctx)
    except SheetReadError as exc:
        result = _unreadable(importer, ctx, exc)
    return _Outcome(result, None)


def _unreadable(importer: Any, ctx: ImportContext, exc: SheetReadError) -> SheetResult:
    result = SheetResult(spec=importer.spec_for(ctx))
    result.errors.append(CellError(1, "", "", None, str(exc)))
    return result


def _guarded(
    outcome: _Outcome, write: Callable[[], None], reread: Callable[[], SheetResult] | None = None
) -> None:
    """Run the writing step; a unique key taken meanwhile by another import becomes a file error
    (``reread``: how to get the file's result again when the failed step had not returned it yet)."""
    try:
        write()
    except IntegrityError:
        if reread is not None:
            outcome.result = reread()
        result = outcome.result
        message = "Dữ liệu đã bị thay đổi trong lúc nhập (trùng số CCCD hoặc mã); hãy nhập lại tệp."
        result.errors.append(CellError(result.header_row_number, "", "", None, message))


def _lock_commune(ctx: ImportContext) -> None:
    """One import per commune at a time (until the end of the caller's transaction)."""
    UnitVersion.objects.select_for_update().filter(pk=ctx.unit.pk).exists()


def _read_check_and_apply(
    batch: ImportBatch, importer: Any, ctx: ImportContext, data: bytes, *, dry_run: bool
) -> _Outcome:
    """The one-pass path (Importer.streams): read, check and write in one transaction, rolled back on errors.

    Errors are reported as by the three steps: the file's own errors if it has any, otherwise the
    errors found against the database.
    """
    outcome = _Outcome(SheetResult(spec=importer.spec_for(ctx)), None)

    def run() -> None:
        with transaction.atomic():
            _lock_commune(ctx)
            try:
                outcome.result, plan = importer.read_and_apply(data, ctx, write=not dry_run)
            except SheetReadError as exc:
                outcome.result = _unreadable(importer, ctx, exc)
                return
            if outcome.result.errors:
                transaction.set_rollback(True)
                return
            outcome.plan = plan
            _finish(batch, ctx, outcome, plan, dry_run=dry_run)

    _guarded(outcome, run, reread=lambda: _read(importer, ctx, data).result)
    return outcome


def _check_and_apply(
    batch: ImportBatch, importer: Any, ctx: ImportContext, outcome: _Outcome, *, dry_run: bool
) -> None:
    with transaction.atomic():
        _lock_commune(ctx)
        plan = importer.check(outcome.result, ctx)
        outcome.plan = plan
        if not plan.errors and not dry_run:
            importer.apply(plan, ctx)
        _finish(batch, ctx, outcome, plan, dry_run=dry_run)


def _finish(
    batch: ImportBatch, ctx: ImportContext, outcome: _Outcome, plan: ImportPlan, *, dry_run: bool
) -> None:
    """Inside the import's transaction: reject the plan's errors (rolled back) or mark the batch done."""
    if plan.errors:
        outcome.result.errors.extend(plan.errors)
        _sort_errors(outcome.result.errors)
        transaction.set_rollback(True)
        return
    counts = _counts(outcome, dry_run=dry_run)
    status = Status.DRY_RUN if dry_run else Status.APPLIED
    done = ImportBatch.objects.filter(pk=batch.pk, status=Status.PENDING).update(status=status, counts=counts)
    if done != 1:
        raise TransitionError("Lần nhập này đã được xử lý.")
    if not dry_run:
        audit_log(actor=ctx.actor, action="registry.import.applied", obj=batch, unit=ctx.unit, data=counts)


@transaction.atomic
def _reject(batch: ImportBatch, outcome: _Outcome, *, actor: Any, dry_run: bool) -> None:
    counts = _counts(outcome, dry_run=dry_run)
    path = _write_reports(batch, outcome.result)
    done = ImportBatch.objects.filter(pk=batch.pk, status=Status.PENDING).update(
        status=Status.REJECTED, counts=counts, report_path=path
    )
    if done != 1:
        raise TransitionError("Lần nhập này đã được xử lý.")
    audit_log(actor=actor, action="registry.import.rejected", obj=batch, unit=batch.unit, data=counts)


def import_run(
    *,
    kind: str,
    data: bytes,
    file_name: str,
    unit: UnitVersion,
    on: date,
    year: int | None,
    actor: Any,
    dry_run: bool = False,
    system: bool = False,
    options: dict[str, Any] | None = None,
) -> ImportBatch:
    """Create a batch and run it now (the CLI, small uploads)."""
    batch = import_batch_create(
        kind=kind, unit=unit, year=year, file_name=file_name, data=data, actor=actor, system=system
    )
    return import_batch_run(
        batch=batch, data=data, on=on, actor=actor, dry_run=dry_run, system=system, options=options
    )


def report_file(batch: ImportBatch, suffix: str = ".xlsx") -> Path | None:
    """The absolute path of the batch's error report (``.xlsx`` or ``.json``), if there is one."""
    if not batch.report_path:
        return None
    path = Path(settings.MEDIA_ROOT) / Path(batch.report_path).with_suffix(suffix)
    return path if path.exists() else None
