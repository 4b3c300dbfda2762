"""Benchmark of document rendering; prints JSON. Budgets (PRODUCT.md): a decision with a 2,000-name list as
DOCX < 2 s and PDF < 10 s; 1,000 certificates in one PDF < 60 s.

    .venv/bin/python bench/bench_documents.py [--runs 3] [--single-pass] [--libreoffice]

Long lists and large certificate batches are laid out in parallel processes (rendering/split.py).
``--single-pass`` also times the one-process layout and ``--libreoffice`` the alternative engine (docx
rendered, then converted by soffice): the comparison recorded in docs/adr/0003-pdf-engine.md. The load
average is printed too: the machine is shared, and timings taken under load are not comparable.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader

from hoctap.documents.rendering import (
    document_html,
    render_certificates_pdf,
    render_docx,
    render_pdf,
    sample_certificate_specs,
    sample_document_spec,
)
from hoctap.documents.rendering.pdf import default_workers
from hoctap.documents.rendering.split import render_parallel


def _timed(action: Callable[[], bytes], runs: int) -> tuple[list[float], bytes]:
    timings: list[float] = []
    result = b""
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        timings.append(round(time.perf_counter() - start, 3))
    return timings, result


def _libreoffice(docx: bytes) -> bytes:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise RuntimeError("soffice not installed")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "qd.docx"
        source.write_bytes(docx)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        return (Path(tmp) / "qd.pdf").read_bytes()


def _entry(timings: list[float], output: bytes, *, budget: float, pdf: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "runs_s": timings,
        "median_s": statistics.median(timings),
        "budget_s": budget,
        "within_budget": statistics.median(timings) < budget,
        "bytes": len(output),
    }
    if pdf:
        entry["pages"] = len(PdfReader(io.BytesIO(output)).pages)
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--certificates", type=int, default=1000)
    parser.add_argument("--libreoffice", action="store_true", help="also time docx + soffice conversion")
    parser.add_argument("--single-pass", action="store_true", help="also time WeasyPrint in one process")
    args = parser.parse_args()

    spec = sample_document_spec("qd", rows=args.rows)
    workers = default_workers()
    # Warm-up: imports, fonts, stylesheets, and the worker processes of split rendering.
    render_parallel(
        [document_html(sample_document_spec("qd", rows=3))] * workers,
        stylesheet="document.css",
        workers=workers,
    )
    render_pdf(sample_document_spec("qd", rows=3))
    results: dict[str, Any] = {
        "rows": args.rows,
        "certificates": args.certificates,
        "workers": workers,
        "load_average_before": os.getloadavg(),
    }
    timings, docx = _timed(lambda: render_docx(spec), args.runs)
    results["qd_docx"] = _entry(timings, docx, budget=2, pdf=False)
    timings, pdf = _timed(lambda: render_pdf(spec), args.runs)
    results["qd_pdf_weasyprint"] = _entry(timings, pdf, budget=10, pdf=True)
    if args.single_pass:
        timings, pdf = _timed(lambda: render_pdf(spec, workers=1), args.runs)
        results["qd_pdf_weasyprint_single_pass"] = _entry(timings, pdf, budget=10, pdf=True)
    if args.libreoffice:
        timings, pdf = _timed(lambda: _libreoffice(render_docx(spec)), args.runs)
        results["qd_pdf_libreoffice"] = _entry(timings, pdf, budget=10, pdf=True)
    certificates = sample_certificate_specs(args.certificates)
    timings, pdf = _timed(lambda: render_certificates_pdf(certificates), 1)
    results["certificates_pdf"] = _entry(timings, pdf, budget=60, pdf=True)
    results["load_average_after"] = os.getloadavg()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
