"""Writes to the unit tables: loading the vendored snapshot (idempotent) and villages."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from hoctap.core.audit import audit_log
from hoctap.core.text import fold, nfc
from hoctap.units.models import (
    LEVEL_OF_KIND,
    Level,
    LineageKind,
    UnitLineage,
    UnitVersion,
    Village,
    VillageKind,
    VillageParent,
)

SNAPSHOT_PATH = Path(__file__).resolve().parent / "data" / "units-vn.json.gz"
REFORM_DAY = date(2025, 7, 1)


class SnapshotFormatError(ValueError):
    pass


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    lineage_created: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def read_snapshot(path: Path | None = None) -> dict[str, Any]:
    target = path or SNAPSHOT_PATH
    try:
        with gzip.open(target, "rt", encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
    except FileNotFoundError as exc:
        raise SnapshotFormatError(f"Không tìm thấy tệp dữ liệu đơn vị hành chính: {target}") from exc
    if data.get("format") != 1:
        raise SnapshotFormatError(f"Định dạng tệp dữ liệu đơn vị không được hỗ trợ: {data.get('format')!r}")
    return data


def _basis(raw: dict[str, Any] | None) -> tuple[str, date | None, bool]:
    if not raw or not raw.get("number"):
        return "", None, True
    when = date.fromisoformat(raw["date"]) if raw.get("date") else None
    return nfc(str(raw["number"])), when, bool(raw.get("unconfirmed", False))


class _Upserter:
    """Creates or refreshes unit versions keyed by (level, code, valid_from), in dependency order."""

    def __init__(self, report: LoadReport, source: str) -> None:
        self.report = report
        self.source = source
        self.existing: dict[tuple[str, str, date], UnitVersion] = {
            (u.level, u.code, u.valid_from): u for u in UnitVersion.objects.all()
        }

    def upsert(self, rows: list[dict[str, Any]], *, valid_from: date, valid_to: date | None) -> None:
        to_create: list[UnitVersion] = []
        to_update: list[UnitVersion] = []
        for row in rows:
            key = (row["level"], row["code"], valid_from)
            wanted = {
                "name": nfc(row["name"]),
                "name_search": fold(row["name"]),
                "kind": row["kind"],
                "parent_id": row.get("parent_id"),
                "province_id": row.get("province_id"),
                "district_id": row.get("district_id"),
                "valid_to": valid_to,
                "legal_basis": row.get("legal_basis", ""),
                "legal_basis_date": row.get("legal_basis_date"),
                "legal_basis_unconfirmed": row.get("legal_basis_unconfirmed", False),
                "source": self.source,
            }
            unit = self.existing.get(key)
            if unit is None:
                unit = UnitVersion(level=row["level"], code=row["code"], valid_from=valid_from, **wanted)
                to_create.append(unit)
                self.existing[key] = unit
            elif any(getattr(unit, k) != v for k, v in wanted.items()):
                for k, v in wanted.items():
                    setattr(unit, k, v)
                to_update.append(unit)
            else:
                self.report.unchanged += 1
        UnitVersion.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            UnitVersion.objects.bulk_update(to_update, list(_UPDATE_FIELDS), batch_size=2000)
        self.report.created += len(to_create)
        self.report.updated += len(to_update)

    def get(self, level: str, code: str, valid_from: date) -> UnitVersion:
        return self.existing[(level, code, valid_from)]


_UPDATE_FIELDS = (
    "name",
    "name_search",
    "kind",
    "parent_id",
    "province_id",
    "district_id",
    "valid_to",
    "legal_basis",
    "legal_basis_date",
    "legal_basis_unconfirmed",
    "source",
)


def _check_kind(kind: str, level: str) -> str:
    if LEVEL_OF_KIND.get(kind) != level:
        raise SnapshotFormatError(f"Loại đơn vị {kind!r} không thuộc cấp {level}.")
    return kind


@transaction.atomic
def units_load_snapshot(*, actor: Any = None, path: Path | None = None) -> LoadReport:
    """Load or refresh every unit version and lineage link of the vendored snapshot (idempotent)."""
    data = read_snapshot(path)
    src = data["source"]
    report = LoadReport()
    up = _Upserter(report, f"{src['package']} {src['version']}")
    legacy, current = data["periods"]["legacy"], data["periods"]["current"]
    old_from, old_to = date.fromisoformat(legacy["valid_from"]), date.fromisoformat(legacy["valid_to"])
    new_from = date.fromisoformat(current["valid_from"])
    _load_legacy(up, data, old_from, old_to)
    _load_current(up, data, new_from)
    report.lineage_created = _load_lineage(up, data, old_from, new_from)
    report.counts = {
        "legacy_provinces": len(data["legacy_provinces"]),
        "legacy_districts": len(data["legacy_districts"]),
        "legacy_communes": len(data["legacy_communes"]),
        "current_provinces": len(data["current_provinces"]),
        "current_communes": len(data["current_communes"]),
        "lineage_links": UnitLineage.objects.count(),
    }
    audit_log(
        actor=actor,
        action="units.snapshot.loaded",
        data={"source": src, "created": report.created, "updated": report.updated, **report.counts},
    )
    return report


def _load_legacy(up: _Upserter, data: dict[str, Any], old_from: date, old_to: date) -> None:
    basis, basis_date, unconfirmed = _basis(data["periods"]["legacy"].get("legal_basis"))
    common = {"legal_basis": basis, "legal_basis_date": basis_date, "legal_basis_unconfirmed": unconfirmed}
    up.upsert(
        [
            {
                "level": Level.PROVINCE,
                "code": p["code"],
                "name": p["name"],
                "kind": _check_kind(p["kind"], Level.PROVINCE),
                **common,
            }
            for p in data["legacy_provinces"]
        ],
        valid_from=old_from,
        valid_to=old_to,
    )
    rows = []
    for d in data["legacy_districts"]:
        prov = up.get(Level.PROVINCE, d["province"], old_from)
        rows.append(
            {
                "level": Level.DISTRICT,
                "code": d["code"],
                "name": d["name"],
                "kind": _check_kind(d["kind"], Level.DISTRICT),
                "parent_id": prov.pk,
                "province_id": prov.pk,
                **common,
            }
        )
    up.upsert(rows, valid_from=old_from, valid_to=old_to)
    rows = []
    for c in data["legacy_communes"]:
        prov = up.get(Level.PROVINCE, c["province"], old_from)
        dist = up.get(Level.DISTRICT, c["district"], old_from)
        rows.append(
            {
                "level": Level.COMMUNE,
                "code": c["code"],
                "name": c["name"],
                "kind": _check_kind(c["kind"], Level.COMMUNE),
                "parent_id": dist.pk,
                "province_id": prov.pk,
                "district_id": dist.pk,
                **common,
            }
        )
    up.upsert(rows, valid_from=old_from, valid_to=old_to)


def _load_current(up: _Upserter, data: dict[str, Any], new_from: date) -> None:
    basis, basis_date, unconfirmed = _basis(data["periods"]["current"].get("legal_basis"))
    up.upsert(
        [
            {
                "level": Level.PROVINCE,
                "code": p["code"],
                "name": p["name"],
                "kind": _check_kind(p["kind"], Level.PROVINCE),
                "legal_basis": basis,
                "legal_basis_date": basis_date,
                "legal_basis_unconfirmed": unconfirmed,
            }
            for p in data["current_provinces"]
        ],
        valid_from=new_from,
        valid_to=None,
    )
    rows = []
    for c in data["current_communes"]:
        prov = up.get(Level.PROVINCE, c["province"], new_from)
        c_basis, c_date, c_unconfirmed = _basis(c.get("legal_basis"))
        rows.append(
            {
                "level": Level.COMMUNE,
                "code": c["code"],
                "name": c["name"],
                "kind": _check_kind(c["kind"], Level.COMMUNE),
                "parent_id": prov.pk,
                "province_id": prov.pk,
                "legal_basis": c_basis,
                "legal_basis_date": c_date,
                "legal_basis_unconfirmed": c_unconfirmed,
            }
        )
    up.upsert(rows, valid_from=new_from, valid_to=None)


def _load_lineage(up: _Upserter, data: dict[str, Any], old_from: date, new_from: date) -> int:
    prov_basis, prov_date, _ = _basis(data["periods"]["current"].get("legal_basis"))
    links: dict[tuple[int, int], UnitLineage] = {}

    def add(
        pred: UnitVersion, succ: UnitVersion, kind: str, default: bool, basis: str, when: date | None
    ) -> None:
        links[(pred.pk, succ.pk)] = UnitLineage(
            predecessor=pred,
            successor=succ,
            kind=kind,
            is_default=default,
            effective_on=new_from,
            legal_basis=basis,
            legal_basis_date=when,
        )

    new_province_of_old: dict[str, UnitVersion] = {}
    for p in data["current_provinces"]:
        succ = up.get(Level.PROVINCE, p["code"], new_from)
        preds = p.get("predecessors", [])
        for old_code in preds:
            pred = up.get(Level.PROVINCE, old_code, old_from)
            new_province_of_old[old_code] = succ
            kind = (
                LineageKind.MERGE
                if len(preds) > 1
                else (LineageKind.RENAME if pred.name != succ.name else LineageKind.REORGANISE)
            )
            add(pred, succ, kind, True, prov_basis, prov_date)
    commune_basis = {c["code"]: _basis(c.get("legal_basis")) for c in data["current_communes"]}
    for row in data["commune_lineage"]:
        pred = up.get(Level.COMMUNE, row["predecessor"], old_from)
        succ = up.get(Level.COMMUNE, row["successor"], new_from)
        basis, when, _ = commune_basis[row["successor"]]
        add(pred, succ, row["kind"], bool(row["is_default"]), basis, when)
    island = {row["predecessor_district"]: row for row in data.get("district_lineage", [])}
    for d in data["legacy_districts"]:
        pred = up.get(Level.DISTRICT, d["code"], old_from)
        if d["code"] in island:
            succ = up.get(Level.COMMUNE, island[d["code"]]["successor"], new_from)
            basis, when, _ = commune_basis[island[d["code"]]["successor"]]
            add(pred, succ, LineageKind.MERGE, True, basis, when)
        elif d["province"] in new_province_of_old:
            add(pred, new_province_of_old[d["province"]], LineageKind.ABOLISH, True, prov_basis, prov_date)
    existing = set(UnitLineage.objects.values_list("predecessor_id", "successor_id"))
    fresh = [link for key, link in links.items() if key not in existing]
    UnitLineage.objects.bulk_create(fresh, batch_size=2000)
    return len(fresh)


@transaction.atomic
def village_create(
    *, actor: Any, commune: UnitVersion, name: str, kind: str = VillageKind.THON, valid_from: date
) -> Village:
    """Create a village under a commune (the commune must be valid on valid_from)."""
    from hoctap.accounts.permissions import require_perm
    from hoctap.core.permissions import Perm

    require_perm(actor, Perm.REGISTRY_EDIT, commune)
    if not commune.is_valid_on(valid_from) or commune.level != Level.COMMUNE:
        raise SnapshotFormatError(
            f"{commune} không phải đơn vị cấp xã có hiệu lực ngày {valid_from:%d/%m/%Y}."
        )
    village = Village.objects.create(name=nfc(name), kind=kind, valid_from=valid_from)
    VillageParent.objects.create(
        village=village, commune=commune, valid_from=valid_from, valid_to=commune.valid_to
    )
    if commune.valid_to is not None:
        _follow_commune_successor(village, commune)
    audit_log(
        actor=actor, action="units.village.created", obj=village, unit=commune, data={"name": village.name}
    )
    return village


def _follow_commune_successor(village: Village, commune: UnitVersion) -> None:
    """At a reform a village follows its commune's default successor."""
    link = (
        UnitLineage.objects.filter(predecessor=commune, is_default=True).select_related("successor").first()
    )
    if link is not None and link.successor.level == Level.COMMUNE:
        VillageParent.objects.create(
            village=village,
            commune=link.successor,
            valid_from=link.successor.valid_from,
            valid_to=link.successor.valid_to,
        )
