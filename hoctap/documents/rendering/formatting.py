"""Number, date and money formatting in the state document format (Nghị định 30/2020/NĐ-CP)."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Literal

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUP_UNITS = ("", "nghìn", "triệu")
_BILLION = 1_000_000_000
MAX_AMOUNT = 10**18 - 1


def format_number(number: int | None, symbol: str) -> str:
    """Return the "Số, ký hiệu" line: ``format_number(5, "QĐ-UBND") == "Số: 05/QĐ-UBND"``.

    ND30 Phụ lục I (research/domain.md §6): numbers below 10 take a leading zero. A missing number
    leaves room to write it by hand once the document is registered.
    """
    symbol = unicodedata.normalize("NFC", symbol.strip())
    if number is None:
        return f"Số:        /{symbol}"
    if number < 1:
        raise ValueError("document number must be positive")
    return f"Số: {number:02d}/{symbol}"


def _day_month(d: date) -> tuple[str, str]:
    # research/domain.md §6 (ND30 Phụ lục I, "Địa danh và thời gian"): days below 10 and the months
    # 1 and 2 are written with a leading zero; months 3-12 are written as they are.
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return day, month


def format_place_date(place: str, d: date | None) -> str:
    """``format_place_date("Quảng Trị", date(2026, 1, 5)) == "Quảng Trị, ngày 05 tháng 01 năm 2026"``."""
    place = unicodedata.normalize("NFC", place.strip())
    if d is None:
        text = "ngày      tháng      năm"
    else:
        day, month = _day_month(d)
        text = f"ngày {day} tháng {month} năm {d.year}"
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def format_short_date(d: date) -> str:
    """Short form used in references to a document: ``05/01/2026``."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _three_digits(value: int, *, leading: bool, zero_tens: str) -> list[str]:
    """Words for 0 < value < 1000; ``leading`` is False when a higher group was already read."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(zero_tens)
            words.append(_DIGITS[units])
        return words
    words += ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("một" if tens == 1 else "mốt")
    elif units == 4:
        words.append("bốn" if tens == 1 else "tư")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def _below_billion(value: int, *, leading: bool, zero_tens: str) -> list[str]:
    groups = [(value // 1_000_000) % 1000, (value // 1000) % 1000, value % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if not group:
            continue
        words += _three_digits(group, leading=leading and not words, zero_tens=zero_tens)
        unit = _GROUP_UNITS[2 - index]
        if unit:
            words.append(unit)
    return words


def number_in_words(value: int, *, zero_tens: Literal["linh", "lẻ"] = "linh") -> str:
    """Read a non-negative integer in Vietnamese, lower case ("một trăm linh năm")."""
    if value < 0 or value > MAX_AMOUNT:
        raise ValueError(f"amount out of range: {value}")
    if value == 0:
        return "không"
    words: list[str] = []
    billions, rest = divmod(value, _BILLION)
    if billions:
        words += [*number_in_words(billions, zero_tens=zero_tens).split(), "tỷ"]
    if rest:
        words += _below_billion(rest, leading=not words, zero_tens=zero_tens)
    return " ".join(words)


def amount_in_words(amount: int, *, zero_tens: Literal["linh", "lẻ"] = "linh") -> str:
    """Money in words: ``amount_in_words(1_800_000) == "Một triệu tám trăm nghìn đồng"``.

    Usage follows the common administrative reading: "mười" for 10-19 and "mươi" from 20, "mốt" for a
    final 1 after "mươi", "tư" for a final 4 after "mươi", "lăm" for a final 5 after a tens digit,
    "linh" (or "lẻ") for a zero tens digit, "không trăm" inside a number, and "tỷ" read recursively.
    """
    words = number_in_words(amount, zero_tens=zero_tens)
    return f"{words[0].upper()}{words[1:]} đồng"
