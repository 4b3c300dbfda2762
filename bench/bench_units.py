"""Load the vendored unit snapshot into a fresh database, beside the raw floor of the same rows.

Floor: gunzip + json parse + one executemany of the same (level, code, name, from, to) tuples into a bare
SQLite table in one transaction. Prints JSON on the last line.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def floor_seconds() -> float:
    from hoctap.units.services import read_snapshot

    started = time.perf_counter()
    data = read_snapshot()
    rows = [("province", p["code"], p["name"]) for p in data["legacy_provinces"] + data["current_provinces"]]
    rows += [("district", d["code"], d["name"]) for d in data["legacy_districts"]]
    rows += [("commune", c["code"], c["name"]) for c in data["legacy_communes"] + data["current_communes"]]
    con = sqlite3.connect(":memory:")
    con.execute("create table u (id integer primary key, level text, code text, name text)")
    with con:
        con.executemany("insert into u (level, code, name) values (?, ?, ?)", rows)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if not os.environ.get("DATABASE_URL"):
            os.environ["HOCTAP_VAR_DIR"] = tmp
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from hoctap.units.services import SNAPSHOT_PATH, units_load_snapshot

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        first = units_load_snapshot()
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        units_load_snapshot()
        reload_s = time.perf_counter() - started
        floor = floor_seconds()
        from django.db import connection

        print(
            json.dumps(
                {
                    "engine": connection.vendor,
                    "snapshot_bytes": SNAPSHOT_PATH.stat().st_size,
                    "units_created": first.created,
                    "lineage_created": first.lineage_created,
                    "load_s": round(load_s, 3),
                    "reload_idempotent_s": round(reload_s, 3),
                    "raw_floor_s": round(floor, 3),
                    "ratio_to_floor": round(load_s / floor, 1),
                }
            )
        )


if __name__ == "__main__":
    main()
