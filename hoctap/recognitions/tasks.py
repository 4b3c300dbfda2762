"""Background work of the recognition rounds (ids as arguments, enqueued after commit by the services)."""

from __future__ import annotations

from django_tasks import task

from hoctap.recognitions.models import RoundJob


@task()
def round_job_process(job_id: int) -> str:
    """Run a queued round job (confirming carried-over subjects) and return its final status."""
    from hoctap.recognitions.services import round_job_run

    job = RoundJob.objects.select_related("round__commune", "created_by").get(pk=job_id)
    return round_job_run(job=job).status
