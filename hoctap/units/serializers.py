"""Plain-dict views of units for JSON outputs (commands, API)."""

from __future__ import annotations

from typing import Any

from hoctap.units.models import UnitVersion
from hoctap.units.selectors import LineageRow


def unit_to_dict(unit: UnitVersion) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "kind": unit.kind,
        "kind_label": unit.get_kind_display(),
        "parent_code": unit.parent.code if unit.parent_id and unit.parent else None,
        "province_code": unit.province.code if unit.province_id and unit.province else None,
        "district_code": unit.district.code if unit.district_id and unit.district else None,
        "valid_from": unit.valid_from.isoformat(),
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
        "legal_basis": unit.legal_basis or None,
        "legal_basis_date": unit.legal_basis_date.isoformat() if unit.legal_basis_date else None,
        "legal_basis_unconfirmed": unit.legal_basis_unconfirmed,
    }


def lineage_to_dict(row: LineageRow) -> dict[str, Any]:
    return {
        **unit_to_dict(row.unit),
        "relation": row.kind,
        "relation_label": row.kind_label,
        "is_default": row.is_default,
        "effective_on": row.effective_on.isoformat(),
        "relation_legal_basis": row.legal_basis or None,
    }
