"""All-or-nothing bulk import of the people registry (households, citizens, clans, villages).

Other apps add kinds with ``register_importer`` (see base.py); the four registry kinds register here.
"""

from hoctap.registry.imports import citizens, clans, households, villages  # noqa: F401  (registration)
from hoctap.registry.imports.base import (
    IMPORTERS,
    ImportContext,
    Importer,
    ImportPlan,
    import_kinds,
    importer_for,
    register_importer,
)
from hoctap.registry.imports.pipeline import (
    import_batch_create,
    import_batch_run,
    import_commune_resolve,
    import_date_for,
    import_run,
    report_file,
)

__all__ = [
    "IMPORTERS",
    "ImportContext",
    "ImportPlan",
    "Importer",
    "import_batch_create",
    "import_batch_run",
    "import_commune_resolve",
    "import_date_for",
    "import_kinds",
    "import_run",
    "importer_for",
    "register_importer",
    "report_file",
]
