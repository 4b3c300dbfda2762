"""Cell parsers: one small function per column kind, built once per column and called per cell.

A parser takes the raw, non-blank calamine value (str, float, int, bool, date, datetime, time, timedelta)
and returns ``(value, None)`` or ``(None, message)``. Messages are Vietnamese and end with a full stop.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from hoctap.core.text import fold

from .spec import Column

Parsed = tuple[object, str | None]
CellParser = Callable[[object], Parsed]

DATE_FORMAT_HINT = "dd/mm/yyyy (ví dụ 05/09/1985)"
LEADING_ZERO_LOST = "Excel đã làm mất số 0 ở đầu; hãy định dạng cột là Văn bản rồi nhập lại."
MAX_LISTED_CHOICES = 8
CHOICE_CACHE_SIZE = 10_000

_DATE_TEXT = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_INT_TEXT = re.compile(r"[+-]?\d+")


def clean_text(value: str) -> str:
    """NFC, trimmed, inner white-space runs collapsed to one space."""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


def is_blank(value: object) -> bool:
    return value == "" or value is None or (type(value) is str and not value.strip())


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_text(value: object) -> str:
    if type(value) is str:
        return clean_text(value)
    if type(value) is bool:
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return _number_text(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    return clean_text(str(value))


def _too_long(text: str, max_length: int | None) -> str | None:
    if max_length is not None and len(text) > max_length:
        return f"dài tối đa {max_length} ký tự (đang có {len(text)})."
    return None


def text_parser(column: Column) -> CellParser:
    max_length = column.max_length
    seen: dict[str, Parsed] = {}  # villages, names and addresses repeat: clean each distinct text once

    def parse(value: object) -> Parsed:
        if type(value) is str:
            hit = seen.get(value)
            if hit is not None:
                return hit
            text = clean_text(value)
        else:
            text = _as_text(value)
        problem = _too_long(text, max_length)
        parsed: Parsed = (None, problem) if problem else (text, None)
        if type(value) is str and len(seen) < CHOICE_CACHE_SIZE:
            seen[value] = parsed
        return parsed

    return parse


def code_parser(column: Column) -> CellParser:
    length = column.length
    max_length = column.max_length
    wrong_length = f"phải gồm đúng {length} chữ số."

    def parse(value: object) -> Parsed:
        if type(value) is str:
            text = clean_text(value)
        elif type(value) is float or type(value) is int:
            if type(value) is float and not value.is_integer():
                return None, wrong_length if length else "phải là một mã, không phải số thập phân."
            text = str(int(value))
            if length and len(text) < length:
                return None, LEADING_ZERO_LOST
        else:
            return None, "phải là một mã (văn bản)."
        if length and (len(text) != length or not text.isdigit() or not text.isascii()):
            return None, wrong_length
        problem = _too_long(text, max_length)
        return (None, problem) if problem else (text, None)

    return parse


def int_parser(column: Column) -> CellParser:
    def parse(value: object) -> Parsed:
        if type(value) is float:
            if value.is_integer():
                return int(value), None
            return None, "phải là số nguyên (không có phần thập phân)."
        if type(value) is int:
            return value, None
        if type(value) is str:
            text = clean_text(value).replace(" ", "")
            if _INT_TEXT.fullmatch(text):
                return int(text), None
        return None, "phải là số nguyên."

    return parse


def decimal_parser(column: Column) -> CellParser:
    def parse(value: object) -> Parsed:
        if type(value) is float or type(value) is int:
            return Decimal(repr(value)), None
        if type(value) is str:
            text = clean_text(value).replace(" ", "")
            if "," in text and "." not in text:
                text = text.replace(",", ".")
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
            if number is not None and number.is_finite():
                return number, None
        return None, "phải là số (phần thập phân dùng dấu phẩy hoặc dấu chấm)."

    return parse


def _date_from_text(text: str) -> Parsed:
    match = _DATE_TEXT.fullmatch(text)
    if not match:
        return None, f"phải là ngày theo định dạng {DATE_FORMAT_HINT}."
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, f"ngày {text} không tồn tại."


def date_parser(column: Column) -> CellParser:
    def parse(value: object) -> Parsed:
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        if type(value) is str:
            return _date_from_text(clean_text(value))
        return None, f"phải là ngày theo định dạng {DATE_FORMAT_HINT}."

    return parse


def choice_parser(column: Column, choices: Sequence[str]) -> CellParser:
    canonical = {fold(choice): clean_text(choice) for choice in choices}
    if len(choices) <= MAX_LISTED_CHOICES:
        unknown = "phải là một trong các giá trị: " + ", ".join(canonical.values()) + "."
    else:
        unknown = "không có trong danh sách giá trị hợp lệ (xem danh sách thả xuống trong tệp mẫu)."

    seen: dict[str, Parsed] = {}  # choice cells repeat a lot; folding is the slow part

    def parse(value: object) -> Parsed:
        if type(value) is str:
            hit = seen.get(value)
            if hit is not None:
                return hit
        text = value if isinstance(value, str) else _as_text(value)
        found = canonical.get(fold(text))
        parsed: Parsed = (found, None) if found is not None else (None, unknown)
        if type(value) is str and len(seen) < CHOICE_CACHE_SIZE:
            seen[value] = parsed
        return parsed

    return parse


def parser_for(column: Column, choices: Sequence[str] | None = None) -> CellParser:
    """The parser of one column; ``choices`` overrides the column's own choices."""
    if column.kind == "text":
        return text_parser(column)
    if column.kind == "code":
        return code_parser(column)
    if column.kind == "int":
        return int_parser(column)
    if column.kind == "decimal":
        return decimal_parser(column)
    if column.kind == "date":
        return date_parser(column)
    return choice_parser(column, choices if choices is not None else column.choices or ())
