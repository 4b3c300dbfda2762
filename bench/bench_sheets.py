"""Benchmark: read + validate a 250,000-row × 8-column household sheet against the raw calamine read.

    .venv/bin/python bench/bench_sheets.py [--rows 250000] [--file PATH] [--repeat 3]

Generates a deterministic file with xlsxwriter (constant_memory) unless --file points at an existing
one, then times the raw calamine read alone and read_sheet (cell parsing, NFC, duplicate checks) in the
same process, and prints JSON: {"rows", "raw_read_s", "read_sheet_s", "ratio", ...} (medians).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import python_calamine
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hoctap.core.sheets import Column, SheetSpec, read_sheet

VILLAGES = [f"Thôn {n}" for n in range(1, 21)] + ["Thôn Đông", "Thôn Tây", "Bản Dốc Mây", "Tổ dân phố 3"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Ngọc", "Đức", "Thu", "Minh", "Thanh"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hoa",
    "Hùng",
    "Lan",
    "Linh",
    "Mai",
    "Nam",
    "Thảo",
    "Tuấn",
    "Yến",
]

SPEC = SheetSpec(
    kind="households",
    title="Hộ gia đình",
    columns=[
        Column("STT", "index", "int", required=True),
        Column("Mã hộ", "code", "code", required=True, max_length=20),
        Column("Họ và tên chủ hộ", "head_name", "text", required=True, max_length=100),
        Column("Số CCCD chủ hộ", "head_cccd", "code", required=True, length=12),
        Column("Ngày sinh", "birth_date", "date", required=True),
        Column("Giới tính", "sex", "choice", required=True, choices=["Nam", "Nữ"]),
        Column("Thôn", "village", "choice", required=True, choices=VILLAGES),
        Column("Số thành viên", "members", "int"),
    ],
)


def generate(path: Path, rows: int) -> float:
    """Write the benchmark file; returns the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(2557)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Hộ gia đình")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, [column.header for column in SPEC.columns])
    first_day = dt.date(1940, 1, 1).toordinal()
    for n in range(1, rows + 1):
        born = dt.date.fromordinal(first_day + rng.randrange(25_000))
        female = rng.random() < 0.3
        name = f"{rng.choice(FAMILY)} {'Thị' if female else rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        cccd = f"044{(2 if born.year >= 2000 else 0) + female}{born.year % 100:02d}{n:06d}"
        sheet.write_number(n, 0, n)
        sheet.write_string(n, 1, f"HGD{n:07d}")
        sheet.write_string(n, 2, name)
        sheet.write_string(n, 3, cccd)
        if n % 10:
            sheet.write_datetime(n, 4, born, date_format)
        else:
            sheet.write_string(n, 4, born.strftime("%d/%m/%Y"))
        sheet.write_string(n, 5, "Nữ" if female else "Nam")
        sheet.write_string(n, 6, rng.choice(VILLAGES))
        sheet.write_number(n, 7, rng.randint(1, 9))
    workbook.close()
    return time.perf_counter() - started


def time_raw(path: Path) -> float:
    started = time.perf_counter()
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    data = sheet.to_python(skip_empty_area=False)
    elapsed = time.perf_counter() - started
    assert len(data) > 1
    return elapsed


def time_read_sheet(path: Path, rows: int) -> float:
    started = time.perf_counter()
    result = read_sheet(path, SPEC, unique_keys=["code", "head_cccd"])
    elapsed = time.perf_counter() - started
    if len(result.rows) != rows or result.errors:
        raise SystemExit(f"unexpected result: {len(result.rows)} rows, first errors {result.errors[:3]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--file", type=Path, help="reuse (or create) this file instead of a temporary one")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file or Path(tmp) / "households.xlsx"
        generate_s = None if path.exists() else round(generate(path, args.rows), 2)
        raw = [time_raw(path) for _ in range(args.repeat)]
        parsed = [time_read_sheet(path, args.rows) for _ in range(args.repeat)]
        raw_s, read_s = statistics.median(raw), statistics.median(parsed)
        report = {
            "rows": args.rows,
            "columns": len(SPEC.columns),
            "file_mb": round(path.stat().st_size / 1e6, 1),
            "generate_s": generate_s,
            "raw_read_s": round(raw_s, 3),
            "read_sheet_s": round(read_s, 3),
            "ratio": round(read_s / raw_s, 2),
            "runs": {"raw_read_s": [round(x, 3) for x in raw], "read_sheet_s": [round(x, 3) for x in parsed]},
        }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
