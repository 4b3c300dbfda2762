"""Reader for the vendored snapshot of Vietnamese administrative units (pure Python, no Django).

The snapshot (``data/units-vn.json.gz``, built by ``scripts/build_units_snapshot.py`` from the MIT-licensed
package ``vietnamadminunits``; see ``docs/data-provenance.md``) holds two periods:

* ``legacy`` (until 30/6/2025): 63 provinces, their districts and communes;
* ``current`` (from 1/7/2025): 34 provinces and their communes (no district level),

and the lineage between them: ``commune_lineage`` (old commune -> new commune; ``merge`` when the old commune
went wholly into one new commune, ``split`` with one row per successor and exactly one default when it was
divided) and ``district_lineage`` (the island districts that had no communes and became a đặc khu).

Official codes are not identifiers across periods: new province 44 (Quảng Trị) reuses old Quảng Bình's
code and most new communes reuse the code of some old commune. Always say which period a code belongs to.

Kinds: provinces ``tinh`` | ``thanh_pho``; districts ``huyen`` | ``quan`` | ``thi_xa`` |
``thanh_pho_thuoc_tinh`` | ``thanh_pho_thuoc_tw`` (a city inside a centrally-run city: Thủ Đức, Thủy
Nguyên); legacy communes ``xa`` | ``phuong`` | ``thi_tran``; current communes ``xa`` | ``phuong`` |
``dac_khu``.

``load_snapshot()`` checks referential integrity and raises :class:`SnapshotError` on broken data. Gaps
that the source may genuinely have (an old unit without a successor, a new commune without a predecessor)
are not errors: they are listed in ``Snapshot.gaps``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "DEFAULT_PATH",
    "CommuneLineage",
    "CurrentCommune",
    "CurrentProvince",
    "DistrictLineage",
    "LegacyCommune",
    "LegacyDistrict",
    "LegacyProvince",
    "LegalBasis",
    "Period",
    "Snapshot",
    "SnapshotError",
    "SnapshotGaps",
    "SourceInfo",
    "load_snapshot",
]

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "units-vn.json.gz"
SUPPORTED_FORMAT = 1

# kind slug -> the prefix every full name of that kind starts with
PROVINCE_KINDS = MappingProxyType({"tinh": "Tỉnh", "thanh_pho": "Thành phố"})
DISTRICT_KINDS = MappingProxyType(
    {
        "huyen": "Huyện",
        "quan": "Quận",
        "thi_xa": "Thị xã",
        "thanh_pho_thuoc_tinh": "Thành phố",
        "thanh_pho_thuoc_tw": "Thành phố",
    }
)
LEGACY_COMMUNE_KINDS = MappingProxyType({"xa": "Xã", "phuong": "Phường", "thi_tran": "Thị trấn"})
CURRENT_COMMUNE_KINDS = MappingProxyType({"xa": "Xã", "phuong": "Phường", "dac_khu": "Đặc khu"})
LINEAGE_KINDS = frozenset({"merge", "split"})

_CODE_RE = {2: re.compile(r"\d{2}"), 3: re.compile(r"\d{3}"), 5: re.compile(r"\d{5}")}
_MAX_REPORTED = 20


class SnapshotError(ValueError):
    """The snapshot file is unreadable or inconsistent; the message lists what is wrong."""


# ------------------------------------------------------------------------------------------------ records


@dataclass(frozen=True, slots=True)
class LegalBasis:
    number: str | None
    date: dt.date | None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Period:
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    legal_basis: LegalBasis | None
    note: str = ""

    def contains(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class SourceInfo:
    package: str
    version: str
    licence: str
    copyright: str
    sha256_of_source: str
    generated_on: dt.date


@dataclass(frozen=True, slots=True)
class LegacyProvince:
    code: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class LegacyDistrict:
    code: str
    name: str
    kind: str
    province: str


@dataclass(frozen=True, slots=True)
class LegacyCommune:
    code: str
    name: str
    kind: str
    district: str
    province: str


@dataclass(frozen=True, slots=True)
class CurrentProvince:
    code: str
    name: str
    kind: str
    predecessors: tuple[str, ...]  # legacy province codes


@dataclass(frozen=True, slots=True)
class CurrentCommune:
    code: str
    name: str
    kind: str
    province: str
    legal_basis: LegalBasis | None  # None: the province's commune resolution is not confirmed yet


@dataclass(frozen=True, slots=True)
class CommuneLineage:
    successor: str  # current commune code
    predecessor: str  # legacy commune code
    predecessor_district: str  # legacy district code
    kind: str  # "merge" | "split"
    is_default: bool


@dataclass(frozen=True, slots=True)
class DistrictLineage:
    successor: str  # current commune code (a đặc khu)
    predecessor_district: str  # legacy district code (an island district without communes)
    kind: str  # "merge"


@dataclass(frozen=True, slots=True)
class SnapshotGaps:
    """What the source lacks; empty tuples for the vendored snapshot (a test checks it)."""

    legacy_communes_without_successor: tuple[str, ...] = ()
    legacy_districts_without_successor: tuple[str, ...] = ()  # no communes and no district lineage
    current_communes_without_predecessor: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.legacy_communes_without_successor
            or self.legacy_districts_without_successor
            or self.current_communes_without_predecessor
        )


@dataclass(frozen=True, eq=False)
class Snapshot:
    format: int
    source: SourceInfo
    periods: Mapping[str, Period]
    legacy_provinces: tuple[LegacyProvince, ...]
    legacy_districts: tuple[LegacyDistrict, ...]
    legacy_communes: tuple[LegacyCommune, ...]
    current_provinces: tuple[CurrentProvince, ...]
    current_communes: tuple[CurrentCommune, ...]
    commune_lineage: tuple[CommuneLineage, ...]
    district_lineage: tuple[DistrictLineage, ...]
    gaps: SnapshotGaps = field(default_factory=SnapshotGaps)

    def counts(self) -> dict[str, int]:
        return {
            "legacy_provinces": len(self.legacy_provinces),
            "legacy_districts": len(self.legacy_districts),
            "legacy_communes": len(self.legacy_communes),
            "current_provinces": len(self.current_provinces),
            "current_communes": len(self.current_communes),
            "commune_lineage": len(self.commune_lineage),
            "district_lineage": len(self.district_lineage),
        }

    # Indexes, built on first use (cached_property writes the instance __dict__, allowed on a frozen class).
    @cached_property
    def legacy_provinces_by_code(self) -> Mapping[str, LegacyProvince]:
        return MappingProxyType({p.code: p for p in self.legacy_provinces})

    @cached_property
    def legacy_districts_by_code(self) -> Mapping[str, LegacyDistrict]:
        return MappingProxyType({d.code: d for d in self.legacy_districts})

    @cached_property
    def legacy_communes_by_code(self) -> Mapping[str, LegacyCommune]:
        return MappingProxyType({c.code: c for c in self.legacy_communes})

    @cached_property
    def current_provinces_by_code(self) -> Mapping[str, CurrentProvince]:
        return MappingProxyType({p.code: p for p in self.current_provinces})

    @cached_property
    def current_communes_by_code(self) -> Mapping[str, CurrentCommune]:
        return MappingProxyType({c.code: c for c in self.current_communes})

    @cached_property
    def _successor_index(self) -> Mapping[str, tuple[CommuneLineage, ...]]:
        return _group(self.commune_lineage, lambda row: row.predecessor)

    @cached_property
    def _predecessor_index(self) -> Mapping[str, tuple[CommuneLineage, ...]]:
        return _group(self.commune_lineage, lambda row: row.successor)

    @cached_property
    def _district_predecessor_index(self) -> Mapping[str, tuple[DistrictLineage, ...]]:
        return _group(self.district_lineage, lambda row: row.successor)

    def successors_of(self, legacy_commune_code: str) -> tuple[CommuneLineage, ...]:
        """Lineage rows from an old commune to the new communes that took it over (default first)."""
        rows = self._successor_index.get(legacy_commune_code, ())
        return tuple(sorted(rows, key=lambda r: (not r.is_default, r.successor)))

    def default_successor(self, legacy_commune_code: str) -> str | None:
        """The current commune an old commune's facts roll up to by default (None if unmapped)."""
        return next((r.successor for r in self.successors_of(legacy_commune_code) if r.is_default), None)

    def predecessors_of(self, current_commune_code: str) -> tuple[CommuneLineage, ...]:
        """Lineage rows into a new commune from old communes (merged wholly, or a part of a split one)."""
        return self._predecessor_index.get(current_commune_code, ())

    def district_predecessors_of(self, current_commune_code: str) -> tuple[DistrictLineage, ...]:
        """Island districts without communes that became this đặc khu."""
        return self._district_predecessor_index.get(current_commune_code, ())


def _group(rows: Iterable[Any], key: Any) -> Mapping[str, tuple[Any, ...]]:
    grouped: dict[str, list[Any]] = {}
    for row in rows:
        grouped.setdefault(key(row), []).append(row)
    return MappingProxyType({k: tuple(v) for k, v in grouped.items()})


# ----------------------------------------------------------------------------------------------- parsing


def _date(value: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise SnapshotError(f"{where}: {value!r} is not a YYYY-MM-DD date") from None


def _legal_basis(value: Any, where: str) -> LegalBasis | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SnapshotError(f"{where}: legal_basis must be an object or null")
    date = value.get("date")
    return LegalBasis(
        number=value.get("number"),
        date=None if date is None else _date(date, f"{where}.date"),
        title=value.get("title"),
    )


def _records(raw: dict[str, Any], key: str, build: Any) -> tuple[Any, ...]:
    rows = raw.get(key)
    if not isinstance(rows, list):
        raise SnapshotError(f"'{key}' is missing or not a list")
    out = []
    for i, row in enumerate(rows):
        try:
            out.append(build(row))
        except (KeyError, TypeError, AttributeError) as exc:
            raise SnapshotError(f"{key}[{i}] is malformed ({exc!r}): {row!r}") from None
    return tuple(out)


def _parse(raw: Any) -> Snapshot:
    if not isinstance(raw, dict):
        raise SnapshotError("the snapshot is not a JSON object")
    if raw.get("format") != SUPPORTED_FORMAT:
        found = raw.get("format")
        raise SnapshotError(f"unsupported snapshot format {found!r} (expected {SUPPORTED_FORMAT})")
    try:
        src = raw["source"]
        source = SourceInfo(
            package=src["package"],
            version=src["version"],
            licence=src["licence"],
            copyright=src["copyright"],
            sha256_of_source=src["sha256_of_source"],
            generated_on=_date(src["generated_on"], "source.generated_on"),
        )
        periods = {
            name: Period(
                name=name,
                valid_from=_date(p["valid_from"], f"periods.{name}.valid_from"),
                valid_to=None if p["valid_to"] is None else _date(p["valid_to"], f"periods.{name}.valid_to"),
                legal_basis=_legal_basis(p.get("legal_basis"), f"periods.{name}"),
                note=p.get("note") or "",
            )
            for name, p in raw["periods"].items()
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise SnapshotError(f"'source' or 'periods' is malformed ({exc!r})") from None

    return Snapshot(
        format=raw["format"],
        source=source,
        periods=MappingProxyType(periods),
        legacy_provinces=_records(
            raw, "legacy_provinces", lambda r: LegacyProvince(code=r["code"], name=r["name"], kind=r["kind"])
        ),
        legacy_districts=_records(
            raw,
            "legacy_districts",
            lambda r: LegacyDistrict(code=r["code"], name=r["name"], kind=r["kind"], province=r["province"]),
        ),
        legacy_communes=_records(
            raw,
            "legacy_communes",
            lambda r: LegacyCommune(
                code=r["code"], name=r["name"], kind=r["kind"], district=r["district"], province=r["province"]
            ),
        ),
        current_provinces=_records(
            raw,
            "current_provinces",
            lambda r: CurrentProvince(
                code=r["code"], name=r["name"], kind=r["kind"], predecessors=tuple(r["predecessors"])
            ),
        ),
        current_communes=_records(
            raw,
            "current_communes",
            lambda r: CurrentCommune(
                code=r["code"],
                name=r["name"],
                kind=r["kind"],
                province=r["province"],
                legal_basis=_legal_basis(r["legal_basis"], f"current commune {r['code']}"),
            ),
        ),
        commune_lineage=_records(
            raw,
            "commune_lineage",
            lambda r: CommuneLineage(
                successor=r["successor"],
                predecessor=r["predecessor"],
                predecessor_district=r["predecessor_district"],
                kind=r["kind"],
                is_default=r["is_default"],
            ),
        ),
        district_lineage=_records(
            raw,
            "district_lineage",
            lambda r: DistrictLineage(
                successor=r["successor"], predecessor_district=r["predecessor_district"], kind=r["kind"]
            ),
        ),
    )


# -------------------------------------------------------------------------------------------- validation


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)

    def raise_if_any(self, path: Path) -> None:
        if not self.items:
            return
        shown = "\n  - ".join(self.items[:_MAX_REPORTED])
        more = len(self.items) - _MAX_REPORTED
        tail = f"\n  ... and {more} more" if more > 0 else ""
        raise SnapshotError(f"{path}: {len(self.items)} problem(s) in the snapshot:\n  - {shown}{tail}")


def _check_units(
    problems: _Problems, what: str, units: Iterable[Any], width: int, kinds: Mapping[str, str]
) -> set[str]:
    codes: set[str] = set()
    for u in units:
        label = f"{what} {u.code!r}"
        if not isinstance(u.code, str) or not _CODE_RE[width].fullmatch(u.code):
            problems.add(f"{label}: code must be {width} digits as a string")
        if u.code in codes:
            problems.add(f"{label}: duplicate code")
        codes.add(u.code)
        if u.kind not in kinds:
            problems.add(f"{label}: unknown kind {u.kind!r} (expected one of {', '.join(kinds)})")
        elif not isinstance(u.name, str) or not u.name.startswith(kinds[u.kind] + " "):
            problems.add(f"{label}: name {u.name!r} does not start with {kinds[u.kind]!r}")
        elif unicodedata.normalize("NFC", u.name) != u.name:
            problems.add(f"{label}: name {u.name!r} is not NFC")
    return codes


def _check_periods(problems: _Problems, periods: Mapping[str, Period]) -> None:
    legacy, current = periods.get("legacy"), periods.get("current")
    if legacy is None or current is None:
        problems.add("periods must contain 'legacy' and 'current'")
        return
    if legacy.valid_to is None or legacy.valid_to + dt.timedelta(days=1) != current.valid_from:
        problems.add("periods: the legacy period must end the day before the current one starts")
    for p in (legacy, current):
        if p.valid_to is not None and p.valid_to < p.valid_from:
            problems.add(f"periods.{p.name}: valid_to is before valid_from")


def _validate(snap: Snapshot, path: Path) -> SnapshotGaps:
    problems = _Problems()
    _check_periods(problems, snap.periods)
    _check_units(problems, "legacy province", snap.legacy_provinces, 2, PROVINCE_KINDS)
    _check_units(problems, "legacy district", snap.legacy_districts, 3, DISTRICT_KINDS)
    _check_units(problems, "legacy commune", snap.legacy_communes, 5, LEGACY_COMMUNE_KINDS)
    _check_units(problems, "current province", snap.current_provinces, 2, PROVINCE_KINDS)
    _check_units(problems, "current commune", snap.current_communes, 5, CURRENT_COMMUNE_KINDS)
    problems.raise_if_any(path)  # the checks below rely on unique codes

    lprov, ldist, lcomm = (
        snap.legacy_provinces_by_code,
        snap.legacy_districts_by_code,
        snap.legacy_communes_by_code,
    )
    cprov, ccomm = snap.current_provinces_by_code, snap.current_communes_by_code

    for d in snap.legacy_districts:
        if d.province not in lprov:
            problems.add(f"legacy district {d.code} ({d.name}): province {d.province!r} does not exist")
    for c in snap.legacy_communes:
        district = ldist.get(c.district)
        if district is None:
            problems.add(f"legacy commune {c.code} ({c.name}): district {c.district!r} does not exist")
        elif district.province != c.province:
            problems.add(f"legacy commune {c.code} ({c.name}): province {c.province!r} is not its district's")

    successor_province: dict[str, str] = {}
    for p in snap.current_provinces:
        for old in p.predecessors:
            if old not in lprov:
                problems.add(f"current province {p.code} ({p.name}): predecessor {old!r} does not exist")
            elif old in successor_province:
                other = successor_province[old]
                problems.add(f"legacy province {old} is a predecessor of both {other} and {p.code}")
            successor_province[old] = p.code
    for code in sorted(set(lprov) - set(successor_province)):
        problems.add(f"legacy province {code} is no current province's predecessor")
    for cc in snap.current_communes:
        if cc.province not in cprov:
            problems.add(f"current commune {cc.code} ({cc.name}): province {cc.province!r} does not exist")
        if cc.legal_basis is not None and not (cc.legal_basis.number and cc.legal_basis.date):
            problems.add(f"current commune {cc.code} ({cc.name}): legal_basis needs a number and a date")

    pairs: set[tuple[str, str]] = set()
    for row in snap.commune_lineage:
        label = f"commune lineage {row.predecessor} -> {row.successor}"
        old_c, new_c = lcomm.get(row.predecessor), ccomm.get(row.successor)
        if old_c is None:
            problems.add(f"{label}: legacy commune {row.predecessor!r} does not exist")
        elif row.predecessor_district != old_c.district:
            problems.add(f"{label}: predecessor_district {row.predecessor_district!r} != {old_c.district!r}")
        if new_c is None:
            problems.add(f"{label}: current commune {row.successor!r} does not exist")
        if old_c and new_c and successor_province.get(old_c.province) != new_c.province:
            problems.add(f"{label}: the new commune is not in the province that succeeded the old one")
        if row.kind not in LINEAGE_KINDS:
            problems.add(f"{label}: unknown kind {row.kind!r}")
        if not isinstance(row.is_default, bool):
            problems.add(f"{label}: is_default must be true or false")
        if (row.predecessor, row.successor) in pairs:
            problems.add(f"{label}: duplicate row")
        pairs.add((row.predecessor, row.successor))

    for old, rows in snap._successor_index.items():
        kinds = {r.kind for r in rows}
        defaults = sum(1 for r in rows if r.is_default is True)
        if len(kinds) > 1:
            problems.add(f"legacy commune {old}: both merged and split ({len(rows)} rows)")
        elif kinds == {"merge"} and (len(rows) != 1 or defaults != 1):
            problems.add(f"legacy commune {old}: a merge has one default successor ({len(rows)} rows)")
        elif kinds == {"split"} and (len(rows) < 2 or defaults != 1):
            problems.add(
                f"legacy commune {old}: a split needs >= 2 successors and exactly one default "
                f"(has {len(rows)} successors, {defaults} default)"
            )

    districts_with_communes = {c.district for c in snap.legacy_communes}
    island_districts = set()
    for drow in snap.district_lineage:
        label = f"district lineage {drow.predecessor_district} -> {drow.successor}"
        if drow.predecessor_district not in ldist:
            problems.add(f"{label}: legacy district {drow.predecessor_district!r} does not exist")
        elif drow.predecessor_district in districts_with_communes:
            problems.add(f"{label}: only districts without communes belong in district_lineage")
        if drow.successor not in ccomm:
            problems.add(f"{label}: current commune {drow.successor!r} does not exist")
        if drow.kind != "merge":
            problems.add(f"{label}: unknown kind {drow.kind!r}")
        island_districts.add(drow.predecessor_district)
    problems.raise_if_any(path)

    with_predecessor = set(snap._predecessor_index) | set(snap._district_predecessor_index)
    return SnapshotGaps(
        legacy_communes_without_successor=tuple(sorted(set(lcomm) - set(snap._successor_index))),
        legacy_districts_without_successor=tuple(
            sorted(set(ldist) - districts_with_communes - island_districts)
        ),
        current_communes_without_predecessor=tuple(sorted(set(ccomm) - with_predecessor)),
    )


# ------------------------------------------------------------------------------------------------ loading


def load_snapshot(path: Path | None = None) -> Snapshot:
    """Read, parse and validate the snapshot (default: the vendored file next to this module)."""
    path = DEFAULT_PATH if path is None else Path(path)
    try:
        with gzip.open(path, "rb") as f:
            raw = json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        raise SnapshotError(f"{path}: snapshot file not found") from None
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SnapshotError(f"{path}: not a gzip-compressed UTF-8 JSON snapshot ({exc})") from None
    snap = _parse(raw)
    return dataclasses.replace(snap, gaps=_validate(snap, path))
