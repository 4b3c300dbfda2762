"""The Excel import toolkit: header checks, cell parsing, row checks, reports and templates."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from hoctap.core.sheets import (
    LEADING_ZERO_LOST,
    CellError,
    Column,
    ParsedRow,
    SheetReadError,
    SheetSpec,
    SheetStream,
    column_letter,
    errors_to_json,
    read_sheet,
    write_error_report,
    write_template,
)

VILLAGES = [f"Thôn {n}" for n in range(1, 41)]

SPEC = SheetSpec(
    kind="households",
    title="Danh sách hộ gia đình",
    columns=[
        Column("Mã hộ", "code", "code", required=True, max_length=20),
        Column("Họ và tên chủ hộ", "head_name", "text", required=True, max_length=100),
        Column("Số CCCD chủ hộ", "head_cccd", "code", required=True, length=12, aliases=("CCCD",)),
        Column("Ngày sinh", "birth_date", "date"),
        Column("Giới tính", "sex", "choice", choices=["Nam", "Nữ"]),
        Column("Số thành viên", "members", "int"),
        Column("Thôn", "village", "choice", choices=VILLAGES),
        Column("Diện tích (m2)", "area", "decimal"),
    ],
    instructions=["Mỗi dòng là một hộ gia đình.", "Không đổi tên hay thứ tự các cột."],
)
HEADERS: list[object] = [column.header for column in SPEC.columns]


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """Write rows with explicit cell types, the way Excel stores what a user typed."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Dữ liệu")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif isinstance(value, str) and value.startswith("="):
                formula, _, cached = value.partition("|")
                sheet.write_formula(r, c, formula, None, cached)
            else:
                sheet.write_string(r, c, str(value))
    workbook.close()
    return path


def good_row(code: str = "HGD001", cccd: str = "044085000123") -> list[object]:
    return [code, "Nguyễn Văn An", cccd, dt.date(1985, 9, 5), "Nam", 4, "Thôn 3", 250.5]


def messages(errors: list[CellError]) -> list[str]:
    return [str(error) for error in errors]


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 7, 25, 26, 27, 701, 702)] == [
        "A",
        "H",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_valid_rows_are_parsed_to_typed_values(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ok.xlsx", [HEADERS, good_row()])

    result = read_sheet(path, SPEC)

    assert result.ok, messages(result.errors)
    assert [row.row_number for row in result.rows] == [2]
    assert result.rows[0].values == {
        "code": "HGD001",
        "head_name": "Nguyễn Văn An",
        "head_cccd": "044085000123",
        "birth_date": dt.date(1985, 9, 5),
        "sex": "Nam",
        "members": 4,
        "village": "Thôn 3",
        "area": Decimal("250.5"),
    }


def test_bytes_and_file_objects_are_accepted(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ok.xlsx", [HEADERS, good_row()])

    from_bytes = read_sheet(path.read_bytes(), SPEC)
    with path.open("rb") as handle:
        from_handle = read_sheet(handle, SPEC)

    assert from_bytes.rows == from_handle.rows == read_sheet(path, SPEC).rows


def test_not_an_excel_file_raises_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SheetReadError, match="Không đọc được tệp Excel"):
        read_sheet(b"this is not a workbook", SPEC)


def test_misspelled_header_gives_one_error_naming_column_and_expected_header(tmp_path: Path) -> None:
    headers = [*HEADERS]
    headers[2] = "So CCCD"
    path = write_xlsx(tmp_path / "bad.xlsx", [headers, good_row()])

    result = read_sheet(path, SPEC)

    assert len(result.errors) == 1
    assert not result.header_ok
    assert result.rows == []
    error = result.errors[0]
    assert (error.row_number, error.column_letter, error.column_header) == (1, "C", "Số CCCD chủ hộ")
    assert str(error).startswith('Dòng 1, cột C (Số CCCD chủ hộ): tiêu đề phải là "Số CCCD chủ hộ"')
    assert '"So CCCD"' in error.message


def test_missing_required_header_is_reported(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "short.xlsx", [HEADERS[:2], good_row()[:2]])

    result = read_sheet(path, SPEC)

    assert [(e.column_letter, e.column_header) for e in result.errors] == [("C", "Số CCCD chủ hộ")]
    assert "đang để trống" in result.errors[0].message


def test_headers_match_after_nfc_trim_case_and_aliases_extra_columns_ignored(tmp_path: Path) -> None:
    headers: list[object] = [unicodedata.normalize("NFD", str(h).upper()) + "  " for h in HEADERS]
    headers[2] = " cccd "
    headers.append("Ghi chú riêng")
    path = write_xlsx(tmp_path / "loose.xlsx", [headers, [*good_row(), "bỏ qua"]])

    result = read_sheet(path, SPEC)

    assert result.ok, messages(result.errors)
    assert set(result.rows[0].values) == {column.key for column in SPEC.columns}
    assert result.original_rows[2][-1] == "bỏ qua"


def test_optional_trailing_columns_may_be_absent(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "trail.xlsx", [HEADERS[:6], good_row()[:6]])

    result = read_sheet(path, SPEC)

    assert result.ok, messages(result.errors)
    assert result.rows[0].values["village"] is None
    assert result.rows[0].values["area"] is None


def test_blank_rows_are_skipped_and_row_numbers_stay_excel_numbers(tmp_path: Path) -> None:
    rows: list[list[object]] = [HEADERS, good_row("H1"), [], ["  ", None, " "], good_row("H2", cccd="bad")]
    path = write_xlsx(tmp_path / "gaps.xlsx", rows)

    result = read_sheet(path, SPEC)

    assert [row.row_number for row in result.rows] == [2, 5]
    assert messages(result.errors) == ["Dòng 5, cột C (Số CCCD chủ hộ): phải gồm đúng 12 chữ số."]


def test_text_is_nfc_and_trimmed(tmp_path: Path) -> None:
    row = good_row()
    row[1] = "  " + unicodedata.normalize("NFD", "Trần   Thị Thuỳ") + " "
    path = write_xlsx(tmp_path / "nfc.xlsx", [HEADERS, row])

    name = read_sheet(path, SPEC).rows[0].values["head_name"]

    assert name == unicodedata.normalize("NFC", "Trần Thị Thuỳ")
    assert isinstance(name, str) and unicodedata.is_normalized("NFC", name)


def test_code_float_with_lost_leading_zero_is_an_error(tmp_path: Path) -> None:
    lost = good_row()
    lost[2] = 44085000123.0  # Excel turned "044085000123" into a number
    kept = good_row("H2")
    kept[2] = 144085000123.0
    path = write_xlsx(tmp_path / "zeros.xlsx", [HEADERS, lost, kept])

    result = read_sheet(path, SPEC)

    assert [(e.row_number, e.column_letter, e.message) for e in result.errors] == [
        (2, "C", LEADING_ZERO_LOST)
    ]
    assert "Excel đã làm mất số 0 ở đầu; hãy định dạng cột là Văn bản" in str(result.errors[0])
    assert result.rows[1].values["head_cccd"] == "144085000123"


@pytest.mark.parametrize("cccd", ["04408500012", "0440850001234", "04408500012A", "044 085 000 12"])
def test_code_with_wrong_length_or_non_digits(tmp_path: Path, cccd: str) -> None:
    path = write_xlsx(tmp_path / "len.xlsx", [HEADERS, good_row(cccd=cccd)])

    result = read_sheet(path, SPEC)

    assert messages(result.errors) == ["Dòng 2, cột C (Số CCCD chủ hộ): phải gồm đúng 12 chữ số."]
    assert result.rows[0].values["head_cccd"] is None


def test_numbers_in_code_and_text_columns_lose_the_float_suffix(tmp_path: Path) -> None:
    row = good_row()
    row[0] = 1234.0
    row[1] = 17.0
    path = write_xlsx(tmp_path / "num.xlsx", [HEADERS, row])

    values = read_sheet(path, SPEC).rows[0].values

    assert (values["code"], values["head_name"]) == ("1234", "17")


def test_int_and_decimal_cells(tmp_path: Path) -> None:
    rows: list[list[object]] = [HEADERS]
    for members, area in [(2.0, "12,5"), ("3", 7), (2.5, "abc"), ("hai", "1.5")]:
        row = good_row(f"H{len(rows)}")
        row[5], row[7] = members, area
        rows.append(row)
    path = write_xlsx(tmp_path / "ints.xlsx", rows)

    result = read_sheet(path, SPEC)

    assert [(r.values["members"], r.values["area"]) for r in result.rows] == [
        (2, Decimal("12.5")),
        (3, Decimal("7")),
        (None, None),
        (None, Decimal("1.5")),
    ]
    assert [(e.row_number, e.column_letter, e.message) for e in result.errors] == [
        (4, "F", "phải là số nguyên (không có phần thập phân)."),
        (4, "H", "phải là số (phần thập phân dùng dấu phẩy hoặc dấu chấm)."),
        (5, "F", "phải là số nguyên."),
    ]


def test_dates_real_and_text_and_errors_name_the_format(tmp_path: Path) -> None:
    rows: list[list[object]] = [HEADERS]
    for value in [dt.date(1990, 1, 2), "05/09/1985", "5/9/1985", "1985-09-05", "31/02/2000", 32000]:
        row = good_row(f"H{len(rows)}")
        row[3] = value
        rows.append(row)
    path = write_xlsx(tmp_path / "dates.xlsx", rows)

    result = read_sheet(path, SPEC)

    assert [r.values["birth_date"] for r in result.rows] == [
        dt.date(1990, 1, 2),
        dt.date(1985, 9, 5),
        dt.date(1985, 9, 5),
        None,
        None,
        None,
    ]
    assert messages(result.errors) == [
        "Dòng 5, cột D (Ngày sinh): phải là ngày theo định dạng dd/mm/yyyy (ví dụ 05/09/1985).",
        "Dòng 6, cột D (Ngày sinh): ngày 31/02/2000 không tồn tại.",
        "Dòng 7, cột D (Ngày sinh): phải là ngày theo định dạng dd/mm/yyyy (ví dụ 05/09/1985).",
    ]


def test_choices_match_without_diacritics_or_case(tmp_path: Path) -> None:
    rows: list[list[object]] = [HEADERS]
    for sex, village in [("nu", "THON 7"), ("NỮ", "thôn  12"), ("Khác", "Thôn 99")]:
        row = good_row(f"H{len(rows)}")
        row[4], row[6] = sex, village
        rows.append(row)
    path = write_xlsx(tmp_path / "choices.xlsx", rows)

    result = read_sheet(path, SPEC)

    assert [(r.values["sex"], r.values["village"]) for r in result.rows] == [
        ("Nữ", "Thôn 7"),
        ("Nữ", "Thôn 12"),
        (None, None),
    ]
    assert [e.message for e in result.errors] == [
        "phải là một trong các giá trị: Nam, Nữ.",
        "không có trong danh sách giá trị hợp lệ (xem danh sách thả xuống trong tệp mẫu).",
    ]


def test_choices_override_at_read_time(tmp_path: Path) -> None:
    row = good_row()
    row[6] = "Bản Dốc Mây"
    path = write_xlsx(tmp_path / "override.xlsx", [HEADERS, row])

    result = read_sheet(path, SPEC, choices_override={"village": ["Bản Dốc Mây", "Thôn Đông"]})

    assert result.ok and result.rows[0].values["village"] == "Bản Dốc Mây"


def test_formulas_are_read_as_their_cached_values(tmp_path: Path) -> None:
    row = good_row()
    row[5] = "=2+3|5"
    row[1] = '=CONCATENATE("Lê ","Thị Hoa")|Lê Thị Hoa'
    path = write_xlsx(tmp_path / "formula.xlsx", [HEADERS, row])

    values = read_sheet(path, SPEC).rows[0].values

    assert (values["members"], values["head_name"]) == (5, "Lê Thị Hoa")


def test_required_blank_cells_and_all_errors_are_collected(tmp_path: Path) -> None:
    first = good_row()
    first[0], first[1] = "", None
    second = good_row("H2", cccd="12")
    second[4], second[5] = "X", 1.5
    path = write_xlsx(tmp_path / "many.xlsx", [HEADERS, first, second])

    result = read_sheet(path, SPEC)

    assert [(e.row_number, e.column_letter) for e in result.errors] == [
        (2, "A"),
        (2, "B"),
        (3, "C"),
        (3, "E"),
        (3, "F"),
    ]
    assert str(result.errors[0]) == "Dòng 2, cột A (Mã hộ): bắt buộc phải nhập."
    assert result.invalid_row_numbers() == {2, 3}
    assert list(result.valid_rows()) == []


def test_max_length(tmp_path: Path) -> None:
    row = good_row(code="H" * 21)
    path = write_xlsx(tmp_path / "long.xlsx", [HEADERS, row])

    assert messages(read_sheet(path, SPEC).errors) == [
        "Dòng 2, cột A (Mã hộ): dài tối đa 20 ký tự (đang có 21)."
    ]


def test_row_validator_and_duplicates(tmp_path: Path) -> None:
    young = good_row("H2", cccd="044085000124")
    young[3] = dt.date(2015, 1, 1)
    rows: list[list[object]] = [
        HEADERS,
        good_row("H1"),
        young,
        good_row("h1", cccd="044085000125"),
        good_row("H4"),
    ]
    path = write_xlsx(tmp_path / "rows.xlsx", rows)
    seen: list[int] = []

    def adult_head(row: ParsedRow) -> list[CellError]:
        seen.append(row.row_number)
        born = row.values["birth_date"]
        if isinstance(born, dt.date) and born.year > 2007:
            return [
                SPEC.cell_error(
                    row_number=row.row_number, key="birth_date", message="chủ hộ chưa đủ 18 tuổi."
                )
            ]
        return []

    result = read_sheet(path, SPEC, row_validator=adult_head, unique_keys=["code", "head_cccd"])

    assert seen == [2, 3, 4, 5]
    assert messages(result.errors) == [
        "Dòng 3, cột D (Ngày sinh): chủ hộ chưa đủ 18 tuổi.",
        "Dòng 4, cột A (Mã hộ): trùng với dòng 2.",
        "Dòng 5, cột C (Số CCCD chủ hộ): trùng với dòng 2.",
    ]


def test_whole_file_validator_and_row_level_errors(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "file.xlsx", [HEADERS, good_row()])

    def at_least_two(rows: list[ParsedRow]) -> list[CellError]:
        return (
            [CellError(rows[-1].row_number, "", "", None, "tệp cần ít nhất 2 hộ.")] if len(rows) < 2 else []
        )

    result = read_sheet(path, SPEC, rows_validator=at_least_two)

    assert messages(result.errors) == ["Dòng 2: tệp cần ít nhất 2 hộ."]


def test_errors_to_json(tmp_path: Path) -> None:
    bad = good_row("H2", cccd="1")
    path = write_xlsx(tmp_path / "json.xlsx", [HEADERS, good_row(), bad])

    payload = errors_to_json(read_sheet(path, SPEC))

    assert json.loads(json.dumps(payload)) == {
        "kind": "households",
        "total_rows": 2,
        "valid_rows": 1,
        "invalid_rows": 1,
        "error_count": 1,
        "errors": [
            {
                "row": 3,
                "column": "C",
                "column_header": "Số CCCD chủ hộ",
                "value": "1",
                "message": "phải gồm đúng 12 chữ số.",
                "text": "Dòng 3, cột C (Số CCCD chủ hộ): phải gồm đúng 12 chữ số.",
            }
        ],
    }


def test_error_report_highlights_cells_lists_errors_and_can_be_reimported(tmp_path: Path) -> None:
    bad = good_row("H3", cccd="12")
    bad[5] = 2.5
    rows: list[list[object]] = [[*HEADERS, "Ghi chú"], good_row(), [], bad]
    result = read_sheet(write_xlsx(tmp_path / "in.xlsx", rows), SPEC)
    out = tmp_path / "loi.xlsx"

    write_error_report(result, SPEC, out)

    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [*HEADERS, "Ghi chú", "Lỗi"]
    assert sheet["J1"].comment is not None and "1 dòng lỗi trên tổng số 2 dòng" in sheet["J1"].comment.text
    assert sheet["J4"].value == (
        "cột C (Số CCCD chủ hộ): phải gồm đúng 12 chữ số.\n"
        "cột F (Số thành viên): phải là số nguyên (không có phần thập phân)."
    )
    assert sheet["J2"].value is None
    assert sheet["C4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["F4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["C2"].fill.fgColor.rgb != sheet["C4"].fill.fgColor.rgb
    assert sheet["D4"].value == dt.datetime(1985, 9, 5)
    assert book.sheetnames[1] == "Tóm tắt lỗi"
    again = read_sheet(out, SPEC)
    assert messages(again.errors) == messages(result.errors)


def test_error_report_only_invalid_rows(tmp_path: Path) -> None:
    rows: list[list[object]] = [HEADERS, good_row(), good_row("H2", cccd="x")]
    result = read_sheet(write_xlsx(tmp_path / "in.xlsx", rows), SPEC)
    out = write_error_report(result, SPEC, tmp_path / "loi.xlsx", only_invalid=True)

    data = python_calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()

    assert len(data) == 2
    assert data[1][0] == "H2" and str(data[1][-1]).endswith("phải gồm đúng 12 chữ số.")


def test_template_layout(tmp_path: Path) -> None:
    out = write_template(SPEC, tmp_path / "mau.xlsx")

    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Danh sách hộ gia đình", "Hướng dẫn", "DanhMuc"]
    sheet, guide, lists = book.worksheets
    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert lists.sheet_state == "hidden"
    assert [lists.cell(row=i, column=1).value for i in range(1, 41)] == VILLAGES
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert validations["E2:E1048576"].formula1 == '"Nam,Nữ"'
    assert validations["G2:G1048576"].formula1 == "'DanhMuc'!$A$1:$A$40"
    assert sheet.column_dimensions["C"].number_format == "@"
    assert sheet.column_dimensions["D"].number_format == "dd/mm/yyyy"
    assert sheet["C1"].comment is not None and "Gồm đúng 12 chữ số" in sheet["C1"].comment.text
    guide_text = [row[0] for row in guide.iter_rows(values_only=True)]
    assert "• Mỗi dòng là một hộ gia đình." in guide_text


def test_template_filled_in_then_read_back(tmp_path: Path) -> None:
    example = {"code": "VD01", "head_name": "Ví dụ", "head_cccd": "001090000001", "sex": "Nữ"}
    template = write_template(SPEC, tmp_path / "mau.xlsx", example_rows=[example])
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    sheet.append(["HGD-9", "Hồ Thị Mai", "045190000077", dt.date(1990, 12, 31), "Nữ", 3, "Thôn 40", 80])
    sheet["D2"] = "01/02/1960"
    filled = tmp_path / "filled.xlsx"
    book.save(filled)

    result = read_sheet(filled, SPEC)

    assert result.ok, messages(result.errors)
    assert [row.values for row in result.rows] == [
        {**dict.fromkeys(["members", "village", "area"]), **example, "birth_date": dt.date(1960, 2, 1)},
        {
            "code": "HGD-9",
            "head_name": "Hồ Thị Mai",
            "head_cccd": "045190000077",
            "birth_date": dt.date(1990, 12, 31),
            "sex": "Nữ",
            "members": 3,
            "village": "Thôn 40",
            "area": Decimal("80"),
        },
    ]


def test_template_choices_override_and_short_lists_stay_inline(tmp_path: Path) -> None:
    out = write_template(
        SPEC, tmp_path / "mau.xlsx", choices_override={"village": ["Thôn Đông", "Bản Rìn Rìn"]}
    )

    book = openpyxl.load_workbook(out)

    assert book.sheetnames == ["Danh sách hộ gia đình", "Hướng dẫn"]
    formulas = sorted(v.formula1 for v in book.worksheets[0].data_validations.dataValidation)
    assert '"Thôn Đông,Bản Rìn Rìn"' in formulas


def test_spec_rejects_inconsistent_columns() -> None:
    with pytest.raises(ValueError, match="needs choices"):
        Column("Giới tính", "sex", "choice")
    with pytest.raises(ValueError, match="Only code columns"):
        Column("Số", "n", "int", length=3)
    with pytest.raises(ValueError, match="Duplicate column keys"):
        SheetSpec(kind="x", title="X", columns=[Column("A", "a"), Column("B", "a")])


def test_sheet_stream_in_chunks_gives_read_sheet_result_and_errors_as_it_goes(tmp_path: Path) -> None:
    # given 25 rows with a cell error in row 4 and a duplicate code in row 20 (of row 3)
    rows = [good_row(f"HGD{n:03d}", f"0440850{n:05d}") for n in range(1, 26)]
    rows[2][5] = "bốn"
    rows[18][0] = "HGD002"
    path = write_xlsx(tmp_path / "chunks.xlsx", [HEADERS, *rows])
    whole = read_sheet(path, SPEC, unique_keys=["code", "head_cccd"])
    # when it is read 10 rows at a time
    stream = SheetStream(path, SPEC, unique_keys=["code", "head_cccd"], chunk_size=10)
    codes = list(stream.cells("code"))
    errors_after_chunk = [len(stream.result.errors) for _ in stream.chunks()]
    result = stream.finish()
    # then each chunk already reports its errors, and the result is read_sheet's
    assert codes == [row[0] for row in rows]
    assert errors_after_chunk == [1, 2, 2]
    assert [(e.row_number, e.column_letter, e.message) for e in result.errors] == [
        (e.row_number, e.column_letter, e.message) for e in whole.errors
    ]
    assert [r.values for r in result.rows] == [r.values for r in whole.rows]
    assert result.errors[1].message == "trùng với dòng 3."
