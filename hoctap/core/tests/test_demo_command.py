"""The README's first command on a fresh machine: `hoctap demo --no-serve` into an empty directory."""

import json
import os
import subprocess
import sys
from pathlib import Path


def run_demo(var_dir: Path) -> dict:
    env = {**os.environ, "HOCTAP_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "hoctap", "demo", "--no-serve", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_demo_sets_up_an_empty_directory_and_is_idempotent(tmp_path: Path) -> None:
    var_dir = tmp_path / "fresh" / "var"  # does not exist yet, like var/ on a fresh clone
    first = run_demo(var_dir)
    assert (var_dir / "hoctap.sqlite3").exists()
    usernames = {u["username"] for u in first["users"]}
    assert {"admin", "tinh.quantri", "xa.donghoi", "xa.phongnha", "thon.donghoi", "congdan"} <= usernames
    assert first["units"]["current_communes"] == 3321
    second = run_demo(var_dir)
    assert second["villages"] == first["villages"]
    assert "units" not in second  # already loaded: not loaded again
