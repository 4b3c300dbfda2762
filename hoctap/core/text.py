"""Text normalisation: NFC everywhere, and the diacritic-insensitive fold used by search."""

from __future__ import annotations

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value: str) -> str:
    """Return value in Unicode NFC with surrounding white space removed and inner runs collapsed."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def fold(value: str) -> str:
    """Lower-case, strip Vietnamese diacritics and đ, collapse spaces: "Đồng Hới" -> "dong hoi"."""
    decomposed = unicodedata.normalize("NFD", value.translate(_D_MAP).casefold())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.split())
