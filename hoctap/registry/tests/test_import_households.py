"""Household import: all-or-nothing, idempotent, Excel quirks, scoping."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from hoctap.core.errors import NotInScope, PermissionDeniedError
from hoctap.core.models import AuditEntry
from hoctap.registry import services
from hoctap.registry.imports import import_run, report_file
from hoctap.registry.models import Household, HouseholdResidence, ImportBatch
from hoctap.registry.tests.import_helpers import (
    HOUSEHOLD_HEADERS,
    Formula,
    household_row,
    households_file,
    xlsx,
)
from hoctap.units.models import Village, VillageParent
from hoctap.units.services import REFORM_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def run(
    personas: Any, data: bytes, *, actor: Any = None, dry_run: bool = False, unit: Any = None
) -> ImportBatch:
    return import_run(
        kind="households", data=data, file_name="ho.xlsx", unit=unit or personas.commune_a,
        on=timezone.localdate(), year=None, actor=actor or personas.commune_a_officer, dry_run=dry_run,
    )  # fmt: skip


def test_valid_file_creates_households_with_residences_batch_and_audit(personas: Any) -> None:
    # given a valid file of 20 households of Tổ dân phố 1
    data = households_file(20)
    # when the commune officer imports it
    batch = run(personas, data)
    # then everything is stored once, linked to the batch, with one audit entry
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.counts["created"] == 20 and batch.counts["errors"] == 0
    households = Household.objects.filter(import_batch=batch)
    assert households.count() == 20
    first = households.get(head_name="Nguyễn Văn 1")
    assert first.head_name_search == "nguyen van 1" and len(first.code) == 10 and first.public_id
    assert first.village == personas.village_a and first.head_sex == "nam"
    assert first.village_since == timezone.localdate()  # the current residence is on the row (ADR 0006)
    assert not HouseholdResidence.objects.filter(household__import_batch=batch).exists()
    assert AuditEntry.objects.filter(action="registry.import.applied", object_id=batch.public_id).count() == 1


def test_same_file_twice_changes_nothing_the_second_time(personas: Any) -> None:
    # given a file already imported
    data = households_file(15)
    run(personas, data)
    before = list(Household.objects.order_by("pk").values())
    # when it is imported again
    second = run(personas, data)
    # then nothing is created or updated
    assert second.counts["created"] == 0 and second.counts["updated"] == 0
    assert second.counts["unchanged"] == 15
    assert list(Household.objects.order_by("pk").values()) == before


def test_changed_row_updates_by_head_cccd(personas: Any) -> None:
    # given an imported household
    run(personas, households_file(3))
    rows = [household_row(n) for n in range(1, 4)]
    rows[1][5] = 9  # member count changes
    # when the corrected file is imported
    batch = run(personas, xlsx(HOUSEHOLD_HEADERS, rows))
    # then one household is updated, the others unchanged
    assert (batch.counts["created"], batch.counts["updated"], batch.counts["unchanged"]) == (0, 1, 2)
    assert Household.objects.get(head_cccd=rows[1][2]).member_count == 9


def test_one_bad_row_among_ten_thousand_writes_nothing(personas: Any) -> None:
    # given 10,000 rows, one of which has a CCCD that contradicts the sex
    rows = [household_row(n) for n in range(1, 10_001)]
    rows[6_000][4] = "Nữ"  # Excel row 6002
    # when it is imported
    batch = run(personas, xlsx(HOUSEHOLD_HEADERS, rows))
    # then nothing is written and the report names the row and the column in Vietnamese
    assert batch.status == ImportBatch.Status.REJECTED
    assert Household.objects.count() == 0
    assert batch.counts["errors"] == 1 and batch.counts["rows"] == 10_000
    report = json.loads(report_file(batch, ".json").read_text("utf-8"))  # type: ignore[union-attr]
    error = report["errors"][0]
    assert error["row"] == 6002 and error["column"] == "C"
    assert error["text"].startswith("Dòng 6002, cột C (Số CCCD chủ hộ): ")
    assert "giới tính" in error["message"]
    assert report_file(batch).name.endswith(".xlsx")  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action="registry.import.rejected").count() == 1


def test_excel_float_cccd_text_and_real_dates_formulas_and_blank_rows(personas: Any) -> None:
    # given lower-case unaccented village names, text and real dates, a formula
    # for the member count and blank rows in between
    born = dt.date(1990, 5, 17)
    rows: list[list[object]] = [
        ["tổ dân phố 1", "  Trần   Thị Hoa ", "044190000001", "17/05/1990", "nữ", Formula("=2+1", "3"), ""],
        [None] * 7,
        ["TO DAN PHO 1", "Lê Văn Bình", "044090000002", born, "Nam", 2.0, None],
    ]
    data = xlsx(HOUSEHOLD_HEADERS, rows)
    # when imported
    batch = run(personas, data)
    # then both households are stored with NFC, trimmed values and the right dates
    assert batch.status == ImportBatch.Status.APPLIED, batch.counts
    hoa = Household.objects.get(head_cccd="044190000001")
    assert hoa.head_name == "Trần Thị Hoa" and hoa.head_birth_date == born and hoa.member_count == 3
    assert hoa.village == personas.village_a
    assert Household.objects.get(head_cccd="044090000002").member_count == 2


def test_cccd_stored_as_number_lost_its_leading_zero(personas: Any) -> None:
    # given a CCCD that Excel stored as the number 44085000123 (leading zero lost)
    row = household_row(1)
    row[2] = float(str(row[2]))
    batch = run(personas, xlsx(HOUSEHOLD_HEADERS, [row]))
    # then the row is refused with the Vietnamese hint
    assert batch.status == ImportBatch.Status.REJECTED
    report = json.loads(report_file(batch, ".json").read_text("utf-8"))  # type: ignore[union-attr]
    assert "số 0 ở đầu" in report["errors"][0]["message"]


def test_wrong_headers_are_refused(personas: Any) -> None:
    headers = list(HOUSEHOLD_HEADERS)
    headers[1] = "Tên chủ hộ"
    batch = run(personas, xlsx(headers, [household_row(1)]))
    assert batch.status == ImportBatch.Status.REJECTED
    report = json.loads(report_file(batch, ".json").read_text("utf-8"))  # type: ignore[union-attr]
    assert 'tiêu đề phải là "Họ và tên chủ hộ"' in report["errors"][0]["message"]


def test_unknown_village_duplicates_and_member_count(personas: Any) -> None:
    rows = [household_row(1, "Thôn không có"), household_row(2), household_row(2), household_row(3)]
    rows[3][5] = 0
    batch = run(personas, xlsx(HOUSEHOLD_HEADERS, rows))
    report = json.loads(report_file(batch, ".json").read_text("utf-8"))  # type: ignore[union-attr]
    texts = [e["text"] for e in report["errors"]]
    assert any(t.startswith("Dòng 2, cột A") and "Phường Đồng Hới" in t for t in texts)
    assert any(t.startswith("Dòng 4, cột C") and "trùng với dòng 3" in t for t in texts)
    assert any(t.startswith("Dòng 5, cột F") for t in texts)
    assert Household.objects.count() == 0


def test_cccd_of_a_household_in_another_commune_is_refused(personas: Any) -> None:
    # given a household of Xã Phong Nha imported by its officer
    run(
        personas,
        households_file(1, "Thôn Phong Nha 2"),
        actor=personas.commune_b_officer,
        unit=personas.commune_b,
    )
    # when Đồng Hới imports the same head CCCD
    batch = run(personas, households_file(1))
    # then it is refused, nothing moves
    assert batch.status == ImportBatch.Status.REJECTED
    assert Household.objects.get().village == personas.village_b


def test_dry_run_counts_but_writes_nothing(personas: Any) -> None:
    batch = run(personas, households_file(5), dry_run=True)
    assert batch.status == ImportBatch.Status.DRY_RUN and batch.counts["created"] == 5
    assert Household.objects.count() == 0


def test_permission_is_checked_on_the_unit(personas: Any) -> None:
    data = households_file(1)
    with pytest.raises(NotInScope):
        run(personas, data, actor=personas.outsider)
    with pytest.raises(PermissionDeniedError):
        run(personas, data, actor=personas.readonly)
    with pytest.raises(PermissionDeniedError):
        import_run(kind="households", data=data, file_name="x.xlsx", unit=personas.commune_a,
                   on=timezone.localdate(), year=None, actor=None)  # fmt: skip
    assert ImportBatch.objects.count() == 0


def test_duplicate_in_a_later_chunk_is_reported_not_written(personas: Any) -> None:
    # given 6,000 rows (more than one chunk of the one-pass import) whose last row repeats row 11's CCCD
    rows = [household_row(n) for n in range(1, 6_001)]
    rows[-1] = list(rows[9])  # Excel row 6001 repeats Excel row 11
    # when it is imported
    batch = run(personas, xlsx(HOUSEHOLD_HEADERS, rows))
    # then the duplicate is the only error (the first chunk was written, then rolled back)
    assert batch.status == ImportBatch.Status.REJECTED
    report = json.loads(report_file(batch, ".json").read_text("utf-8"))  # type: ignore[union-attr]
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(6001, "C")]
    assert "trùng với dòng 11" in report["errors"][0]["message"]
    assert Household.objects.count() == 0 and HouseholdResidence.objects.count() == 0


def test_database_checks_are_reported_only_for_a_file_without_errors(personas: Any) -> None:
    # given a household of Xã Phong Nha
    other = households_file(1, "Thôn Phong Nha 2")
    run(personas, other, actor=personas.commune_b_officer, unit=personas.commune_b)
    # when Đồng Hới imports its head CCCD (a database error) in a file that also has a cell error
    rows = [household_row(1), household_row(2)]
    rows[1][5] = 0
    batch = run(personas, xlsx(HOUSEHOLD_HEADERS, rows))
    # then only the file's own error is reported, as before the database is consulted
    report = json.loads(report_file(batch, ".json").read_text("utf-8"))  # type: ignore[union-attr]
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, "F")]
    # and once that is fixed, the database error is reported
    rows[1][5] = 2
    batch = run(personas, xlsx(HOUSEHOLD_HEADERS, rows))
    report = json.loads(report_file(batch, ".json").read_text("utf-8"))  # type: ignore[union-attr]
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(2, "C")]
    assert Household.objects.count() == 1


def _second_village(personas: Any) -> Village:
    village = Village.objects.create(name="Tổ dân phố 2", valid_from=REFORM_DAY)
    VillageParent.objects.create(village=village, commune=personas.commune_a, valid_from=REFORM_DAY)
    return village


def test_moved_household_keeps_its_earlier_village_as_history(personas: Any) -> None:
    # given two households living in Tổ dân phố 1 since 1/8/2025, and a second village of the commune
    run(personas, households_file(2))
    Household.objects.update(village_since=dt.date(2025, 8, 1))
    second = _second_village(personas)
    rows = [household_row(n) for n in (1, 2)]
    rows[0][0] = "Tổ dân phố 2"
    # when a file puts the first household in Tổ dân phố 2
    batch = run(personas, xlsx(HOUSEHOLD_HEADERS, rows))
    # then it lives there from the import day and its time in Tổ dân phố 1 is history ending the day before
    today = timezone.localdate()
    assert (batch.counts["updated"], batch.counts["unchanged"]) == (1, 1)
    moved = Household.objects.get(head_cccd=rows[0][2])
    assert moved.village == second and moved.village_since == today
    earlier = HouseholdResidence.objects.get(household=moved)
    assert earlier.village == personas.village_a and earlier.valid_from == dt.date(2025, 8, 1)
    assert earlier.valid_to == today - dt.timedelta(days=1)
    assert Household.objects.get(head_cccd=rows[1][2]).village_since == dt.date(2025, 8, 1)
    # and the same file again changes nothing
    again = run(personas, xlsx(HOUSEHOLD_HEADERS, rows))
    assert again.counts["unchanged"] == 2 and HouseholdResidence.objects.count() == 1


def test_move_on_the_day_the_residence_began_leaves_no_history(personas: Any) -> None:
    # given a household imported today
    run(personas, households_file(1))
    second = _second_village(personas)
    row = household_row(1)
    row[0] = "Tổ dân phố 2"
    # when a corrected file puts it in another village the same day
    run(personas, xlsx(HOUSEHOLD_HEADERS, [row]))
    # then the village is corrected and no zero-day period is recorded
    household = Household.objects.get()
    assert household.village == second and household.village_since == timezone.localdate()
    assert not HouseholdResidence.objects.exists()


def test_file_changing_the_village_of_a_household_that_left_adds_no_period(personas: Any) -> None:
    # given a household that moved away on 1/9/2025 (its time in Tổ dân phố 1 is already history)
    run(personas, households_file(1))
    household = Household.objects.get()
    Household.objects.filter(pk=household.pk).update(village_since=dt.date(2025, 8, 1))
    household.refresh_from_db()
    services.household_set_status(
        actor=personas.commune_a_officer, household=household, status="moved", on=dt.date(2025, 9, 1)
    )
    second = _second_village(personas)
    row = household_row(1)
    row[0] = "Tổ dân phố 2"
    # when a file names another village for it
    batch = run(personas, xlsx(HOUSEHOLD_HEADERS, [row]))
    # then the record is corrected without a second, overlapping period
    assert batch.status == ImportBatch.Status.APPLIED and batch.counts["updated"] == 1
    household.refresh_from_db()
    assert household.village == second and household.village_since == dt.date(2025, 8, 1)
    ended = HouseholdResidence.objects.get(household=household)
    assert (ended.village, ended.valid_from, ended.valid_to) == (
        personas.village_a, dt.date(2025, 8, 1), dt.date(2025, 9, 1)
    )  # fmt: skip
