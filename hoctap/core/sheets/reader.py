"""read_sheet: python-calamine read of the first sheet, header check, per-cell parsing and row checks."""

from __future__ import annotations

import gc
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import python_calamine

from .cells import CellParser, parser_for
from .spec import CellError, ParsedRow, SheetResult, SheetSpec, column_letter, header_key

RowValidator = Callable[[ParsedRow], list[CellError]]
RowsValidator = Callable[[list[ParsedRow]], list[CellError]]
Source = str | Path | bytes | BinaryIO

REQUIRED_MESSAGE = "bắt buộc phải nhập."


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Reading a 250,000-row sheet allocates millions of cells, dicts and rows and no reference cycles;
    left on, the collector rescans them over and over and doubles the time of parsing. Reference
    counting still frees everything as usual. Nesting and threads are safe: only the outermost
    caller that found it enabled turns it back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class SheetReadError(ValueError):
    """The file is not a readable Excel workbook (message in Vietnamese)."""


def load_first_sheet(source: Source) -> list[list[object]]:
    """All cells of the first sheet from A1, so list positions are Excel positions."""
    try:
        if isinstance(source, bytes):
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source))
        elif isinstance(source, str | Path):
            workbook = python_calamine.CalamineWorkbook.from_path(str(source))
        else:
            workbook = python_calamine.CalamineWorkbook.from_filelike(source)
        sheet = workbook.get_sheet_by_index(0)
        rows: list[list[object]] = sheet.to_python(skip_empty_area=False)  # type: ignore[assignment]
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise SheetReadError(f"Không đọc được tệp Excel ({exc}). Hãy lưu tệp dưới dạng .xlsx.") from exc
    return rows


def _header_error(spec: SheetSpec, header: list[object], row_number: int) -> CellError | None:
    """The first spec column whose header is missing or misspelled, if any.

    Optional trailing columns may be absent (blank header cells up to the end of the spec).
    """
    columns = spec.columns
    for index, column in enumerate(columns):
        found = header[index] if index < len(header) else ""
        if column.accepts_header(found):
            continue
        rest = header[index : len(columns)]
        absent = header_key(found) == "" and all(header_key(cell) == "" for cell in rest)
        if absent and not any(later.required for later in columns[index:]):
            return None
        letter = column_letter(index)
        shown = f'đang là "{found}"' if header_key(found) else "đang để trống"
        return CellError(
            row_number=row_number,
            column_header=column.header,
            column_letter=letter,
            value=found,
            message=(
                f'tiêu đề phải là "{column.header}" ({shown}). '
                "Hãy dùng đúng tệp mẫu và không chèn, xoá hay đổi tên cột."
            ),
        )
    return None


def _parse_rows(
    data: list[list[object]],
    start: int,
    spec: SheetSpec,
    parsers: Sequence[CellParser],
    result: SheetResult,
) -> set[int]:
    """Parse every non-blank row after the header; returns the row numbers with cell errors."""
    plan = [
        (index, column.key, parser, column.required, column.header, column_letter(index))
        for index, (column, parser) in enumerate(zip(spec.columns, parsers, strict=True))
    ]
    width = len(plan)
    rows_append = result.rows.append
    errors = result.errors
    originals = result.original_rows
    failed: set[int] = set()
    for row_number, raw in enumerate(data[start:], start=start + 1):
        if raw.count("") >= len(raw):
            continue
        cells = raw if len(raw) >= width else raw + [""] * (width - len(raw))
        values: dict[str, object] = {}
        row_errors: list[CellError] = []
        filled = 0
        for index, key, parse, required, header, letter in plan:
            value = cells[index]
            if type(value) is str and (not value or value.isspace()):
                values[key] = None
                if required:
                    row_errors.append(CellError(row_number, header, letter, value, REQUIRED_MESSAGE))
                continue
            filled += 1
            parsed, problem = parse(value)
            values[key] = parsed
            if problem is not None:
                row_errors.append(CellError(row_number, header, letter, value, problem))
        if not filled:
            continue
        rows_append(ParsedRow(row_number, values))
        originals[row_number] = raw
        if row_errors:
            errors.extend(row_errors)
            failed.add(row_number)
    return failed


def _duplicate_errors(rows: Sequence[ParsedRow], spec: SheetSpec, key: str) -> list[CellError]:
    index = spec.index_of(key)
    header, letter = spec.columns[index].header, column_letter(index)
    present = [(row.row_number, value) for row in rows if (value := row.values.get(key)) is not None]
    markers = [value.casefold() if isinstance(value, str) else value for _, value in present]
    if len(set(markers)) == len(markers):
        return []
    first_seen: dict[object, int] = {}
    problems: list[CellError] = []
    for (row_number, value), marker in zip(present, markers, strict=True):
        earlier = first_seen.setdefault(marker, row_number)
        if earlier != row_number:
            problems.append(CellError(row_number, header, letter, value, f"trùng với dòng {earlier}."))
    return problems


def _sort_key(error: CellError) -> tuple[int, int, str]:
    return error.row_number, len(error.column_letter), error.column_letter


def read_sheet(
    source: Source,
    spec: SheetSpec,
    *,
    row_validator: RowValidator | None = None,
    rows_validator: RowsValidator | None = None,
    unique_keys: Sequence[str] = (),
    choices_override: Mapping[str, Sequence[str]] | None = None,
) -> SheetResult:
    """Read and validate the first sheet of an .xlsx file (path, bytes or binary file object).

    The header is the first non-blank row and must hold the spec's headers in order; extra columns after
    them are ignored. Blank rows are skipped, row numbers are Excel's. All errors are collected:
    cell errors first, then ``row_validator`` (called only on rows whose cells all parsed), then
    duplicates of each ``unique_keys`` column, then ``rows_validator`` (whole-file checks).
    Raises SheetReadError if the file is not a readable workbook.
    """
    with paused_gc():
        return _read_sheet(source, spec, row_validator, rows_validator, unique_keys, choices_override)


def _read_sheet(
    source: Source,
    spec: SheetSpec,
    row_validator: RowValidator | None,
    rows_validator: RowsValidator | None,
    unique_keys: Sequence[str],
    choices_override: Mapping[str, Sequence[str]] | None,
) -> SheetResult:
    data = load_first_sheet(source)
    result = SheetResult(spec=spec)
    header_index = next((i for i, row in enumerate(data) if any(header_key(c) for c in row)), None)
    if header_index is None:
        result.errors.append(CellError(1, "", "", None, "tệp không có dữ liệu (không thấy dòng tiêu đề)."))
        return result
    result.header = list(data[header_index])
    result.header_row_number = header_index + 1
    problem = _header_error(spec, result.header, result.header_row_number)
    if problem is not None:
        result.errors.append(problem)
        return result
    overrides = choices_override or {}
    parsers = [parser_for(column, overrides.get(column.key)) for column in spec.columns]
    failed = _parse_rows(data, header_index + 1, spec, parsers, result)
    if row_validator is not None:
        for row in result.rows:
            if row.row_number not in failed:
                result.errors.extend(row_validator(row))
    for key in unique_keys:
        result.errors.extend(_duplicate_errors(result.rows, spec, key))
    if rows_validator is not None:
        result.errors.extend(rows_validator(result.rows))
    result.errors.sort(key=_sort_key)
    return result
