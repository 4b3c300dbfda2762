"""Builders of small .xlsx files for the import tests (xlsxwriter, typed cells)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import xlsxwriter

from hoctap.registry.cccd import make_cccd

HOUSEHOLD_HEADERS = [
    "Thôn/Tổ dân phố", "Họ và tên chủ hộ", "Số CCCD chủ hộ", "Ngày sinh chủ hộ", "Giới tính chủ hộ",
    "Số nhân khẩu", "Địa chỉ",
]  # fmt: skip


class Formula(str):
    """A cell written as a formula; the str value is the cached result calamine reads."""

    formula: str

    def __new__(cls, formula: str, value: str) -> Formula:
        obj = super().__new__(cls, value)
        obj.formula = formula
        return obj


def xlsx(headers: Sequence[object], rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Dữ liệu")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, list(headers))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, Formula):
                sheet.write_formula(r, c, value.formula, None, str(value))
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, dates)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value is not None:
                sheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def household_row(n: int, village: str = "Tổ dân phố 1", *, sex: str = "Nam") -> list[object]:
    born = dt.date(1950 + n % 50, 1 + n % 12, 1 + n % 28)
    cccd = make_cccd(province_code="044", birth_date=born, sex="nu" if sex == "Nữ" else "nam", serial=n)
    return [village, f"Nguyễn Văn {n}", cccd, born, sex, 1 + n % 6, f"Số {n} đường Lý Thường Kiệt"]


def households_file(count: int, village: str = "Tổ dân phố 1") -> bytes:
    return xlsx(HOUSEHOLD_HEADERS, [household_row(n, village) for n in range(1, count + 1)])
