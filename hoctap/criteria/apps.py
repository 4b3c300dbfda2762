from __future__ import annotations

import logging
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

logger = logging.getLogger(__name__)


def sync_shipped_after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """After every `migrate`, load the shipped criteria sets that the database lacks (ADR 0004).

    Idempotent and quiet: an identical version is a no-op; a shipped file that conflicts with a stored
    version of the same code and number is reported in the log, never overwritten."""
    if using != "default":
        return
    from hoctap.criteria.services import criteria_sync_shipped

    summary = criteria_sync_shipped(actor=None)
    for conflict in summary["conflicts"]:
        logger.warning("criteria: %s", conflict)


class CriteriaConfig(AppConfig):
    name = "hoctap.criteria"
    label = "criteria"
    verbose_name = "Bộ tiêu chí và chỉ tiêu"

    def ready(self) -> None:
        from hoctap.core.demo import register_demo_step
        from hoctap.criteria.services import criteria_demo_step

        post_migrate.connect(sync_shipped_after_migrate, sender=self, dispatch_uid="criteria-sync-shipped")
        if criteria_demo_step not in _registered():
            register_demo_step(criteria_demo_step)


def _registered() -> list[Any]:
    from hoctap.core.demo import DEMO_STEPS

    return DEMO_STEPS
