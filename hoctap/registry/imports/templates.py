"""The downloadable Excel template of an import kind (dropdowns for the commune's villages)."""

from __future__ import annotations

from pathlib import Path

from hoctap.core.sheets import write_template
from hoctap.registry.imports.base import ImportContext, importer_for


def write_import_template(kind: str, out: Path, ctx: ImportContext | None = None) -> Path:
    importer = importer_for(kind)
    return write_template(
        importer.spec_for(ctx),
        out,
        choices_override=importer.choices(ctx),
        example_rows=importer.example_rows(ctx),
    )
