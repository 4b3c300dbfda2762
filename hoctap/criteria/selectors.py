"""Reads of criteria sets: the stored versions, with the shipped files as the fallback.

`criteria_set_for()` answers the pure dataclass that the evaluation takes. The operator commands use
`criteria_set_resolve()` and `criteria_catalogue()`, which also work on a database that was never migrated:
they fall back to the shipped files when the table is missing or lacks the code (ADR 0004).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet

from hoctap.accounts.permissions import has_perm, scope_for
from hoctap.core.errors import NotInScope
from hoctap.core.permissions import Perm
from hoctap.criteria.models import CriteriaSet, CriteriaSetStatus, ProvinceTarget
from hoctap.criteria.schema import CriteriaSetVersion, get_shipped_set, load_shipped_sets
from hoctap.units.models import Level, UnitVersion

ORIGIN_DATABASE = "database"
ORIGIN_FILES = "files"


class CriteriaSetNotFound(NotInScope, LookupError):
    """No such criteria set (version); views answer 404, commands exit non-zero."""


def _not_found(code: str, version: int | None) -> CriteriaSetNotFound:
    if version is not None:
        return CriteriaSetNotFound(f"Không tìm thấy bộ tiêu chí {code} phiên bản {version}.")
    return CriteriaSetNotFound(f"Không tìm thấy bộ tiêu chí {code}.")


def criteria_set_record_for(*, code: str, version: int | None = None, on: date | None = None) -> CriteriaSet:
    """The stored version: explicit `version`, else the active one, else the newest valid on `on`."""
    rows = CriteriaSet.objects.filter(code=code)
    found: CriteriaSet | None
    if version is not None:
        found = rows.filter(version=version).first()
    else:
        found = rows.filter(status=CriteriaSetStatus.ACTIVE).first()
        if found is None and on is not None:
            valid = rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)
            found = valid.order_by("-version").first()
    if found is None:
        raise _not_found(code, version)
    return found


def criteria_set_for(*, code: str, version: int | None = None, on: date | None = None) -> CriteriaSetVersion:
    """The criteria set version to evaluate with (see criteria_set_record_for)."""
    return criteria_set_record_for(code=code, version=version, on=on).as_version()


def _shipped(code: str, version: int | None, on: date | None) -> CriteriaSetVersion:
    candidates = [s for s in load_shipped_sets() if s.code == code and version in (None, s.version)]
    if on is not None and version is None:
        valid = [s for s in candidates if s.valid_from <= on and (s.valid_to is None or on <= s.valid_to)]
        candidates = valid or candidates
    if not candidates:
        raise _not_found(code, version)
    return max(candidates, key=lambda s: s.version)


def criteria_set_resolve(
    *, code: str, version: int | None = None, on: date | None = None
) -> tuple[CriteriaSetVersion, dict[str, Any]]:
    """(set, meta) from the database when it holds the code, else from the shipped files.

    meta: {"origin": "database"|"files", "status": ..., "frozen": ..., "sha256": ...}."""
    try:
        with transaction.atomic():
            record = criteria_set_record_for(code=code, version=version, on=on)
    except (DatabaseError, NotInScope):
        record = None
    if record is not None:
        meta = {"origin": ORIGIN_DATABASE, "status": record.status, "frozen": record.frozen}
        return record.as_version(), {**meta, "sha256": record.sha256}
    if version is None and on is None:
        try:
            return get_shipped_set(code), {"origin": ORIGIN_FILES, "status": "shipped", "frozen": False}
        except KeyError as exc:
            raise _not_found(code, version) from exc
    return _shipped(code, version, on), {"origin": ORIGIN_FILES, "status": "shipped", "frozen": False}


def _version_entry(cs: CriteriaSetVersion, **meta: Any) -> dict[str, Any]:
    source = cs.legal_source
    return {
        "version": cs.version,
        "title": cs.title,
        "valid_from": cs.valid_from.isoformat(),
        "valid_to": cs.valid_to.isoformat() if cs.valid_to else None,
        "legal_source": {
            "number": source.number,
            "date": source.date.isoformat() if source.date else None,
            "issuer": source.issuer,
            "title": source.title,
            "url": source.url,
        },
        "unconfirmed": cs.unconfirmed,
        "unconfirmed_note": cs.unconfirmed_note,
        **meta,
    }


def _stored_rows() -> list[CriteriaSet] | None:
    try:
        with transaction.atomic():
            return list(CriteriaSet.objects.order_by("code", "version"))
    except DatabaseError:
        return None


def criteria_catalogue() -> dict[str, Any]:
    """Every set code with its versions (stored ones, then shipped ones the database lacks)."""
    rows = _stored_rows()
    entries: dict[tuple[str, int], dict[str, Any]] = {}
    subject: dict[str, str] = {}
    for row in rows or []:
        meta = {"status": row.status, "frozen": row.frozen, "origin": ORIGIN_DATABASE, "sha256": row.sha256}
        entries[(row.code, row.version)] = _version_entry(row.as_version(), **meta)
        subject[row.code] = row.subject_kind
    for cs in load_shipped_sets():
        if (cs.code, cs.version) not in entries:
            entries[(cs.code, cs.version)] = _version_entry(
                cs, status="shipped", frozen=False, origin=ORIGIN_FILES
            )
        subject.setdefault(cs.code, cs.subject_kind)
    sets: dict[str, dict[str, Any]] = {}
    for (code, _version), entry in sorted(entries.items()):
        item = sets.setdefault(code, {"code": code, "subject_kind": subject[code], "versions": []})
        item["versions"].append(entry)
    for item in sets.values():
        active = [v["version"] for v in item["versions"] if v["status"] == CriteriaSetStatus.ACTIVE]
        item["active_version"] = active[0] if active else None
        item["title"] = item["versions"][-1]["title"]
    return {"database": rows is not None, "count": len(sets), "sets": list(sets.values())}


# --- for the screens -------------------------------------------------------------------------------


def criteria_set_list_for_user(*, user: Any) -> QuerySet[CriteriaSet]:
    """Every stored version (criteria are not unit-scoped); NotInScope without Perm.CRITERIA_VIEW."""
    if not has_perm(user, Perm.CRITERIA_VIEW):
        raise NotInScope("Không tìm thấy.")
    return CriteriaSet.objects.order_by("code", "-version")


def criteria_set_get_for_user(*, user: Any, code: str, version: int | None = None) -> CriteriaSet:
    if not has_perm(user, Perm.CRITERIA_VIEW):
        raise NotInScope("Không tìm thấy.")
    return criteria_set_record_for(code=code, version=version)


def province_list_for_user(*, user: Any) -> QuerySet[UnitVersion]:
    """The current provinces where the user may see criteria and targets."""
    scope = scope_for(user, Perm.CRITERIA_VIEW)
    current = UnitVersion.objects.filter(level=Level.PROVINCE, valid_to__isnull=True)
    return scope.filter_units(current).order_by("name")


def province_target_list(*, unit: UnitVersion) -> QuerySet[ProvinceTarget]:
    return ProvinceTarget.objects.filter(unit=unit).order_by("target_code", "year")
