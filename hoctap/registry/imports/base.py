"""The importer registry: one small Importer object per kind, kept in a dict other apps register into.

An app that adds a kind (say ``recognitions``) subclasses Importer and calls ``register_importer`` from
its AppConfig.ready(); the ``hoctap import`` / ``hoctap template`` commands and the import pages then offer
it without being edited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hoctap.core.permissions import Perm
from hoctap.core.sheets import CellError, SheetResult, SheetSpec
from hoctap.units.models import UnitVersion


@dataclass
class ImportContext:
    """Where and when an import applies: the commune, the date its villages are taken on, the batch."""

    unit: UnitVersion
    on: date
    batch_id: int | None = None
    actor: Any = None
    options: dict[str, Any] = field(default_factory=dict)  # kind-specific, e.g. {"model": "gdht"}


@dataclass
class ImportPlan:
    """What applying a checked file will do; ``payload`` is the importer's own data."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)


class Importer:
    """One kind of bulk import. Subclasses define the sheet and the three steps; no state between calls."""

    kind: str = ""
    label: str = ""
    perm: Perm = Perm.REGISTRY_IMPORT
    streams: bool = False  # True: the pipeline calls read_and_apply instead of read, check and apply

    def spec(self) -> SheetSpec:
        raise NotImplementedError

    def spec_for(self, ctx: ImportContext | None) -> SheetSpec:
        """The sheet for this context; kinds whose columns depend on options (recognitions) override it."""
        return self.spec()

    def choices(self, ctx: ImportContext | None) -> dict[str, list[str]]:
        """Dropdown lists that depend on the commune (template and reading)."""
        return {}

    def example_rows(self, ctx: ImportContext | None) -> list[dict[str, object]]:
        return []

    def read(self, data: bytes, ctx: ImportContext) -> SheetResult:
        """Parse the file and run the checks that need no database."""
        raise NotImplementedError

    def check(self, result: SheetResult, ctx: ImportContext) -> ImportPlan:
        """Check the parsed rows against the database; return the plan with any further errors."""
        raise NotImplementedError

    def apply(self, plan: ImportPlan, ctx: ImportContext) -> None:
        """Write the plan (inside the caller's transaction)."""
        raise NotImplementedError

    def read_and_apply(
        self, data: bytes, ctx: ImportContext, *, write: bool
    ) -> tuple[SheetResult, ImportPlan]:
        """read, check and (if ``write``) apply in one pass inside the caller's transaction, for kinds large
        enough that writing while reading pays. Same results as the three steps; on any error the caller
        rolls back what was written. Only called when ``streams`` is set."""
        raise NotImplementedError


IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> Importer:
    if not importer.kind:
        raise ValueError("An importer needs a kind")
    IMPORTERS[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    """The importer of ``kind``; KeyError with the known kinds otherwise."""
    try:
        return IMPORTERS[kind]
    except KeyError:
        known = ", ".join(sorted(IMPORTERS))
        raise KeyError(f"Loại dữ liệu không hợp lệ: {kind!r}. Dùng một trong: {known}.") from None


def import_kinds() -> list[Importer]:
    return list(IMPORTERS.values())
