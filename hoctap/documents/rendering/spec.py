"""Plain, database-free descriptions of official documents and certificates.

Every string is normalised to Unicode NFC when a spec is built, so renderers, PDF text extraction and
tests all see one spelling of "Hòa" / "Hoà".
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

DocType = Literal["qd", "ttr", "bc", "bb", "kh", "tb"]
AuthorityPrefix = Literal["TM.", "KT.", "TL.", "TUQ.", ""]
Orientation = Literal["portrait", "landscape"]
Align = Literal["left", "center", "right"]
CertificateKind = Literal["giay_cong_nhan", "giay_khen", "bang_khen"]

DOC_TYPE_TITLES: dict[str, str] = {
    "qd": "QUYẾT ĐỊNH",
    "ttr": "TỜ TRÌNH",
    "bc": "BÁO CÁO",
    "bb": "BIÊN BẢN",
    "kh": "KẾ HOẠCH",
    "tb": "THÔNG BÁO",
}

CERTIFICATE_TITLES: dict[str, str] = {
    "giay_cong_nhan": "GIẤY CÔNG NHẬN",
    "giay_khen": "GIẤY KHEN",
    "bang_khen": "BẰNG KHEN",
}


def nfc(value: Any) -> Any:
    """Return ``value`` with every string inside (str, tuple, list) normalised to NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, tuple):
        return tuple(nfc(item) for item in value)
    if isinstance(value, list):
        return [nfc(item) for item in value]
    return value


class _Normalised:
    """Mixin for frozen dataclasses: NFC-normalise every field after construction."""

    def __post_init__(self) -> None:
        for spec_field in dataclasses.fields(self):  # type: ignore[arg-type]
            current = getattr(self, spec_field.name)
            normalised = nfc(current)
            if normalised is not current:
                object.__setattr__(self, spec_field.name, normalised)


@dataclass(frozen=True, kw_only=True)
class Paragraph(_Normalised):
    """One body paragraph; ``heading`` paragraphs are bold and not indented (e.g. "I. MỤC ĐÍCH")."""

    text: str
    heading: bool = False


@dataclass(frozen=True, kw_only=True)
class Article(_Normalised):
    """An article of a decision: rendered as "Điều N. <text>" with the label in bold."""

    text: str
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Column(_Normalised):
    title: str
    width_mm: float
    align: Align = "left"


@dataclass(frozen=True, kw_only=True)
class AttachedList(_Normalised):
    """The list attached to a document ("Danh sách … kèm theo Quyết định số …")."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    subtitle: str = ""
    orientation: Orientation = "portrait"

    def __post_init__(self) -> None:
        super().__post_init__()
        width = len(self.columns)
        for index, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"row {index} has {len(row)} cells, expected {width}")


@dataclass(frozen=True, kw_only=True)
class SignatureBlock(_Normalised):
    """Signature block: "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / space for the seal / signer's name."""

    signer_title: str
    signer_name: str
    authority_prefix: AuthorityPrefix = ""
    authority_line: str = ""
    seal_lines: int = 4

    @property
    def lines(self) -> tuple[str, ...]:
        head = f"{self.authority_prefix} {self.authority_line}".strip()
        if self.authority_prefix and head == self.authority_prefix:
            head = ""
        return tuple(line for line in (head, self.signer_title) if line)


@dataclass(frozen=True, kw_only=True)
class DocumentSpec(_Normalised):
    doc_type: DocType
    issuing_body: str
    symbol: str
    place: str
    summary: str
    signature: SignatureBlock
    parent_body: str = ""
    number: int | None = None
    issued_on: date | None = None
    title: str = ""
    addressees: tuple[str, ...] = ()
    authority_heading: str = ""
    basis: tuple[str, ...] = ()
    enacting_word: str = ""
    paragraphs: tuple[Paragraph, ...] = ()
    articles: tuple[Article, ...] = ()
    attachment: AttachedList | None = None
    co_signature: SignatureBlock | None = None
    recipients: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.doc_type not in DOC_TYPE_TITLES:
            raise ValueError(f"unknown document type {self.doc_type!r}")
        if not self.title:
            object.__setattr__(self, "title", DOC_TYPE_TITLES[self.doc_type])
        if self.number is not None and self.number < 1:
            raise ValueError("document number must be positive")


@dataclass(frozen=True, kw_only=True)
class CertificateSpec(_Normalised):
    """One certificate (giấy công nhận, giấy khen, bằng khen) with its verification QR code."""

    kind: CertificateKind
    holder_name: str
    title_awarded: str
    decision_number: str
    decision_date: date
    issuer: str
    signature: SignatureBlock
    place: str
    issued_on: date
    verify_url: str
    short_code: str
    holder_detail: str = ""
    authority_line: str = ""
    extra_lines: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kind not in CERTIFICATE_TITLES:
            raise ValueError(f"unknown certificate kind {self.kind!r}")

    @property
    def heading(self) -> str:
        return CERTIFICATE_TITLES[self.kind]

    @property
    def authority(self) -> str:
        """Who grants it, e.g. "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ PHONG NHA" (defaults from the issuer)."""
        return self.authority_line or f"CHỦ TỊCH {self.issuer}"
