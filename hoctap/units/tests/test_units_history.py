"""Units with history, from the vendored snapshot (loaded once per test database by conftest)."""

from datetime import date

import pytest

from hoctap.units.models import Level, UnitLineage, UnitVersion
from hoctap.units.selectors import (
    unit_map_to_date,
    unit_map_to_level,
    unit_predecessors,
    unit_resolve,
    unit_successors,
    units_valid_on,
)
from hoctap.units.services import units_load_snapshot

pytestmark = pytest.mark.django_db

BEFORE = date(2024, 12, 31)
AFTER = date(2025, 7, 1)


def test_quang_binh_before_reform_has_8_districts_and_145_communes():
    quang_binh = unit_resolve(code="44", on=BEFORE, level=Level.PROVINCE)
    assert quang_binh.name == "Tỉnh Quảng Bình"
    assert units_valid_on(on=BEFORE, under=quang_binh, level=Level.DISTRICT).count() == 8
    assert units_valid_on(on=BEFORE, under=quang_binh, level=Level.COMMUNE).count() == 145


def test_quang_tri_after_reform_has_78_communes_and_no_district():
    quang_tri = unit_resolve(code="44", on=AFTER, level=Level.PROVINCE)
    assert quang_tri.name == "Tỉnh Quảng Trị"
    communes = units_valid_on(on=AFTER, under=quang_tri, level=Level.COMMUNE)
    kinds = sorted(communes.values_list("kind", flat=True))
    assert (kinds.count("xa"), kinds.count("phuong"), kinds.count("dac_khu")) == (69, 8, 1)
    assert units_valid_on(on=AFTER, under=quang_tri, level=Level.DISTRICT).count() == 0


def test_country_counts_on_both_sides_of_the_reform():
    assert units_valid_on(on=date(2025, 6, 30), level=Level.PROVINCE).count() == 63
    assert units_valid_on(on=AFTER, level=Level.PROVINCE).count() == 34
    assert units_valid_on(on=AFTER, level=Level.COMMUNE).count() == 3321
    assert units_valid_on(on=AFTER, level=Level.DISTRICT).count() == 0


def test_reused_code_resolves_by_date():
    assert unit_resolve(code="18880", on=BEFORE).name == "Phường Đức Ninh Đông"
    assert unit_resolve(code="18880", on=AFTER).name == "Phường Đồng Hới"


def test_new_commune_lists_the_old_communes_merged_into_it():
    dong_hoi = unit_resolve(code="18880", on=AFTER)
    names = {row.unit.name for row in unit_predecessors(dong_hoi)}
    assert {"Phường Đồng Phú", "Phường Hải Thành", "Xã Bảo Ninh", "Phường Đức Ninh Đông"} <= names
    assert all(row.unit.valid_to == date(2025, 6, 30) for row in unit_predecessors(dong_hoi))


def test_split_commune_lists_all_successors_with_one_default():
    split = UnitLineage.objects.filter(kind="split").values_list("predecessor", flat=True).first()
    assert split is not None
    successors = unit_successors(UnitVersion.objects.get(pk=split))
    assert len(successors) >= 2
    assert sum(row.is_default for row in successors) == 1
    assert successors[0].is_default  # default first


def test_old_fact_maps_into_new_hierarchy_and_back():
    old = unit_resolve(code="18856", on=BEFORE)  # Phường Đồng Phú
    new = unit_map_to_date(unit=old, on=date(2026, 1, 1))
    assert new is not None and new.name == "Phường Đồng Hới"
    province = unit_map_to_level(unit=old, on=date(2026, 1, 1), level=Level.PROVINCE)
    district = unit_map_to_level(unit=old, on=BEFORE, level=Level.DISTRICT)
    assert province is not None and province.name == "Tỉnh Quảng Trị"
    assert district is not None and district.name == "Thành phố Đồng Hới"
    # A merged unit has no single past: a 2026 fact of Đồng Hới has no place in 2024's hierarchy.
    assert unit_map_to_date(unit=new, on=BEFORE) is None


def test_old_district_maps_to_new_province():
    district = unit_resolve(code="450", on=BEFORE, level=Level.DISTRICT)
    mapped = unit_map_to_date(unit=district, on=AFTER)
    assert mapped is not None and mapped.name == "Tỉnh Quảng Trị"


def test_search_ignores_diacritics():
    found = units_valid_on(on=BEFORE, search="dong hoi", level=Level.DISTRICT)
    assert [u.name for u in found] == ["Thành phố Đồng Hới"]


def test_reloading_the_snapshot_changes_nothing():
    before = UnitVersion.objects.count(), UnitLineage.objects.count()
    report = units_load_snapshot()
    assert (report.created, report.updated, report.lineage_created) == (0, 0, 0)
    assert (UnitVersion.objects.count(), UnitLineage.objects.count()) == before
