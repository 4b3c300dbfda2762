"""Background work of the registry: running an uploaded import (ids and paths as arguments)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django_tasks import task

from hoctap.accounts.models import User
from hoctap.registry.imports import import_batch_run
from hoctap.registry.models import ImportBatch


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
