"""Current state on the row, ended periods in the history tables (ADR 0006).

Before: every household had an open HouseholdResidence row (valid_to NULL) repeating Household.village, and
every citizen an open HouseholdMembership row repeating Citizen.household and relationship. After: the day
the current period began is Household.village_since and Citizen.household_since; the history tables keep
only closed periods (valid_to is required). The data step moves each open row's start date onto its owner
and deletes the open rows; the way back recreates them. Also drops the unused import_batch indexes and
replaces the (village, status, name) index of households by one on the village alone (cheaper to maintain
in bulk imports; a commune's households sort in milliseconds).
"""

from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate

BATCH = 5_000


def _latest_start(model: Any, owner: str, **filters: Any) -> Subquery:
    rows = model.objects.filter(**{owner: OuterRef("pk")}, **filters).order_by("-valid_from")
    return Subquery(rows.values("valid_from")[:1])


def forwards(apps: Any, schema_editor: Any) -> None:
    household = apps.get_model("registry", "Household")
    residence = apps.get_model("registry", "HouseholdResidence")
    citizen = apps.get_model("registry", "Citizen")
    membership = apps.get_model("registry", "HouseholdMembership")
    household.objects.update(
        village_since=Coalesce(
            _latest_start(residence, "household", valid_to__isnull=True),
            _latest_start(residence, "household"),
            F("registered_on"),
            TruncDate("created_at"),
        )
    )
    residence.objects.filter(valid_to__isnull=True).delete()
    citizen.objects.filter(household__isnull=False).update(
        household_since=Coalesce(
            _latest_start(membership, "citizen", valid_to__isnull=True, household=OuterRef("household")),
            TruncDate("created_at"),
        )
    )
    membership.objects.filter(valid_to__isnull=True).delete()


def backwards(apps: Any, schema_editor: Any) -> None:
    household = apps.get_model("registry", "Household")
    residence = apps.get_model("registry", "HouseholdResidence")
    citizen = apps.get_model("registry", "Citizen")
    membership = apps.get_model("registry", "HouseholdMembership")
    active = household.objects.filter(status="active").values_list("pk", "village_id", "village_since")
    residence.objects.bulk_create(
        (residence(household_id=pk, village_id=v, valid_from=d) for pk, v, d in active.iterator()),
        batch_size=BATCH,
    )
    members = citizen.objects.filter(household__isnull=False).values_list(
        "pk", "household_id", "relationship", "household_since", "created_at"
    )
    membership.objects.bulk_create(
        (
            membership(citizen_id=pk, household_id=h, relationship=r, valid_from=since or created.date())
            for pk, h, r, since, created in members.iterator()
        ),
        batch_size=BATCH,
    )


def _batch_field(related_name: str) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        blank=True,
        db_constraint=False,
        db_index=False,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to="registry.importbatch",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_import_batch_no_fk_name_trigram"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="citizen",
            name="household_since",
            field=models.DateField(blank=True, null=True, verbose_name="thuộc hộ hiện tại từ ngày"),
        ),
        migrations.AddField(
            model_name="household",
            name="village_since",
            field=models.DateField(null=True, verbose_name="ở thôn hiện tại từ ngày"),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.AlterField(
            model_name="household",
            name="village_since",
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name="ở thôn hiện tại từ ngày"),
        ),
        migrations.AlterField(model_name="householdmembership", name="valid_to", field=models.DateField()),
        migrations.AlterField(model_name="householdresidence", name="valid_to", field=models.DateField()),
        migrations.AddConstraint(
            model_name="householdmembership",
            constraint=models.CheckConstraint(
                condition=Q(("valid_to__gte", F("valid_from"))), name="membership_period_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="householdresidence",
            constraint=models.CheckConstraint(
                condition=Q(("valid_to__gte", F("valid_from"))), name="residence_period_valid"
            ),
        ),
        migrations.AlterField(model_name="citizen", name="import_batch", field=_batch_field("citizens")),
        migrations.AlterField(model_name="household", name="import_batch", field=_batch_field("households")),
        migrations.RemoveIndex(model_name="household", name="registry_ho_village_aa6bca_idx"),
        migrations.AddIndex(
            model_name="household", index=models.Index(fields=["village"], name="household_village_idx")
        ),
    ]
