"""CCCD numbers: layout checks, masking and the demo generator (with hypothesis properties)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hoctap.registry.cccd import (
    PROVINCE_CODES,
    CccdInfo,
    Sex,
    decode_cccd,
    make_cccd,
    mask_cccd,
    validate_cccd,
)

provinces = st.sampled_from(sorted(PROVINCE_CODES))
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2399, 12, 31))
sexes: st.SearchStrategy[Sex] = st.sampled_from(("nam", "nu"))
serials = st.integers(min_value=0, max_value=999_999)


def test_province_table_has_the_63_pre_2025_provinces() -> None:
    assert len(PROVINCE_CODES) == 63
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCE_CODES)
    assert PROVINCE_CODES["044"] == "Quảng Bình"
    assert PROVINCE_CODES["045"] == "Quảng Trị"
    assert (min(PROVINCE_CODES), max(PROVINCE_CODES)) == ("001", "096")


def test_make_cccd_layout() -> None:
    number = make_cccd(province_code="044", birth_date=dt.date(1985, 9, 5), sex="nu", serial=123)

    assert number == "044185000123"
    assert (
        make_cccd(province_code="045", birth_date=dt.date(2003, 1, 1), sex="nam", serial=7) == "045203000007"
    )


def test_decode_gives_province_sex_and_full_birth_year() -> None:
    assert decode_cccd("045203000007") == CccdInfo("045", "Quảng Trị", "nam", 2003)
    assert decode_cccd("12345") is None


def test_valid_number_with_matching_person() -> None:
    assert validate_cccd(" 044185000123 ", birth_date=dt.date(1985, 9, 5), sex="nu") == []
    assert validate_cccd("044185000123") == []


@pytest.mark.parametrize(
    "value", ["", "04418500012", "0441850001234", "04418500012a", "０４４１８５０００１２３"]
)
def test_length_and_digits(value: str) -> None:
    problems = validate_cccd(value, birth_date=dt.date(1985, 9, 5), sex="nu")

    assert len(problems) == 1
    assert problems[0].startswith("Số CCCD phải gồm đúng 12 chữ số")


def test_unknown_province_code() -> None:
    assert validate_cccd("003185000123") == [
        "Mã tỉnh nơi đăng ký khai sinh “003” (3 chữ số đầu) không tồn tại."
    ]


def test_each_inconsistency_gets_its_own_message() -> None:
    problems = validate_cccd("097285000123", birth_date=dt.date(1986, 1, 1), sex="nu")

    assert problems == [
        "Mã tỉnh nơi đăng ký khai sinh “097” (3 chữ số đầu) không tồn tại.",
        "Chữ số thứ 4 (2) ứng với giới tính Nam, không khớp với giới tính Nữ.",
        "Chữ số thứ 4 (2) ứng với năm sinh từ 2000 đến 2099, không khớp với năm sinh 1986.",
        "Chữ số thứ 5-6 (85) phải là hai số cuối của năm sinh 1986.",
    ]


def test_mask_keeps_the_last_four_digits() -> None:
    assert mask_cccd("044185000123") == "********0123"
    assert mask_cccd("123") == "***"


def test_make_cccd_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="province code"):
        make_cccd(province_code="003", birth_date=dt.date(1985, 1, 1), sex="nam", serial=1)
    with pytest.raises(ValueError, match="serial"):
        make_cccd(province_code="044", birth_date=dt.date(1985, 1, 1), sex="nam", serial=1_000_000)
    with pytest.raises(ValueError, match="1900-2399"):
        make_cccd(province_code="044", birth_date=dt.date(1899, 12, 31), sex="nam", serial=1)


@given(province=provinces, birth_date=birth_dates, sex=sexes, serial=serials)
def test_made_numbers_validate_and_decode(province: str, birth_date: dt.date, sex: Sex, serial: int) -> None:
    number = make_cccd(province_code=province, birth_date=birth_date, sex=sex, serial=serial)

    assert validate_cccd(number, birth_date=birth_date, sex=sex) == []
    assert decode_cccd(number) == CccdInfo(province, PROVINCE_CODES[province], sex, birth_date.year)


@given(
    province=provinces,
    birth_date=birth_dates,
    sex=sexes,
    serial=serials,
    other=st.integers(min_value=0, max_value=9),
)
def test_any_change_of_the_sex_century_digit_is_caught(
    province: str, birth_date: dt.date, sex: Sex, serial: int, other: int
) -> None:
    number = make_cccd(province_code=province, birth_date=birth_date, sex=sex, serial=serial)
    assume(int(number[3]) != other)
    changed = number[:3] + str(other) + number[4:]

    problems = validate_cccd(changed, birth_date=birth_date, sex=sex)

    assert problems
    assert all(problem.startswith("Chữ số thứ 4") for problem in problems)
