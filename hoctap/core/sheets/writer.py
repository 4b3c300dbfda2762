"""Excel output of the import toolkit: the downloadable template and the error report (xlsxwriter)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .cells import MAX_LISTED_CHOICES
from .spec import KIND_LABELS, CellError, Column, SheetResult, SheetSpec, column_letter

LAST_ROW = 1_048_575
INLINE_LIST_LIMIT = 255  # Excel's limit on an inline data-validation list, separators included
LISTS_SHEET = "DanhMuc"
GUIDE_SHEET = "Hướng dẫn"
ERROR_HEADER = "Lỗi"
DATE_NUM_FORMAT = "dd/mm/yyyy"
HEADER_STYLE = {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "vcenter"}
BAD_CELL_STYLE = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
_FORBIDDEN_IN_SHEET_NAME = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(title: str) -> str:
    """A valid worksheet name (31 characters, none of []:*?/\\)."""
    return " ".join(title.translate(_FORBIDDEN_IN_SHEET_NAME).split())[:31] or "Dữ liệu"


def column_note(column: Column, choices: Sequence[str]) -> str:
    """What a header comment and the guide say about a column."""
    parts = [f"{column.header}: {'bắt buộc' if column.required else 'không bắt buộc'}."]
    parts.append(f"Kiểu: {KIND_LABELS[column.kind]}.")
    if column.length:
        parts.append(f"Gồm đúng {column.length} chữ số.")
    if column.max_length:
        parts.append(f"Tối đa {column.max_length} ký tự.")
    if choices:
        shown = ", ".join(choices[:MAX_LISTED_CHOICES])
        more = "…" if len(choices) > MAX_LISTED_CHOICES else ""
        parts.append(f"Chọn trong danh sách thả xuống: {shown}{more}.")
    if column.help:
        parts.append(column.help)
    return " ".join(parts)


def _column_width(column: Column, choices: Sequence[str]) -> float:
    base = {"code": 18, "date": 13, "int": 10, "decimal": 11}.get(column.kind, 22)
    longest = max((len(choice) for choice in choices), default=0)
    return float(min(max(base, len(column.header) + 3, longest + 3), 60))


def _write_cell(sheet: Worksheet, row: int, col: int, value: object, formats: Mapping[str, Any]) -> None:
    """Write one value with an explicit type: strings never become formulas or numbers."""
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, formats.get("cell"))
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value), formats.get("cell"))
    elif isinstance(value, dt.datetime | dt.date):
        sheet.write_datetime(row, col, value, formats["date"])
    else:
        sheet.write_string(row, col, str(value), formats.get("cell"))


def _add_dropdown(
    workbook: Workbook, sheet: Worksheet, col: int, choices: Sequence[str], lists: list[Sequence[str]]
) -> None:
    validation: dict[str, Any] = {
        "validate": "list",
        "error_title": "Giá trị không hợp lệ",
        "error_message": "Hãy chọn một giá trị trong danh sách thả xuống.",
    }
    if sum(len(choice) + 1 for choice in choices) <= INLINE_LIST_LIMIT and not any("," in c for c in choices):
        validation["source"] = list(choices)
    else:
        lists.append(choices)
        letter = column_letter(len(lists) - 1)
        validation["source"] = f"='{LISTS_SHEET}'!${letter}$1:${letter}${len(choices)}"
    sheet.data_validation(1, col, LAST_ROW, col, validation)


def _write_lists_sheet(workbook: Workbook, lists: list[Sequence[str]]) -> None:
    if not lists:
        return
    hidden = workbook.add_worksheet(LISTS_SHEET)
    for col, choices in enumerate(lists):
        for row, choice in enumerate(choices):
            hidden.write_string(row, col, choice)
    hidden.hide()


def _write_guide(workbook: Workbook, spec: SheetSpec, notes: list[tuple[Column, str]], bold: Any) -> None:
    guide = workbook.add_worksheet(GUIDE_SHEET)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    guide.set_column(0, 0, 8)
    guide.set_column(1, 1, 28)
    guide.set_column(2, 2, 90)
    guide.write_string(0, 0, f"Hướng dẫn nhập: {spec.title}", bold)
    row = 2
    for line in spec.instructions:
        guide.write_string(row, 0, f"• {line}")
        row += 1
    row += 1
    guide.write_row(row, 0, ["Cột", "Tiêu đề", "Cách nhập"], bold)
    for index, (column, note) in enumerate(notes):
        row += 1
        guide.write_row(row, 0, [column_letter(index), column.header, note], wrap)


def write_template(
    spec: SheetSpec,
    out: Path,
    *,
    choices_override: Mapping[str, Sequence[str]] | None = None,
    example_rows: Sequence[Mapping[str, object]] = (),
) -> Path:
    """Write the import template of ``spec`` to ``out``.

    The data sheet comes first (read_sheet reads the first sheet); "Hướng dẫn" follows, then a hidden
    "DanhMuc" sheet holding long dropdown lists. ``example_rows`` are dicts by column key.
    """
    overrides = choices_override or {}
    workbook = xlsxwriter.Workbook(str(out))
    header_format = workbook.add_format(HEADER_STYLE)
    formats = {"date": workbook.add_format({"num_format": DATE_NUM_FORMAT})}
    text_format = workbook.add_format({"num_format": "@"})
    sheet = workbook.add_worksheet(sheet_name(spec.title))
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 32)
    lists: list[Sequence[str]] = []
    notes: list[tuple[Column, str]] = []
    for col, column in enumerate(spec.columns):
        choices = list(overrides.get(column.key, column.choices or ()))
        column_format = {"code": text_format, "date": formats["date"]}.get(column.kind)
        sheet.set_column(col, col, _column_width(column, choices), column_format)
        sheet.write_string(0, col, column.header, header_format)
        note = column_note(column, choices)
        notes.append((column, note))
        sheet.write_comment(0, col, note, {"x_scale": 2, "y_scale": 1.5})
        if choices:
            _add_dropdown(workbook, sheet, col, choices, lists)
    for row, example in enumerate(example_rows, start=1):
        for col, column in enumerate(spec.columns):
            cell_formats = {"date": formats["date"], "cell": text_format if column.kind == "code" else None}
            _write_cell(sheet, row, col, example.get(column.key), cell_formats)
    _write_guide(workbook, spec, notes, workbook.add_format({"bold": True}))
    _write_lists_sheet(workbook, lists)
    sheet.activate()
    workbook.close()
    return out


def _joined_errors(errors: Sequence[CellError]) -> str:
    return "\n".join(f"{e.location}: {e.message}" if e.location else e.message for e in errors)


def _write_summary(workbook: Workbook, result: SheetResult, bold: Any) -> None:
    summary = workbook.add_worksheet("Tóm tắt lỗi")
    invalid = len(result.invalid_row_numbers())
    summary.write_string(0, 0, f"{invalid} dòng lỗi trên tổng số {result.total_rows} dòng dữ liệu", bold)
    summary.write_row(2, 0, ["Dòng", "Cột", "Tiêu đề", "Giá trị", "Lỗi"], bold)
    for row, error in enumerate(result.errors, start=3):
        summary.write_number(row, 0, error.row_number)
        summary.write_string(row, 1, error.column_letter)
        summary.write_string(row, 2, error.column_header)
        summary.write_string(row, 3, "" if error.value is None else str(error.value))
        summary.write_string(row, 4, error.message)
    for col, width in enumerate((7, 6, 26, 20, 80)):
        summary.set_column(col, col, width)


def write_error_report(
    result: SheetResult, spec: SheetSpec, out: Path, *, only_invalid: bool = False
) -> Path:
    """Write the original rows with a final "Lỗi" column, highlighting every invalid cell.

    The data sheet stays first with the header on the same row, so a user can fix it and import it
    again (the extra "Lỗi" column is ignored). The "Lỗi" header comment and a "Tóm tắt lỗi" sheet give
    the counts and the full list.
    """
    workbook = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    header_format = workbook.add_format(HEADER_STYLE)
    bad = workbook.add_format(BAD_CELL_STYLE)
    formats = {"date": workbook.add_format({"num_format": DATE_NUM_FORMAT})}
    bad_date = workbook.add_format({**BAD_CELL_STYLE, "num_format": DATE_NUM_FORMAT})
    bad_formats = {"date": bad_date, "cell": bad}
    error_text = workbook.add_format({"font_color": "#9C0006", "text_wrap": True})
    sheet = workbook.add_worksheet(sheet_name(spec.title))
    header = result.header or [column.header for column in spec.columns]
    error_col = max(len(header), len(spec.columns))
    by_row = result.errors_by_row()
    for col in range(error_col):
        sheet.set_column(col, col, 18)
    sheet.set_column(error_col, error_col, 60)
    sheet.freeze_panes(1, 0)
    for col, value in enumerate(header):
        _write_cell(sheet, 0, col, value, {"cell": header_format, "date": header_format})
    sheet.write_string(0, error_col, ERROR_HEADER, header_format)
    invalid = len(result.invalid_row_numbers())
    sheet.write_comment(0, error_col, f"{invalid} dòng lỗi trên tổng số {result.total_rows} dòng dữ liệu.")
    out_row = 0
    for row_number, raw in result.original_rows.items():
        row_errors = by_row.get(row_number, [])
        if only_invalid and not row_errors:
            continue
        out_row = out_row + 1 if only_invalid else row_number - result.header_row_number
        bad_letters = {error.column_letter for error in row_errors}
        for col, value in enumerate(raw):
            chosen = bad_formats if column_letter(col) in bad_letters else formats
            _write_cell(sheet, out_row, col, value, chosen)
        if row_errors:
            sheet.write_string(out_row, error_col, _joined_errors(row_errors), error_text)
    sheet.autofilter(0, 0, max(out_row, 1), error_col)
    _write_summary(workbook, result, workbook.add_format({"bold": True}))
    workbook.close()
    return out


def write_table(
    out: Path,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    widths: Sequence[float] = (),
) -> int:
    """Stream rows into a one-sheet workbook (constant memory): bold frozen header, filter, typed cells.

    Strings stay text (a CCCD keeps its leading zeros), dates are real Excel dates shown dd/mm/yyyy.
    Returns the number of data rows written.
    """
    workbook = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    header_format = workbook.add_format(HEADER_STYLE)
    formats = {"date": workbook.add_format({"num_format": DATE_NUM_FORMAT})}
    sheet = workbook.add_worksheet(sheet_name(title))
    for col, header in enumerate(headers):
        sheet.set_column(col, col, widths[col] if col < len(widths) else max(14, len(header) + 3))
        sheet.write_string(0, col, header, header_format)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            _write_cell(sheet, count, col, value, formats)
    sheet.autofilter(0, 0, max(count, 1), max(len(headers) - 1, 0))
    workbook.close()
    return count


def _json_value(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def errors_to_json(result: SheetResult) -> dict[str, object]:
    """Counts and the full error list, ready for ``json.dumps``."""
    invalid = result.invalid_row_numbers()
    return {
        "kind": result.spec.kind,
        "total_rows": result.total_rows,
        "valid_rows": sum(1 for row in result.rows if row.row_number not in invalid),
        "invalid_rows": len(invalid),
        "error_count": len(result.errors),
        "errors": [
            {
                "row": error.row_number,
                "column": error.column_letter,
                "column_header": error.column_header,
                "value": _json_value(error.value),
                "message": error.message,
                "text": str(error),
            }
            for error in result.errors
        ],
    }
