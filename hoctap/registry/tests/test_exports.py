"""The household list as Excel: the page's scope and filters, the import's columns, CCCD rules, audit."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
import python_calamine
from django.urls import reverse
from django.utils import timezone

from hoctap.core.models import AuditEntry
from hoctap.registry import services
from hoctap.registry.imports import import_run
from hoctap.registry.models import Household
from hoctap.registry.services import HouseholdData
from hoctap.registry.tests.import_helpers import HOUSEHOLD_HEADERS

pytestmark = pytest.mark.django_db

CCCD = "044085000123"


def _household(
    personas: Any, name: str, cccd: str | None, village: Any = None, since: date = date(2024, 1, 1)
) -> Household:
    return services.household_create(
        actor=personas.province_officer,
        village=village or personas.village_a,
        data=HouseholdData(
            head_name=name, head_cccd=cccd or "", head_birth_date=date(1985, 3, 4), head_sex="nam",
            member_count=4, address="Số 1 Lý Thường Kiệt",
        ),
        registered_on=since,
    )  # fmt: skip


def _rows_header() -> list[object]:
    from hoctap.registry.exports import HOUSEHOLD_HEADERS as EXPORT_HEADERS

    return list(EXPORT_HEADERS)


def _rows(response: Any) -> list[list[object]]:
    data = b"".join(response.streaming_content)
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return [list(row) for row in sheet.to_python()]


def test_export_has_the_import_columns_the_list_scope_and_full_numbers_for_officers(
    client: Any, personas: Any
) -> None:
    # given households in two communes
    _household(personas, "Nguyễn Văn Xuất", CCCD)
    _household(personas, "Lê Thị Khác", None, village=personas.village_b)
    # when the commune officer of Phường Đồng Hới downloads the list
    client.force_login(personas.commune_a_officer)
    response = client.get(reverse("registry:household_export"))
    # then it is an xlsx whose first columns are the import sheet's, with only their commune's households
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = _rows(response)
    assert rows[0][: len(HOUSEHOLD_HEADERS)] == HOUSEHOLD_HEADERS
    assert rows[0][-3:] == ["Xã, phường", "Tình trạng", "Ở thôn từ ngày"]
    assert len(rows) == 2
    village, name, cccd, born, sex, members, address, code, commune, status, since = rows[1][:11]
    assert (village, name, cccd, sex, members) == ("Tổ dân phố 1", "Nguyễn Văn Xuất", CCCD, "Nam", 4.0)
    assert born == date(1985, 3, 4) and since == date(2024, 1, 1)
    assert code == Household.objects.get(head_cccd=CCCD).code and commune == personas.commune_a.name
    assert status == "Đang cư trú" and address == "Số 1 Lý Thường Kiệt"
    # and the export, holding one full number, is audited
    entry = AuditEntry.objects.get(action="registry.households.exported")
    assert (
        entry.actor == personas.commune_a_officer and entry.data["rows"] == 1 and entry.data["full_cccd"] == 1
    )


def test_export_masks_numbers_for_roles_without_the_right_and_keeps_the_filters(
    client: Any, personas: Any
) -> None:
    _household(personas, "Nguyễn Văn Một", CCCD)
    _household(personas, "Trần Văn Hai", "044085000124")
    client.force_login(personas.village_head)
    rows = _rows(client.get(reverse("registry:household_export"), {"q": "tran van"}))
    assert [row[1] for row in rows[1:]] == ["Trần Văn Hai"]
    assert rows[1][2] == "********0124"
    assert AuditEntry.objects.get(action="registry.households.exported").data == {
        "filters": {"q": "tran van"}, "rows": 1, "full_cccd": 0,
    }  # fmt: skip


def test_export_as_of_a_past_day_gives_the_village_of_that_day(client: Any, personas: Any) -> None:
    from hoctap.units.models import Village, VillageParent

    other = Village.objects.create(name="Tổ dân phố 8", valid_from=date(2025, 7, 1))
    VillageParent.objects.create(village=other, commune=personas.commune_a, valid_from=date(2025, 7, 1))
    household = _household(personas, "Phan Văn Chuyển", None)
    services.household_move(
        actor=personas.province_officer, household=household, village=other, on=date(2025, 9, 1)
    )
    client.force_login(personas.commune_a_officer)
    then = _rows(client.get(reverse("registry:household_export"), {"ngay": "2025-08-01"}))
    now = _rows(client.get(reverse("registry:household_export")))
    assert then[1][0] == "Tổ dân phố 1" and now[1][0] == "Tổ dân phố 8"


def test_exported_file_imports_back_unchanged(client: Any, personas: Any) -> None:
    for n in range(3):
        _household(personas, f"Hộ Vòng {n}", f"04408500020{n}")
    client.force_login(personas.commune_a_officer)
    data = b"".join(client.get(reverse("registry:household_export")).streaming_content)
    batch = import_run(
        kind="households", data=data, file_name="xuat.xlsx", unit=personas.commune_a, on=timezone.localdate(),
        year=None, actor=personas.commune_a_officer,
    )  # fmt: skip
    assert batch.status == "applied", batch.counts
    assert (batch.counts["created"], batch.counts["updated"], batch.counts["unchanged"]) == (0, 0, 3)


def test_export_is_scoped_and_read_only(client: Any, personas: Any) -> None:
    _household(personas, "Nguyễn Văn Kín", CCCD)
    client.force_login(personas.outsider)  # a commune officer elsewhere: their own (empty) list
    assert _rows(client.get(reverse("registry:household_export"))) == [_rows_header()]
    client.force_login(personas.citizen)  # no registry scope at all
    assert client.get(reverse("registry:household_export")).status_code == 404
    client.force_login(personas.commune_a_officer)
    assert client.post(reverse("registry:household_export")).status_code == 405
    client.logout()
    assert client.get(reverse("registry:household_export")).status_code == 302


def test_large_export_is_built_in_the_background_for_its_creator_only(
    client: Any,
    personas: Any,
    settings: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Any,
) -> None:
    from hoctap.registry.models import ExportFile

    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr("hoctap.registry.views.SYNC_LIMIT_ROWS", 1)
    for n in range(3):
        _household(personas, f"Hộ Lớn {n}", f"04408500030{n}")
    client.force_login(personas.commune_a_officer)
    # when the list, larger than the limit, is exported (the task queue runs after the commit)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(reverse("registry:household_export"), {"q": "ho lon"})
    # then the user is sent to the export's page, which offers the file once the task has built it
    export = ExportFile.objects.get()
    assert len(callbacks) == 1 and response.status_code == 302
    assert response["Location"] == reverse("registry:export", args=[export.public_id])
    export.refresh_from_db()
    assert (export.status, export.rows, export.params) == ("done", 3, {"q": "ho lon"})
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in page and "export-download" in page
    rows = _rows(client.get(reverse("registry:export_download", args=[export.public_id])))
    assert sorted(str(row[1]) for row in rows[1:]) == ["Hộ Lớn 0", "Hộ Lớn 1", "Hộ Lớn 2"]
    assert AuditEntry.objects.get(action="registry.households.exported").data["rows"] == 3
    # and nobody else can see or download it
    client.force_login(personas.commune_b_officer)
    assert client.get(reverse("registry:export", args=[export.public_id])).status_code == 404
    assert client.get(reverse("registry:export_download", args=[export.public_id])).status_code == 404
