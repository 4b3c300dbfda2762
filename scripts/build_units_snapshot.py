#!/usr/bin/env python3
"""Build the vendored snapshot of Vietnamese administrative units (old and new, with the 2025 map).

Development-time tool. It reads the MIT-licensed package ``vietnamadminunits`` 1.0.4 -- either its wheel
or the unpacked wheel -- and writes ``hoctap/units/data/units-vn.json.gz`` plus the package's licence text
next to it. Nothing in hoctap imports this script or the package at run time; hoctap reads the snapshot
with ``hoctap.units.snapshot.load_snapshot``.

    python scripts/build_units_snapshot.py \\
        --source /tmp/vaudl/vietnamadminunits-1.0.4-py3-none-any.whl \\
        --out hoctap/units/data/units-vn.json.gz --generated-on 2026-11-29

``--source`` may be the wheel, the unpacked package directory (the one holding ``data/dataset.db``) or the
directory that holds it and its ``.dist-info``. The output is deterministic: the same source data and the
same ``--generated-on`` give the same bytes (sorted keys and lists, gzip with mtime 0 and no file name).
``sha256_of_source`` is the SHA-256 of ``data/dataset.db`` followed by ``data/converter_2025.json``, so
the wheel and the unpacked wheel give the same snapshot. Stdlib only.

Anything the script does not recognise (a type string, a key it cannot resolve, a name whose prefix
disagrees with its type column in a way not listed in ``KNOWN_TYPE_CONFLICTS``) stops it with an error.
See docs/data-provenance.md for what the source says, what is corrected here, and why.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import sqlite3
import sys
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PACKAGE = "vietnamadminunits"
DATASET_DB = "data/dataset.db"
CONVERTER_JSON = "data/converter_2025.json"
LICENCE_OUT_NAME = "LICENSE-vietnamadminunits.txt"
FORMAT = 1

# Full-name prefixes (canonical spelling) -> kind slug. A name's prefix is matched case-insensitively and
# rewritten to the canonical spelling ("Thành Phố Đồng Hới" -> "Thành phố Đồng Hới").
PROVINCE_KINDS = {"Tỉnh": "tinh", "Thành phố": "thanh_pho"}
DISTRICT_KINDS = {"Huyện": "huyen", "Quận": "quan", "Thị xã": "thi_xa", "Thành phố": "thanh_pho"}
LEGACY_COMMUNE_KINDS = {"Xã": "xa", "Phường": "phuong", "Thị trấn": "thi_tran"}
CURRENT_COMMUNE_KINDS = {"Xã": "xa", "Phường": "phuong", "Đặc khu": "dac_khu"}

# Island districts that had no commune-level units; each became a đặc khu on 1/7/2025. The source gives
# them one row with an empty ward, and the converter key "<province>_<district>_" (see converter_2025.py).
ISLAND_DISTRICT_KEYS = frozenset(
    {"huyenbachlongvi", "huyenconco", "huyenhoangsa", "huyenlyson", "huyencondao"}
)

# Rows whose type column disagrees with the prefix of their full name, in vietnamadminunits 1.0.4.
# (table, code) -> (type column, name prefix). The name prefix is kept: it is the legal name, and it agrees
# with the official per-province counts (see docs/data-provenance.md). Any other disagreement is an error.
KNOWN_TYPE_CONFLICTS = {
    ("admin_units_legacy", "15061"): ("Xã", "Thị trấn"),  # Thị trấn Ngọc Lặc, Thanh Hóa
    ("admin_units_legacy", "27046"): ("Xã", "Phường"),  # Phường 5, Quận Phú Nhuận
    ("admin_units_legacy", "27076"): ("Xã", "Phường"),  # Phường 15, Quận Phú Nhuận
    ("admin_units", "10543"): ("Xã", "Phường"),  # Phường Việt Hòa, Hải Phòng
    ("admin_units", "11848"): ("Phường", "Xã"),  # Xã Vĩnh Hòa, Hải Phòng
    ("admin_units", "31213"): ("Xã", "Phường"),  # Phường Tân Lộc, Cần Thơ
    ("admin_units", "31299"): ("Phường", "Xã"),  # Xã Phong Điền, Cần Thơ
}

# Legal bases. Only Quảng Trị's commune-level resolution is confirmed (research/domain.md §7); the other
# provinces' communes get null and the loader shows "chưa xác nhận".
PROVINCE_RESOLUTION = {
    "number": "202/2025/QH15",
    "date": "2025-06-12",
    "title": "Nghị quyết về việc sắp xếp đơn vị hành chính cấp tỉnh",
}
COMMUNE_RESOLUTIONS_BY_CURRENT_PROVINCE = {
    "44": {"number": "1680/NQ-UBTVQH15", "date": "2025-06-16"},  # Tỉnh Quảng Trị
}
PERIODS = {
    "legacy": {
        "valid_from": "2020-01-01",
        "valid_to": "2025-06-30",
        "legal_basis": {
            "number": None,
            "date": None,
            "title": (
                "Đơn vị hành chính như tại ngày 30/6/2025, hình thành theo nhiều nghị quyết của UBTVQH về "
                "sắp xếp đơn vị hành chính cấp huyện, cấp xã; nguồn dữ liệu không ghi các văn bản này"
            ),
        },
        "note": (
            "The source describes the units only as they stood on 30/6/2025 (the 63-province list). "
            "valid_from 2020-01-01 is a convention of this snapshot, not a legal date: the district and "
            "commune arrangements of 2019-2025 are NOT in the source, so a unit abolished by one of them "
            "before 30/6/2025 is missing, and a unit created by one is shown as existing since 2020-01-01."
        ),
    },
    "current": {
        "valid_from": "2025-07-01",
        "valid_to": None,
        "legal_basis": PROVINCE_RESOLUTION,
        "note": (
            "34 provincial units under Nghị quyết 202/2025/QH15 (12/6/2025); commune-level units under one "
            "UBTVQH resolution per province (2025). Only Quảng Trị's (1680/NQ-UBTVQH15, 16/6/2025) is "
            "recorded; the other communes carry legal_basis null."
        ),
    },
}


class BuildError(Exception):
    """The source is not what this script expects; the message says what and where."""


@dataclass(frozen=True)
class SourceFiles:
    dataset_db: bytes
    converter_json: bytes
    metadata: str
    licence: bytes
    origin: str


# --------------------------------------------------------------------------------------------- reading


def _record_hashes(record_text: str) -> dict[str, str]:
    """RECORD (wheel manifest) -> {path: urlsafe-b64 sha256}."""
    hashes = {}
    for row in csv.reader(io.StringIO(record_text)):
        if len(row) >= 2 and row[1].startswith("sha256="):
            hashes[row[0]] = row[1].removeprefix("sha256=")
    return hashes


def _check_record(record_text: str | None, files: dict[str, bytes]) -> None:
    if record_text is None:
        print("warning: no RECORD; source files not checked against the wheel manifest", file=sys.stderr)
        return
    hashes = _record_hashes(record_text)
    for path, data in files.items():
        expected = hashes.get(path)
        actual = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        if expected is None:
            raise BuildError(f"{path} is not listed in the wheel's RECORD")
        if expected != actual:
            raise BuildError(f"{path} does not match the wheel's RECORD (modified after unpacking?)")


def _read_wheel(path: Path) -> SourceFiles:
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        dist_infos = sorted({n.split("/", 1)[0] for n in names if n.split("/", 1)[0].endswith(".dist-info")})
        if len(dist_infos) != 1:
            raise BuildError(f"{path}: expected one .dist-info directory, found {dist_infos}")
        di = dist_infos[0]
        licences = sorted(n for n in names if n.startswith(f"{di}/licenses/") or n == f"{di}/LICENSE")
        if not licences:
            raise BuildError(f"{path}: no licence file in {di}")
        files = {
            f"{PACKAGE}/{DATASET_DB}": zf.read(f"{PACKAGE}/{DATASET_DB}"),
            f"{PACKAGE}/{CONVERTER_JSON}": zf.read(f"{PACKAGE}/{CONVERTER_JSON}"),
            licences[0]: zf.read(licences[0]),
        }
        _check_record(zf.read(f"{di}/RECORD").decode(), files)
        return SourceFiles(
            dataset_db=files[f"{PACKAGE}/{DATASET_DB}"],
            converter_json=files[f"{PACKAGE}/{CONVERTER_JSON}"],
            metadata=zf.read(f"{di}/METADATA").decode(),
            licence=files[licences[0]],
            origin=str(path),
        )


def _read_directory(path: Path) -> SourceFiles:
    if (path / DATASET_DB).is_file():
        pkg_dir = path
    elif (path / PACKAGE / DATASET_DB).is_file():
        pkg_dir = path / PACKAGE
    else:
        raise BuildError(f"{path}: neither {DATASET_DB} nor {PACKAGE}/{DATASET_DB} exists")
    dist_infos = sorted(pkg_dir.parent.glob(f"{PACKAGE}-*.dist-info"))
    if len(dist_infos) != 1:
        raise BuildError(f"{pkg_dir.parent}: expected one {PACKAGE}-*.dist-info, found {len(dist_infos)}")
    di = dist_infos[0]
    licences = sorted(di.glob("licenses/*")) or sorted(di.glob("LICENSE*"))
    if not licences:
        raise BuildError(f"{di}: no licence file")
    files = {
        f"{PACKAGE}/{DATASET_DB}": (pkg_dir / DATASET_DB).read_bytes(),
        f"{PACKAGE}/{CONVERTER_JSON}": (pkg_dir / CONVERTER_JSON).read_bytes(),
        licences[0].relative_to(di.parent).as_posix(): licences[0].read_bytes(),
    }
    record = di / "RECORD"
    _check_record(record.read_text() if record.is_file() else None, files)
    return SourceFiles(
        dataset_db=files[f"{PACKAGE}/{DATASET_DB}"],
        converter_json=files[f"{PACKAGE}/{CONVERTER_JSON}"],
        metadata=(di / "METADATA").read_text(),
        licence=licences[0].read_bytes(),
        origin=str(path),
    )


def read_source(path: Path) -> SourceFiles:
    if path.is_file() and zipfile.is_zipfile(path):
        return _read_wheel(path)
    if path.is_dir():
        return _read_directory(path)
    raise BuildError(f"{path}: not a wheel file nor a directory")


def _metadata_field(metadata: str, field: str) -> str:
    for line in metadata.splitlines():
        if not line.strip():
            break  # end of the header block
        key, _, value = line.partition(":")
        if key.strip().lower() == field.lower():
            return value.strip()
    raise BuildError(f"METADATA has no {field} field")


def _copyright_line(licence: bytes) -> str:
    for line in licence.decode().splitlines():
        if line.strip().lower().startswith("copyright"):
            return line.strip()
    raise BuildError("the licence text has no copyright line")


def _open_sqlite(data: bytes, tmpdir: Path) -> sqlite3.Connection:
    db = tmpdir / "dataset.db"
    db.write_bytes(data)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


# ---------------------------------------------------------------------------------------------- naming


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def split_full_name(name: str, prefixes: dict[str, str], what: str) -> tuple[str, str]:
    """Return (canonical prefix, full name with that prefix), matching the prefix case-insensitively."""
    name = nfc(name)
    for prefix in sorted(prefixes, key=len, reverse=True):
        head, rest = name[: len(prefix)], name[len(prefix) :]
        if head.casefold() == prefix.casefold() and rest.startswith(" ") and rest.strip():
            return prefix, f"{prefix} {rest.strip()}"
    raise BuildError(f"{what} {name!r}: the name does not start with a known type ({', '.join(prefixes)})")


def kind_of(
    *, table: str, code: str, name: str, type_column: str | None, prefixes: dict[str, str], what: str
) -> tuple[str, str]:
    """(kind slug, canonical full name); the name's prefix decides, the type column is cross-checked."""
    prefix, full_name = split_full_name(name, prefixes, what)
    type_value = nfc(type_column or "")
    if type_value not in prefixes:
        known_types = ", ".join(prefixes)
        raise BuildError(f"{what} {code} {name!r}: unknown type {type_column!r} (known: {known_types})")
    if type_value != prefix:
        known = KNOWN_TYPE_CONFLICTS.get((table, code))
        if known != (type_value, prefix):
            raise BuildError(
                f"{what} {code} {name!r}: type column says {type_value!r} but the name says {prefix!r}; "
                "check the unit and, if the name is right, add it to KNOWN_TYPE_CONFLICTS"
            )
    return prefixes[prefix], full_name


def _code(value: Any, width: int, what: str) -> str:
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) == width):
        raise BuildError(f"{what}: code {value!r} is not {width} digits")
    return text


# --------------------------------------------------------------------------------------------- building


def _one(values: set[tuple[Any, ...]], what: str) -> tuple[Any, ...]:
    if len(values) != 1:
        raise BuildError(f"{what}: inconsistent values across rows: {sorted(values)}")
    return next(iter(values))


def build(src: SourceFiles, generated_on: str) -> dict[str, Any]:
    converter = json.loads(src.converter_json)
    with tempfile.TemporaryDirectory() as tmp:
        conn = _open_sqlite(src.dataset_db, Path(tmp))
        try:
            legacy_rows = [dict(r) for r in conn.execute("SELECT * FROM admin_units_legacy")]
            current_rows = [dict(r) for r in conn.execute("SELECT * FROM admin_units")]
        finally:
            conn.close()

    # Legacy provinces and districts: one per code, all rows must agree.
    prov_rows: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    dist_rows: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    for r in legacy_rows:
        pcode = _code(r["provinceCode"], 2, f"legacy province {r['province']!r}")
        dcode = _code(r["districtCode"], 3, f"legacy district {r['district']!r}")
        prov_rows[pcode].add((r["province"], r["provinceKey"]))
        dist_rows[dcode].add((r["district"], r["districtType"], pcode, r["districtKey"]))

    legacy_provinces = []
    province_code_by_key: dict[str, str] = {}
    province_kind: dict[str, str] = {}
    for pcode, values in prov_rows.items():
        name, key = _one(values, f"legacy province {pcode}")
        prefix, full = split_full_name(name, PROVINCE_KINDS, f"legacy province {pcode}")
        province_kind[pcode] = PROVINCE_KINDS[prefix]
        if key in province_code_by_key:
            raise BuildError(f"legacy province key {key!r} used by {province_code_by_key[key]} and {pcode}")
        province_code_by_key[key] = pcode
        legacy_provinces.append({"code": pcode, "name": full, "kind": PROVINCE_KINDS[prefix]})

    legacy_districts = []
    for dcode, values in dist_rows.items():
        name, dtype, pcode, _key = _one(values, f"legacy district {dcode}")
        kind, full = kind_of(
            table="admin_units_legacy",
            code=dcode,
            name=name,
            type_column=dtype,
            prefixes=DISTRICT_KINDS,
            what="legacy district",
        )
        if kind == "thanh_pho":  # a city inside a province, or inside a centrally-run city (Thủ Đức)
            kind = "thanh_pho_thuoc_tw" if province_kind[pcode] == "thanh_pho" else "thanh_pho_thuoc_tinh"
        legacy_districts.append({"code": dcode, "name": full, "kind": kind, "province": pcode})

    # Legacy communes, and the converter's full keys for every legacy row.
    legacy_communes = []
    legacy_by_full_key: dict[str, dict[str, Any]] = {}
    for r in legacy_rows:
        pcode, dcode = r["provinceCode"], r["districtCode"]
        full_key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        if full_key in legacy_by_full_key:
            raise BuildError(f"duplicate legacy key {full_key!r}")
        if not r["ward"]:
            if r["districtKey"] not in ISLAND_DISTRICT_KEYS or r["wardCode"] or r["wardKey"]:
                raise BuildError(f"legacy row without a commune in an unexpected district: {full_key!r}")
            legacy_by_full_key[full_key] = {"district": dcode, "commune": None}
            continue
        ccode = _code(r["wardCode"], 5, f"legacy commune {r['ward']!r}")
        kind, full = kind_of(
            table="admin_units_legacy",
            code=ccode,
            name=r["ward"],
            type_column=r["wardType"],
            prefixes=LEGACY_COMMUNE_KINDS,
            what="legacy commune",
        )
        legacy_communes.append(
            {"code": ccode, "name": full, "kind": kind, "district": dcode, "province": pcode}
        )
        legacy_by_full_key[full_key] = {"district": dcode, "commune": ccode}
    islands_found = {key.split("_")[1] for key, unit in legacy_by_full_key.items() if not unit["commune"]}
    missing_islands = ISLAND_DISTRICT_KEYS - islands_found
    if missing_islands:
        raise BuildError(f"island districts without their district-only row: {sorted(missing_islands)}")

    # Current provinces and communes.
    cur_prov_rows: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    current_communes = []
    current_code_by_key: dict[tuple[str, str], str] = {}
    for r in current_rows:
        pcode = _code(r["provinceCode"], 2, f"current province {r['province']!r}")
        cur_prov_rows[pcode].add((r["province"], r["provinceKey"]))
        ccode = _code(r["wardCode"], 5, f"current commune {r['ward']!r}")
        kind, full = kind_of(
            table="admin_units",
            code=ccode,
            name=r["ward"],
            type_column=r["wardType"],
            prefixes=CURRENT_COMMUNE_KINDS,
            what="current commune",
        )
        if (r["provinceKey"], r["wardKey"]) in current_code_by_key:
            raise BuildError(f"duplicate current key {r['provinceKey']}/{r['wardKey']}")
        current_code_by_key[(r["provinceKey"], r["wardKey"])] = ccode
        current_communes.append(
            {
                "code": ccode,
                "name": full,
                "kind": kind,
                "province": pcode,
                "legal_basis": COMMUNE_RESOLUTIONS_BY_CURRENT_PROVINCE.get(pcode),
            }
        )

    current_provinces = []
    for pcode, values in cur_prov_rows.items():
        name, key = _one(values, f"current province {pcode}")
        prefix, full = split_full_name(name, PROVINCE_KINDS, f"current province {pcode}")
        old_keys = converter["DICT_PROVINCE"].get(key)
        if not old_keys:
            raise BuildError(f"current province {key!r} has no entry in DICT_PROVINCE")
        unknown = [k for k in old_keys if k not in province_code_by_key]
        if unknown:
            raise BuildError(f"DICT_PROVINCE[{key!r}] names unknown legacy provinces {unknown}")
        current_provinces.append(
            {
                "code": pcode,
                "name": full,
                "kind": PROVINCE_KINDS[prefix],
                "predecessors": sorted(province_code_by_key[k] for k in old_keys),
            }
        )
    if set(converter["DICT_PROVINCE"]) != {k for k, _ in current_code_by_key}:
        raise BuildError("DICT_PROVINCE and admin_units disagree on the list of current provinces")

    commune_lineage, district_lineage = _lineage(converter, legacy_by_full_key, current_code_by_key)

    licence = src.licence.decode()
    return {
        "format": FORMAT,
        "source": {
            "package": _metadata_field(src.metadata, "Name"),
            "version": _metadata_field(src.metadata, "Version"),
            "licence": "MIT" if licence.lstrip().startswith("MIT License") else "see LICENSE",
            "copyright": _copyright_line(src.licence),
            "sha256_of_source": hashlib.sha256(src.dataset_db + src.converter_json).hexdigest(),
            "generated_on": generated_on,
        },
        "periods": PERIODS,
        "legacy_provinces": sorted(legacy_provinces, key=lambda x: x["code"]),
        "legacy_districts": sorted(legacy_districts, key=lambda x: x["code"]),
        "legacy_communes": sorted(legacy_communes, key=lambda x: x["code"]),
        "current_provinces": sorted(current_provinces, key=lambda x: x["code"]),
        "current_communes": sorted(current_communes, key=lambda x: x["code"]),
        "commune_lineage": sorted(commune_lineage, key=lambda x: (x["predecessor"], x["successor"])),
        "district_lineage": sorted(
            district_lineage, key=lambda x: (x["predecessor_district"], x["successor"])
        ),
    }


def _lineage(
    converter: dict[str, Any],
    legacy_by_full_key: dict[str, dict[str, Any]],
    current_code_by_key: dict[tuple[str, str], str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    commune_lineage: list[dict[str, Any]] = []
    district_lineage: list[dict[str, Any]] = []
    seen: dict[str, str] = {}

    def old(full_key: str, where: str) -> dict[str, Any]:
        if full_key not in legacy_by_full_key:
            raise BuildError(f"{where}: old key {full_key!r} is not a legacy unit")
        if full_key in seen:
            raise BuildError(f"{where}: old key {full_key!r} is also mapped in {seen[full_key]}")
        seen[full_key] = where
        return legacy_by_full_key[full_key]

    def new(province_key: str, ward_key: str, where: str) -> str:
        code = current_code_by_key.get((province_key, ward_key))
        if code is None:
            raise BuildError(f"{where}: new key {province_key}/{ward_key} is not a current commune")
        return code

    for pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, old_keys in wards.items():
            where = f"DICT_PROVINCE_WARD_NO_DIVIDED[{pkey}][{wkey}]"
            successor = new(pkey, wkey, where)
            for full_key in old_keys:
                unit = old(full_key, where)
                if unit["commune"] is None:
                    district_lineage.append(
                        {"successor": successor, "predecessor_district": unit["district"], "kind": "merge"}
                    )
                else:
                    commune_lineage.append(
                        {
                            "successor": successor,
                            "predecessor": unit["commune"],
                            "predecessor_district": unit["district"],
                            "kind": "merge",
                            "is_default": True,
                        }
                    )

    for pkey, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for full_key, parts in divided.items():
            where = f"DICT_PROVINCE_WARD_DIVIDED[{pkey}][{full_key}]"
            unit = old(full_key, where)
            if unit["commune"] is None:
                raise BuildError(f"{where}: a district without communes cannot be divided")
            successors = [new(pkey, p["newWardKey"], where) for p in parts]
            defaults = [p for p in parts if p["isDefaultNewWard"] is True]
            if len(set(successors)) != len(successors) or len(successors) < 2 or len(defaults) != 1:
                raise BuildError(f"{where}: a split needs >= 2 distinct successors and exactly one default")
            for part, successor in zip(parts, successors, strict=True):
                commune_lineage.append(
                    {
                        "successor": successor,
                        "predecessor": unit["commune"],
                        "predecessor_district": unit["district"],
                        "kind": "split",
                        "is_default": part["isDefaultNewWard"] is True,
                    }
                )

    unmapped = sorted(set(legacy_by_full_key) - set(seen))
    if unmapped:
        print(f"warning: {len(unmapped)} legacy units have no successor: {unmapped[:10]}", file=sys.stderr)
    return commune_lineage, district_lineage


# ----------------------------------------------------------------------------------------------- output


def encode(snapshot: dict[str, Any]) -> bytes:
    text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    buf = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header free of the output path and the build time.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return buf.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _default_generated_on() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.date().isoformat()


def _iso_date(text: str) -> str:
    return dt.date.fromisoformat(text).isoformat()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="the wheel, or the unpacked package")
    parser.add_argument("--out", type=Path, required=True, help="e.g. hoctap/units/data/units-vn.json.gz")
    parser.add_argument(
        "--generated-on",
        type=_iso_date,
        default=None,
        help="YYYY-MM-DD recorded in source.generated_on (default: $SOURCE_DATE_EPOCH, else today, UTC)",
    )
    args = parser.parse_args(argv)
    try:
        src = read_source(args.source)
        snapshot = build(src, args.generated_on or _default_generated_on())
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    data = encode(snapshot)
    _write_atomic(args.out, data)
    _write_atomic(args.out.parent / LICENCE_OUT_NAME, src.licence)
    counts = {k: len(v) for k, v in snapshot.items() if isinstance(v, list)}
    print(
        json.dumps(
            {
                "out": str(args.out),
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "source": snapshot["source"],
                "counts": counts,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
