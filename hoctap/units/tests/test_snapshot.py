"""The vendored administrative-unit snapshot and its reader. No database needed.

Everything except the regeneration tests runs from the vendored file only. The regeneration tests need the
source wheel of vietnamadminunits 1.0.4 (see docs/data-provenance.md); they skip when it is absent, as in CI.
"""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import json
import os
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from hoctap.units.snapshot import DEFAULT_PATH, Snapshot, SnapshotError, load_snapshot

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "build_units_snapshot.py"
SOURCE_WHEEL = Path(
    os.environ.get("HOCTAP_UNITS_SOURCE", "/tmp/vaudl/vietnamadminunits-1.0.4-py3-none-any.whl")
)
SOURCE_DIR = Path("/tmp/vaudl/x/vietnamadminunits")

QUANG_BINH_OLD = "44"
QUANG_TRI_OLD = "45"
QUANG_TRI_NEW = "44"


@pytest.fixture(scope="module")
def snap() -> Snapshot:
    return load_snapshot()


def _raw() -> dict[str, Any]:
    with gzip.open(DEFAULT_PATH, "rb") as f:
        return json.loads(f.read())


def _write(tmp_path: Path, raw: dict[str, Any]) -> Path:
    path = tmp_path / "units.json.gz"
    path.write_bytes(gzip.compress(json.dumps(raw, ensure_ascii=False).encode()))
    return path


# ----------------------------------------------------------------------------------------- the vendored data


def test_counts(snap: Snapshot) -> None:
    assert snap.counts() == {
        "legacy_provinces": 63,
        "legacy_districts": 696,
        # The source's 10,040 legacy rows = 10,035 communes + 5 island districts that had no commune.
        "legacy_communes": 10_035,
        "current_provinces": 34,
        "current_communes": 3_321,
        "commune_lineage": 10_597,
        "district_lineage": 5,
    }


def test_source_and_periods(snap: Snapshot) -> None:
    source = snap.source
    assert (source.package, source.version, source.licence) == ("vietnamadminunits", "1.0.4", "MIT")
    assert snap.source.copyright == "Copyright (c) 2025 Tran Ngoc Minh Hieu"
    assert len(snap.source.sha256_of_source) == 64
    legacy, current = snap.periods["legacy"], snap.periods["current"]
    assert (legacy.valid_from, legacy.valid_to) == (dt.date(2020, 1, 1), dt.date(2025, 6, 30))
    assert "not in the source" in legacy.note.replace("NOT", "not")
    assert (current.valid_from, current.valid_to) == (dt.date(2025, 7, 1), None)
    assert current.legal_basis is not None
    assert (current.legal_basis.number, current.legal_basis.date) == ("202/2025/QH15", dt.date(2025, 6, 12))


def test_licence_travels_with_the_data() -> None:
    licence = (DEFAULT_PATH.parent / "LICENSE-vietnamadminunits.txt").read_text()
    assert licence.startswith("MIT License")
    assert "Copyright (c) 2025 Tran Ngoc Minh Hieu" in licence


def test_the_source_lacks_no_successor_or_predecessor(snap: Snapshot) -> None:
    assert not snap.gaps
    assert all(snap.default_successor(c.code) for c in snap.legacy_communes)


def test_legacy_quang_binh(snap: Snapshot) -> None:
    districts = [d for d in snap.legacy_districts if d.province == QUANG_BINH_OLD]
    communes = [c for c in snap.legacy_communes if c.province == QUANG_BINH_OLD]
    assert snap.legacy_provinces_by_code[QUANG_BINH_OLD].name == "Tỉnh Quảng Bình"
    assert len(districts) == 8
    assert len(communes) == 145
    dong_hoi = snap.legacy_districts_by_code["450"]
    # The source spells it "Thành Phố Đồng Hới"; the prefix is normalised.
    assert (dong_hoi.name, dong_hoi.kind) == ("Thành phố Đồng Hới", "thanh_pho_thuoc_tinh")
    assert snap.legacy_communes_by_code["18856"].name == "Phường Đồng Phú"


def test_current_quang_tri(snap: Snapshot) -> None:
    province = snap.current_provinces_by_code[QUANG_TRI_NEW]
    assert (province.name, province.kind) == ("Tỉnh Quảng Trị", "tinh")
    assert province.predecessors == (QUANG_BINH_OLD, QUANG_TRI_OLD)
    communes = [c for c in snap.current_communes if c.province == QUANG_TRI_NEW]
    assert len(communes) == 78
    assert Counter(c.kind for c in communes) == {"xa": 69, "phuong": 8, "dac_khu": 1}
    assert {(c.legal_basis.number, c.legal_basis.date) for c in communes if c.legal_basis} == {
        ("1680/NQ-UBTVQH15", dt.date(2025, 6, 16))
    }
    assert all(c.legal_basis for c in communes)
    assert not any(c.legal_basis for c in snap.current_communes if c.province != QUANG_TRI_NEW)


def test_con_co_island_district_became_a_dac_khu(snap: Snapshot) -> None:
    con_co = next(c for c in snap.current_communes if c.name == "Đặc khu Cồn Cỏ")
    assert (con_co.kind, con_co.province) == ("dac_khu", QUANG_TRI_NEW)
    (row,) = snap.district_predecessors_of(con_co.code)
    district = snap.legacy_districts_by_code[row.predecessor_district]
    assert (district.name, district.province, row.kind) == ("Huyện Cồn Cỏ", QUANG_TRI_OLD, "merge")
    assert not snap.predecessors_of(con_co.code)
    islands = {snap.legacy_districts_by_code[r.predecessor_district].name for r in snap.district_lineage}
    assert islands == {
        "Huyện Bạch Long Vĩ",
        "Huyện Cồn Cỏ",
        "Huyện Hoàng Sa",
        "Huyện Lý Sơn",
        "Huyện Côn Đảo",
    }


def test_phuong_dong_hoi_lists_the_communes_merged_into_it(snap: Snapshot) -> None:
    dong_hoi = next(c for c in snap.current_communes if c.name == "Phường Đồng Hới")
    rows = snap.predecessors_of(dong_hoi.code)
    assert {(r.kind, r.is_default, r.predecessor_district) for r in rows} == {("merge", True, "450")}
    assert sorted(snap.legacy_communes_by_code[r.predecessor].name for r in rows) == sorted(
        [
            "Phường Hải Thành",
            "Phường Đồng Phú",
            "Phường Nam Lý",
            "Phường Đồng Hải",
            "Phường Phú Hải",
            "Phường Đức Ninh Đông",
            "Xã Bảo Ninh",
            "Xã Đức Ninh",
        ]
    )


def test_split_communes_have_one_default_successor(snap: Snapshot) -> None:
    split = {r.predecessor for r in snap.commune_lineage if r.kind == "split"}
    assert len(split) == 471
    for code in split:
        rows = snap.successors_of(code)
        assert len(rows) >= 2
        assert sum(r.is_default for r in rows) == 1
        assert rows[0].is_default  # successors_of lists the default first
    # One example: Phường Bùi Hữu Nghĩa (Bình Thủy, Cần Thơ) was divided between Bình Thủy and Cái Khế.
    bui_huu_nghia = next(c for c in snap.legacy_communes if c.name == "Phường Bùi Hữu Nghĩa")
    names = [
        (snap.current_communes_by_code[r.successor].name, r.is_default)
        for r in snap.successors_of(bui_huu_nghia.code)
    ]
    assert names == [("Phường Bình Thủy", True), ("Phường Cái Khế", False)]


def test_names_are_full_nfc_and_kinds_agree(snap: Snapshot) -> None:
    groups: list[tuple[Any, ...]] = [
        snap.legacy_provinces,
        snap.legacy_districts,
        snap.legacy_communes,
        snap.current_provinces,
        snap.current_communes,
    ]
    names: list[str] = [u.name for group in groups for u in group]
    assert all(unicodedata.normalize("NFC", name) == name for name in names)
    assert not [n for n in names if n.startswith(("Thành Phố", "Thị Xã", "Thị Trấn", "Đặc Khu"))]
    # The source's type column contradicts these names; the name (the legal name) is kept.
    assert snap.legacy_communes_by_code["27046"].kind == "phuong"  # Phường 5, Quận Phú Nhuận
    assert snap.legacy_communes_by_code["15061"].kind == "thi_tran"  # Thị trấn Ngọc Lặc
    assert snap.current_communes_by_code["10543"].kind == "phuong"  # Phường Việt Hòa, Hải Phòng
    assert snap.current_communes_by_code["31299"].kind == "xa"  # Xã Phong Điền, Cần Thơ


def test_cities_inside_centrally_run_cities(snap: Snapshot) -> None:
    assert sorted(d.name for d in snap.legacy_districts if d.kind == "thanh_pho_thuoc_tw") == [
        "Thành phố Thủ Đức",
        "Thành phố Thủy Nguyên",
    ]


def test_phong_nha_code_is_the_sources(snap: Snapshot) -> None:
    # Another package gives 19165 (old Thị trấn Phong Nha); this source gives 19138 (old Xã Phúc Trạch).
    # We keep the source's value; docs/data-provenance.md explains. A change here must update the doc.
    phong_nha = next(c for c in snap.current_communes if c.name == "Xã Phong Nha")
    assert phong_nha.code == "19138"
    assert "Thị trấn Phong Nha" in {
        snap.legacy_communes_by_code[r.predecessor].name for r in snap.predecessors_of(phong_nha.code)
    }


def test_suspect_split_default_is_kept_as_the_source_says(snap: Snapshot) -> None:
    # Known source defect (docs/data-provenance.md, "Same-name collisions"): old Xã Phú Tân (Châu Thành,
    # Hậu Giang) defaults to Xã Thuận Hòa, whose other predecessors are all in old Sóc Trăng. Kept as the
    # source says; whoever corrects it updates the doc and this test.
    assert snap.legacy_communes_by_code["31379"].province == "93"
    assert snap.default_successor("31379") == "31582"
    assert {r.successor for r in snap.successors_of("31379")} == {"31582", "31378"}


# ------------------------------------------------------------------------------------------------ validation


def test_missing_district_is_reported(tmp_path: Path) -> None:
    raw = _raw()
    raw["legacy_districts"] = [d for d in raw["legacy_districts"] if d["code"] != "450"]
    expected = r"legacy commune 18856 \(Phường Đồng Phú\): district '450' does not exist"
    with pytest.raises(SnapshotError, match=expected):
        load_snapshot(_write(tmp_path, raw))


def test_split_with_two_defaults_is_reported(tmp_path: Path) -> None:
    raw = _raw()
    row = next(r for r in raw["commune_lineage"] if r["kind"] == "split" and not r["is_default"])
    row["is_default"] = True
    expected = rf"legacy commune {row['predecessor']}: a split needs .* 2 default"
    with pytest.raises(SnapshotError, match=expected):
        load_snapshot(_write(tmp_path, raw))


def test_unknown_lineage_code_is_reported(tmp_path: Path) -> None:
    raw = _raw()
    raw["commune_lineage"][0]["successor"] = "99999"
    with pytest.raises(SnapshotError, match="current commune '99999' does not exist"):
        load_snapshot(_write(tmp_path, raw))


def test_unknown_kind_and_bad_code_are_reported(tmp_path: Path) -> None:
    raw = _raw()
    raw["current_communes"][0]["kind"] = "thi_tran"
    raw["legacy_provinces"][0]["code"] = 1
    with pytest.raises(SnapshotError) as exc:
        load_snapshot(_write(tmp_path, raw))
    assert "unknown kind 'thi_tran'" in str(exc.value)
    assert "code must be 2 digits as a string" in str(exc.value)


def test_a_commune_without_successor_is_a_gap_not_an_error(tmp_path: Path) -> None:
    raw = copy.deepcopy(_raw())
    raw["commune_lineage"] = [r for r in raw["commune_lineage"] if r["predecessor"] != "18856"]
    snap = load_snapshot(_write(tmp_path, raw))
    assert snap.gaps.legacy_communes_without_successor == ("18856",)
    assert snap.default_successor("18856") is None


def test_not_a_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "x.json.gz"
    path.write_bytes(b"not gzip")
    with pytest.raises(SnapshotError, match="not a gzip-compressed UTF-8 JSON snapshot"):
        load_snapshot(path)
    with pytest.raises(SnapshotError, match="not found"):
        load_snapshot(tmp_path / "missing.json.gz")


# -------------------------------------------------------------------------------------------- regeneration


def _build(source: Path, out: Path, generated_on: str) -> bytes:
    command = [sys.executable, str(SCRIPT), "--source", str(source), "--out", str(out)]
    subprocess.run([*command, "--generated-on", generated_on], check=True, capture_output=True, text=True)
    return out.read_bytes()


@pytest.mark.skipif(
    not SOURCE_WHEEL.is_file(), reason=f"source wheel {SOURCE_WHEEL} absent (set HOCTAP_UNITS_SOURCE)"
)
def test_build_is_deterministic_and_reproduces_the_vendored_file(tmp_path: Path) -> None:
    vendored = _raw()
    generated_on = vendored["source"]["generated_on"]

    first = _build(SOURCE_WHEEL, tmp_path / "a" / "units-vn.json.gz", generated_on)
    second = _build(SOURCE_WHEEL, tmp_path / "b" / "units-vn.json.gz", generated_on)

    assert first == second
    assert json.loads(gzip.decompress(first)) == vendored
    assert (tmp_path / "a" / "LICENSE-vietnamadminunits.txt").read_bytes() == (
        DEFAULT_PATH.parent / "LICENSE-vietnamadminunits.txt"
    ).read_bytes()


@pytest.mark.skipif(not SOURCE_DIR.is_dir(), reason=f"unpacked source {SOURCE_DIR} absent")
def test_unpacked_wheel_gives_the_same_bytes_as_the_wheel(tmp_path: Path) -> None:
    if not SOURCE_WHEEL.is_file():
        pytest.skip(f"source wheel {SOURCE_WHEEL} absent")
    from_wheel = _build(SOURCE_WHEEL, tmp_path / "w.json.gz", "2026-01-01")
    from_dir = _build(SOURCE_DIR, tmp_path / "d.json.gz", "2026-01-01")
    assert from_wheel == from_dir
