"""Province-scale demo data generated into a fresh database; prints JSON on the last line.

    .venv/bin/python bench/bench_demo.py [--scale province|small] [--keep PATH]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoctap_bench_demo .venv/bin/python bench/bench_demo.py

Budget (PRODUCT.md): province-scale demo data in under 2 minutes. On SQLite a temporary database is used
(`--keep DIR` keeps it, e.g. to prepare bench_household_list.py); on PostgreSQL the database named in
DATABASE_URL is dropped and created again first.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _recreate_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')


def run(scale: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hoctap.core.demo import demo_setup
    from hoctap.registry.models import Citizen, Clan, Household
    from hoctap.units.models import Village

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started
    started = time.perf_counter()
    first = demo_setup(scale=scale)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = demo_setup(scale=scale)
    second_s = time.perf_counter() - started
    registry = first.get("registry", {})
    return {
        "database": connection.vendor,
        "scale": scale,
        "migrate_s": round(migrate_s, 2),
        "demo_first_run_s": round(first_s, 2),
        "demo_second_run_s": round(second_s, 2),
        "budget_s": 120,
        "within_budget": first_s < 120,
        "villages": Village.objects.count(),
        "households": Household.objects.count(),
        "citizens": Citizen.objects.count(),
        "clans": Clan.objects.count(),
        "generated": registry,
        "second_run_added": second.get("registry", {}).get("households", 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="province", choices=["small", "province"])
    parser.add_argument("--keep", help="directory for the SQLite database (kept after the run)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        _recreate_postgres(url)
        result = run(args.scale)
    elif args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        os.environ["HOCTAP_VAR_DIR"] = args.keep
        result = run(args.scale)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["HOCTAP_VAR_DIR"] = tmp
            result = run(args.scale)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
