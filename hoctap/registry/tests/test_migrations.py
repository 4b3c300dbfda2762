"""Migration 0004 (ADR 0006): open history rows become the owner's *_since, closed ones stay, and back."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("registry", "0003_import_batch_no_fk_name_trigram")
AFTER = ("registry", "0004_current_state_on_row")


def _migrate(target: tuple[str, str]) -> Any:
    """Migrate the registry to ``target`` (other apps stay at their latest); the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "registry"]
    return executor.loader.project_state([target, *others]).apps


@pytest.mark.django_db(transaction=True)
def test_open_periods_move_onto_the_rows_and_back(units_loaded: Any) -> None:
    # given the schema before 0004: one household that moved (a closed and an open residence), one that
    # dissolved (its only residence closed), and a citizen with a past and a current membership
    old = _migrate(BEFORE)
    village_model = old.get_model("units", "Village")
    household_model, residence = (
        old.get_model("registry", "Household"),
        old.get_model("registry", "HouseholdResidence"),
    )
    citizen_model = old.get_model("registry", "Citizen")
    membership = old.get_model("registry", "HouseholdMembership")
    first, second = (
        village_model.objects.create(
            name=n, name_search=n.lower(), public_id=f"m{n[-1]}", valid_from=date(2020, 1, 1)
        )
        for n in ("Thôn M1", "Thôn M2")
    )
    moved = household_model.objects.create(
        public_id="hm",
        code="HM",
        village=second,
        head_name="A",
        head_name_search="a",
        head_cccd="044085000001",
    )
    gone = household_model.objects.create(
        public_id="hg",
        code="HG",
        village=first,
        head_name="B",
        head_name_search="b",
        status="dissolved",
        head_cccd="044085000002",
    )
    residence.objects.create(
        household=moved, village=first, valid_from=date(2021, 1, 1), valid_to=date(2024, 4, 30)
    )
    residence.objects.create(household=moved, village=second, valid_from=date(2024, 5, 1))
    residence.objects.create(
        household=gone, village=first, valid_from=date(2019, 3, 1), valid_to=date(2025, 2, 1)
    )
    person = citizen_model.objects.create(
        public_id="cm",
        full_name="C",
        name_search="c",
        sex="nu",
        birth_date=date(1990, 1, 1),
        household=moved,
        relationship="Vợ",
    )
    membership.objects.create(
        citizen=person,
        household=gone,
        relationship="Con",
        valid_from=date(2000, 1, 1),
        valid_to=date(2024, 4, 30),
    )
    membership.objects.create(citizen=person, household=moved, relationship="Vợ", valid_from=date(2024, 5, 1))
    # when 0004 runs
    new = _migrate(AFTER)
    households = new.get_model("registry", "Household").objects
    # then the open periods' start days are on the rows and only closed periods remain
    assert households.get(code="HM").village_since == date(2024, 5, 1)
    assert households.get(code="HG").village_since == date(2019, 3, 1)
    assert new.get_model("registry", "Citizen").objects.get(public_id="cm").household_since == date(
        2024, 5, 1
    )
    kept = new.get_model("registry", "HouseholdResidence").objects.order_by("valid_from")
    assert [(r.valid_from, r.valid_to) for r in kept] == [
        (date(2019, 3, 1), date(2025, 2, 1)),
        (date(2021, 1, 1), date(2024, 4, 30)),
    ]
    assert list(
        new.get_model("registry", "HouseholdMembership").objects.values_list("relationship", flat=True)
    ) == ["Con"]
    # and going back recreates the open rows of the active household and of the citizen
    back = _migrate(BEFORE)
    open_residences = back.get_model("registry", "HouseholdResidence").objects.filter(valid_to__isnull=True)
    assert [(r.household.code, r.valid_from) for r in open_residences] == [("HM", date(2024, 5, 1))]
    open_members = back.get_model("registry", "HouseholdMembership").objects.filter(valid_to__isnull=True)
    assert [(m.household.code, m.relationship, m.valid_from) for m in open_members] == [
        ("HM", "Vợ", date(2024, 5, 1))
    ]
    _migrate(AFTER)
