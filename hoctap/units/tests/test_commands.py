import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict:
    out = StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_units_json_counts_under_a_province_on_a_date():
    data = run("units", "--as-of", "2024-12-31", "--under", "44")
    assert data["under"]["name"] == "Tỉnh Quảng Bình"
    assert data["counts_by_level"] == {"commune": 145, "district": 8}
    data = run("units", "--as-of", "2025-07-01", "--under", "44", "--level", "xa")
    assert data["count"] == 78
    assert data["counts_by_kind"] == {"dac_khu": 1, "phuong": 8, "xa": 69}
    assert {"code", "name", "level", "kind", "parent_code", "valid_from", "valid_to"} <= set(data["units"][0])


def test_units_json_country():
    assert run("units", "--as-of", "2025-06-30", "--level", "province")["count"] == 63
    data = run("units", "--as-of", "2025-07-01", "--level", "commune")
    assert data["count"] == 3321


def test_lineage_json_of_new_commune_and_of_split_commune():
    data = run("lineage", "18880", "--as-of", "2025-07-01")
    assert data["unit"]["name"] == "Phường Đồng Hới"
    assert len(data["predecessors"]) == 8
    assert {p["relation"] for p in data["predecessors"]} == {"merge"}
    from hoctap.units.models import UnitLineage

    split = UnitLineage.objects.filter(kind="split").select_related("predecessor").first()
    assert split is not None
    data = run("lineage", split.predecessor.code, "--as-of", "2025-01-01")
    assert len(data["successors"]) >= 2
    assert [s["is_default"] for s in data["successors"]].count(True) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("units", "--as-of", "31/12/2024"), "YYYY-MM-DD"),
        (("units", "--as-of", "2024-12-31", "--level", "thon"), "Cấp không hợp lệ"),
        (("units", "--as-of", "2024-12-31", "--under", "99"), "Không có đơn vị mã 99"),
        (("lineage", "99999", "--as-of", "2024-01-01"), "Không có đơn vị mã 99999"),
    ],
)
def test_bad_input_gives_a_clear_error(args: tuple[str, ...], message: str):
    with pytest.raises(CommandError, match=message):
        call_command(*args, stdout=StringIO())
