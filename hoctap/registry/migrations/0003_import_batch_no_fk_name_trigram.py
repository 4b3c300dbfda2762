"""Two changes for province scale (PRODUCT.md budgets), both explained in registry/models.py and below.

1. ``import_batch`` of Household, Citizen and Clan keeps its index but loses its database foreign-key
   constraint (``db_constraint=False``): batches are never deleted, and PostgreSQL checked the constraint
   once per imported row at commit.
2. PostgreSQL only: pg_trgm GIN indexes on the folded names, so the ``name_search LIKE '%…%'`` of the
   citizen and household searches read the matching rows instead of scanning 1.9 million citizens.
   SQLite has no such index type and keeps its plain scans; the migration does nothing there.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL only (a no-op on SQLite), in both directions."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _batch_field(related_name: str) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        blank=True,
        db_constraint=False,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to="registry.importbatch",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_household_import_indexes"),
    ]

    operations = [
        migrations.AlterField(model_name="citizen", name="import_batch", field=_batch_field("citizens")),
        migrations.AlterField(model_name="clan", name="import_batch", field=_batch_field("clans")),
        migrations.AlterField(model_name="household", name="import_batch", field=_batch_field("households")),
        # The extension stays on the way back: other objects may use it, and dropping it needs more rights.
        PostgresOnlySQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", migrations.RunSQL.noop),
        PostgresOnlySQL(
            "CREATE INDEX citizen_name_trgm_idx ON registry_citizen USING gin (name_search gin_trgm_ops)",
            "DROP INDEX IF EXISTS citizen_name_trgm_idx",
        ),
        PostgresOnlySQL(
            "CREATE INDEX household_name_trgm_idx ON registry_household "
            "USING gin (head_name_search gin_trgm_ops)",
            "DROP INDEX IF EXISTS household_name_trgm_idx",
        ),
    ]
