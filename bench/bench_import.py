"""Benchmark: import of a 250,000-row household sheet into PostgreSQL against the raw floor.

    .venv/bin/python bench/bench_import.py [--rows 250000] [--small-rows 6000]

Uses DATABASE_URL when set (PostgreSQL only; the imported rows are deleted afterwards), otherwise creates a
fresh database ``hoctap_bench`` on 127.0.0.1 (user postgres), migrates it, loads the units, and drops it at
the end. For one commune it creates 24 villages, writes a deterministic household file, then measures in
the same run: the floor (calamine read of the file + COPY of the same rows into a bare temp table) and the
full import (hoctap.registry.imports.import_run: parsing, validation, CCCD checks, lookups, COPY, history
rows, batch and audit), then the re-import of the same file (all rows unchanged). Prints one JSON line:
floor_s, import_s, ratio, reimport_s, budget_ok (PRODUCT.md: ratio <= 3 and import < 15 s), the load
average before and after (the numbers mean little on a busy machine), and the same for a 6,000-row commune.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import python_calamine
import xlsxwriter

if TYPE_CHECKING:
    from hoctap.registry.models import ImportBatch
    from hoctap.units.models import UnitVersion

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "hoctap_bench"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
MAX_RATIO = 3.0
MAX_IMPORT_S = 15.0
HEADERS = ["Thôn/Tổ dân phố", "Họ và tên chủ hộ", "Số CCCD chủ hộ", "Ngày sinh chủ hộ", "Giới tính chủ hộ",
           "Số nhân khẩu", "Địa chỉ"]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = {"nam": ["Văn", "Hữu", "Đức", "Minh", "Quang"], "nu": ["Thị", "Ngọc", "Thu", "Thanh"]}
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


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def generate(path: Path, rows: int, villages: list[str], *, seed: int, serial_base: int) -> float:
    started = time.perf_counter()
    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Hộ gia đình")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, HEADERS)
    first_day = dt.date(1940, 1, 1).toordinal()
    for n in range(1, rows + 1):
        born = dt.date.fromordinal(first_day + rng.randrange(22_000))
        sex = "nu" if rng.random() < 0.3 else "nam"
        digit = (2 if born.year >= 2000 else 0) + (sex == "nu")
        sheet.write_string(n, 0, rng.choice(villages))
        sheet.write_string(n, 1, f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN)}")
        sheet.write_string(n, 2, f"044{digit}{born.year % 100:02d}{serial_base + n:06d}")
        if n % 10:
            sheet.write_datetime(n, 3, born, dates)
        else:
            sheet.write_string(n, 3, born.strftime("%d/%m/%Y"))
        sheet.write_string(n, 4, "Nữ" if sex == "nu" else "Nam")
        sheet.write_number(n, 5, rng.randint(1, 9))
        sheet.write_string(n, 6, f"Số {n % 500} đường {rng.choice(GIVEN)}")
    book.close()
    return time.perf_counter() - started


def floor_seconds(path: Path) -> float:
    """calamine read of the file + COPY of the same rows into a bare temp table, in one transaction."""
    from django.db import connection, transaction

    started = time.perf_counter()
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    with transaction.atomic(), connection.cursor() as cursor:
        columns = ", ".join(f"c{n} text" for n in range(len(HEADERS)))
        cursor.execute(f"CREATE TEMP TABLE bench_floor ({columns}) ON COMMIT DROP")
        with cursor.cursor.copy("COPY bench_floor FROM STDIN") as copy:
            for row in rows[1:]:
                copy.write_row([str(v) for v in row[:7]])
    return time.perf_counter() - started


def villages_for(code: str, names: list[str]) -> UnitVersion:
    from hoctap.units.models import Village, VillageParent
    from hoctap.units.selectors import unit_resolve

    unit = unit_resolve(code=code, on=dt.date.today(), level="commune")
    for name in names:
        village = Village.objects.create(name=name, valid_from=dt.date(2025, 7, 1))
        VillageParent.objects.create(village=village, commune=unit, valid_from=dt.date(2025, 7, 1))
    return unit


def timed_import(path: Path, unit: UnitVersion) -> tuple[float, ImportBatch]:
    from hoctap.registry.imports import import_run

    started = time.perf_counter()
    batch = import_run(kind="households", data=path.read_bytes(), file_name=path.name, unit=unit,
                       on=dt.date.today(), year=None, actor=None, system=True)  # fmt: skip
    return time.perf_counter() - started, batch


def measure(path: Path, unit: UnitVersion, rows: int) -> dict[str, Any]:
    floor = floor_seconds(path)
    full, batch = timed_import(path, unit)
    if batch.status != "applied" or batch.counts["created"] != rows:
        raise SystemExit(f"import failed: {batch.status} {batch.counts}")
    second, again = timed_import(path, unit)
    if again.counts["unchanged"] != rows:
        raise SystemExit(f"re-import changed rows: {again.status} {again.counts}")
    return {
        "rows": rows,
        "floor_s": round(floor, 2),
        "import_s": round(full, 2),
        "ratio": round(full / floor, 2),
        "reimport_s": round(second, 2),
        "batches": [batch.pk, again.pk],
    }


def cleanup(batch_ids: list[int]) -> None:
    from hoctap.registry.models import Household, HouseholdResidence

    HouseholdResidence.objects.filter(household__import_batch_id__in=batch_ids).delete()
    Household.objects.filter(import_batch_id__in=batch_ids).delete()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--small-rows", type=int, default=6_000)
    args = parser.parse_args()
    own_db = not os.environ.get("DATABASE_URL")
    if own_db:
        admin(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        admin(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench_import needs PostgreSQL (DATABASE_URL=postgres://…)")
    try:
        report = run(args, own_db)
    finally:
        connection.close()
        if own_db:
            admin(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    print(json.dumps(report))


def run(args: argparse.Namespace, own_db: bool) -> dict[str, Any]:
    from django.core.management import call_command

    from hoctap.units.services import units_load_snapshot

    load_before = os.getloadavg()[0]
    if own_db:
        call_command("migrate", verbosity=0)
        units_load_snapshot()
    big_names = [f"Bench Thôn {n}" for n in range(1, 25)]
    small_names = [f"Bench Tổ dân phố {n}" for n in range(1, 13)]
    big_unit, small_unit = villages_for("18880", big_names), villages_for("19138", small_names)
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "households-250k.xlsx", Path(tmp) / "households-6k.xlsx"
        generate_s = generate(big, args.rows, big_names, seed=2557, serial_base=0)
        generate(small, args.small_rows, small_names, seed=11, serial_base=500_000)
        result = measure(big, big_unit, args.rows)
        small_result = measure(small, small_unit, args.small_rows)
    batches = result.pop("batches") + small_result.pop("batches")
    if not own_db:
        cleanup(batches)
    budget_ok = result["ratio"] <= MAX_RATIO and result["import_s"] < MAX_IMPORT_S
    return {
        **result,
        "budget_ok": budget_ok,
        "budget": {"max_ratio": MAX_RATIO, "max_import_s": MAX_IMPORT_S},
        "load_avg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
        "file_generate_s": round(generate_s, 1),
        "commune_6000": small_result,
    }


if __name__ == "__main__":
    main()
