"""Citizens, clans and villages imports: keys, idempotency and errors; the CLI contract."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from hoctap.registry.imports import IMPORTERS, Importer, import_run, register_importer
from hoctap.registry.models import Citizen, Clan, ClanMembership, Household, HouseholdMembership, ImportBatch
from hoctap.registry.tests.import_helpers import household_row, households_file, xlsx
from hoctap.units.models import Village, VillageParent

pytestmark = pytest.mark.django_db
CITIZEN_HEADERS = [
    "Số CCCD chủ hộ",
    "Họ và tên",
    "Số CCCD",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Quan hệ với chủ hộ",
]
CLAN_HEADERS = ["Tên dòng họ", "Chi, nhánh", "Người đại diện", "Số CCCD chủ hộ thành viên"]
VILLAGE_HEADERS = ["Tên thôn/tổ dân phố", "Loại", "Ngày thành lập"]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def run(personas: Any, kind: str, data: bytes, **extra: Any) -> ImportBatch:
    return import_run(
        kind=kind, data=data, file_name="f.xlsx", unit=personas.commune_a, on=timezone.localdate(),
        year=None, actor=personas.commune_a_officer, **extra,
    )  # fmt: skip


def test_citizens_by_head_cccd_or_code_twice_is_idempotent(personas: Any) -> None:
    # given two households
    run(personas, "households", households_file(2))
    head1, head2 = (household_row(n)[2] for n in (1, 2))
    code2 = Household.objects.get(head_cccd=head2).code
    rows = [
        [head1, "Nguyễn Văn 1", head1, household_row(1)[3], "Nam", "Kinh", "Chủ hộ"],
        [head1, "Nguyễn Thị Bé", None, dt.date(2018, 3, 1), "Nữ", None, "Con"],
        [code2.lower(), "Trần Thị Cúc", "044195000777", dt.date(1995, 2, 2), "Nữ", "Bru-Vân Kiều", "Vợ"],
    ]
    data = xlsx(CITIZEN_HEADERS, rows)
    # when imported twice
    first, second = run(personas, "citizens", data), run(personas, "citizens", data)
    # then three citizens with memberships, and nothing the second time
    assert first.counts["created"] == 3, first.counts
    assert (second.counts["created"], second.counts["updated"], second.counts["unchanged"]) == (0, 0, 3)
    bé = Citizen.objects.get(full_name="Nguyễn Thị Bé")
    assert bé.cccd is None and bé.ethnicity == "Kinh" and bé.name_search == "nguyen thi be"
    assert bé.household_since == timezone.localdate()  # the current membership is on the row (ADR 0006)
    assert not HouseholdMembership.objects.filter(citizen=bé).exists()
    household = Citizen.objects.get(cccd="044195000777").household
    assert household is not None and household.code == code2


def test_citizen_moved_to_another_household_keeps_the_earlier_one_as_history(personas: Any) -> None:
    # given a citizen of household 1 since 1/9/2025, as "Con"
    run(personas, "households", households_file(2))
    head1, head2 = (household_row(n)[2] for n in (1, 2))
    row = [head1, "Trần Thị Cúc", "044195000777", dt.date(1995, 2, 2), "Nữ", "Kinh", "Con"]
    run(personas, "citizens", xlsx(CITIZEN_HEADERS, [row]))
    Citizen.objects.update(household_since=dt.date(2025, 9, 1))
    # when a file puts her in household 2 as "Vợ"
    row[0], row[6] = head2, "Vợ"
    batch = run(personas, "citizens", xlsx(CITIZEN_HEADERS, [row]))
    # then she belongs to household 2 from the import day, and her time in household 1 is history
    today = timezone.localdate()
    assert batch.counts["updated"] == 1
    cuc = Citizen.objects.select_related("household").get(cccd="044195000777")
    assert cuc.household is not None and cuc.household.head_cccd == head2
    assert (cuc.relationship, cuc.household_since) == ("Vợ", today)
    earlier = HouseholdMembership.objects.select_related("household").get(citizen=cuc)
    assert earlier.household.head_cccd == head1 and earlier.relationship == "Con"
    assert (earlier.valid_from, earlier.valid_to) == (dt.date(2025, 9, 1), today - dt.timedelta(days=1))


def test_citizen_of_unknown_household_is_refused(personas: Any) -> None:
    rows = [["044085999999", "Lê Văn A", None, dt.date(2000, 1, 1), "Nam", "Kinh", "Con"]]
    batch = run(personas, "citizens", xlsx(CITIZEN_HEADERS, rows))
    assert batch.status == ImportBatch.Status.REJECTED and Citizen.objects.count() == 0


def test_clans_one_row_per_member_household(personas: Any) -> None:
    run(personas, "households", households_file(3))
    heads = [household_row(n)[2] for n in (1, 2, 3)]
    rows: list[list[object]] = [
        ["Họ Nguyễn", "Chi 2", "Nguyễn Văn 1", heads[0]],
        ["Họ Nguyễn", "Chi 2", None, f"{heads[1]}, {heads[2]}"],
    ]
    first = run(personas, "clans", xlsx(CLAN_HEADERS, rows))
    second = run(personas, "clans", xlsx(CLAN_HEADERS, rows))
    assert first.counts["created"] == 1 and second.counts["unchanged"] == 1 and second.counts["updated"] == 0
    clan = Clan.objects.get()
    assert clan.representative == "Nguyễn Văn 1" and clan.commune == personas.commune_a
    assert ClanMembership.objects.filter(clan=clan).count() == 3


def test_clan_conflicting_representative_is_refused(personas: Any) -> None:
    rows: list[list[object]] = [["Họ Lê", "", "Lê Văn A", None], ["Họ Lê", "", "Lê Văn B", None]]
    batch = run(personas, "clans", xlsx(CLAN_HEADERS, rows))
    assert batch.status == ImportBatch.Status.REJECTED and Clan.objects.count() == 0


def test_villages_by_folded_name(personas: Any) -> None:
    rows: list[list[object]] = [["Thôn Tân Lập", "Thôn", "01/01/2026"], ["to dan pho 1", "Tổ dân phố", None]]
    batch = run(personas, "villages", xlsx(VILLAGE_HEADERS, rows))
    assert (batch.counts["created"], batch.counts["updated"]) == (1, 1), batch.counts
    village = Village.objects.get(name="Thôn Tân Lập")
    assert VillageParent.objects.get(village=village).commune == personas.commune_a
    assert run(personas, "villages", xlsx(VILLAGE_HEADERS, rows)).counts["unchanged"] == 2


def test_another_app_can_register_a_kind(personas: Any) -> None:
    class Dummy(Importer):
        kind, label = "recognitions-test", "Thử"

    register_importer(Dummy())
    try:
        assert "recognitions-test" in IMPORTERS
    finally:
        IMPORTERS.pop("recognitions-test")


def cli(*args: str) -> tuple[dict[str, Any], int]:
    out = StringIO()
    try:
        call_command("import", *args, "--json", stdout=out)
        code = 0
    except CommandError as exc:
        code = exc.returncode
    return json.loads(out.getvalue()), code


def test_cli_json_exit_codes_and_dry_run(personas: Any, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(households_file(4))
    row = household_row(9)
    row[3] = "31/02/1980"
    bad.write_bytes(xlsx(["Thôn/Tổ dân phố", "Họ và tên chủ hộ", "Số CCCD chủ hộ", "Ngày sinh chủ hộ",
                          "Giới tính chủ hộ", "Số nhân khẩu", "Địa chỉ"], [row]))  # fmt: skip
    dry, code = cli("households", str(good), "--unit", "18880", "--dry-run")
    assert code == 0 and dry["counts"]["created"] == 4 and Household.objects.count() == 0
    applied, code = cli("households", str(good), "--unit", "18880")
    assert code == 0 and applied["counts"] == {
        "rows_read": 4,
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "errors": 0,
    }
    assert (
        applied["batch"] == ImportBatch.objects.get(status="applied").public_id and applied["report"] is None
    )
    again, _ = cli("households", str(good), "--unit", "18880")
    assert again["counts"]["created"] == 0 and again["counts"]["updated"] == 0
    rejected, code = cli("households", str(bad), "--unit", "18880")
    assert code != 0 and rejected["counts"]["errors"] == 1 and Path(rejected["report"]).is_file()
    assert "31/02/1980 không tồn tại" in Path(rejected["report_json"]).read_text("utf-8")
    with pytest.raises(CommandError):
        call_command("import", "households", str(good), "--unit", "99999")


def test_cli_year_before_the_reform_uses_the_old_communes(personas: Any, tmp_path: Path) -> None:
    from hoctap.registry.imports import import_commune_resolve

    old, on = import_commune_resolve(code="19138", year=2024)
    assert on == dt.date(2024, 12, 31) and old.valid_to is not None
    new, today = import_commune_resolve(code="19138")
    assert new == personas.commune_b and today == timezone.localdate()


def test_template_command(tmp_path: Path, personas: Any) -> None:
    import python_calamine

    out = tmp_path / "mau.xlsx"
    call_command("template", "citizens", "--out", str(out), stdout=StringIO())
    header = python_calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()[0]
    assert header[1:4] == ["Họ và tên", "Số CCCD", "Ngày sinh"]
    call_command("template", "households", "--out", str(out), "--unit", "18880", stdout=StringIO())
    lists = python_calamine.CalamineWorkbook.from_path(str(out)).sheet_names
    assert "Hướng dẫn" in lists
