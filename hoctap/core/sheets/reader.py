"""read_sheet: python-calamine read of the first sheet, header check, per-cell parsing and row checks."""

from __future__ import annotations

import gc
import io
import itertools
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

    On the way out, the objects made meanwhile are moved to the oldest generation (freeze, then
    unfreeze) before the collector resumes: left in the youngest, the first collection after would
    walk all of them at once (0.2 s after a 250,000-row import).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
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


def _row_plan(
    spec: SheetSpec, parsers: Sequence[CellParser]
) -> list[tuple[int, str, CellParser, bool, str, str]]:
    return [
        (index, column.key, parser, column.required, column.header, column_letter(index))
        for index, (column, parser) in enumerate(zip(spec.columns, parsers, strict=True))
    ]


def _parse_rows(
    data: Sequence[list[object]],
    first_row_number: int,
    plan: Sequence[tuple[int, str, CellParser, bool, str, str]],
    result: SheetResult,
) -> tuple[list[ParsedRow], set[int]]:
    """Parse the non-blank rows of ``data`` (Excel row numbers from ``first_row_number``) into ``result``;
    returns the new rows and the row numbers with cell errors."""
    width = len(plan)
    parsed_rows: list[ParsedRow] = []
    rows_append = parsed_rows.append
    errors = result.errors
    originals = result.original_rows
    failed: set[int] = set()
    for row_number, raw in enumerate(data, start=first_row_number):
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
    result.rows.extend(parsed_rows)
    return parsed_rows, failed


class _Duplicates:
    """Later occurrences of a value already seen in a unique column ("trùng với dòng N"), row by row."""

    def __init__(self, spec: SheetSpec, key: str) -> None:
        index = spec.index_of(key)
        self.key, self.header, self.letter = key, spec.columns[index].header, column_letter(index)
        self.first_seen: dict[object, int] = {}

    def errors(self, rows: Sequence[ParsedRow]) -> list[CellError]:
        key, first_seen = self.key, self.first_seen
        problems: list[CellError] = []
        for row in rows:
            value = row.values.get(key)
            if value is None:
                continue
            marker = value.casefold() if isinstance(value, str) else value
            earlier = first_seen.setdefault(marker, row.row_number)
            if earlier != row.row_number:
                message = f"trùng với dòng {earlier}."
                problems.append(CellError(row.row_number, self.header, self.letter, value, message))
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
        stream = SheetStream(
            source, spec, row_validator=row_validator, rows_validator=rows_validator,
            unique_keys=unique_keys, choices_override=choices_override, chunk_size=None,
        )  # fmt: skip
        for _ in stream.chunks():
            pass
        return stream.finish()


class SheetStream:
    """read_sheet in chunks, for importers that write the rows while the rest of the file is still read.

    ``chunks()`` parses and checks the rows ``chunk_size`` at a time (cells, ``row_validator``, duplicates
    of ``unique_keys`` against every earlier row) and yields each chunk's rows; ``result.errors`` then holds
    every error found so far. ``finish()`` runs ``rows_validator`` and sorts the errors: the result is the
    one read_sheet gives. ``cells(key)`` gives one column's parsed values before the rows are read (for
    lookups that must happen first). Raises SheetReadError if the file is not a readable workbook.
    """

    def __init__(
        self,
        source: Source,
        spec: SheetSpec,
        *,
        row_validator: RowValidator | None = None,
        rows_validator: RowsValidator | None = None,
        unique_keys: Sequence[str] = (),
        choices_override: Mapping[str, Sequence[str]] | None = None,
        chunk_size: int | None = 5_000,
    ) -> None:
        self.spec, self.row_validator, self.rows_validator = spec, row_validator, rows_validator
        self.chunk_size = chunk_size
        self.result = SheetResult(spec=spec)
        self._data: list[list[object]] = []
        self._start = 0
        self._duplicates = [_Duplicates(spec, key) for key in unique_keys]
        data = load_first_sheet(source)
        result = self.result
        header_index = next((i for i, row in enumerate(data) if any(header_key(c) for c in row)), None)
        if header_index is None:
            result.errors.append(
                CellError(1, "", "", None, "tệp không có dữ liệu (không thấy dòng tiêu đề).")
            )
            return
        result.header = list(data[header_index])
        result.header_row_number = header_index + 1
        problem = _header_error(spec, result.header, result.header_row_number)
        if problem is not None:
            result.errors.append(problem)
            return
        overrides = choices_override or {}
        self._parsers = [parser_for(column, overrides.get(column.key)) for column in spec.columns]
        self._data, self._start = data, header_index + 1

    @property
    def row_count(self) -> int:
        """How many rows follow the header (blank ones included): an upper bound of the data rows."""
        return max(len(self._data) - self._start, 0)

    def cells(self, key: str) -> Iterator[object]:
        """The parsed, non-blank values of column ``key`` in the data rows (cells that fail to parse are
        left out; the rows themselves report them)."""
        index = self.spec.index_of(key)
        parse = self._parsers[index] if self._data else None
        for raw in itertools.islice(self._data, self._start, None):
            value = raw[index] if index < len(raw) else ""
            if parse is None or (type(value) is str and (not value or value.isspace())):
                continue
            parsed, problem = parse(value)
            if problem is None and parsed is not None:
                yield parsed

    def chunks(self) -> Iterator[list[ParsedRow]]:
        if not self._data:
            return
        plan = _row_plan(self.spec, self._parsers)
        data, result, step = self._data, self.result, self.chunk_size or len(self._data)
        for start in range(self._start, len(data), step):
            rows, failed = _parse_rows(data[start : start + step], start + 1, plan, result)
            if self.row_validator is not None:
                for row in rows:
                    if row.row_number not in failed:
                        result.errors.extend(self.row_validator(row))
            for duplicates in self._duplicates:
                result.errors.extend(duplicates.errors(rows))
            yield rows

    def finish(self) -> SheetResult:
        result = self.result
        if self._data and self.rows_validator is not None:
            result.errors.extend(self.rows_validator(result.rows))
        result.errors.sort(key=_sort_key)
        self._data = []
        return result
