"""Declarative sheet specifications and the result types of a sheet read.

Pure Python: no Django import, so the import pipeline, the CLI and the benchmarks share it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

ColumnKind = Literal["text", "code", "int", "date", "choice", "decimal"]

KIND_LABELS: dict[str, str] = {
    "text": "Văn bản",
    "code": "Mã (định dạng Văn bản để giữ số 0 ở đầu)",
    "int": "Số nguyên",
    "date": "Ngày (dd/mm/yyyy)",
    "choice": "Chọn từ danh sách",
    "decimal": "Số (có thể có phần thập phân)",
}


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index: 0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def header_key(value: object) -> str:
    """Normalised form used to compare headers: NFC, trimmed, inner spaces collapsed, case-folded.

    A trailing "*" (a common "required" mark) is ignored.
    """
    text = " ".join(unicodedata.normalize("NFC", str(value)).split()).casefold()
    return text.rstrip("*").rstrip()


@dataclass(frozen=True)
class Column:
    """One column of an import sheet.

    ``length`` (code columns only) means the code is exactly that many digits, like a 12-digit CCCD.
    ``help`` is shown in the template's header comment and in the "Hướng dẫn" sheet.
    """

    header: str
    key: str
    kind: ColumnKind = "text"
    required: bool = False
    choices: Sequence[str] | None = None
    max_length: int | None = None
    aliases: tuple[str, ...] = ()
    length: int | None = None
    help: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KIND_LABELS:
            raise ValueError(f"Unknown column kind {self.kind!r} for {self.key!r}")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"Choice column {self.key!r} needs choices")
        if self.length is not None and self.kind != "code":
            raise ValueError(f"Only code columns take a length ({self.key!r})")

    def accepts_header(self, value: object) -> bool:
        wanted = {header_key(self.header), *(header_key(alias) for alias in self.aliases)}
        return header_key(value) in wanted


@dataclass(frozen=True)
class SheetSpec:
    """An import sheet: its kind (households, citizens…), title, columns and instructions."""

    kind: str
    title: str
    columns: Sequence[Column]
    instructions: Sequence[str] = ()

    def __post_init__(self) -> None:
        keys = [column.key for column in self.columns]
        if len(keys) != len(set(keys)):
            raise ValueError(f"Duplicate column keys in sheet spec {self.kind!r}")

    def index_of(self, key: str) -> int:
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise KeyError(key)

    def column(self, key: str) -> Column:
        return self.columns[self.index_of(key)]

    def cell_error(self, *, row_number: int, key: str, message: str, value: object = None) -> CellError:
        """A CellError for column ``key`` (for row validators written by callers)."""
        index = self.index_of(key)
        return CellError(
            row_number=row_number,
            column_header=self.columns[index].header,
            column_letter=column_letter(index),
            value=value,
            message=message,
        )


@dataclass(frozen=True)
class CellError:
    """One problem in the file. ``column_letter`` is "" for a whole-row problem."""

    row_number: int
    column_header: str
    column_letter: str
    value: object
    message: str

    @property
    def location(self) -> str:
        if self.column_letter:
            return f"cột {self.column_letter} ({self.column_header})"
        return ""

    def __str__(self) -> str:
        location = self.location
        if location:
            return f"Dòng {self.row_number}, {location}: {self.message}"
        return f"Dòng {self.row_number}: {self.message}"


@dataclass
class ParsedRow:
    """A non-blank data row: its Excel row number and the parsed values by column key.

    A cell that failed to parse (or is blank) has the value None.
    """

    row_number: int
    values: dict[str, object]


@dataclass
class SheetResult:
    """Everything a sheet read found: the parsed rows, all errors, and the raw rows for the report."""

    spec: SheetSpec
    header: list[object] = field(default_factory=list)
    header_row_number: int = 1
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    original_rows: dict[int, list[object]] = field(default_factory=dict)

    @property
    def header_ok(self) -> bool:
        return not any(error.row_number == self.header_row_number for error in self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_rows(self) -> int:
        return len(self.rows)

    def invalid_row_numbers(self) -> set[int]:
        return {error.row_number for error in self.errors}

    def valid_rows(self) -> Iterator[ParsedRow]:
        invalid = self.invalid_row_numbers()
        return (row for row in self.rows if row.row_number not in invalid)

    def errors_by_row(self) -> dict[int, list[CellError]]:
        grouped: dict[int, list[CellError]] = {}
        for error in self.errors:
            grouped.setdefault(error.row_number, []).append(error)
        return grouped
