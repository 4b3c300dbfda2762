"""Set files on disk, and the diff of two versions."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hoctap.criteria.schema.model import DATA_DIR, CriteriaSchemaError, CriteriaSetVersion

# --- files ---------------------------------------------------------------------------------------


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_set_file(path: Path) -> CriteriaSetVersion:
    """Load and validate one set file; its name must be ``<code>@<version>.yaml``."""
    data = read_yaml(path)
    if not isinstance(data, Mapping):
        raise CriteriaSchemaError([f"{path.name}: the file must hold a mapping"])
    try:
        result = CriteriaSetVersion.from_dict(data)
    except CriteriaSchemaError as exc:
        raise CriteriaSchemaError([f"{path.name}: {p}" for p in exc.problems]) from exc
    if path.name != f"{result.key}.yaml":
        raise CriteriaSchemaError([f"{path.name}: file name must be {result.key}.yaml"])
    return result


def load_shipped_sets(data_dir: Path | None = None) -> list[CriteriaSetVersion]:
    """Every criteria set version shipped in ``data/`` (files named ``<code>@<version>.yaml``)."""
    directory = data_dir or DATA_DIR
    sets = [load_set_file(path) for path in sorted(directory.glob("*@*.yaml"))]
    return sorted(sets, key=lambda s: (s.code, s.version))


@functools.cache
def _shipped_cached() -> tuple[CriteriaSetVersion, ...]:
    return tuple(load_shipped_sets())


def get_shipped_set(code: str, version: int | None = None) -> CriteriaSetVersion:
    """The shipped set ``code`` at ``version`` (default: the highest version). KeyError if absent.

    The shipped files are read once per process (they are part of the release); ``load_shipped_sets()``
    always reads the directory afresh."""
    matches = [s for s in _shipped_cached() if s.code == code and version in (None, s.version)]
    if not matches:
        raise KeyError(f"{code}@{version}" if version else code)
    return max(matches, key=lambda s: s.version)


# --- diff ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference between two versions; ``path`` names list items by their code."""

    path: str
    kind: str  # "added" | "removed" | "changed"
    before: object = None
    after: object = None

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "kind": self.kind, "before": self.before, "after": self.after}


def _flatten(value: object, path: str, out: dict[str, object]) -> None:
    if isinstance(value, dict):
        if not value and path:
            out[path] = {}
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list) and value and all(isinstance(i, dict) and "code" in i for i in value):
        for item in value:
            _flatten(item, f"{path}[{item['code']}]", out)
    else:
        out[path] = value


def diff_versions(a: CriteriaSetVersion, b: CriteriaSetVersion) -> list[Change]:
    """What changed from ``a`` to ``b``, leaf by leaf, in a stable (sorted) order."""
    left: dict[str, object] = {}
    right: dict[str, object] = {}
    _flatten(a.to_dict(), "", left)
    _flatten(b.to_dict(), "", right)
    changes: list[Change] = []
    for path in sorted(set(left) | set(right)):
        if path not in right:
            changes.append(Change(path=path, kind="removed", before=left[path]))
        elif path not in left:
            changes.append(Change(path=path, kind="added", after=right[path]))
        elif left[path] != right[path]:
            changes.append(Change(path=path, kind="changed", before=left[path], after=right[path]))
    return changes
