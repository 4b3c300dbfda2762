"""The province's own programme targets: never below the national value, scoped, audited, compare-and-set."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hoctap.core.errors import NotInScope, PermissionDeniedError, ServiceError
from hoctap.core.models import AuditEntry
from hoctap.criteria.models import ProvinceTarget
from hoctap.criteria.problems import problem_vi
from hoctap.criteria.services import province_target_set

pytestmark = pytest.mark.django_db
GDHT = "qd387-gia-dinh-hoc-tap"


def test_a_province_target_at_or_above_the_national_value_is_stored_and_audited(personas):
    # QĐ 387: 70% of families "Gia đình học tập" by 2025
    target = province_target_set(
        actor=personas.province_officer, unit=personas.province, target_code=GDHT, year=2025, value="72,5"
    )
    assert target.value == Decimal("72.50") and target.national_value == Decimal("70")
    entry = AuditEntry.objects.get(action="criteria.province_target.set")
    assert (
        entry.unit == personas.province and entry.data["value"] == "72.50" and entry.data["previous"] is None
    )
    updated = province_target_set(
        actor=personas.province_officer, unit=personas.province, target_code=GDHT, year=2025, value=75
    )
    assert updated.pk == target.pk and updated.value == Decimal("75.00")
    latest = AuditEntry.objects.filter(action="criteria.province_target.set").first()
    assert latest is not None and latest.data["previous"] == "72.50"


def test_a_province_target_below_the_national_value_is_refused(personas):
    with pytest.raises(ServiceError, match="không được thấp hơn chỉ tiêu quốc gia năm 2025"):
        province_target_set(
            actor=personas.province_officer, unit=personas.province, target_code=GDHT, year=2025, value=69.99
        )
    assert not ProvinceTarget.objects.exists()


@pytest.mark.parametrize(
    ("code", "year", "value", "message"),
    [
        ("khong-co", 2025, 80, "Không có chỉ tiêu"),
        (GDHT, 2031, 80, "2023–2030"),
        (GDHT, 2025, 101, "0–100%"),
        (GDHT, 2025, "abc", "một số"),
    ],
)
def test_bad_target_input_is_refused_in_vietnamese(personas, code, year, value, message):
    with pytest.raises(ServiceError, match=message):
        province_target_set(
            actor=personas.province_officer, unit=personas.province, target_code=code, year=year, value=value
        )


def test_targets_are_for_provinces_and_scoped(personas):
    with pytest.raises(ServiceError, match="cấp tỉnh"):
        province_target_set(
            actor=personas.province_officer, unit=personas.commune_a, target_code=GDHT, year=2025, value=80
        )
    with pytest.raises(PermissionDeniedError):
        province_target_set(
            actor=personas.readonly, unit=personas.province, target_code=GDHT, year=2025, value=80
        )
    with pytest.raises(NotInScope):
        province_target_set(
            actor=personas.outsider, unit=personas.province, target_code=GDHT, year=2025, value=80
        )


def test_schema_problems_read_in_vietnamese():
    assert problem_vi("set.code: is required") == "set.code: bắt buộc phải có"
    assert problem_vi("set.kind: must be one of a, b") == "set.kind: phải là một trong: a, b"
    assert (
        problem_vi("indicator 2.3: unknown level 'muc-9'")
        == "chỉ tiêu 2.3: mức không có trong levels: 'muc-9'"
    )
    assert problem_vi("set: something new") == "set: something new"
