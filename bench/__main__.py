"""Run the benchmarks: `python -m bench [name ...]` prints one JSON document with every result.

Each bench/bench_*.py is a script that prints one JSON object on its last line of standard output. They run
in separate processes so that imports and caches of one do not flatter another. Never run as unit tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    results: dict[str, object] = {}
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, cwd=HERE.parent, check=False
        )
        lines = [line for line in proc.stdout.strip().splitlines() if line.strip()]
        try:
            results[name] = json.loads(lines[-1]) if proc.returncode == 0 and lines else None
        except json.JSONDecodeError:
            results[name] = None
        if results[name] is None:
            status = 1
            results[name] = {"error": (proc.stderr or proc.stdout)[-2000:], "returncode": proc.returncode}
        print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
