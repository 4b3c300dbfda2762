"""Background work of the registry: running an uploaded import, building a large export (ids as arguments)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django_tasks import task

from hoctap.accounts.models import User
from hoctap.registry import exports
from hoctap.registry.imports import import_batch_run
from hoctap.registry.models import ExportFile, ImportBatch


@task()
def import_batch_process(batch_id: int, upload_path: str, on: str, dry_run: bool, user_id: int) -> str:
    """Run a pending import batch from its stored upload; returns the final status."""
    batch = ImportBatch.objects.select_related("unit").get(pk=batch_id)
    if batch.status != ImportBatch.Status.PENDING:
        return batch.status
    actor = User.objects.get(pk=user_id)
    path = Path(upload_path)
    try:
        done = import_batch_run(
            batch=batch, data=path.read_bytes(), on=date.fromisoformat(on), actor=actor, dry_run=dry_run
        )
    finally:
        path.unlink(missing_ok=True)
    return done.status


@task()
def household_export_process(export_id: int) -> str:
    """Build a pending household export as its creator would list it; returns the final status."""
    export = ExportFile.objects.select_related("created_by").get(pk=export_id)
    if export.status != ExportFile.Status.PENDING:
        return export.status
    return exports.export_file_build(export).status
