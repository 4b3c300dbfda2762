"""Benchmark: one commune's yearly round at province scale — 6,000 households.

    .venv/bin/python bench/bench_round.py [--households 6000] [--certificates 1000]

On a fresh database (SQLite in a temporary directory, or the PostgreSQL of DATABASE_URL, whose rows are left
in place): creates a commune's villages and households, then measures the officer-facing steps — import of
the round's Excel file (every row evaluated), proposing/reviewing/deciding (one Recognition per passing
household), carrying the list over to the next year and confirming it in bulk, the decision with its
attached list as DOCX and PDF, and a batch of certificates as one PDF. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn: Any, *args: Any, **kwargs: Any) -> Any:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, round(time.perf_counter() - started, 3)


def setup_commune(households: int) -> Any:
    from hoctap.registry.models import Household
    from hoctap.units.models import Level, Village, VillageParent
    from hoctap.units.selectors import unit_resolve
    from hoctap.units.services import units_load_snapshot

    units_load_snapshot()
    commune = unit_resolve(code="18880", on=date(2026, 1, 1), level=Level.COMMUNE)
    villages = [
        Village.objects.create(name=f"Tổ dân phố {i}", valid_from=date(2025, 7, 1)) for i in range(1, 25)
    ]
    VillageParent.objects.bulk_create(
        [VillageParent(village=v, commune=commune, valid_from=date(2025, 7, 1)) for v in villages]
    )
    rows = [
        Household(village=villages[i % len(villages)], head_name=f"Nguyễn Văn Hộ {i:05d}",
                  head_name_search=f"nguyen van ho {i:05d}", head_cccd=f"0440800{i:05d}", member_count=4,
                  code=f"BENCH{i:05d}", public_id=f"bench{i:07d}")
        for i in range(households)
    ]  # fmt: skip
    Household.objects.bulk_create(rows, batch_size=2000)
    return commune, rows


def write_file(path: Path, homes: list[Any], year: int) -> None:
    import xlsxwriter

    from hoctap.recognitions.criteria import criteria_set_for_model
    from hoctap.recognitions.imports import spec_for_round
    from hoctap.recognitions.tests.test_round_services import full_marks

    spec = spec_for_round("gdht", criteria_set_for_model(model="gdht", year=year))
    answers = full_marks("gdht", year)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, [c.header for c in spec.columns])
    for r, h in enumerate(homes, start=1):
        sheet.write_row(r, 0, [h.code, h.head_name, *[answers[c.header] for c in spec.columns[2:]]])
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=6000)
    parser.add_argument("--certificates", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not os.environ.get("DATABASE_URL"):
            os.environ["HOCTAP_VAR_DIR"] = tmp
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        result = run(args, Path(tmp))
        result["engine"] = connection.vendor
        print(json.dumps(result))


def run(args: argparse.Namespace, tmp: Path) -> dict[str, object]:
    from hoctap.accounts.models import User
    from hoctap.documents.rendering import render_certificates_pdf, render_docx, render_pdf
    from hoctap.recognitions.documents import certificate_specs, decision_spec
    from hoctap.recognitions.models import Round
    from hoctap.recognitions.services import (
        round_carry_over,
        round_confirm_carried,
        round_create,
        round_decide,
        round_transition,
    )
    from hoctap.registry.imports import import_run

    actor = User.objects.create_superuser(username="bench", password="bench-only-password")
    commune, homes = setup_commune(args.households)
    path = tmp / "round.xlsx"
    write_file(path, homes, 2025)
    options = {"model": "gdht", "year": 2025}
    batch, import_s = timed(
        import_run,
        kind="recognitions",
        data=path.read_bytes(),
        file_name=path.name,
        unit=commune,
        on=date(2026, 1, 5),
        year=2025,
        actor=None,
        system=True,
        options=options,
    )
    assert batch.status == "applied", batch.counts
    rnd = Round.objects.get(commune=commune, model="gdht", year=2025)
    started = time.perf_counter()
    for action in ("propose", "review"):
        round_transition(actor=actor, round=rnd, action=action)
    rnd = round_decide(actor=actor, round=rnd, decision_date=date(2026, 1, 20), signer="Trần Văn Bảy")
    decide_s = round(time.perf_counter() - started, 3)
    spec = decision_spec(rnd)
    _, docx_s = timed(render_docx, spec)
    _, pdf_s = timed(render_pdf, spec)
    certs = certificate_specs(rnd)[: args.certificates]
    _, cert_s = timed(render_certificates_pdf, certs)
    nxt = round_create(actor=actor, commune=commune, model="gdht", year=2026)
    carried, carry_s = timed(round_carry_over, actor=actor, round=nxt)
    confirmed, confirm_s = timed(round_confirm_carried, actor=actor, round=nxt)
    return {
        "households": args.households, "import_s": import_s, "rows": batch.counts.get("rows"),
        "decide_s": decide_s, "recognised": rnd.recognitions.count(), "decision_docx_s": docx_s,
        "decision_pdf_s": pdf_s, "certificates": len(certs), "certificates_pdf_s": cert_s,
        "carry_over_s": carry_s, "carried": carried, "confirm_all_s": confirm_s, "confirmed": confirmed,
    }  # fmt: skip


if __name__ == "__main__":
    main()
