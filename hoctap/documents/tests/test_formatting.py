from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoctap.documents.rendering import amount_in_words, format_number, format_place_date, number_in_words
from hoctap.documents.rendering.formatting import MAX_AMOUNT

_DIGITS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
_SCALES = {"nghìn": 1_000, "triệu": 1_000_000, "tỷ": 1_000_000_000}


def _parse(words: str) -> int:
    """An independent reader of Vietnamese numbers, used to check that ``number_in_words`` round-trips."""
    billions = below = group = digit = 0
    for word in words.split():
        if word in _DIGITS:
            digit = _DIGITS[word]
        elif word == "mười":
            group += 10
        elif word == "mươi":
            group, digit = group + digit * 10, 0
        elif word == "trăm":
            group, digit = group + digit * 100, 0
        elif word in ("nghìn", "triệu"):
            below, group, digit = below + (group + digit) * _SCALES[word], 0, 0
        elif word == "tỷ":
            billions, below, group, digit = (billions + below + group + digit) * _SCALES[word], 0, 0, 0
        elif word not in ("linh", "lẻ"):
            raise AssertionError(f"unexpected word {word!r}")
    return billions + below + group + digit


def test_number_line_pads_numbers_below_ten() -> None:
    assert format_number(5, "QĐ-UBND") == "Số: 05/QĐ-UBND"
    assert format_number(10, "QĐ-UBND") == "Số: 10/QĐ-UBND"
    assert format_number(1234, "TTr-HKH") == "Số: 1234/TTr-HKH"
    assert format_number(None, "QĐ-UBND").startswith("Số:") and format_number(None, "QĐ-UBND").endswith(
        "/QĐ-UBND"
    )
    with pytest.raises(ValueError):
        format_number(0, "QĐ-UBND")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), "Quảng Trị, ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "Quảng Trị, ngày 28 tháng 02 năm 2026"),
        (date(2026, 3, 9), "Quảng Trị, ngày 09 tháng 3 năm 2026"),
        (date(2023, 12, 11), "Quảng Trị, ngày 11 tháng 12 năm 2023"),
    ],
)
def test_place_date_follows_nd30(day: date, expected: str) -> None:
    assert format_place_date("Quảng Trị", day) == expected


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (11, "Mười một đồng"),
        (14, "Mười bốn đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (25, "Hai mươi lăm đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (1_005, "Một nghìn không trăm linh năm đồng"),
        (1_800_000, "Một triệu tám trăm nghìn đồng"),
        (2_340_000, "Hai triệu ba trăm bốn mươi nghìn đồng"),
        (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
        (1_500_000_000_000, "Một nghìn năm trăm tỷ đồng"),
    ],
)
def test_amount_in_words_examples(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


def test_amount_in_words_le_variant_and_range() -> None:
    assert amount_in_words(305, zero_tens="lẻ") == "Ba trăm lẻ năm đồng"
    with pytest.raises(ValueError):
        amount_in_words(-1)
    with pytest.raises(ValueError):
        amount_in_words(MAX_AMOUNT + 1)


@given(st.integers(min_value=0, max_value=MAX_AMOUNT))
def test_number_in_words_round_trips(value: int) -> None:
    words = number_in_words(value)
    assert _parse(words) == value
    assert unicodedata.is_normalized("NFC", words)
    # Usage rules: never "mươi một", "mười năm", "mươi năm", "mười mốt" or a bare "linh" at the end.
    for wrong in ("mươi một", "mười năm", "mươi năm", "mười mốt", "mười tư", "mươi bốn"):
        assert wrong not in words
    assert not words.endswith("linh")


@given(st.integers(min_value=0, max_value=999_999_999))
def test_amount_in_words_is_capitalised_and_ends_with_dong(value: int) -> None:
    text = amount_in_words(value)
    assert text[0].isupper() and text.endswith(" đồng")
    assert text[0].lower() + text[1:-5] == number_in_words(value)
