"""The household list and its search at province scale, through Django's test Client; prints JSON.

Needs a prepared database with the province-scale demo (about 470,000 households):

    .venv/bin/python bench/bench_demo.py --keep /tmp/hoctap-province        # once, SQLite
    HOCTAP_VAR_DIR=/tmp/hoctap-province .venv/bin/python bench/bench_household_list.py [--runs 30]
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_household_list.py  # after bench_demo.py there

Budget: list and search under 300 ms (p95). Each case runs --runs times after one warm-up request.
Also times one Excel export of the whole list of a province and of a commune officer ("exports").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_MS = 300


def _export(username: str) -> dict[str, Any]:
    """Build the Excel export of the whole list the user sees, as the page (or its background task) does:
    seconds, rows, bytes. No budget of its own; lists above SYNC_LIMIT_ROWS are built in the background."""
    import tempfile

    from hoctap.accounts.models import User
    from hoctap.registry.exports import household_export
    from hoctap.registry.filters import household_filters, households_listed

    user = User.objects.get(username=username)
    households = households_listed(user, household_filters(user, {}))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ho.xlsx"
        started = time.perf_counter()
        rows = household_export(actor=user, households=households, out=out, on=None, filters={})
        seconds = time.perf_counter() - started
        size = out.stat().st_size
    return {"seconds": round(seconds, 2), "rows": rows, "bytes": size}


def _measure(
    client: Any, path: str, params: dict[str, str], runs: int, marker: str = 'href="/dan-cu/ho/'
) -> dict[str, Any]:
    first = client.get(path, params)
    if first.status_code != 200:
        raise SystemExit(f"{path} {params} answered {first.status_code}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    rows = first.content.decode().count(marker)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "rows": rows,
        "within_budget": p95 < BUDGET_MS,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("HOCTAP_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from hoctap.accounts.models import User
    from hoctap.core.demo import COMMUNE_B
    from hoctap.registry.models import Household
    from hoctap.units.models import Level, UnitVersion
    from hoctap.units.selectors import unit_predecessors

    total = Household.objects.count()
    if total < 1000:
        raise SystemExit(
            "Cơ sở dữ liệu chưa có dữ liệu mẫu cấp tỉnh: chạy bench/bench_demo.py --keep DIR trước."
        )
    path = reverse("registry:households")
    commune = UnitVersion.objects.get(code=COMMUNE_B, level=Level.COMMUNE, valid_to__isnull=True)
    old_commune = next(row.unit for row in unit_predecessors(commune) if row.is_default)  # until 30/6/2025
    cases: dict[str, tuple[str, dict[str, str]]] = {
        "province_list": ("tinh.quantri", {}),
        "province_list_page_100": ("tinh.quantri", {"trang": "100"}),
        "province_search_name": ("tinh.quantri", {"q": "nguyen van a"}),
        "province_search_rare": ("tinh.quantri", {"q": "quach thi"}),
        "province_filter_commune_active": ("tinh.quantri", {"xa": commune.public_id, "tinh_trang": "active"}),
        "province_list_as_of_2024": ("tinh.quantri", {"ngay": "2024-12-31"}),
        "old_commune_as_of_2024": ("tinh.quantri", {"ngay": "2024-12-31", "xa": old_commune.public_id}),
        "commune_list": ("xa.donghoi", {}),
        "commune_search_name": ("xa.donghoi", {"q": "nguyen van a"}),
    }
    results: dict[str, Any] = {"database": connection.vendor, "households": total, "runs": args.runs}
    for name, (username, params) in cases.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        results[name] = _measure(client, path, params, args.runs)
    citizens = reverse("registry:citizens")
    for name, params in (("province_citizen_list", {}), ("province_citizen_search", {"q": "nguyen thi"})):
        client = Client()
        client.force_login(User.objects.get(username="tinh.quantri"))
        results[name] = _measure(client, citizens, params, args.runs, marker='href="/dan-cu/cong-dan/')
    results["within_budget"] = all(v["within_budget"] for v in results.values() if isinstance(v, dict))
    exporters = {"province": "tinh.quantri", "commune": "xa.donghoi"}
    results["exports"] = {name: _export(username) for name, username in exporters.items()}
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
