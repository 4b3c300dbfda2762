import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from hoctap.core.text import fold, nfc


def test_fold_strips_vietnamese_diacritics_and_d():
    assert fold("Đồng Hới") == "dong hoi"
    assert fold("Gia đình học tập") == "gia dinh hoc tap"
    assert fold("  ỦY BAN   NHÂN DÂN ") == "uy ban nhan dan"


def test_nfc_collapses_spaces_and_composes():
    decomposed = unicodedata.normalize("NFD", "Quảng Trị")
    assert nfc(f"  {decomposed}  \t") == "Quảng Trị"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


@given(st.text())
def test_fold_is_idempotent_and_form_independent(value: str) -> None:
    folded = fold(value)
    assert fold(folded) == folded
    assert fold(unicodedata.normalize("NFD", value)) == fold(unicodedata.normalize("NFC", value))
