"""Số Căn cước công dân (CCCD, now "số định danh cá nhân"): the 12-digit personal identity number.

Layout (Thông tư 07/2016/TT-BCA, kept by Thông tư 59/2021/TT-BCA):

- digits 1-3: code of the province where the birth was registered (the 63 pre-2025 provinces, below);
- digit 4: century of birth and sex: 0/1 = 20th century (1900-1999) male/female, 2/3 = 21st, 4/5 = 22nd,
  6/7 = 23rd, 8/9 = 24th;
- digits 5-6: the last two digits of the birth year;
- digits 7-12: a random serial.

The province codes are those of the 63 provinces before the 1/7/2025 merger. A number, once issued, keeps
the code of the birth place it was issued with, so old codes (044 Quảng Bình, 045 Quảng Trị…) stay valid
after the merger. Pure Python: no Django import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Sex = Literal["nam", "nu"]

CCCD_LENGTH = 12
FIRST_CENTURY_YEAR = 1900
LAST_CENTURY_YEAR = 2399

PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

SEX_LABELS: dict[str, str] = {"nam": "Nam", "nu": "Nữ"}


@dataclass(frozen=True)
class CccdInfo:
    """What a well-formed number says about its holder."""

    province_code: str
    province_name: str | None
    sex: Sex
    birth_year: int


def _century_index(year: int) -> int | None:
    if FIRST_CENTURY_YEAR <= year <= LAST_CENTURY_YEAR:
        return (year - FIRST_CENTURY_YEAR) // 100
    return None


def sex_century_digit(*, birth_year: int, sex: Sex) -> int:
    """Digit 4 for a birth year and sex; ValueError outside 1900-2399."""
    century = _century_index(birth_year)
    if century is None:
        raise ValueError(f"Birth year {birth_year} cannot be encoded in a CCCD (1900-2399 only)")
    return 2 * century + (1 if sex == "nu" else 0)


def _digit_meaning(digit: int) -> tuple[Sex, int]:
    """The sex and first birth year of the century that digit 4 encodes."""
    return ("nu" if digit % 2 else "nam"), FIRST_CENTURY_YEAR + 100 * (digit // 2)


def _clean(value: str) -> str:
    return value.strip()


def is_well_formed(value: str) -> bool:
    text = _clean(value)
    return len(text) == CCCD_LENGTH and text.isascii() and text.isdigit()


def decode_cccd(value: str) -> CccdInfo | None:
    """Province, sex and full birth year from a well-formed number; None if it is not 12 digits."""
    if not is_well_formed(value):
        return None
    text = _clean(value)
    sex, century_start = _digit_meaning(int(text[3]))
    return CccdInfo(
        province_code=text[:3],
        province_name=PROVINCE_CODES.get(text[:3]),
        sex=sex,
        birth_year=century_start + int(text[4:6]),
    )


def validate_cccd(value: str, *, birth_date: dt.date | None = None, sex: Sex | None = None) -> list[str]:
    """Vietnamese messages, one per problem; an empty list means the number is consistent.

    Checks: 12 digits; a known province code; digit 4 against ``sex`` and against the century of
    ``birth_date``; digits 5-6 against the birth year.
    """
    text = _clean(value)
    if not is_well_formed(text):
        return [f"Số CCCD phải gồm đúng {CCCD_LENGTH} chữ số (đang là “{text}”)."]
    problems: list[str] = []
    province = text[:3]
    if province not in PROVINCE_CODES:
        problems.append(f"Mã tỉnh nơi đăng ký khai sinh “{province}” (3 chữ số đầu) không tồn tại.")
    digit = int(text[3])
    coded_sex, century_start = _digit_meaning(digit)
    if sex is not None and coded_sex != sex:
        problems.append(
            f"Chữ số thứ 4 ({digit}) ứng với giới tính {SEX_LABELS[coded_sex]}, "
            f"không khớp với giới tính {SEX_LABELS[sex]}."
        )
    if birth_date is not None:
        year = birth_date.year
        if not century_start <= year < century_start + 100:
            problems.append(
                f"Chữ số thứ 4 ({digit}) ứng với năm sinh từ {century_start} đến {century_start + 99}, "
                f"không khớp với năm sinh {year}."
            )
        if text[4:6] != f"{year % 100:02d}":
            problems.append(f"Chữ số thứ 5-6 ({text[4:6]}) phải là hai số cuối của năm sinh {year}.")
    return problems


def mask_cccd(value: str) -> str:
    """Hide all but the last four characters: "044085000123" -> "********0123"."""
    text = _clean(value)
    if len(text) <= 4:
        return "*" * len(text)
    return "*" * (len(text) - 4) + text[-4:]


def make_cccd(*, province_code: str, birth_date: dt.date, sex: Sex, serial: int) -> str:
    """A consistent number for demo data: province + sex/century digit + year digits + 6-digit serial."""
    if province_code not in PROVINCE_CODES:
        raise ValueError(f"Unknown CCCD province code {province_code!r}")
    if not 0 <= serial <= 999_999:
        raise ValueError(f"CCCD serial must be within 0..999999, got {serial}")
    digit = sex_century_digit(birth_year=birth_date.year, sex=sex)
    return f"{province_code}{digit}{birth_date.year % 100:02d}{serial:06d}"
